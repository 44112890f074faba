"""profile_pages (docs/benchmarks.md) runs on the demo data and measures every page it names."""

from io import StringIO

import pytest
from django.core.management import call_command

from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_profile_pages_reports_each_page_and_leaves_no_trace(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the demo's logins
    call_command("seed_demo", stdout=StringIO())
    rows = AuditEvent.objects.count()
    out = StringIO()

    call_command("profile_pages", requests=2, page="", profile=0, stdout=out)

    lines = [line for line in out.getvalue().splitlines() if line.startswith("| ")]
    assert [line.split(" | ")[0] for line in lines] == [
        "| dialogue page",
        "| workshop page",
        "| own workshops (/me/)",
        "| dashboard",
        "| programme insight",
        "| insight: composition (tidewater)",
        "| insight: ripeness log (tidewater)",
        "| insight: transfers (tidewater)",
        "| audit overview",
        "| audit search, newest",
    ]
    assert all(int(line.split(" | ")[1]) > 0 for line in lines)
    assert AuditEvent.objects.count() == rows  # rolled back
