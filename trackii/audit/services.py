"""Writing the audit log. Every row goes through here so that the chain stays whole: the rows of every app,
the log's own upkeep (retention, checkpoints, verification), and the auditors' looks at the log."""

from __future__ import annotations

import base64
import datetime
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from trackii.accounts.models import User

from . import chain, context, selectors
from .checkpoints import Checkpoint, checkpoint_dir, latest_checkpoint, payload_bytes
from .conf import address_days, retention_days
from .enums import Action, Outcome
from .models import AuditEvent
from .verification import ChainReport, verify_chain

# pg_advisory_xact_lock key shared by every writer of the chain ("trackiia" in ASCII).
AUDIT_LOCK_KEY = 0x7472_6163_6B69_6961
ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_.]{1,63}$")
TABLE = AuditEvent._meta.db_table

# The SQLite guard that the purge lifts for the length of its own transaction (migration 0002 creates it).
SQLITE_NO_DELETE_TRIGGER = "audit_auditevent_no_delete"
SQLITE_NO_DELETE_SQL = (
    f"CREATE TRIGGER {SQLITE_NO_DELETE_TRIGGER} BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE refused'); END"
)


def _lock_chain(connection) -> tuple[int, str]:
    """Serialise writers until the caller's transaction ends, then read the chain's head (id, row_hash)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Held until commit or rollback, so the next writer reads the head this transaction wrote.
            # Requires READ COMMITTED (Django's default): each statement then sees rows committed before it.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])
        elif connection.vendor != "sqlite":
            # SQLite: settings open every transaction IMMEDIATE, which takes the write lock at BEGIN.
            raise NotImplementedError(
                f"The audit chain supports PostgreSQL and SQLite, not {connection.vendor}."
            )
        cursor.execute(f"SELECT id, row_hash FROM {TABLE} ORDER BY id DESC LIMIT 1")  # noqa: S608
        head = cursor.fetchone()
    return (head[0], head[1]) if head else (0, chain.GENESIS)


def _actor_fields(actor, ctx: context.AuditContext) -> tuple[int | None, str]:
    if actor is not None and getattr(actor, "is_authenticated", False) and actor.pk is not None:
        return actor.pk, str(actor.pk)
    return None, "anonymous" if ctx.from_request else "system"


def _address_fields(ip: str | None) -> tuple[str | None, str | None, str]:
    if not ip:
        return None, None, ""
    ip = chain.normalise_ip(ip)
    salt = chain.new_ip_salt()
    return ip, salt, chain.ip_commitment(ip, salt)


def _check_action(action) -> str:
    action = str(action)
    if not ACTION_PATTERN.match(action):
        raise ValueError(
            f"Audit action {action!r} must be a lower-case slug (see trackii.audit.enums.Action)."
        )
    return action


def _check_outcome(outcome) -> str:
    outcome = str(outcome)
    if outcome not in Outcome.values:
        raise ValueError(f"Audit outcome must be one of {', '.join(Outcome.values)}, not {outcome!r}.")
    return outcome


def _seal(event: AuditEvent) -> AuditEvent:
    event.row_hash = chain.row_hash(chain.event_values(event))
    return event


def _insert(events: list[AuditEvent]) -> None:
    # Plain INSERT (or COPY for many rows on PostgreSQL): Model.save() costs about 0.4 ms more per row and
    # bulk_create is ten times slower than COPY; an audit row needs none of their hooks.
    connection = transaction.get_connection()
    fields = AuditEvent._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    rows = (
        [field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields]
        for event in events
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(events) > 1:
            with cursor.cursor.copy(f"COPY {quote(TABLE)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {quote(TABLE)} ({columns}) VALUES ({placeholders})"  # noqa: S608
            if len(events) == 1:
                cursor.execute(sql, next(rows))
            else:
                cursor.executemany(sql, list(rows))
    for event in events:
        event._state.adding = False
        event._state.db = connection.alias


def record_event(
    *,
    actor,
    action: Action | str,
    outcome: Outcome | str = Outcome.ALLOWED,
    target=None,
    target_type: str | None = None,
    target_id=None,
    dialogue_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one row to the chain, inside the caller's transaction: if the caller rolls back, the row goes
    too, and if this fails the caller's transaction cannot commit (no audit row, no action).

    Holds the chain lock until the caller's transaction ends: call it late in long transactions.
    ``target`` may be any saved model instance; ``detail`` holds small non-content facts only (never names
    or summary text): text, integers, booleans, lists and objects.
    """
    action = _check_action(action)
    outcome = _check_outcome(outcome)
    if target is not None:
        if target.pk is None:
            raise ValueError("An audit target must be saved first (it has no primary key).")
        target_type = target_type or target._meta.label_lower
        target_id = target.pk if target_id is None else target_id
        if dialogue_id is None:
            dialogue_id = getattr(target, "audit_dialogue_id", None)
    ctx = context.current()
    actor_id, actor_label = _actor_fields(actor, ctx)
    ip, salt, ip_hash = _address_fields(ctx.client_ip)
    event = AuditEvent(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        outcome=outcome,
        target_type=target_type or "",
        target_id="" if target_id is None else str(target_id),
        dialogue_id=None if dialogue_id is None else int(dialogue_id),
        request_id=ctx.request_id,
        client_ip=ip,
        client_ip_salt=salt,
        client_ip_hash=ip_hash,
        detail=chain.check_detail({} if detail is None else detail),
    )
    # savepoint=False: a failure here must doom the caller's transaction rather than be caught and skipped.
    with transaction.atomic(savepoint=False):
        head_id, head_hash = _lock_chain(transaction.get_connection())
        event.id = head_id + 1
        event.prev_hash = head_hash
        # Taken under the lock, so occurred_at never goes backwards along the chain on one clock.
        event.occurred_at = timezone.now()
        _seal(event)
        _insert([event])
    return event


