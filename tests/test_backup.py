"""Backup and restore end to end (issue 16 §6), as an operator would run them: a real installation on its own
PostgreSQL database and var folder (the demo programme, sealed through the sealing service, and a signed audit
checkpoint), `manage.py backup`, the database dropped and the folder deleted, `manage.py restore` into a new
database, then every encrypted value decrypts, every stored PDF verifies and the audit chain verifies."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.helpers import ROOT
from trackii.management import backups

# The test process's own configuration, which the installation under test must not inherit.
NOT_INHERITED = {
    "DATABASE_URL", "REDIS_URL", "TRACKII_VAR_DIR", "TRACKII_ENCRYPTION_KEYS", "TRACKII_SIGNING_P12",
    "TRACKII_SIGNING_P12_PASSPHRASE", "TRACKII_AUDIT_CHECKPOINT_DIR", "TRACKII_ENV", "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "TRACKII_KEYSTORE_DIR",
}  # fmt: skip


def server() -> dict:
    db = connection.settings_dict  # the server the suite runs on; its test database is not used here
    return {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}


def admin(sql: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **server()) as conn:
        conn.execute(sql)


def tables_in(name: str) -> int:
    with psycopg.connect(dbname=name, **server()) as conn:
        return conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]


@pytest.fixture
def new_database():
    """A new, empty database on the suite's server; dropped afterwards, whatever happened."""
    made = []

    def make(role: str) -> str:
        name = f"trackii_backup_test_{os.getpid()}_{role}"
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(f'CREATE DATABASE "{name}"')
        made.append(name)
        return name

    yield make
    for name in made:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Installation:
    """A Trackii installation as `make run` sets it up with DATABASE_URL: its own database and var folder."""

    def __init__(self, database: str, var_dir: Path):
        s = server()
        self.database, self.var_dir = database, var_dir
        self.env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        self.env.update(
            DATABASE_URL=f"postgres://{s['user']}@{s['host']}:{s['port']}/{database}",
            TRACKII_VAR_DIR=str(var_dir),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            DJANGO_SETTINGS_MODULE="trackii.settings",
        )

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        if ok:
            assert result.returncode == 0, f"{args}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
        return result

    def manage(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        return self.run("manage.py", *args, ok=ok)

    def stored_documents(self) -> dict:
        return json.loads(self.run("-m", "tests.stored_documents").stdout.splitlines()[-1])


def test_backup_destroy_restore_into_a_new_database(new_database, tmp_path):
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "PostgreSQL's client is needed"
    original = Installation(new_database("original"), tmp_path / "var-original")
    original.manage("migrate", "--no-input", "-v0")
    original.manage("seed_demo")  # seals summaries, their copies and disclosures through the sealing service
    original.manage(
        "shell",
        "--no-imports",
        "-c",
        "from trackii.audit.services import write_checkpoint; write_checkpoint()",
    )
    before = original.stored_documents()
    values = original.manage("reencrypt", "--check").stdout.splitlines()[-1]
    assert values.endswith("values decrypt with this ring.") and not values.startswith("0 of")
    assert len(before["documents"]) >= 10 and {"summary", "copy", "disclosure"} == {
        name.split()[0] for name in before["documents"]
    }
    assert (
        all(d == {"ok": True, "sha256": True} for d in before["documents"].values()) and before["login_found"]
    )

    backup, keys = tmp_path / "backup", tmp_path / "elsewhere" / "keys"
    refused = original.manage("backup", str(backup), "--keys", str(backup / "keys"), ok=False)
    assert refused.returncode == 1 and "kept apart" in refused.stderr
    made = original.manage("backup", str(backup), "--keys", str(keys)).stdout
    assert "and 1 signed audit record into" in made and "keep them apart" in made
    assert sorted(p.name for p in keys.iterdir()) == [
        "encryption_keys",
        "keystore",
        "signing.p12",
        "signing.passphrase",
    ]
    escrowed = sorted(p.name for p in (keys / "keystore").iterdir())
    assert escrowed == sorted(p.name for p in (original.var_dir / "keystore").iterdir()) and escrowed
    files = [p for p in [*keys.rglob("*"), *backup.rglob("*")] if p.is_file()]
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o600"}

    # Destroy: the database and every file of the installation.
    admin(f'DROP DATABASE "{original.database}" WITH (FORCE)')
    shutil.rmtree(original.var_dir)

    restored = Installation(new_database("restored"), tmp_path / "var-restored")
    without_keys = restored.manage("restore", str(backup), ok=False)
    assert without_keys.returncode == 1 and "give --keys" in without_keys.stderr
    assert tables_in(restored.database) == 0  # refused before anything was written

    output = restored.manage("restore", str(backup), "--keys", str(keys)).stdout
    assert f"The keystore was empty: installed the {len(escrowed)} data keys" in output
    assert values in output
    assert "signed record matches: 1 checkpoint(s), newest checkpoint-" in output

    assert restored.manage("reencrypt", "--check").stdout.splitlines()[-1] == values
    after = restored.stored_documents()
    assert after == before
    audit = restored.manage("verify_audit").stdout
    assert "Audit chain intact" in audit and "matches" in audit

    again = restored.manage("restore", str(backup), "--keys", str(keys), ok=False)
    assert again.returncode == 1 and "is not empty" in again.stderr


def test_a_backup_altered_after_it_was_made_is_refused(tmp_path):
    (tmp_path / "database.pgdump").write_bytes(b"dump")
    backups.write_manifest(
        tmp_path,
        {
            "format": backups.FORMAT,
            "files": {"database.pgdump": backups.sha256_of(tmp_path / "database.pgdump")},
        },
    )
    assert backups.read_manifest(tmp_path)["format"] == backups.FORMAT
    (tmp_path / "database.pgdump").write_bytes(b"dumq")
    with pytest.raises(backups.BackupError, match="was altered since the backup"):
        backups.read_manifest(tmp_path)


def test_the_keys_cannot_go_into_the_backup_folder(tmp_path):
    for keys in (tmp_path / "backup", tmp_path / "backup" / "keys"):
        with pytest.raises(backups.BackupError, match="kept apart"):
            backups.apart(tmp_path / "backup", keys)
    with pytest.raises(backups.BackupError, match="kept apart"):
        backups.apart(tmp_path / "backup" / "inner", tmp_path / "backup")
    backups.apart(tmp_path / "backup", tmp_path / "keys")
