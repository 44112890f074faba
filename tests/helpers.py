"""Small helpers shared by tests of different apps."""

import shutil
import subprocess

from django.db import connection


def pg_dump() -> str:
    """The test database as `pg_dump --data-only` writes it: what a stolen backup would show."""
    executable = shutil.which("pg_dump")
    assert executable, "pg_dump (PostgreSQL's client) is needed for this test"
    settings = connection.settings_dict
    return subprocess.run(
        [
            executable, "--data-only", "--no-owner", "-h", settings["HOST"],
            "-p", str(settings["PORT"] or 5432), "-U", settings["USER"], settings["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"PGPASSWORD": settings.get("PASSWORD") or ""},
    ).stdout  # fmt: skip
