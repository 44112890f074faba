"""Every response, whatever its status, carries the security headers: CSP without inline code, no
sniffing, no framing, same-origin referrer and opener policies."""

import pytest
from django.test import Client

from tests.accounts.helpers import enrol_totp
from tests.factories import UserFactory
from tests.security.walk import routes

pytestmark = pytest.mark.django_db


def missing_headers(response) -> list[str]:
    csp = response.headers.get("Content-Security-Policy", "")
    problems = []
    if "default-src 'self'" not in csp or "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"CSP {csp!r}")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    problems += [
        f"{name}: {response.headers.get(name)!r}"
        for name, value in expected.items()
        if response.headers.get(name) != value
    ]
    return problems


def test_every_response_carries_the_security_headers(capsys, settings):
    settings.HEALTH_CHECK_TIMEOUT = 0.2
    signed_in = Client(enforce_csrf_checks=True)  # so the signed-in POSTs meet the CSRF refusal too
    user = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(user)
    signed_in.force_login(user)
    failures, statuses = {}, set()
    for client, who in ((Client(), "anonymous"), (signed_in, "admin")):
        for path, _ in [*routes(), ("/static/css/trackii.css", "static"), ("/no/such/page", "404")]:
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                statuses.add(response.status_code)
                if problems := missing_headers(response):
                    failures[f"{method.upper()} {path} as {who} ({response.status_code})"] = problems
    with capsys.disabled():
        print(f"\nheaders: statuses seen {sorted(statuses)}")
    assert {200, 302, 403, 404, 405} <= statuses
    assert failures == {}


def test_error_pages_carry_the_security_headers_and_reveal_nothing():
    client = Client(raise_request_exception=False)
    response = client.get("/accounts/login/?next=%00")
    assert not missing_headers(response)
    not_found = Client().get("/dialogues/999999/")
    assert not missing_headers(not_found)
    assert b"999999" not in not_found.content and b"Traceback" not in not_found.content
