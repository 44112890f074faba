"""bench_explain (docs/benchmarks.md, "Permission filters") explains the permission-filtered lists as the
pages build them, and says so when a login holds nothing to list."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_bench_explain_plans_each_list_of_a_login_and_skips_what_it_cannot_see(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the demo's logins
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()

    call_command(
        "bench_explain",
        "--runs",
        "1",
        "--login",
        "participant@example.org",
        "--login",
        "funder@example.org",
        stdout=out,
    )

    rows = [
        line.split(" | ")
        for line in out.getvalue().splitlines()
        if line.startswith("| ") and "---" not in line
    ]
    participant = {row[0].lstrip("| "): row for row in rows if row[1] == "participant@example.org"}
    assert set(participant) == {"dialogue list", "calendar, month", "funding list"}
    assert int(participant["dialogue list"][2]) > 0  # rows the participant sees
    assert float(participant["dialogue list"][5]) > 0  # execution time from EXPLAIN ANALYZE
    funder = {row[0].lstrip("| "): row for row in rows if row[1] == "funder@example.org"}
    assert funder["dialogue list"][-1] == "no query: nothing held |"


def test_bench_explain_names_a_login_it_cannot_find():
    with pytest.raises(CommandError, match=r"nobody@example\.org"):
        call_command("bench_explain", "--login", "nobody@example.org", stdout=StringIO())
