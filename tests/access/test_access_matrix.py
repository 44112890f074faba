"""Every URL, role, object and method, as declared in tests/access/matrix.py. Zero unexpected answers, and
every refusal is byte-for-byte the page a missing object gets."""

import re

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access.matrix import EXCLUDED_MODULES, EXCLUDED_ROUTES, MATRIX, OBJECTS
from tests.access.world import ROLES, build_world

MISSING = 999999
CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def url_names(resolver=None, prefix="", namespace="") -> dict[str, tuple[str, str]]:
    """Every URL pattern of the project (by name, or by route when unnamed): its route and view module."""
    found = {}
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.update(url_names(entry, route, space))
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "view_class", entry.callback)
            found[f"{namespace}{entry.name}" if entry.name else route] = (route, view.__module__)
    return found


def test_every_url_pattern_has_a_row_in_the_matrix():
    ours = {
        name
        for name, (route, module) in url_names().items()
        if not module.startswith(tuple(EXCLUDED_MODULES)) and not route.startswith(EXCLUDED_ROUTES)
    }
    assert ours - MATRIX.keys() == set(), "add these URLs to tests/access/matrix.py"
    assert MATRIX.keys() - ours == set(), "these matrix rows name URLs that no longer exist"


def expected(name: str, method: str, role: str) -> list[str]:
    row = MATRIX[name][method]
    return row.get(role, row["*"]).split()


def _normalised(content: bytes) -> bytes:
    return CSRF.sub(rb"\1", content)


@pytest.mark.django_db
def test_access_matrix(client, settings, capsys):
    settings.HEALTH_CHECK_TIMEOUT = 0.2
    world = build_world()
    cells, unexpected = 0, []
    for name, methods in MATRIX.items():
        objects = OBJECTS.get(name)
        targets = (
            [
                ("A", objects(world.a)),
                ("B", objects(world.b)),
                ("-", dict.fromkeys(objects(world.a), MISSING)),
            ]
            if objects
            else [("", {})]
        )
        for role in ROLES:
            client.logout()
            if world.users[role] is not None:
                client.force_login(world.users[role])
            for method in methods:
                not_found_body = None
                for (label, kwargs), want in zip(targets, expected(name, method, role), strict=True):
                    client.cookies.pop("messages", None)  # a previous cell's flash message is not a leak
                    with transaction.atomic():
                        response = getattr(client, method.lower())(reverse(name, kwargs=kwargs))
                        transaction.set_rollback(True)
                    cells += 1
                    if str(response.status_code) != want:
                        unexpected.append(
                            f"{method} {name} {label} as {role}: {response.status_code}, expected {want}"
                        )
                    if response.status_code == 404:
                        body = _normalised(response.content)
                        not_found_body = not_found_body or body
                        if body != not_found_body:
                            unexpected.append(f"{method} {name} {label} as {role}: a 404 unlike the others")
    with capsys.disabled():
        print(f"\naccess matrix: {cells} cells (URL x role x object x method), {len(unexpected)} unexpected")
    assert not unexpected, "\n".join(unexpected)
