"""What `manage.py backup` writes and `manage.py restore` reads back (decision 0016).

A backup is two folders, kept apart:

    BACKUP/manifest.json        what is in it: each file's SHA-256, the ring's key ids and key-check values,
                                the signing certificate's fingerprint (no secret)
    BACKUP/database.pgdump      pg_dump --format=custom (database.sqlite3 for the embedded default): every
                                table, the sealed PDFs and their copies (stored encrypted), the audit log
    BACKUP/audit-checkpoints/   the signed checkpoints of the audit chain
    KEYS/encryption_keys        the key ring (TRACKII_ENCRYPTION_KEYS)
    KEYS/signing.p12, signing.passphrase    the Third Party's signing key
    KEYS/keystore/              the data keys as they were (decision 0025), for a new machine

BACKUP is unreadable without KEYS; whoever holds both can read everything but what was destroyed before KEYS
was written. A dialogue or person destroyed later stays unreadable in every BACKUP, but not to someone who
holds an older KEYS: replace the keys folder after a destruction, and destroy the old one (decision 0025).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from base64 import b64decode, b64encode
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from trackii import datakeys
from trackii.crypto import DEVELOPMENT_KEYS_FILE, ENV_VARIABLE, KeyRing
from trackii.datakeys import keystore_dir
from trackii.sealing import keys

FORMAT = 1
MANIFEST = "manifest.json"
CHECKPOINTS = "audit-checkpoints"
RING_FILE = "encryption_keys"
KEYSTORE = "keystore"
P12_FILE = "signing.p12"
PASSPHRASE_FILE = "signing.passphrase"  # noqa: S105 (a file name)


class BackupError(Exception):
    """Why a backup or a restore cannot go on, in words for the operator."""


# --- Files --------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def empty_folder(path: Path, *, what: str) -> Path:
    """``path`` as a new or empty folder, mode 0700."""
    path = path.resolve()
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{what} {path} is not an empty folder: give a new one.")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def apart(backup_dir: Path, keys_dir: Path) -> None:
    backup_dir, keys_dir = backup_dir.resolve(), keys_dir.resolve()
    if backup_dir == keys_dir or backup_dir in keys_dir.parents or keys_dir in backup_dir.parents:
        raise BackupError(
            "The keys must be kept apart from the database backup: give --keys a folder outside "
            f"{backup_dir} (whoever holds both can read everything)."
        )


def write_private(path: Path, data: bytes) -> None:
    keys.write_private_file(path, data, overwrite=False)


def move_aside(path: Path) -> Path:
    """Keep a file that a restore replaces, beside it: a key is never deleted."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
    kept = path.with_name(f"{path.name}.before-restore-{stamp}")
    path.rename(kept)
    return kept


def checkpoint_files() -> list[tuple[str, Path]]:
    """Every file of the checkpoint folder (its path inside the folder, and where it is), except one still
    being written (``.tmp``) or hidden."""
    from trackii.audit.checkpoints import checkpoint_dir

    directory = checkpoint_dir()
    if not directory.is_dir():
        return []
    return [
        (path.relative_to(directory).as_posix(), path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.suffix != ".tmp" and not path.name.startswith(".")
    ]


# --- The database --------------------------------------------------------------------------------------


def _pg_arguments() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    arguments = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432)]
    if db["USER"]:
        arguments += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    if sslmode := (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return arguments, env


def _client(name: str) -> str:
    executable = shutil.which(name)
    if not executable:
        raise BackupError(
            f"{name} (PostgreSQL's client, the same major version as the server or newer) is not on PATH: "
            "install it (Debian: apt-get install postgresql-client)."
        )
    return executable


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (our own arguments)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.stdout.strip()}")


def dump_database(folder: Path) -> str:
    """Write the database into ``folder``; returns the file name."""
    if connection.vendor == "postgresql":
        arguments, env = _pg_arguments()
        name = "database.pgdump"
        command = [_client("pg_dump"), *arguments, "--format=custom", "--no-owner", "--no-privileges"]
        _run([*command, "--file", str(folder / name), connection.settings_dict["NAME"]], env)
        return name
    if connection.vendor == "sqlite":
        name = "database.sqlite3"
        # SQLite's online backup: a consistent copy while Trackii keeps running.
        with (
            sqlite3.connect(connection.settings_dict["NAME"]) as source,
            sqlite3.connect(folder / name) as copy,
        ):
            source.backup(copy)
        return name
    raise BackupError(f"Backups know PostgreSQL and SQLite, not {connection.vendor}.")


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_database(path: Path) -> None:
    connection.close()  # pg_restore and the SQLite copy work on their own connections
    if connection.vendor == "postgresql":
        if not path.name.endswith(".pgdump"):
            raise BackupError(f"{path.name} is not a PostgreSQL dump: restore it into an SQLite database.")
        arguments, env = _pg_arguments()
        command = [_client("pg_restore"), *arguments, "--no-owner", "--no-privileges", "--exit-on-error"]
        # One transaction: a restore that fails half-way leaves the database empty, never half restored.
        _run([*command, "--single-transaction", "--dbname", connection.settings_dict["NAME"], str(path)], env)
    elif connection.vendor == "sqlite":
        if not path.name.endswith(".sqlite3"):
            raise BackupError(f"{path.name} is not an SQLite copy: restore it into a PostgreSQL database.")
        with sqlite3.connect(path) as source, sqlite3.connect(connection.settings_dict["NAME"]) as target:
            source.backup(target)
    else:
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {connection.vendor}.")


