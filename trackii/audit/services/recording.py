"""Appending to the audit log: every row of every app goes through record_event (or bulk_append), so that the
chain stays whole."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .. import chain, context
from ..enums import Action, Outcome
from ..models import AuditEvent

# pg_advisory_xact_lock key shared by every writer of the chain ("trackiia" in ASCII).
AUDIT_LOCK_KEY = 0x7472_6163_6B69_6961
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
    # Only members (issue 19): every action in the log has words to show, and a typo cannot invent one. A
    # string that spells a member's value is refused too, so that every writer names the member.
    if not isinstance(action, Action):
        raise ValueError(
            f"Audit action {action!r} is not a member of trackii.audit.enums.Action: name the member, or add "
            "one at the end of the enum."
        )
    return action.value


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


# audit_append (migration 0003) places id, occurred_at and prev_hash between the pieces it is sent.
if chain.HASHED_FIELDS[:5] != ("id", "actor_id", "dialogue_id", "occurred_at", "prev_hash"):
    raise ImportError("chain.HASHED_FIELDS changed: audit_append() must change with it.")
_APPEND_SQL = (
    "SELECT * FROM audit_append(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::inet, %s, %s, %s::jsonb, %s, %s)"
)


def _append_in_database(connection, event: AuditEvent) -> AuditEvent:
    """Lock, read the head, stamp, hash and insert in one statement (audit_append, migration 0003): one round
    trip per audited request instead of three. The hash is the one chain.row_hash() gives (tested)."""
    values = chain.event_values_without_head(event)
    middle = chain.canonical_text(values[1:3])[1:-1]
    tail = chain.canonical_text(values[5:])[1:]
    detail = AuditEvent._meta.get_field("detail").get_db_prep_save(event.detail, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            _APPEND_SQL,
            [
                AUDIT_LOCK_KEY,
                event.actor_id,
                event.actor_label,
                event.action,
                event.outcome,
                event.target_type,
                event.target_id,
                event.dialogue_id,
                event.request_id,
                event.client_ip,
                event.client_ip_salt,
                event.client_ip_hash,
                detail,
                middle,
                tail,
            ],
        )
        event.id, event.occurred_at, event.prev_hash, event.row_hash = cursor.fetchone()
    event._state.adding = False
    event._state.db = connection.alias
    return event


def record_event(
    *,
    actor,
    action: Action,
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
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            return _append_in_database(connection, event)
        head_id, head_hash = _lock_chain(connection)
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
