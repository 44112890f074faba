"""The embedded database of `make run` is SQLite, where Django rebuilds a table for many schema changes and
drops its triggers without a word. Every trigger a migration writes for SQLite must still be there after
`migrate` on a fresh SQLite database (the rules they enforce: a sealed summary and its versions frozen, a
membership's side within its dialogue, the audit log append-only, outcome steps in order)."""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIGRATIONS = [*ROOT.glob("*/migrations/*.py"), *ROOT.glob("trackii/*/migrations/*.py")]
# PostgreSQL's triggers are named without these suffixes; SQLite needs one trigger per event.
SQLITE_SUFFIXES = ("_insert", "_update", "_delete", "_no_update", "_no_delete")


def _sqlite_triggers_declared() -> set[str]:
    names = set()
    for path in MIGRATIONS:
        for name in re.findall(r"CREATE TRIGGER (\w+) BEFORE (?:INSERT|UPDATE|DELETE)", path.read_text()):
            names.add(name)
    return names


def test_every_sqlite_trigger_of_the_migrations_survives_migrate(tmp_path):
    # Its own installation: its own database, var folder and keystore (not the suite's, decision 0025).
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "TRACKII_KEYSTORE_DIR")
    }
    env["TRACKII_VAR_DIR"] = str(tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    with sqlite3.connect(tmp_path / "trackii.sqlite3") as db:
        present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    declared = {name for name in _sqlite_triggers_declared() if name.endswith(SQLITE_SUFFIXES)}
    assert declared, "no SQLite trigger found in the migrations: the pattern is out of date"
    assert declared - present == set()
