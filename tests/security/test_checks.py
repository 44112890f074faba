"""The custom system checks refuse an unsafe CSP and a missing or broken key ring."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils.csp import CSP

from trackii.accounts.checks import check_csp, check_key_ring, csp_errors


def test_project_csp_and_key_ring_pass():
    assert check_csp() == [] and check_key_ring() == []


@pytest.mark.parametrize(
    "policy",
    [
        {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]},
        {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.UNSAFE_EVAL]},
        {"default-src": [CSP.SELF], "style-src": [CSP.SELF, "'unsafe-inline'"]},
        {"default-src": [CSP.SELF, "https://cdn.example.com"]},
        {"default-src": ["*"]},
        {"script-src": [CSP.SELF]},
        {"default-src": [CSP.SELF], "script-src": ["data:"]},
        {},
    ],
)
def test_unsafe_csp_is_an_error(policy):
    assert csp_errors(policy)


def test_data_uris_for_images_are_allowed():
    assert csp_errors({"default-src": [CSP.SELF], "img-src": [CSP.SELF, "data:"]}) == []


@pytest.mark.django_db  # the whole `check` also compares the key ring with the database's key checks
def test_check_command_fails_on_unsafe_csp(settings):
    settings.SECURE_CSP = {**settings.SECURE_CSP, "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
    with pytest.raises(SystemCheckError, match=r"trackii\.E103"):
        call_command("check")


@pytest.mark.parametrize(("value", "error"), [("", "trackii.E111"), ("k1:short", "trackii.E112")])
def test_missing_or_broken_key_ring_is_an_error(settings, value, error):
    settings.TRACKII_ENCRYPTION_KEYS = value
    assert [e.id for e in check_key_ring()] == [error]
