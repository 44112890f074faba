"""Verifying the chain from the chain-status page: the same walk as verify_audit and beat's daily check
(verification.verify_chain), run by a worker, one run at a time, with its progress on the page.

The walk is one streamed SELECT in autocommit: it holds a snapshot, not a lock, so writers go on recording
while it runs (the rows they add after it began are the next run's). Its progress goes out on a database
connection of its own, each write committed at once, because the walk's connection is busy streaming."""

from __future__ import annotations

import contextlib
import json
import logging

from celery import current_app
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from trackii.accounts.models import User

from .. import selectors
from ..conf import chain_check_progress_rows, chain_check_stall
from ..enums import ACTIVE_CHAIN_CHECK, Action, ChainCheckStatus
from ..models import AuditEvent, ChainCheck
from ..verification import ChainReport, checkpoint_verdicts, verify_chain
from .recording import record_event
from .upkeep import record_verification

CHAIN_CHECK_TASK = "trackii.audit.tasks.run_chain_check"
# pg_advisory_xact_lock key of request_chain_check ("trackiic" in ASCII): two clicks queue one run.
CHAIN_CHECK_LOCK_KEY = 0x7472_6163_6B69_6963
logger = logging.getLogger(__name__)
VERDICTS_KEPT = 100  # the newest verdicts the page lists; every one that does not match is kept too


