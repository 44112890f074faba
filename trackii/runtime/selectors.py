from django.db.models import Count

from trackii.runtime.models import DeadLetter, WorkerStart
from trackii.runtime.services import current_run


def dead_letter_count() -> int:
    return DeadLetter.objects.count()


def worker_restarts() -> int:
    """Worker starts in this run beyond the first of each worker."""
    starts = WorkerStart.objects.filter(run=current_run()).values("hostname").annotate(n=Count("id"))
    return sum(row["n"] - 1 for row in starts)
