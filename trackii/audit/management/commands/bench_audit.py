"""Measure the audit log for docs/benchmarks.md: bulk appending N synthetic rows, the cost of one
record_event, and verify_audit's speed over the whole chain. It writes real rows: benchmark databases only.

    python manage.py bench_audit --rows 1000000
"""

import datetime as dt
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from trackii.accounts.models import User
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

    def handle(self, *args, rows: int, events: int, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_audit writes synthetic audit rows: never on a production database.")
        with command_context("bench_audit"):
            self._bench(rows=rows, events=events)

    def _bench(self, *, rows: int, events: int) -> None:
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
        report = verify_chain(checkpoints=False)
        elapsed = time.perf_counter() - started
        if not report.ok:
            raise CommandError(f"the chain does not verify: {report.problem}")
        self.stdout.write(
            f"verify_audit over {total:,} rows: {elapsed:.1f} s ({total / elapsed:,.0f} rows/s)"
        )
