"""The log's own upkeep: forgetting client addresses, the retention purge, signed checkpoints, re-baselining
after a restore, and the daily verification. Each step records itself in the chain; the three that vouch
for the chain (checkpoint, purge, re-baseline) also sign a record into the checkpoint folder
(checkpoints.py), against which verify_audit checks every row (docs/decisions/0003-audit-chain.md).

Lock order, everywhere: the checkpoint folder's lock, then the chain's (record_event takes it)."""

from __future__ import annotations

import contextlib
import datetime
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from trackii.accounts.models import User

from .. import chain
from ..checkpoints import (
    Checkpoint,
    Record,
    checkpoint_dir,
    folder_lock,
    head_record,
    parse_record,
    remove_record,
    set_head,
    write_record,
)
from ..conf import address_days, retention_days
from ..enums import Action, Outcome
from ..models import AuditEvent
from ..verification import ChainReport, verify_chain, why_not_first_start
from .recording import SQLITE_NO_DELETE_SQL, SQLITE_NO_DELETE_TRIGGER, TABLE, _lock_chain, record_event


class AuditChainError(Exception):
    """The chain does not verify, or has moved away from what was signed: nothing was signed or purged."""


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


def _first_row() -> tuple[int, str, datetime.datetime] | None:
    return AuditEvent.objects.order_by("id").values_list("id", "prev_hash", "occurred_at").first()


def _would_delete(before: datetime.datetime) -> bool:
    """Whether a purge with this cut-off deletes anything: the oldest row is older and is not the head."""
    first = _first_row()
    head = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return first is not None and first[2] < before and first[0] != head


def purge_events(*, before: datetime.datetime, directory: Path | None = None) -> AuditEvent:
    """Delete the rows recorded before ``before`` (a prefix of the chain, never its head), record a
    ``retention_purge`` row, and sign a purge record naming the chain's new anchor (the first surviving row
    and its prev_hash), the cut-off, the time and the retention policy. The only path by which audit rows
    are deleted.

    Refuses a cut-off the retention policy (TRACKII_AUDIT_RETENTION_DAYS) does not allow, and, when it would
    delete anything, a chain that does not verify: a purge must never sweep away what was done behind the
    app's back. The record is written before the deletion commits: if the commit fails it is taken back, and
    if the process dies in between it names a purge the policy allowed anyway."""
    days = retention_days()
    latest = timezone.now() - datetime.timedelta(days=days)
    if before > latest:
        raise ValueError(
            f"The retention policy keeps audit rows {days} days (TRACKII_AUDIT_RETENTION_DAYS): a purge may "
            f"delete only rows recorded before {chain.timestamp_text(latest)}."
        )
    directory = directory or checkpoint_dir()
    report = None
    if _would_delete(before):
        report = verify_chain(directory=directory)
        if not report.ok:
            raise AuditChainError(f"Nothing was purged: the audit chain does not verify. {report.problem}")
    # Only a purge that deletes writes a record (one that deletes nothing changes no anchor).
    with folder_lock(directory) if report else contextlib.nullcontext():
        previous = _head(directory) if report else None
        record = None
        try:
            with transaction.atomic():
                event = _purge(before=before, verified=report)
                if event.detail["deleted"]:
                    record = write_record(
                        directory=directory,
                        kind="purge",
                        name=f"purge-{event.detail['first_id']:015d}.json",
                        fields={
                            "first_id": event.detail["first_id"],
                            "first_prev_hash": event.detail["first_prev_hash"],
                            "before": event.detail["before"],
                            "at": chain.timestamp_text(event.occurred_at),
                            "retention_days": days,
                            "deleted": event.detail["deleted"],
                        },
                        previous=previous,
                    )
        except BaseException:
            if record is not None:
                remove_record(record)
            raise
        if record is not None:
            set_head(directory, record)
    return event