@transaction.atomic
def request_chain_check(*, by: User) -> tuple[ChainCheck, bool]:
    """Queue a verification of the whole chain for a worker, and whether it is new. While a run is queued or
    running, that run comes back and nothing is written. A run with no sign of life for chain_check_stall()
    (its worker died, or none took it) is closed as not finished and a new one replaces it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_CHECK_LOCK_KEY])
    now = timezone.now()
    replaced = None
    current = ChainCheck.objects.select_for_update().filter(status__in=ACTIVE_CHAIN_CHECK).first()
    if current is not None:
        if not selectors.chain_check_stalled(current, now=now):
            return current, False
        current.status, current.finished_at = ChainCheckStatus.ERROR, now
        current.result = {
            "error": f"stalled: no progress since {current.progress_at.isoformat(timespec='seconds')}, "
            f"after {current.rows_checked} rows (the worker stopped, or none took the run)"
        }
        current.save(update_fields=["status", "finished_at", "result"])
        replaced = current.pk
    check = ChainCheck.objects.create(requested_by=by, requested_at=now, progress_at=now)
    detail = {"run": check.pk} if replaced is None else {"run": check.pk, "replaces_stalled": replaced}
    record_event(actor=by, action=Action.CHAIN_CHECK_REQUESTED, target=check, detail=detail)
    transaction.on_commit(lambda: _send(check.pk))
    return check, True


def _send(check_id: int) -> None:
    """Hand the run to the broker. If it is down the run stays queued, and the page calls it stalled later."""
    try:
        current_app.send_task(CHAIN_CHECK_TASK, args=[check_id])
    except Exception:  # kombu raises many kinds for an unreachable broker; the stall shows on the page
        logger.warning("Chain check %s not sent to the broker", check_id, exc_info=True)


def run_chain_check(*, check: ChainCheck, by: User | None) -> ChainCheck:
    """Walk the chain for ``check`` (asked for by ``by``), reporting progress, then record the verdict on the
    run and the same chain_verified row as beat and the shell write, in one transaction. Does nothing for a
    run that another worker holds or that is over; takes back a stalled one (a message delivered again after
    its worker died)."""
    now = timezone.now()
    bounds = AuditEvent.objects.aggregate(first=Min("id"), last=Max("id"))
    total = bounds["last"] - bounds["first"] + 1 if bounds["last"] is not None else 0  # ids have no gaps
    stale = Q(status=ChainCheckStatus.RUNNING, progress_at__lt=now - chain_check_stall())
    claimable = ChainCheck.objects.filter(Q(status=ChainCheckStatus.QUEUED) | stale, pk=check.pk)
    if not claimable.update(
        status=ChainCheckStatus.RUNNING, started_at=now, progress_at=now, rows_checked=0, rows_total=total
    ):
        check.refresh_from_db()
        return check
    with _ProgressWriter(check.pk) as progress:
        try:
            report = verify_chain(progress=progress, progress_every=chain_check_progress_rows())
        except Exception as error:
            progress.fail(f"{type(error).__name__}: {error}"[:500])
            raise
    with transaction.atomic():
        ChainCheck.objects.filter(pk=check.pk).update(
            status=ChainCheckStatus.PASSED if report.ok else ChainCheckStatus.FAILED,
            finished_at=timezone.now(),
            progress_at=timezone.now(),
            rows_checked=report.rows,
            result=_result(report),
        )
        record_verification(report=report, by=by, source="browser", run=check.pk)
    check.refresh_from_db()
    return check


def _result(report: ChainReport) -> dict:
    """What the page shows of a report: its problems, warnings, summary, and the verdicts on the signed
    records (every one that does not match, and the newest VERDICTS_KEPT)."""
    verdicts = checkpoint_verdicts(report)
    kept = {id(v) for v in verdicts[-VERDICTS_KEPT:]} | {id(v) for v in verdicts if v.verdict != "matches"}
    counts: dict[str, int] = {}
    for verdict in verdicts:
        counts[verdict.verdict] = counts.get(verdict.verdict, 0) + 1
    problems = [report.problem] if report.problem else []
    problems += [p for p in report.folder_problems if p != report.problem]
    problems += [m.problem(report.last_id) for m in report.unmatched[1:]][:50]
    return {
        "ok": report.ok,
        "rows": report.rows,
        "first_id": report.first_id,
        "last_id": report.last_id,
        "bad_row_id": report.bad_row_id,
        "problem": report.problem,
        "problems": problems,
        "warnings": report.warnings,
        "summary": report.checkpoint,
        "records": len(report.records),
        "verdict_counts": counts,
        "verdicts": [v.as_dict() for v in verdicts if id(v) in kept],
    }


class _ProgressWriter:
    """Writes a run's rows_checked on a connection of its own, committed at once (autocommit), while this
    thread's connection streams the walk."""

    def __init__(self, check_id: int) -> None:
        self.check_id = check_id
        self.own = connections.create_connection(DEFAULT_DB_ALIAS)

    def __enter__(self) -> _ProgressWriter:
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(Exception):
            self.own.close()

    def _update(self, sql: str, params: list) -> None:
        statement = f"UPDATE {ChainCheck._meta.db_table} SET {sql} WHERE id = %s"  # noqa: S608 (ours)
        with self.own.cursor() as cursor:
            cursor.execute(statement, [*params, self.check_id])

    def __call__(self, rows: int) -> None:
        self._update("rows_checked = %s, progress_at = %s", [rows, timezone.now()])

    def fail(self, error: str) -> None:
        """The walk stopped on an error of its own (not a verdict on the chain): the run did not finish."""
        self._update(
            "status = %s, finished_at = %s, result = %s::jsonb",
            [ChainCheckStatus.ERROR.value, timezone.now(), json.dumps({"error": error})],
        )


def view_chain_status(*, by: User) -> selectors.ChainStatus:
    """The chain-status page, recorded like every look at the log; its head is the auditor's own row."""
    own = record_event(actor=by, action=Action.VIEW, target_type="audit.chain")
    verification = selectors.last_verification()
    label = ""
    if verification is not None:
        if verification.actor_id:
            labels = selectors.labels_for(actor_ids={verification.actor_id})
            label = labels.accounts.get(verification.actor_id, f"#{verification.actor_id}")
        else:
            scheduled = verification.detail.get("source", "beat") == "beat"
            label = "Trackii (scheduled)" if scheduled else "the system"
    active = selectors.active_chain_check()
    return selectors.ChainStatus(
        head=own,
        verification=verification,
        verified_by=label,
        active=active,
        stalled=active is not None and selectors.chain_check_stalled(active, now=timezone.now()),
        completed=selectors.last_completed_chain_check(),
    )
