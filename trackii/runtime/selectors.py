import os

from django.db.models import Count

from trackii.runtime.models import DeadLetter, WorkerStart


def current_run() -> str:
    """`make run` gives every process it starts one run id; elsewhere each deployment names its own."""
    return os.environ.get("TRACKII_RUN_ID", "")


def dead_letter_count() -> int:
    return DeadLetter.objects.count()


def worker_restarts() -> int:
    """Worker starts in this run beyond the first of each worker."""
    starts = WorkerStart.objects.filter(run=current_run()).values("hostname").annotate(n=Count("id"))
    return sum(row["n"] - 1 for row in starts)
