"""The log's own upkeep: forgetting client addresses, the retention purge, signed checkpoints, and the daily
verification. Each step records itself in the chain."""

from __future__ import annotations

import base64
import datetime
import json
import os
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from .. import chain
from ..checkpoints import Checkpoint, checkpoint_dir, payload_bytes
from ..conf import address_days, retention_days
from ..enums import Action, Outcome
from ..models import AuditEvent
from ..verification import ChainReport, verify_chain
from .recording import SQLITE_NO_DELETE_SQL, SQLITE_NO_DELETE_TRIGGER, TABLE, _lock_chain, record_event


def purge_events(*, before: datetime.datetime) -> AuditEvent:
    """Delete the rows recorded before ``before`` (a prefix of the chain, never its head), and record a
    ``retention_purge`` row naming the first surviving row and its prev_hash: the chain's new anchor.
    The only path by which audit rows are deleted."""
    with transaction.atomic():
        connection = transaction.get_connection()
        head_id, head_hash = _lock_chain(connection)
        with connection.cursor() as cursor:
            # The first row to keep; deleting everything below its id keeps the chain a single run.
            cursor.execute(
                f"SELECT id FROM {TABLE} WHERE occurred_at >= %s ORDER BY id LIMIT 1",  # noqa: S608
                [connection.ops.adapt_datetimefield_value(before)],
            )
            found = cursor.fetchone()
            # The head row always stays: the next row must be able to chain to it.
            keep_from = min(found[0], head_id) if found else head_id
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL trackii.audit_purge = 'on'")
                cursor.execute(f"DELETE FROM {TABLE} WHERE id < %s", [keep_from])  # noqa: S608
                deleted = cursor.rowcount
                cursor.execute("SET LOCAL trackii.audit_purge = 'off'")
            else:
                # SQLite has no session settings: lift the guard inside this transaction only (DDL is
                # transactional there and the IMMEDIATE transaction keeps every other writer out).
                cursor.execute(f"DROP TRIGGER {SQLITE_NO_DELETE_TRIGGER}")
                cursor.execute(f"DELETE FROM {TABLE} WHERE id < %s", [keep_from])  # noqa: S608
                deleted = cursor.rowcount
                cursor.execute(SQLITE_NO_DELETE_SQL)
            cursor.execute(f"SELECT id, prev_hash FROM {TABLE} ORDER BY id LIMIT 1")  # noqa: S608
            # On an empty log the purge row itself is the first row, chained to the genesis.
            first_id, first_prev_hash = cursor.fetchone() or (head_id + 1, head_hash)
        return record_event(
            actor=None,
            action=Action.RETENTION_PURGE,
            detail={
                "deleted": deleted,
                "before": chain.timestamp_text(before),
                "first_id": first_id,
                "first_prev_hash": first_prev_hash,
            },
        )


def drop_addresses(*, before: datetime.datetime) -> AuditEvent:
    """Forget the client address of rows recorded before ``before`` (the only UPDATE the triggers allow).
    The chain still verifies: it covers a salted commitment to the address, and the salt goes too."""
    with transaction.atomic():
        connection = transaction.get_connection()
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET client_ip = NULL, client_ip_salt = NULL "  # noqa: S608
                "WHERE occurred_at < %s AND (client_ip IS NOT NULL OR client_ip_salt IS NOT NULL)",
                [connection.ops.adapt_datetimefield_value(before)],
            )
            dropped = cursor.rowcount
        return record_event(
            actor=None,
            action=Action.ADDRESSES_DROPPED,
            detail={"rows": dropped, "before": chain.timestamp_text(before)},
        )


def apply_retention(*, now: datetime.datetime | None = None) -> dict:
    """Drop the client addresses past TRACKII_AUDIT_ADDRESS_DAYS, then purge the rows past
    TRACKII_AUDIT_RETENTION_DAYS (beat runs it daily); each step commits and records itself."""
    now = now or timezone.now()
    dropped = drop_addresses(before=now - datetime.timedelta(days=address_days()))
    purged = purge_events(before=now - datetime.timedelta(days=retention_days()))
    return {"addresses_dropped": dropped.detail["rows"], "rows_deleted": purged.detail["deleted"]}


def check_chain() -> ChainReport:
    """Walk the whole chain against the latest checkpoint and record the outcome (not the rows it read),
    which the auditors' chain status panel shows."""
    report = verify_chain()
    record_event(
        actor=None,
        action=Action.CHAIN_VERIFIED,
        outcome=Outcome.ALLOWED if report.ok else Outcome.FAILED,
        detail={"rows": report.rows, "bad_row_id": report.bad_row_id, "problem": report.problem[:300]},
    )
    return report


def write_checkpoint(*, directory: Path | None = None) -> Checkpoint:
    """Record a ``checkpoint`` row, commit it, then sign that row's id and hash into a new file.

    Commits its own transaction: a file must never name a row that could still be rolled back. A crash
    between the commit and the file only leaves a checkpoint row without a file, which is harmless."""
    from trackii.sealing.keys import sign_bytes

    if connection.in_atomic_block:
        raise RuntimeError(
            "write_checkpoint commits its own transaction; call it outside transaction.atomic()."
        )
    with transaction.atomic():
        event = record_event(actor=None, action=Action.CHECKPOINT)
    at = chain.timestamp_text(event.occurred_at)
    data = payload_bytes(last_id=event.id, row_hash=event.row_hash, at=at)
    document = {
        "payload": json.loads(data),
        "signature": base64.b64encode(sign_bytes(data)).decode("ascii"),
    }
    directory = directory or checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o750)
    path = directory / f"checkpoint-{event.id:015d}.json"
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="ascii") as handle:
        json.dump(document, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return Checkpoint(path=path, last_id=event.id, row_hash=event.row_hash, at=at)
