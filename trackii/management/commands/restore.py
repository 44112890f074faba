"""Restore a backup made by `manage.py backup` into an empty database, then prove it: every encrypted value
decrypts and the audit chain verifies against its signed checkpoints (decision 0016)."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from trackii import datakeys
from trackii.audit.checkpoints import checkpoint_dir
from trackii.audit.context import command_context
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.crypto import KeyRing
from trackii.keycheck import compare
from trackii.management import backups
from trackii.management.backups import BackupError
from trackii.sealing import keys as signing


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, which must be empty, then "
        "check that every encrypted value decrypts and that the audit chain verifies."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help="the folder `manage.py backup` wrote")
        parser.add_argument(
            "--keys",
            type=Path,
            help="the keys folder of that backup. Outside production its ring and signing key are put under "
            "TRACKII_VAR_DIR (a different file there is kept beside, renamed); in production they are "
            "checked against TRACKII_ENCRYPTION_KEYS and TRACKII_SIGNING_P12, which you set from it",
        )
        parser.add_argument(
            "--accept-missing-keys",
            action="store_true",
            help="restore even though the keystore holds none of the backup's data keys: every dialogue and "
            "person of it then reads as destroyed (decision 0025)",
        )

    def handle(self, *args, dir: Path, keys: Path | None, accept_missing_keys: bool, **options):
        try:
            self.restore(dir.resolve(), keys.resolve() if keys else None, accept_missing_keys)
        except (BackupError, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from None

    def restore(self, folder: Path, keys_folder: Path | None, accept_missing_keys: bool = False) -> None:
        manifest = backups.read_manifest(folder)
        # Everything that could refuse is asked before anything is written.
        if manifest["database"]["vendor"] != connection.vendor:
            raise BackupError(
                f"This is a backup of a {manifest['database']['vendor']} database; DATABASE_URL names a "
                f"{connection.vendor} one."
            )
        if not backups.database_is_empty():
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} is not empty: restore into a new, empty "
                "database (create it and point DATABASE_URL at it)."
            )
        checkpoints = self.plan_checkpoints(folder, manifest)
        ring = self.plan_ring(backups.decode_key_checks(manifest), keys_folder)
        if not accept_missing_keys:
            self.plan_keystore(manifest.get("data_keys", []), keys_folder)
        signing_key = self.plan_signing_key(manifest["signing_certificate_sha256"], keys_folder)

        # The database first: if pg_restore fails (in one transaction), nothing else has changed.
        backups.restore_database(folder / manifest["database"]["file"])
        if ring is not None:
            path = backups.development_ring_path()
            if path.exists():
                self.stdout.write(f"Kept the key ring that was there as {backups.move_aside(path).name}.")
            backups.write_private(path, (ring + "\n").encode())
            settings.TRACKII_ENCRYPTION_KEYS = ring  # this process goes on with the restored ring
        if installed := backups.install_keystore(keys_folder):
            self.stdout.write(
                f"The keystore was empty: installed the {installed} data keys of the keys folder."
            )
        if signing_key is not None:
            self.install_signing_key(*signing_key)
        for name, source in checkpoints:
            target = checkpoint_dir() / name
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
            target.write_bytes(source.read_bytes())
        self.stdout.write(
            f"Restored the database and {len(checkpoints)} files of the checkpoint folder from {folder}."
        )

        call_command("migrate", interactive=False, verbosity=0)  # a backup made by an older Trackii
        datakeys.sweep_destroyed()  # an escrowed file of a key destroyed before the backup: not kept
        if destroyed := datakeys.reconcile_missing():
            self.stdout.write(
                f"{len(destroyed)} data keys of this backup are not in the keystore "
                f"({datakeys.keystore_dir()}): destroyed after the backup was made, or a keystore that is "
                "not this backup's. Their dialogues' and people's values stay unreadable and their pages "
                "say so; nothing is deleted, and if their files come back the daily upkeep finds them."
            )
        with command_context("restore"), transaction.atomic():
            record_event(actor=None, action=Action.BACKUP_RESTORED, detail={"made_at": manifest["made_at"]})
        self.verify()

    def plan_checkpoints(self, folder: Path, manifest: dict) -> list[tuple[str, Path]]:
        prefix = f"{backups.CHECKPOINTS}/"
        planned = []
        for name in manifest["files"]:
            if not name.startswith(prefix):
                continue
            relative, source = name.removeprefix(prefix), folder / name
            target = checkpoint_dir() / relative
            if target.exists() and target.read_bytes() != source.read_bytes():
                raise BackupError(
                    f"{target} differs from the backup's {relative}: a checkpoint is never overwritten. "
                    "Is TRACKII_AUDIT_CHECKPOINT_DIR the folder of another installation?"
                )
            planned.append((relative, source))
        newer = {relative for relative, _ in backups.checkpoint_files()} - {
            relative for relative, _ in planned
        }
        if newer:
            self.stdout.write(
                f"{checkpoint_dir()} also holds {len(newer)} files newer than this backup: the audit rows "
                "written after the backup are gone, and verify_audit will say so (docs/decisions/0003)."
            )
        return planned

    def plan_keystore(self, expected: list[str], keys_folder: Path | None) -> None:
        """Refuse a keystore that holds none of the backup's data keys (another installation's, an empty
        one with no keys folder to fill it): restored, every dialogue and person would read as destroyed,
        and nothing would say the keystore was the mistake. Some keys missing is normal: destroyed since."""
        present = datakeys.present_ids() or backups.escrowed_ids(keys_folder)
        if expected and not present & set(expected):
            raise BackupError(
                f"The keystore {datakeys.keystore_dir()} holds none of this backup's {len(expected)} data "
                "keys: every dialogue and person would read as destroyed. Point TRACKII_KEYSTORE_DIR at "
                "this installation's keystore, or on a new machine give --keys with the keys folder of the "
                "backup, and run restore again (--accept-missing-keys restores anyway)."
            )

    def plan_ring(self, key_checks: dict[str, bytes], keys_folder: Path | None) -> str | None:
        """None when the configured ring reads the backup; else the backup's ring, to install."""
        problems = compare(KeyRing.from_setting(), key_checks)
        if not problems:
            return None
        if backups.ring_from_environment():
            raise BackupError(
                "TRACKII_ENCRYPTION_KEYS is not this backup's key ring (" + "; ".join(problems) + "): set it "
                f"to the ring in the backup's keys folder ({backups.RING_FILE}) and run restore again."
            )
        if keys_folder is None:
            raise BackupError(
                f"The key ring in {backups.development_ring_path()} is not this backup's: give --keys, the "
                "folder `manage.py backup --keys` wrote. Without that ring the backup cannot be read."
            )
        ring = backups.ring_in(keys_folder)
        if other := compare(KeyRing.parse(ring), key_checks):
            raise BackupError(
                f"{keys_folder / backups.RING_FILE} is not this backup's key ring either: " + "; ".join(other)
            )
        return ring

    def plan_signing_key(self, fingerprint: str, keys_folder: Path | None) -> tuple[bytes, str] | None:
        """None when the configured signing key is the backup's; else the backup's key, to install."""
        configured = str(getattr(settings, "TRACKII_SIGNING_P12", "") or "")
        mismatch = (
            "Sealed documents and audit checkpoints verify only against the key that signed them"
            f" ({fingerprint[:16]}…)"
        )
        if configured:
            try:
                matches = backups.fingerprint_of(*backups.signing_key_files()) == fingerprint
            except OSError as error:
                raise BackupError(
                    f"TRACKII_SIGNING_P12={configured} cannot be read: {error.strerror}."
                ) from None
            if not matches:
                raise BackupError(
                    f"TRACKII_SIGNING_P12 is not this backup's signing key. {mismatch}: point it at the "
                    f"backup's {backups.P12_FILE}, with its passphrase."
                )
            return None
        path = signing.development_key_path()
        if path.exists():
            passphrase_file = signing.passphrase_path_for(path)
            passphrase = passphrase_file.read_text().strip() if passphrase_file.exists() else ""
            if backups.fingerprint_of(path, passphrase) == fingerprint:
                return None
        if keys_folder is None:
            raise BackupError(
                f"The signing key under {path.parent} is not this backup's. {mismatch}: give --keys."
            )
        try:
            data = (keys_folder / backups.P12_FILE).read_bytes()
            passphrase = (keys_folder / backups.PASSPHRASE_FILE).read_text().strip()
        except OSError as error:
            raise BackupError(f"The keys folder holds no signing key: {error}") from None
        if signing.identity_from_p12(data, passphrase, source=backups.P12_FILE).fingerprint != fingerprint:
            raise BackupError(f"{keys_folder / backups.P12_FILE} is not this backup's signing key either.")
        return data, passphrase

    def install_signing_key(self, data: bytes, passphrase: str) -> None:
        path = signing.development_key_path()
        for existing in (path, signing.passphrase_path_for(path)):
            if existing.exists():
                self.stdout.write(
                    f"Kept the signing key file that was there as {backups.move_aside(existing).name}."
                )
        signing.write_private_file(signing.passphrase_path_for(path), passphrase.encode(), overwrite=False)
        signing.write_private_file(path, data, overwrite=False)
        signing.load_identity.cache_clear()

    def verify(self) -> None:
        """What the restored installation must pass before anyone relies on it."""
        for name, arguments in (("reencrypt", ["--check"]), ("verify_audit", [])):
            out, err = StringIO(), StringIO()
            try:
                call_command(name, *arguments, stdout=out, stderr=err)
            except CommandError as error:
                raise CommandError(f"The backup was restored, but `{name}` fails: {error}") from None
            finally:
                self.stderr.write(err.getvalue(), ending="")
            lines = out.getvalue().splitlines()
            self.stdout.write("\n".join(lines[-1:] if name == "reencrypt" else lines))
