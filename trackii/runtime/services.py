"""Bookkeeping for the runtime: what a worker could not read, and when workers started."""

import logging
import os

from trackii.runtime.models import DeadLetter, WorkerStart
from trackii.runtime.selectors import current_run

logger = logging.getLogger("trackii.runtime")

MAX_BODY = 64 * 1024


def record_dead_letter(*, source: str, reason: str, body: bytes | str) -> DeadLetter:
    """Keep an unreadable message aside and say so in the log; the worker goes on with the next one."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    body = body[:MAX_BODY].replace("\x00", "\ufffd")
    letter = DeadLetter.objects.create(source=source, reason=reason[:200], body=body)
    logger.error("Dead letter %s from the %s: %s (kept aside, the worker goes on)", letter.pk, source, reason)
    return letter


def record_worker_start(*, hostname: str) -> WorkerStart:
    return WorkerStart.objects.create(run=current_run(), hostname=hostname, pid=os.getpid())
