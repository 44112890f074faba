"""The shape docs/architecture.md promises, checked on the code itself (the layer contracts are lint-imports'
job in `make test`; these are what it does not cover)."""

from pathlib import Path

import grimp

from tests.helpers import ROOT

PACKAGES = ("trackii", "dialogues", "participants", "funding")
MAX_LINES = 500


def test_no_module_imports_one_that_imports_it_back():
    graph = grimp.build_graph(*PACKAGES)
    circles = sorted(
        {
            tuple(sorted((module, imported)))
            for module in graph.modules
            if ".migrations." not in module
            for imported in graph.find_modules_directly_imported_by(module)
            if graph.chain_exists(importer=imported, imported=module)
        }
    )
    assert circles == [], f"import circles (each pair reaches the other): {circles}"


def test_no_python_file_outside_migrations_and_tests_is_over_500_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in Path(ROOT, package).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}, f"split these along their concerns (STYLE.md): {too_long}"