def bulk_append(*, events: Iterable[dict], batch_size: int = 5000) -> int:
    """Append many prepared rows at once (imports, seeding benchmark data), chained exactly as record_event
    would chain them. Each dict holds model field values; ``occurred_at`` defaults to now."""
    count = 0
    with transaction.atomic():
        head_id, head_hash = _lock_chain(transaction.get_connection())
        batch: list[AuditEvent] = []
        for values in events:
            values = dict(values)
            ip, salt, ip_hash = _address_fields(values.pop("client_ip", None))
            event = AuditEvent(
                **{"occurred_at": timezone.now(), "outcome": Outcome.ALLOWED, **values},
                client_ip=ip,
                client_ip_salt=salt,
                client_ip_hash=ip_hash,
            )
            event.action = _check_action(event.action)
            event.outcome = _check_outcome(event.outcome)
            event.detail = chain.check_detail(event.detail or {})
            head_id += 1
            event.id, event.prev_hash = head_id, head_hash
            head_hash = _seal(event).row_hash
            batch.append(event)
            if len(batch) >= batch_size:
                _insert(batch)
                count += len(batch)
                batch = []
        if batch:
            _insert(batch)
            count += len(batch)
    return count


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


# --- The auditors' looks at the log, each recorded in it --------------------------------------------------

EXPORT_LIMIT = 100_000
EXPORT_FIELDS = [
    "id", "occurred_at", "actor_id", "action", "outcome", "target_type", "target_id", "dialogue_id",
    "request_id", "client_ip", "row_hash",
]  # fmt: skip


def _searched(filters: dict) -> dict:
    """What the auditor searched for, as ids: recorded with their own look at the log."""
    used = {k: v for k, v in filters.items() if v not in (None, "", [])}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in used.items()}


def view_overview(*, by: User) -> selectors.Overview:
    """Unusual activity and the state of the chain. The chain's head is read after the auditor's own row is
    written, so it is the head their look made."""
    flags = selectors.labelled_flags(now=timezone.now())
    checkpoint, warnings = latest_checkpoint()
    record_event(actor=by, action=Action.VIEW, target_type="audit.overview")
    return selectors.Overview(
        flags=flags,
        head=selectors.head(),
        verification=selectors.last_verification(),
        checkpoint=checkpoint,
        checkpoint_warnings=warnings,
    )


def search_events(*, by: User, filters: dict, before: int | None) -> tuple[selectors.Page, selectors.Labels]:
    """One page of the auditor's search (newest first) and the labels its rows need; the search is recorded
    after the page is read, so the auditor's own row is not on it."""
    page = selectors.page_of(events=selectors.filtered(**filters), before=before)
    labels = selectors.labels_for(
        actor_ids={e.actor_id for e in page.events if e.actor_id},
        dialogue_ids={e.dialogue_id for e in page.events if e.dialogue_id},
    )
    record_event(
        actor=by, action=Action.VIEW, target_type="audit.search", detail={"filters": _searched(filters)}
    )
    return page, labels


def export_events(*, by: User, filters: dict) -> QuerySet:
    """The filtered rows (EXPORT_FIELDS, at most EXPORT_LIMIT of them) for the auditor's CSV; the export is
    recorded before a row is read."""
    record_event(
        actor=by,
        action=Action.EXPORT,
        target_type="audit.search",
        detail={"filters": _searched(filters), "limit": EXPORT_LIMIT},
    )
    return selectors.filtered(**filters).values_list(*EXPORT_FIELDS)[:EXPORT_LIMIT]
