"""Measure the audit log for docs/benchmarks.md: bulk appending N synthetic rows, the cost of one
record_event, and verify_audit's speed over the whole chain, alone and against the signed checkpoints beat
would have written over the synthetic year (one every 15 minutes, into a temporary folder). It writes real
rows: benchmark databases only.

    python manage.py bench_audit --rows 1000000
"""

import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.functions import Mod
from django.utils import timezone

from trackii.accounts.models import User
from trackii.audit import chain
from trackii.audit.checkpoints import folder_lock, set_head, write_record
from trackii.audit.context import audit_context, command_context
from trackii.audit.enums import Action, Outcome
from trackii.audit.models import AuditEvent
from trackii.audit.services import bulk_append, record_event
from trackii.audit.verification import verify_chain

ACTIONS = [Action.VIEW, Action.VIEW, Action.VIEW, Action.DOWNLOAD, Action.FEED, Action.DENIED, Action.LOGIN]
OUTCOMES = {Action.DENIED: Outcome.DENIED}
# The timed rows are written as a web request's are: with a client address to salt and commit to.
TIMED_ADDRESS = "192.0.2.10"


class Command(BaseCommand):
    help = "Append synthetic audit rows and measure record_event and verify_audit (benchmark databases only)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=200_000, help="synthetic rows to append first")
        parser.add_argument("--events", type=int, default=1000, help="record_event calls to time")
        parser.add_argument(
            "--checkpoints",
            type=int,
            default=365 * 24 * 4,
            help="signed checkpoints spread over the chain (default: one per 15 minutes for a year, 35,040)",
        )

    def handle(self, *args, rows: int, events: int, checkpoints: int, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_audit writes synthetic audit rows: never on a production database.")
        directory = Path(tempfile.mkdtemp(prefix="bench-audit-checkpoints-"))
        try:
            with command_context("bench_audit"):
                self._bench(rows=rows, events=events, checkpoints=checkpoints, directory=directory)
        finally:
            shutil.rmtree(directory)

    def _bench(self, *, rows: int, events: int, checkpoints: int, directory: Path) -> None:
        users = list(User.objects.order_by("pk").values_list("pk", flat=True)[:50]) or [None]
        # Spread over the past year, as real traffic would be (the unusual-activity panel reads recent rows).
        step = dt.timedelta(days=365) / max(rows, 1)
        start = timezone.now() - dt.timedelta(days=365)
        started = time.perf_counter()
        bulk_append(
            events=(
                {
                    "action": ACTIONS[n % len(ACTIONS)],
                    "outcome": OUTCOMES.get(ACTIONS[n % len(ACTIONS)], Outcome.ALLOWED),
                    "actor_id": users[n % len(users)],
                    "actor_label": str(users[n % len(users)]),
                    "target_type": "dialogues.summary" if n % 2 else "dialogues.workshop",
                    "target_id": str(n % 20_000),
                    "dialogue_id": n % 2000 + 1,
                    "request_id": f"{n:032x}",
                    "client_ip": "192.0.2.7" if n % 3 == 0 else None,
                    "detail": {},
                    "occurred_at": start + n * step,
                }
                for n in range(rows)
            ),
            batch_size=10_000,
        )
        if rows:
            elapsed = time.perf_counter() - started
            self.stdout.write(f"bulk_append {rows:,} rows: {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE audit_auditevent")

        actor = User.objects.order_by("pk").first()
        timings = []
        for n in range(events):
            with (
                audit_context(request_id=f"bench-{n:08d}", client_ip=TIMED_ADDRESS, from_request=True),
                transaction.atomic(),
            ):
                started = time.perf_counter()
                record_event(actor=actor, action=Action.VIEW, target_type="bench.row", target_id=str(n))
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        self.stdout.write(
            f"record_event inside a transaction: median {statistics.median(timings):.2f} ms, "
            f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms"
        )

        total = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        started = time.perf_counter()
        signed = self._sign(directory=directory, count=checkpoints, total=total)
        self.stdout.write(f"signed {signed:,} checkpoints: {time.perf_counter() - started:.1f} s")
        for label, with_records in (("the chain alone", False), (f"and {signed:,} signed checkpoints", True)):
            started = time.perf_counter()
            report = verify_chain(checkpoints=with_records, directory=directory)
            elapsed = time.perf_counter() - started
            if not report.ok:
                raise CommandError(f"the chain does not verify: {report.problem}")
            self.stdout.write(
                f"verify_audit over {total:,} rows, {label}: {elapsed:.1f} s ({total / elapsed:,.0f} rows/s)"
            )

    def _sign(self, *, directory: Path, count: int, total: int) -> int:
        """Checkpoints of every (total / count)-th row, linked one to the next, as beat would have signed."""
        stride = max(total // max(count, 1), 1)
        previous = None
        with folder_lock(directory):
            for row_id, row_hash, occurred_at in (
                AuditEvent.objects.annotate(step=Mod("id", stride))
                .filter(id__gte=stride, step=0)
                .order_by("id")
                .values_list("id", "row_hash", "occurred_at")
                .iterator()
            ):
                previous = write_record(
                    directory=directory,
                    kind="checkpoint",
                    name=f"checkpoint-{row_id:015d}.json",
                    fields={"last_id": row_id, "row_hash": row_hash, "at": chain.timestamp_text(occurred_at)},
                    previous=previous,
                )
            if previous is not None:
                set_head(directory, previous)
        return len(list(directory.glob("checkpoint-*.json")))
