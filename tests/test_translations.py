"""The catalogue check (issue 22): French, Russian and Arabic are complete, current and well formed.

For each language: (a) every string the code and templates mark is in the catalogue (makemessages is run on a
copy of the project, so the real catalogues are never touched); (b) nothing is left untranslated or fuzzy;
(c) each translation keeps the English's placeholders and HTML tags; (d) the compiled .mo is there and not
older than its .po. These fail while any part of the interface is marked but not yet translated: the fix is
to translate it (locale/README.md), never to skip the check.
"""

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LANGUAGES = ("fr", "ru", "ar")
LOCALE = Path(settings.BASE_DIR) / "locale"
# What makemessages reads besides the code: nothing of the virtualenv, the tools, git or local state.
NOT_SOURCE = (".venv", ".tools", ".git", "var", "artifacts", "staticfiles", ".ruff_cache", ".pytest_cache")

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def _po(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


def _key(entry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _where(entry) -> str:
    place = f" ({entry.occurrences[0][0]}:{entry.occurrences[0][1]})" if entry.occurrences else ""
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r}{place}"


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> dict[tuple[str | None, str], polib.POEntry]:
    """Every string marked for translation now, as makemessages finds it in a copy of the project."""
    copy = tmp_path_factory.mktemp("project")
    for item in Path(settings.BASE_DIR).iterdir():
        if item.name in NOT_SOURCE:
            continue
        if item.is_dir():
            shutil.copytree(item, copy / item.name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(item, copy / item.name)
    previous = Path.cwd()
    try:
        os.chdir(copy)
        settings_locale = settings.LOCALE_PATHS
        settings.LOCALE_PATHS = [str(copy / "locale")]
        try:
            call_command("makemessages", locale=["fr"], keep_pot=True, no_obsolete=True, verbosity=0)
        finally:
            settings.LOCALE_PATHS = settings_locale
    finally:
        os.chdir(previous)
    pot = polib.pofile(str(copy / "locale" / "django.pot"))
    return {_key(entry): entry for entry in pot if entry.msgid}


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_has_every_marked_string(marked, code):
    have = {_key(entry) for entry in _po(code) if not entry.obsolete}
    missing = [_where(entry) for key, entry in marked.items() if key not in have]
    assert not missing, (
        f"{len(missing)} strings marked in the code are not in locale/{code}: run makemessages "
        f"(locale/README.md) and translate them:\n" + "\n".join(missing[:200])
    )


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(code):
    po = _po(code)
    untranslated = [_where(entry) for entry in po.untranslated_entries() if not entry.obsolete]
    fuzzy = [_where(entry) for entry in po.fuzzy_entries() if not entry.obsolete]
    plural_holes = [
        _where(entry)
        for entry in po.translated_entries()
        if entry.msgid_plural and not all(entry.msgstr_plural.get(i) for i in range(_plural_forms(po)))
    ]
    problems = (
        [f"untranslated: {text}" for text in untranslated]
        + [f"fuzzy: {text}" for text in fuzzy]
        + [f"a plural form is empty: {text}" for text in plural_holes]
    )
    assert not problems, f"locale/{code}: {len(problems)} entries to finish:\n" + "\n".join(problems[:200])


def _plural_forms(po: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def _placeholders(text: str) -> Counter:
    return Counter(match.group(0) for match in PLACEHOLDER.finditer(text))


def _tags(text: str) -> Counter:
    return Counter(match.group(0).split()[0].rstrip(">").lower() + ">" for match in TAG.finditer(text))


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_placeholders_and_tags(code):
    wrong = []
    for entry in _po(code).translated_entries():
        if entry.msgid_plural:
            forms = entry.msgstr_plural.items()
            pairs = [(entry.msgid_plural if i else entry.msgid, text) for i, text in forms]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for english, translated in pairs:
            # A plural form may leave out the number ("one" reads "un"), never add or rename a placeholder.
            want, got = _placeholders(english), _placeholders(translated)
            if entry.msgid_plural:
                want = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
                if set(got) - set(want):
                    wrong.append(f"placeholders {sorted(got)} for {sorted(want)}: {_where(entry)}")
            elif set(got) != set(want):
                wrong.append(f"placeholders {sorted(got)} for {sorted(want)}: {_where(entry)}")
            if _tags(english) != _tags(translated):
                wrong.append(f"HTML tags differ: {_where(entry)} -> {translated!r}")
    assert not wrong, f"locale/{code}:\n" + "\n".join(wrong[:200])


@pytest.mark.parametrize("code", LANGUAGES)
def test_compiled_catalogue_is_current(code):
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run bin/setup-venv or manage.py compilemessages"
    assert mo.stat().st_mtime >= po.stat().st_mtime, f"{mo} is older than its .po: run compilemessages"


def test_placeholder_check_catches_a_broken_translation():
    """The checks above are only as good as these two readings of a string."""
    assert set(_placeholders("Hello %(name)s, %s {count}")) == {"%(name)s", "%s", "{count}"}
    assert set(_placeholders("Bonjour %(nom)s")) != set(_placeholders("Hello %(name)s"))
    assert _tags('Go <a href="{{ url }}">home</a>') == _tags('Aller <a href="x">accueil</a>')
    assert _tags("<bdi>P-5</bdi>") != _tags("P-5")