def _purge(*, before: datetime.datetime, verified: ChainReport | None) -> AuditEvent:
    connection = transaction.get_connection()
    head_id, head_hash = _lock_chain(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, prev_hash FROM {TABLE} ORDER BY id LIMIT 1")  # noqa: S608
        start = cursor.fetchone()
        # The first row to keep; deleting everything below its id keeps the chain a single run.
        cursor.execute(
            f"SELECT id FROM {TABLE} WHERE occurred_at >= %s ORDER BY id LIMIT 1",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(before)],
        )
        found = cursor.fetchone()
        # The head row always stays: the next row must be able to chain to it.
        keep_from = min(found[0], head_id) if found else head_id
        if verified is None:
            keep_from = start[0] if start else keep_from  # nothing was verified: nothing is deleted
        elif start != (verified.first_id, verified.first_prev_hash):
            raise AuditChainError(
                "Nothing was purged: the chain's start changed while it was being verified."
            )
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


def apply_retention(*, now: datetime.datetime | None = None) -> dict:
    """Drop the client addresses past TRACKII_AUDIT_ADDRESS_DAYS, then purge the rows past
    TRACKII_AUDIT_RETENTION_DAYS (beat runs it daily); each step commits and records itself."""
    now = now or timezone.now()
    dropped = drop_addresses(before=now - datetime.timedelta(days=address_days()))
    purged = purge_events(before=now - datetime.timedelta(days=retention_days()))
    return {"addresses_dropped": dropped.detail["rows"], "rows_deleted": purged.detail["deleted"]}


def check_chain(*, by: User | None = None, source: str = "beat") -> ChainReport:
    """Walk the whole chain against every signed record and record the outcome (not the rows it read), which
    the auditors' chain status panel shows. Beat runs it daily; ``verify_audit --record`` from the shell."""
    report = verify_chain()
    record_verification(report=report, by=by, source=source)
    return report


def record_verification(
    *, report: ChainReport, by: User | None, source: str, run: int | None = None
) -> AuditEvent:
    """The one row every verification writes, wherever it ran: beat ("beat"), the shell ("command") or the
    chain-status page ("browser", with its run's id); ``by`` is who asked, None for beat."""
    detail = {"rows": report.rows, "bad_row_id": report.bad_row_id, "problem": report.problem[:300]}
    detail["source"] = source
    if run is not None:
        detail["run"] = run
    return record_event(
        actor=by,
        action=Action.CHAIN_VERIFIED,
        outcome=Outcome.ALLOWED if report.ok else Outcome.FAILED,
        detail=detail,
    )


# --- Signing the chain ------------------------------------------------------------------------------------


def _head(directory: Path) -> Record | None:
    try:
        return head_record(directory)
    except ValueError as error:
        raise AuditChainError(f"Nothing was signed: {error}. Run manage.py verify_audit.") from None


def _refuse_unless_signed_rows_hold(directory: Path, head: Record | None) -> None:
    """Before signing more: the newest row the folder signed must still be in the log as signed (one look-up).
    Otherwise rows were deleted from the tail, perhaps with their ids used again, or an older backup was
    restored, and a new checkpoint would vouch for that."""
    if head is None:
        if why := why_not_first_start():
            raise AuditChainError(
                f"Nothing was signed: the checkpoint folder {directory} holds no signed record, and {why}. "
                "Restore the folder, or re-baseline (manage.py rebaseline_audit)."
            )
        return
    record = head
    for _ in range(1000):  # purges name no row: step back to the newest record that does
        if record.named_rows() or record.previous is None:
            break
        try:
            record = parse_record(directory / record.previous["name"])
        except ValueError:
            return  # a broken link: verify_audit names it
    if not record.named_rows():
        return
    row_id, row_hash = record.named_rows()[-1]
    first = _first_row()
    found = AuditEvent.objects.filter(pk=row_id).values_list("row_hash", flat=True).first()
    if found == row_hash or (first is not None and row_id < first[0]):
        return
    now = "missing" if found is None else "different"
    raise AuditChainError(
        f"Nothing was signed: row {row_id}, signed in {record.name}, is {now} in the log now: rows were "
        "deleted from its tail (perhaps with their ids used again) or an older backup was restored. Run "
        "manage.py verify_audit; after restoring a backup, manage.py rebaseline_audit."
    )


