"""Key-check values: is the configured key ring the one this database was written with?

The ring is not in the database, and a key id says nothing about the key behind it: a ring with the right ids
and wrong keys used to start cleanly, write new values no one could read with the right ring, and fail on
every old value. So the database keeps, for each key it has met, the known plaintext encrypted under that key
(for the ``index`` key, its HMAC of the plaintext); a ring that does not reproduce them is refused by the
system check (every ``manage.py`` command, ``migrate`` on start), by the web and worker processes as they
start, and by ``manage.py reencrypt``. Decision 0016 says when values are recorded and what a new database
starts with.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, models

from trackii.crypto import INDEX_KEY_ID, DecryptionError, EncryptedTextField, KeyRing, key_id_of

PLAINTEXT = b"Trackii key check, version 1"
CONTEXT = b"trackii.keycheck"
INDEX_PURPOSE = "trackii.keycheck"
# Before a key's value is recorded, up to this many existing values of each encrypted column are decrypted
# with it: a first run with a wrong ring fails there instead of recording the wrong key as the right one.
PROBE_ROWS = 50


def value_for(ring: KeyRing, key_id: str) -> bytes:
    if key_id == INDEX_KEY_ID:
        return ring.blind_index(PLAINTEXT.decode(), purpose=INDEX_PURPOSE).encode("ascii")
    return ring.encrypt(PLAINTEXT, context=CONTEXT, key_id=key_id)


def matches(ring: KeyRing, key_id: str, value: bytes) -> bool:
    value = bytes(value)
    if key_id == INDEX_KEY_ID:
        return value == value_for(ring, key_id)
    try:
        return ring.decrypt(value, context=CONTEXT) == PLAINTEXT and key_id_of(value) == key_id
    except DecryptionError:
        return False


def ring_key_ids(ring: KeyRing) -> tuple[str, ...]:
    return (*ring.key_ids, INDEX_KEY_ID)


def compare(ring: KeyRing, recorded: dict[str, bytes]) -> list[str]:
    """What is wrong with ``ring`` against the recorded values (key id -> value); empty when nothing is."""
    problems = [
        f"key {key_id!r} is not the key this database was written with (its key-check value does not "
        "come out of it)"
        for key_id in ring_key_ids(ring)
        if key_id in recorded and not matches(ring, key_id, recorded[key_id])
    ]
    known = [key_id for key_id in recorded if key_id != INDEX_KEY_ID]
    if known and not set(known) & set(ring.key_ids):
        problems.append(
            f"none of its keys ({', '.join(ring.key_ids)}) is one this database has met "
            f"({', '.join(sorted(known))}): the values written before cannot be read"
        )
    return problems


def recorded_values(model=None) -> dict[str, bytes] | None:
    """Key id -> recorded value, or None when the table does not exist yet (before the first migrate)."""
    from trackii.models import KeyCheck

    model = model or KeyCheck
    if model._meta.db_table not in connection.introspection.table_names():
        return None
    return {key_id: bytes(value) for key_id, value in model.objects.values_list("key_id", "value")}


def database_problems(ring: KeyRing | None = None) -> list[str] | None:
    """The ring's problems against this database; None when the database cannot be asked (it does not
    answer, or has no key-check table yet): then there is nothing to compare with, and migrate will say."""
    try:
        recorded = recorded_values()
    except DatabaseError:
        return None
    if recorded is None:
        return None
    return compare(ring or KeyRing.from_setting(), recorded)


def refuse_a_wrong_ring(process: str) -> None:
    """Stop a web or worker process that starts with a ring this database does not know."""
    problems = database_problems()
    if problems:
        raise ImproperlyConfigured(
            f"The {process} refuses to start: TRACKII_ENCRYPTION_KEYS is not the key ring of this database: "
            + "; ".join(problems)
            + ". Set the ring this database was written with (docs/decisions/0016)."
        )


# --- Recording ----------------------------------------------------------------------------------------


def encrypted_columns():
    """Each concrete model with the encrypted columns of its own table (a parent's are the parent's)."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            yield model, fields


def probe(ring: KeyRing, key_ids: set[str]) -> list[str]:
    """Decrypt the first values of every encrypted column written under one of ``key_ids``; one line per key
    that fails on any of them. Tables and columns a pending migration has yet to create are skipped."""
    failed: dict[str, list[str]] = {}
    tables = set(connection.introspection.table_names())
    for model, fields in encrypted_columns():
        table = model._meta.db_table
        if table not in tables:
            continue
        with connection.cursor() as cursor:
            present = {c.name for c in connection.introspection.get_table_description(cursor, table)}
        fields = [f for f in fields if f.column in present]
        if not fields:
            continue
        raw = {
            f"raw_{i}": models.ExpressionWrapper(models.F(f.attname), output_field=models.BinaryField())
            for i, f in enumerate(fields)
        }
        for row in model._base_manager.order_by("pk").values("pk", **raw)[:PROBE_ROWS]:
            for i, field in enumerate(fields):
                token = row[f"raw_{i}"]
                try:
                    key_id = key_id_of(token) if token is not None else None
                except DecryptionError:
                    continue  # not a token (yet): a pending migration may still be converting the column
                if key_id not in key_ids:
                    continue
                try:
                    ring.decrypt(bytes(token), context=field.encryption_context)
                except DecryptionError:
                    failed.setdefault(key_id, []).append(f"{model._meta.label}.{field.name} pk={row['pk']}")
    for data_key_id, key_id in wrapped_data_keys(key_ids):
        try:
            unwrap_data_key(ring, data_key_id)
        except DecryptionError:
            failed.setdefault(key_id, []).append(f"data key {data_key_id}")
    return [
        f"key {key_id!r} does not decrypt {len(where)} of the values already stored under it "
        f"(the first: {where[0]})"
        for key_id, where in failed.items()
    ]


def wrapped_data_keys(key_ids: set[str]) -> list[tuple[str, str]]:
    """(data key id, ring key id) of the first data keys in the keystore wrapped by one of ``key_ids``."""
    from trackii.datakeys import SUFFIX, keystore_dir

    found = []
    for path in sorted(keystore_dir().glob(f"*{SUFFIX}")):
        try:
            key_id = key_id_of(path.read_bytes())
        except (DecryptionError, OSError):
            continue
        if key_id in key_ids:
            found.append((path.name.removesuffix(SUFFIX), key_id))
        if len(found) >= PROBE_ROWS:
            break
    return found


def unwrap_data_key(ring: KeyRing, data_key_id: str) -> bytes:
    from trackii.datakeys import key_path, unwrap

    return unwrap(ring, data_key_id, key_path(data_key_id).read_bytes())


def record_missing(ring: KeyRing | None = None, *, model=None) -> list[str]:
    """Record the value of each key of ``ring`` this database has not met yet, after checking the ring
    against what is recorded and against the values already stored. Returns the key ids recorded; raises
    ImproperlyConfigured rather than record a wrong key as the right one."""
    from trackii.models import KeyCheck

    ring = ring or KeyRing.from_setting()
    model = model or KeyCheck
    recorded = recorded_values(model)
    if recorded is None:
        return []
    problems = compare(ring, recorded)
    missing = [key_id for key_id in ring_key_ids(ring) if key_id not in recorded]
    if missing:
        problems += probe(ring, set(missing))
    if problems:
        raise ImproperlyConfigured(
            "TRACKII_ENCRYPTION_KEYS is not the key ring of this database: " + "; ".join(problems)
        )
    model.objects.bulk_create(
        [model(key_id=key_id, value=value_for(ring, key_id)) for key_id in missing], ignore_conflicts=True
    )
    return missing
