"""Re-encrypt every encrypted value not under the newest key: the rotation step of docs/decisions/0001.

Safe to interrupt and run again: each batch commits on its own, and values already under the newest key are
left alone. ``--check`` changes nothing and exits 1 while any value still uses an older key.
"""

from collections import Counter

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from trackii.crypto import DecryptionError, EncryptedTextField, KeyRing, key_id_of


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Each concrete model with the encrypted columns of its own table (a parent's are the parent's)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the newest key of the ring, in batches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only count values under older keys; exit 1 if any."
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (500).")

    def handle(self, *args, check: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        newest_id = KeyRing.from_setting().newest_id
        self.stdout.write(f"Newest key: {newest_id}")
        outdated_total = 0
        for model, fields in encrypted_models():
            outdated, rows, by_key = self.process(
                model, fields, newest_id=newest_id, batch_size=batch_size, rewrite=not check
            )
            outdated_total += outdated
            keys = ", ".join(f"{key_id}: {count}" for key_id, count in sorted(by_key.items()))
            self.stdout.write(
                f"{model._meta.label}: {outdated} values in {rows} rows "
                f"{'use older keys' if check else 're-encrypted'}{f' ({keys})' if keys else ''}"
            )
        if check and outdated_total:
            raise CommandError(f"{outdated_total} values still use older keys: run `manage.py reencrypt`.")

    def process(self, model, fields, *, newest_id: str, batch_size: int, rewrite: bool):
        """Walk the table in primary-key order. Returns (outdated values, their rows, count per old key)."""
        # The raw tokens as plain bytes: a token's key id is in the clear, so finding old ones needs no key.
        raw = {
            f"raw_{i}": models.ExpressionWrapper(models.F(f.attname), output_field=models.BinaryField())
            for i, f in enumerate(fields)
        }
        outdated_values, outdated_rows, by_key = 0, 0, Counter()
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
                for i, field in enumerate(fields):
                    token = row[f"raw_{i}"]
                    if token is None:
                        continue
                    key_id = self.key_id(model, field, row["pk"], token)
                    if key_id != newest_id:
                        by_key[key_id] += 1
                        stale_fields.add(field.name)
                        stale += 1
                if stale:
                    stale_pks.append(row["pk"])
                    outdated_values += stale
            outdated_rows += len(stale_pks)
            if rewrite and stale_pks:
                self.rewrite(model, [f.name for f in fields if f.name in stale_fields], stale_pks)
        return outdated_values, outdated_rows, by_key

    @staticmethod
    def key_id(model, field, pk, token) -> str:
        try:
            return key_id_of(token)
        except DecryptionError as error:
            raise CommandError(f"{model._meta.label}.{field.name} pk={pk}: {error}") from None

    @staticmethod
    def rewrite(model, field_names: list[str], pks: list):
        try:
            with transaction.atomic():
                # Locked and read again inside the transaction, so an edit made since the scan is kept.
                # Loading decrypts with whichever key wrote each value; bulk_update encrypts with the newest.
                rows = model._base_manager.select_for_update().filter(pk__in=pks).order_by("pk")
                model._base_manager.bulk_update(list(rows.only("pk", *field_names)), field_names)
        except DecryptionError as error:
            raise CommandError(f"{model._meta.label}: {error} Is a key missing from the ring?") from None
