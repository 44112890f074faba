"""Re-encrypt every encrypted value not under the newest key: the rotation step of docs/decisions/0001.

Values of a dialogue or a person are under their data key (decision 0025): rotation re-wraps the data keys
in the keystore under the newest key of the ring and leaves those rows as they are; a value a bulk path left
under the ring is moved to its data key. Files of keys destroyed while a process stopped halfway are deleted.

Safe to interrupt and run again: each batch commits on its own, and values already under the newest key are
left alone. It first compares the ring with the database's key-check values (decision 0016) and records the
value of a key it has not met, so it never rewrites anything under a wrong key.

``--check`` changes nothing. It decrypts every value, and exits 1 when the ring is not this database's, when
any value cannot be decrypted with it, or while any value still uses an older key.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from trackii import datakeys
from trackii.crypto import DecryptionError, KeyDestroyed, KeyRing, data_key_id_of, decrypt, key_id_of
from trackii.keycheck import compare, encrypted_columns, record_missing, recorded_values, ring_key_ids


@dataclass
class Tally:
    outdated_values: int = 0
    outdated_rows: int = 0
    by_key: Counter = field(default_factory=Counter)
    values: int = 0
    destroyed: int = 0
    unreadable: int = 0
    first_unreadable: str = ""


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the newest key of the ring, in batches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing: decrypt every value; exit 1 if the ring is not this database's, if any "
            "value cannot be decrypted, or if any still uses an older key.",
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (500).")

    def handle(self, *args, check: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        ring = KeyRing.from_setting()
        self.stdout.write(f"Newest key: {ring.newest_id}")
        problems = self.compare_key_checks(ring, record=not check)
        outdated_total = values_total = unreadable_total = destroyed_total = 0
        outdated_total += self.data_keys(ring, check=check)
        for model, fields in encrypted_columns():
            tally = self.process(model, fields, ring=ring, batch_size=batch_size, check=check)
            outdated_total += tally.outdated_values
            values_total += tally.values
            unreadable_total += tally.unreadable
            destroyed_total += tally.destroyed
            keys = ", ".join(f"{key_id}: {count}" for key_id, count in sorted(tally.by_key.items()))
            unreadable = (
                f"; {tally.unreadable} cannot be decrypted (the first: {tally.first_unreadable})"
                if tally.unreadable
                else ""
            )
            destroyed = f"; {tally.destroyed} under destroyed data keys" if tally.destroyed else ""
            self.stdout.write(
                f"{model._meta.label}: {tally.outdated_values} values in {tally.outdated_rows} rows "
                f"{'use older keys' if check else 're-encrypted'}{f' ({keys})' if keys else ''}"
                f"{unreadable}{destroyed}"
            )
        if not check:
            return
        readable = values_total - unreadable_total - destroyed_total
        self.stdout.write(
            f"{readable} of {values_total} values decrypt with this ring"
            + (f"; {destroyed_total} are under destroyed data keys (by design)." if destroyed_total else ".")
        )
        failures = [f"The key ring is not this database's: {problem}." for problem in problems]
        if unreadable_total:
            failures.append(
                f"{unreadable_total} values cannot be decrypted with this key ring: a key is missing from "
                "it, or is not the key they were written with."
            )
        if outdated_total:
            failures.append(
                f"{outdated_total} values still use older keys"
                + (": run `manage.py reencrypt`." if not unreadable_total and not problems else ".")
            )
        if failures:
            raise CommandError(" ".join(failures))

    def compare_key_checks(self, ring: KeyRing, *, record: bool) -> list[str]:
        """The ring's problems against the recorded key-check values. Re-encrypting refuses a wrong ring
        outright, and records the value of a key the database has not met (the new key of a rotation)."""
        recorded = recorded_values()
        if recorded is None:
            self.stdout.write("Key checks: none yet (`manage.py migrate` creates them).")
            return []
        problems = compare(ring, recorded)
        if problems and record:
            raise CommandError(
                "TRACKII_ENCRYPTION_KEYS is not the key ring of this database: " + "; ".join(problems)
            )
        if record:
            try:
                newly = record_missing(ring)
            except ImproperlyConfigured as error:
                raise CommandError(str(error)) from None
            recorded = {**recorded, **dict.fromkeys(newly, b"")}
        known = ", ".join(key_id for key_id in ring_key_ids(ring) if key_id in recorded) or "none"
        unknown = ", ".join(key_id for key_id in ring_key_ids(ring) if key_id not in recorded)
        verdict = "problems found" if problems else "the ring matches"
        self.stdout.write(
            f"Key checks: {verdict} (recorded: {known}{f'; not recorded yet: {unknown}' if unknown else ''})."
        )
        return problems

    def process(self, model, fields, *, ring: KeyRing, batch_size: int, check: bool) -> Tally:
        """Walk the table in primary-key order: count values under older keys and, with --check, decrypt
        every value; otherwise re-encrypt the rows that hold older ones."""
        # The raw tokens as plain bytes: a token's key id is in the clear, so finding old ones needs no key.
        raw = {
            f"raw_{i}": models.ExpressionWrapper(models.F(f.attname), output_field=models.BinaryField())
            for i, f in enumerate(fields)
        }
        tally = Tally()
        last_pk = None
        while True:
            # Keyset pagination rather than one long cursor: every batch is a short query and its own
            # transaction, so the command can run beside live traffic and stop at any point.
            page = model._base_manager.order_by("pk")
            if last_pk is not None:
                page = page.filter(pk__gt=last_pk)
            batch = list(page.values("pk", **raw)[:batch_size])
            if not batch:
                break
            last_pk = batch[-1]["pk"]
            stale_pks, stale_fields = [], set()
            for row in batch:
                stale = 0
                for i, field_ in enumerate(fields):
                    token = row[f"raw_{i}"]
                    if token is None:
                        continue
                    key_id = self.key_id(model, field_, row["pk"], token)
                    if check:
                        self.decrypt(tally, field_, row["pk"], token)
                    if data_key_id_of(token) is not None:
                        continue  # under its data key: rotation re-wraps the key, not the value
                    if key_id != ring.newest_id or hasattr(model, "encryption_key_id"):
                        tally.by_key[key_id] += 1
                        stale_fields.add(field_.name)
                        stale += 1
                if stale:
                    stale_pks.append(row["pk"])
                    tally.outdated_values += stale
            tally.outdated_rows += len(stale_pks)
            if not check and stale_pks:
                self.rewrite(model, [f.name for f in fields if f.name in stale_fields], stale_pks)
        return tally

    @staticmethod
    def decrypt(tally: Tally, field_, pk, token) -> None:
        tally.values += 1
        try:
            decrypt(bytes(token), context=field_.encryption_context)
        except KeyDestroyed:
            tally.destroyed += 1
        except DecryptionError:
            tally.unreadable += 1
            tally.first_unreadable = tally.first_unreadable or f"{field_.name} pk={pk}"

    @staticmethod
    def key_id(model, field_, pk, token) -> str:
        try:
            return key_id_of(token)
        except DecryptionError as error:
            raise CommandError(f"{model._meta.label}.{field_.name} pk={pk}: {error}") from None

    @staticmethod
    def rewrite(model, field_names: list[str], pks: list):
        try:
            with transaction.atomic():
                # Locked and read again inside the transaction, so an edit made since the scan is kept.
                # Loading decrypts with whichever key wrote each value; bulk_update encrypts with the newest.
                rows = model._base_manager.select_for_update().filter(pk__in=pks).order_by("pk")
                if hasattr(model, "encryption_key_id"):
                    # Each under its own dialogue's or person's data key, which only the object names.
                    for row in rows:
                        row.save(update_fields=field_names)
                    return
                model._base_manager.bulk_update(list(rows.only("pk", *field_names)), field_names)
        except DecryptionError as error:
            raise CommandError(f"{model._meta.label}: {error} Is a key missing from the ring?") from None

    def data_keys(self, ring: KeyRing, *, check: bool) -> int:
        """Re-wrap the data keys under the ring's newest key (or, with --check, count those that are not);
        report keys the database holds that the keystore lacks. The number still under an older key."""
        swept = 0 if check else datakeys.sweep_destroyed()
        missing = datakeys.missing_keys()
        if check:
            by_key = datakeys.wrapping_key_ids()
            outdated = sum(count for key_id, count in by_key.items() if key_id != ring.newest_id)
            wrapped = ", ".join(f"{key_id}: {count}" for key_id, count in sorted(by_key.items())) or "none"
            self.stdout.write(f"Data keys wrapped by ({wrapped}); {outdated} under older keys.")
        else:
            rewrapped, current = datakeys.rewrap_all(ring)
            outdated = 0
            self.stdout.write(
                f"Data keys: {rewrapped} re-wrapped under {ring.newest_id}, {current} already were"
                + (f"; {swept} files of destroyed keys deleted" if swept else "")
                + "."
            )
        if missing:
            self.stdout.write(
                f"{len(missing)} data keys the database holds are not in the keystore "
                f"({datakeys.keystore_dir()}): destroyed after this database's backup was made, or the "
                "keystore is not this database's."
            )
        return outdated
