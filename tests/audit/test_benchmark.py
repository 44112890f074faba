"""Figures for docs/decisions/0003-audit-chain.md, not timed assertions of the suite.

Run: TRACKII_AUDIT_BENCH=1 pytest tests/audit/test_benchmark.py -s -p no:cacheprovider
"""

import os
import statistics
import time

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from trackii.audit.services import bulk_append, record_event
from trackii.audit.verification import verify_chain

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("TRACKII_AUDIT_BENCH"), reason="set TRACKII_AUDIT_BENCH=1 to measure"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_benchmark_record_event(user):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10")
    request.request_id = "bench-request-0001"
    timings = []
    for n in range(2000):
        with transaction.atomic():
            started = time.perf_counter()
            record_event(actor=user, action="view", target=user, request=request, detail={"n": n})
            timings.append(time.perf_counter() - started)
    # The commit is part of what the request pays for: measure it too, on its own.
    commits = []
    for n in range(500):
        started = time.perf_counter()
        record_event(actor=user, action="view", target_type="x.y", target_id=str(n))  # its own transaction
        commits.append(time.perf_counter() - started)
    timings.sort()
    commits.sort()
    print(
        f"\n[{connection.vendor}] record_event inside a transaction: "
        f"median {statistics.median(timings) * 1e3:.3f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)] * 1e3:.3f} ms; "
        f"with its own commit: median {statistics.median(commits) * 1e3:.3f} ms, "
        f"p95 {commits[int(len(commits) * 0.95)] * 1e3:.3f} ms"
    )


def test_benchmark_verify_200k_rows():
    now = timezone.now()
    started = time.perf_counter()
    bulk_append(
        events=(
            {
                "action": "view",
                "actor_label": "17",
                "target_type": "dialogues.summary",
                "target_id": str(n),
                "dialogue_id": n % 2000,
                "request_id": f"{n:032x}",
                "client_ip": "192.0.2.7" if n % 3 == 0 else None,
                "detail": {"copy": f"C{n:06d}"} if n % 5 == 0 else {},
                "occurred_at": now,
            }
            for n in range(200_000)
        ),
        batch_size=10_000,
    )
    inserted = time.perf_counter() - started
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        report = verify_chain(checkpoints=False)
        timings.append(time.perf_counter() - started)
        assert report.ok and report.rows == 200_000
    best = min(timings)
    print(
        f"\n[{connection.vendor}] bulk_append 200k rows: {inserted:.1f} s "
        f"({200_000 / inserted:,.0f} rows/s); "
        f"verify: best {best:.2f} s = {200_000 / best:,.0f} rows/s "
        f"(runs: {', '.join(f'{t:.2f}' for t in timings)})"
    )
