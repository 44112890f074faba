"""Moving values written under the key ring to their dialogue's or person's data key (decision 0025).

Used by the migrations that introduced data keys (dialogues 0016, participants 0009, funding 0006), by those
that encrypted plain columns under them (dialogues 0017: ``encrypt_plain``) and by
`reencrypt` for a value a bulk path left under the ring. The plaintext never changes, only the token: a sealed
summary says exactly what it said, so its freezing triggers are paused for the rewrite and nothing else.
"""

import contextlib
from collections.abc import Callable, Iterable

from django.db import models

from trackii.crypto import KeyDestroyed, Token, data_key_id_of, decrypt, encrypt


@contextlib.contextmanager
def triggers_paused(connection, table: str):
    """The table's own triggers off while the body runs (the same transaction), on again after."""
    quoted = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {quoted} DISABLE TRIGGER USER")
        yield
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {quoted} ENABLE TRIGGER USER")
        return
    with connection.cursor() as cursor:  # SQLite cannot disable a trigger: drop it, then create it again
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
        )
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _, sql in triggers:
            cursor.execute(sql)


def rekey(
    model,
    columns: dict[str, bytes | Callable[[dict], bytes]],
    *,
    key_of: Callable[[dict], str | None],
    values: Iterable[str] = (),
    connection=None,
) -> int:
    """Re-encrypt ``columns`` (attname -> its encryption context, or a function of the row giving it) of
    every row of ``model`` under the data key ``key_of(row)`` names, or under the ring where it names none
    (a migration undone). Values already under a data key, or under the ring when that is the target, are
    left alone. ``values`` are the extra columns ``key_of`` and the contexts read. Returns the number of
    values rewritten."""
    raw = {
        f"raw_{name}": models.ExpressionWrapper(models.F(name), output_field=models.BinaryField())
        for name in columns
    }
    rows = model._base_manager.order_by("pk").values("pk", *values, **raw)
    rewritten = 0
    manager = model._base_manager
    context = contextlib.nullcontext()
    if connection is not None:
        context = triggers_paused(connection, model._meta.db_table)
    with context:
        for row in rows.iterator(chunk_size=500):
            key_id = key_of(row)
            updates = {}
            for name, row_context in columns.items():
                token = row[f"raw_{name}"]
                if token is None or (data_key_id_of(bytes(token)) is None) == (key_id is None):
                    continue
                aad = row_context(row) if callable(row_context) else row_context
                try:
                    plaintext = decrypt(bytes(token), context=aad)
                except KeyDestroyed:
                    continue  # destroyed: nothing to move, it stays exactly as it is
                updates[name] = Token(encrypt(plaintext, context=aad, data_key=key_id))
            if updates:
                manager.filter(pk=row["pk"]).update(**updates)
                rewritten += len(updates)
    return rewritten


def field_contexts(model, names: Iterable[str]) -> dict[str, bytes]:
    """The encryption context of each named encrypted field of ``model`` (its label, or the one it was
    given)."""
    return {name: model._meta.get_field(name).encryption_context for name in names}


def keys_for(model, *, purpose: str) -> dict[int, str]:
    """pk -> data key id for every row of ``model`` (dialogues, people), a key made for each row without."""
    from trackii.datakeys import create_data_key

    # The migration's own DataKey (the table as it is at that step), reached through the row's foreign key.
    data_key_model = model._meta.get_field("data_key").related_model
    keys = {}
    for pk, key_id in model._base_manager.order_by("pk").values_list("pk", "data_key_id"):
        if key_id is None:
            key_id = create_data_key(purpose=purpose, model=data_key_model).pk
            model._base_manager.filter(pk=pk).update(data_key_id=key_id)
        keys[pk] = key_id
    return keys


def under_the_ring(row: dict) -> None:
    """``key_of`` for undoing a migration: every value back under the key ring."""
    return None


def encrypt_plain(
    model, columns: dict[str, str], *, key_of: Callable[[dict], str], values: Iterable[str] = ()
):
    """Fill each new encrypted column (``columns``: new attname -> the plain column it replaces) of every row
    of ``model`` with the plain column's text encrypted under the data key ``key_of(row)`` names, in the new
    field's context (give it the final field's: ``context="<app>.<model>.<final name>"``). For a migration
    that turns a plain column into an encrypted one without losing a value; ``values`` are the extra
    columns ``key_of`` reads. Returns the number of rows written."""
    contexts = {new: model._meta.get_field(new).encryption_context for new in columns}
    rows = model._base_manager.order_by("pk").values("pk", *values, *columns.values())
    batch, written = [], 0
    for row in rows.iterator(chunk_size=500):
        key_id = key_of(row)
        instance = model(pk=row["pk"])
        for new, old in columns.items():
            text = row[old]
            token = (
                None
                if text is None
                else encrypt(text.encode("utf-8"), context=contexts[new], data_key=key_id)
            )
            setattr(instance, new, None if token is None else Token(token))
        batch.append(instance)
        if len(batch) == 500:
            written += _write(model, batch, columns)
            batch = []
    return written + _write(model, batch, columns)


def decrypt_to_plain(model, columns: dict[str, str]) -> int:
    """The way back of ``encrypt_plain``: each plain column (``columns``: encrypted attname -> plain column)
    filled with the encrypted column's text; a value whose key was destroyed becomes empty (it is gone)."""
    contexts = {new: model._meta.get_field(new).encryption_context for new in columns}
    raw = {
        f"raw_{name}": models.ExpressionWrapper(models.F(name), output_field=models.BinaryField())
        for name in columns
    }
    batch, written = [], 0
    for row in model._base_manager.order_by("pk").values("pk", **raw).iterator(chunk_size=500):
        instance = model(pk=row["pk"])
        for new, old in columns.items():
            token = row[f"raw_{new}"]
            try:
                text = "" if token is None else decrypt(bytes(token), context=contexts[new]).decode("utf-8")
            except KeyDestroyed:
                text = ""
            setattr(instance, old, text)
        batch.append(instance)
        if len(batch) == 500:
            written += _write(model, batch, columns.values())
            batch = []
    return written + _write(model, batch, columns.values())


def _write(model, batch: list, fields) -> int:
    if batch:
        model._base_manager.bulk_update(batch, list(fields))
    return len(batch)