# --- The keys --------------------------------------------------------------------------------------------


def ring_from_environment() -> bool:
    return bool(os.environ.get(ENV_VARIABLE, "").strip())


def development_ring_path() -> Path:
    return Path(settings.VAR_DIR) / DEVELOPMENT_KEYS_FILE


def signing_key_files() -> tuple[Path, str]:
    """The PKCS#12 file this installation signs with, and its passphrase, as keys.load_identity finds them."""
    configured = str(getattr(settings, "TRACKII_SIGNING_P12", "") or "")
    if configured:
        return Path(configured), str(getattr(settings, "TRACKII_SIGNING_P12_PASSPHRASE", "") or "")
    keys.load_identity()  # creates the development key on first use
    path = keys.development_key_path()
    passphrase_file = keys.passphrase_path_for(path)
    passphrase = passphrase_file.read_text().strip() if passphrase_file.exists() else ""
    return path, passphrase or str(getattr(settings, "TRACKII_SIGNING_P12_PASSPHRASE", "") or "")


def fingerprint_of(path: Path, passphrase: str) -> str:
    return keys.identity_from_p12(path.read_bytes(), passphrase, source=str(path)).fingerprint


def export_keys(folder: Path) -> None:
    write_private(folder / RING_FILE, (settings.TRACKII_ENCRYPTION_KEYS.strip() + "\n").encode())
    p12, passphrase = signing_key_files()
    write_private(folder / P12_FILE, p12.read_bytes())
    write_private(folder / PASSPHRASE_FILE, passphrase.encode())
    (folder / KEYSTORE).mkdir(mode=0o700)
    destroyed = datakeys.destroyed_ids()  # a file its deletion left behind is not escrowed
    for path in data_key_files(keystore_dir()):
        if path.name.removesuffix(datakeys.SUFFIX) not in destroyed:
            write_private(folder / KEYSTORE / path.name, path.read_bytes())


def usable_data_keys() -> list[str]:
    """The ids of the data keys the database holds as readable: the manifest lists them, so that a restore
    can tell a keystore that is not this backup's before it writes anything."""
    from trackii.models import DataKey

    rows = DataKey.objects.filter(destroyed_at__isnull=True, found_missing_at__isnull=True)
    return sorted(rows.values_list("pk", flat=True))


def escrowed_ids(keys_folder: Path | None) -> set[str]:
    if keys_folder is None:
        return set()
    return {path.name.removesuffix(datakeys.SUFFIX) for path in data_key_files(keys_folder / KEYSTORE)}


def data_key_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{datakeys.SUFFIX}")) if folder.is_dir() else []


def install_keystore(keys_folder: Path | None) -> int:
    """Into an empty keystore (a new machine), the data keys the keys folder holds, but those the restored
    database says were destroyed; the number installed. A keystore that holds keys already is this
    installation's own and stays as it is: what it lacks was destroyed, and an older copy must not bring it
    back."""
    target = keystore_dir()
    if keys_folder is None or data_key_files(target) or not (keys_folder / KEYSTORE).is_dir():
        return 0
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    destroyed = (
        datakeys.destroyed_ids() if "trackii_datakey" in connection.introspection.table_names() else set()
    )
    installed = 0
    for path in data_key_files(keys_folder / KEYSTORE):
        if path.name.removesuffix(datakeys.SUFFIX) not in destroyed:
            write_private(target / path.name, path.read_bytes())
            installed += 1
    return installed


def encode_key_checks(recorded: dict[str, bytes]) -> dict[str, str]:
    return {key_id: b64encode(value).decode("ascii") for key_id, value in sorted(recorded.items())}


def decode_key_checks(manifest: dict) -> dict[str, bytes]:
    return {key_id: b64decode(value) for key_id, value in manifest["key_checks"].items()}


def ring_in(folder: Path) -> str:
    try:
        text = (folder / RING_FILE).read_text().strip()
        KeyRing.parse(text)
    except (OSError, ImproperlyConfigured) as error:
        raise BackupError(f"{folder / RING_FILE} is not a key ring: {error}") from None
    return text


# --- The manifest -----------------------------------------------------------------------------------------


def write_manifest(folder: Path, manifest: dict) -> None:
    """Written last, and synced: a backup folder without it is an unfinished backup."""
    path = folder / MANIFEST
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_manifest(folder: Path) -> dict:
    """The manifest of ``folder``, after checking every file it names is there and unchanged."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} holds no finished backup ({MANIFEST}: {error}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder / MANIFEST} is of format {manifest.get('format')!r}, not {FORMAT}.")
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file() or sha256_of(path) != expected:
            raise BackupError(f"{path} is missing or was altered since the backup (its SHA-256 differs).")
    return manifest