def write_checkpoint(*, directory: Path | None = None) -> Checkpoint:
    """Record a ``checkpoint`` row, commit it, then sign that row's id and hash into a new file linked to the
    last record. Nothing is written when no row was recorded since the last checkpoint.

    Commits its own transaction: a file must never name a row that could still be rolled back. A crash
    between the commit and the file only leaves a checkpoint row without a file, which is harmless.
    Refuses (AuditChainError) when the last signed row is no longer in the log as signed, or the folder is
    empty outside a first start."""
    if connection.in_atomic_block:
        raise RuntimeError(
            "write_checkpoint commits its own transaction; call it outside transaction.atomic()."
        )
    directory = directory or checkpoint_dir()
    with folder_lock(directory):
        previous = _head(directory)
        _refuse_unless_signed_rows_hold(directory, previous)
        head = AuditEvent.objects.order_by("-id").values_list("id", "row_hash").first()
        if previous is not None and previous.kind == "checkpoint" and head == previous.named_rows()[0]:
            return previous.as_checkpoint()
        with transaction.atomic():
            event = record_event(actor=None, action=Action.CHECKPOINT)
        record = write_record(
            directory=directory,
            kind="checkpoint",
            name=f"checkpoint-{event.id:015d}.json",
            fields={
                "last_id": event.id,
                "row_hash": event.row_hash,
                "at": chain.timestamp_text(event.occurred_at),
            },
            previous=previous,
        )
        set_head(directory, record)
    return record.as_checkpoint()


def rebaseline_chain(
    *, reason: str, by: User | None, accept_start: bool = False, directory: Path | None = None
) -> Record:
    """After restoring an older backup: accept the log as it now stands. Records a ``chain_rebaselined`` row,
    then signs a re-baseline record naming the last row kept, the reason, and every signed record that no
    longer matches (each superseded by name of its digest, so no record signed later is ever covered).

    Only for what a restore does: rows lost from the tail (or ids used again after it), a folder lost with
    everything signed, and with ``accept_start`` a start no signed purge anchors (a purge made before purges
    were signed). Any other problem (an edited, missing or reordered row, a record removed or signed by
    another key, a purge the retention policy did not allow) refuses."""
    reason = " ".join(reason.split())
    if not 10 <= len(reason) <= 500:
        raise ValueError("Say why in 10 to 500 characters: the reason is signed and kept in the audit log.")
    if connection.in_atomic_block:
        raise RuntimeError(
            "rebaseline_chain commits its own transaction; call it outside transaction.atomic()."
        )
    directory = directory or checkpoint_dir()
    report = verify_chain(directory=directory)
    if report.blocking:
        raise AuditChainError(
            f"Not re-baselined: {report.blocking}. A re-baseline covers rows lost from the tail (an older "
            "backup restored) or a lost checkpoint folder, nothing else."
        )
    if report.start_unanchored and not accept_start:
        raise AuditChainError(
            f"Not re-baselined: {report.problem}. If you know why (a purge made before purges were signed, "
            "or one that did not finish), pass --accept-start."
        )
    if report.ok:
        raise AuditChainError("Nothing to re-baseline: the audit chain verifies against every signed record.")
    superseded = sorted({mismatch.record.digest for mismatch in report.unmatched})
    rows = sorted({mismatch.row_id for mismatch in report.unmatched})
    start = None
    if report.start_unanchored:
        start = {"first_id": report.first_id, "first_prev_hash": report.first_prev_hash}
    with folder_lock(directory):
        previous = _head(directory)
        with transaction.atomic():
            event = record_event(
                actor=by,
                action=Action.CHAIN_REBASELINED,
                detail={
                    "reason": reason[:300],
                    "superseded": len(superseded),
                    "superseded_rows": [rows[0], rows[-1]] if rows else [],
                    "accepted_start": start is not None,
                },
            )
        record = write_record(
            directory=directory,
            kind="rebaseline",
            name=f"rebaseline-{event.id:015d}.json",
            fields={
                "row_id": event.id,
                "row_hash": event.row_hash,
                "at": chain.timestamp_text(event.occurred_at),
                "last_kept_id": event.id - 1,
                "last_kept_hash": event.prev_hash,
                "reason": reason,
                "supersedes": superseded,
                "start": start,
            },
            previous=previous,
        )
        set_head(directory, record)
    return record
