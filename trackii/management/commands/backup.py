"""Back up everything Trackii needs to come back: the database (with the sealed PDFs and the audit log), the
audit checkpoints, and into a folder of their own the key ring and the signing key (decision 0016)."""

import datetime
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from trackii.audit.context import command_context
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.crypto import KeyRing
from trackii.keycheck import compare, record_missing, recorded_values, ring_key_ids
from trackii.management import backups


class Command(BaseCommand):
    help = (
        "Back up the database, the stored PDFs, the audit log and its checkpoints into DIR, and the key ring "
        "and signing key into the separate --keys folder. Without the key ring the backup cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help="a new or empty folder for the backup")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument(
            "--keys",
            type=Path,
            help="a new or empty folder, outside DIR, for the key ring and the signing key (keep it apart: "
            "whoever holds both can read everything)",
        )
        where.add_argument(
            "--without-keys",
            action="store_true",
            help="leave the keys out: they are kept elsewhere already (the production .env and secret file)",
        )

    def handle(self, *args, dir: Path, keys: Path | None, without_keys: bool, **options):
        try:
            self.back_up(dir, keys)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None

    def back_up(self, folder: Path, keys_folder: Path | None) -> None:
        if keys_folder is not None:
            backups.apart(folder, keys_folder)
        ring = KeyRing.from_setting()
        record_missing(ring)
        recorded = recorded_values() or {}
        if problems := compare(ring, recorded):
            raise backups.BackupError(
                "The key ring is not this database's (" + "; ".join(problems) + "): a backup of its keys "
                "would not read the backup."
            )
        p12, passphrase = backups.signing_key_files()
        fingerprint = backups.fingerprint_of(p12, passphrase)
        folder = backups.empty_folder(folder, what="The backup folder")
        if keys_folder is not None:
            keys_folder = backups.empty_folder(keys_folder, what="The keys folder")

        with command_context("backup"), transaction.atomic():
            # Before the dump, so the backup holds the record of its own making.
            record_event(actor=None, action=Action.BACKUP_MADE, detail={"keys": keys_folder is not None})
        # Checkpoints first: each one copied names a row the dump, taken after, is sure to hold.
        (folder / backups.CHECKPOINTS).mkdir(mode=0o700)
        files = {}
        for relative, source in backups.checkpoint_files():
            name = f"{backups.CHECKPOINTS}/{relative}"
            (folder / name).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copy2(source, folder / name)
            files[name] = backups.sha256_of(folder / name)
        database = backups.dump_database(folder)
        files[database] = backups.sha256_of(folder / database)
        data_keys = backups.usable_data_keys()
        if keys_folder is not None:
            backups.export_keys(keys_folder)
        # What the database holds in clear (who met whom, the audit log) is sensitive too.
        for path in folder.rglob("*"):
            if path.is_file():
                path.chmod(0o600)
        backups.write_manifest(
            folder,
            {
                "format": backups.FORMAT,
                "made_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "database": {"vendor": connection.vendor, "file": database},
                "files": files,
                "key_ids": list(ring_key_ids(ring)),
                "key_checks": backups.encode_key_checks(recorded_values() or {}),
                "signing_certificate_sha256": fingerprint,
                "data_keys": data_keys,
            },
        )
        # The signed records (checkpoints, purges, re-baselines); the folder's HEAD names the newest of them.
        records = sum(name.endswith(".json") for name in files if name.startswith(f"{backups.CHECKPOINTS}/"))
        self.stdout.write(
            f"Backed up {connection.vendor} ({(folder / database).stat().st_size:,} bytes) and {records} "
            f"signed audit record{'s' if records != 1 else ''} into {folder}."
        )
        if keys_folder is not None:
            self.stdout.write(f"The key ring and the signing key are in {keys_folder}: keep them apart.")
        else:
            self.stdout.write(
                f"No keys in this backup: it reads only with the key ring of key ids "
                f"{', '.join(ring.key_ids)} and the signing key {fingerprint[:16]}…, kept elsewhere."
            )
        self.stdout.write("Without the key ring nothing encrypted in this backup can ever be read.")
