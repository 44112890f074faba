"""The sealing pipeline: an outbox row per request, a relay that hands rows to the broker, and the worker's
side that renders, signs and completes a row exactly once. See docs/decisions/0002-sealing.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.sealing.enums import ACTIVE_STATES, SealJobState
from trackii.sealing.models import SealJob
from trackii.sealing.pdf import RefusedURLError, render_pdf
from trackii.sealing.registry import sealer_for, sealer_for_document
from trackii.sealing.seal import SealingError, seal_pdf
from trackii.sealing.verify import Verification, verify_pdf

logger = logging.getLogger(__name__)

SEAL_TASK = "trackii.sealing.seal_document"
# Transient failures are tried this many times in all, waiting BACKOFF * 4 ** (attempt - 1) in between.
MAX_ATTEMPTS = 3
BACKOFF = dt.timedelta(seconds=10)
# Failures that another attempt cannot cure: they are shown to the facilitator at once.
PERMANENT_ERRORS = (RefusedURLError, SealingError, ValidationError, ImproperlyConfigured)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TRACKII_SEAL_LEASE_SECONDS)


def _resend_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TRACKII_SEAL_RESEND_SECONDS)


def _send(job_id: int) -> bool:
    """Hand a job to the broker. A broker that is down is not an error here: the relay tries again."""
    try:
        current_app.send_task(SEAL_TASK, args=[job_id])
    except Exception as error:  # kombu raises many kinds for an unreachable broker
        logger.warning("Seal job %s not sent (the relay will retry): %s", job_id, error)
        return False
    SealJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    return True


def request_seal_job(*, kind: str, object_id: int, by: User | None = None) -> SealJob:
    """Write the outbox row inside the caller's transaction; it goes to the broker once that commits.
    Asking again for a document that already has a job returns that job and sends nothing new."""
    job, created = SealJob.objects.get_or_create(
        kind=kind, object_id=object_id, defaults={"requested_by": by}
    )
    if created:
        transaction.on_commit(lambda: _send(job.pk))
    return job


@transaction.atomic
def retry_seal_job(*, job: SealJob) -> SealJob:
    """Start a failed job again from scratch (the facilitator's retry button)."""
    job = SealJob.objects.select_for_update().get(pk=job.pk)
    if job.state != SealJobState.FAILED:
        return job
    job.state = SealJobState.QUEUED
    job.attempts = 0
    job.error = ""
    job.not_before = job.enqueued_at = job.lease_until = None
    job.save(update_fields=["state", "attempts", "error", "not_before", "enqueued_at", "lease_until"])
    transaction.on_commit(lambda: _send(job.pk))
    return job


def relay_seal_jobs(*, now: dt.datetime | None = None) -> int:
    """Send again every job that should be running and is not: never sent (the broker was down when it was
    requested), lost (a Redis restart forgets queued messages), due after a failure's back-off, or held by a
    worker that died (its lease ran out). Extra deliveries are harmless. Returns how many were sent."""
    now = now or timezone.now()
    with transaction.atomic():
        abandoned = list(
            SealJob.objects.select_for_update(skip_locked=True)
            .filter(state__in=ACTIVE_STATES, lease_until__lt=now)
            .values_list("pk", flat=True)
        )
        # A document that kills its worker every time (memory, the time limit) is not tried for ever.
        SealJob.objects.filter(pk__in=abandoned, attempts__gte=MAX_ATTEMPTS).update(
            state=SealJobState.FAILED,
            lease_until=None,
            error=f"The worker stopped part-way {MAX_ATTEMPTS} times (out of memory or time?). "
            "Shorten the document, or ask an administrator to look at the worker's log.",
        )
        SealJob.objects.filter(pk__in=abandoned, attempts__lt=MAX_ATTEMPTS).update(
            state=SealJobState.QUEUED,
            lease_until=None,
            enqueued_at=None,
            error="The worker stopped part-way; sealing is starting again.",
        )
    due = SealJob.objects.filter(
        Q(state=SealJobState.QUEUED),
        Q(not_before__isnull=True) | Q(not_before__lte=now),
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - _resend_after()),
    ).values_list("pk", flat=True)
    return sum(_send(job_id) for job_id in list(due))


def _claim(job_id: int, now: dt.datetime) -> SealJob | None:
    with transaction.atomic():
        job = SealJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        if job.state in ACTIVE_STATES and job.lease_until and job.lease_until > now:
            return None  # a duplicate delivery while another worker holds it
        if job.not_before and job.not_before > now:
            return None  # early: the relay sends it again when its back-off is over
        job.state = SealJobState.RENDERING
        job.attempts += 1
        job.lease_until = now + _lease()
        job.save(update_fields=["state", "attempts", "lease_until"])
        return job


def _advance(job: SealJob, state: str) -> None:
    # Only while the job is still ours: a relay that presumed us dead has taken it back.
    SealJob.objects.filter(pk=job.pk, lease_until=job.lease_until).update(state=state)


@transaction.atomic
def _give_up_or_retry(claimed: SealJob, error: Exception, *, permanent: bool) -> SealJob:
    job = SealJob.objects.select_for_update().get(pk=claimed.pk)
    if job.finished or job.lease_until != claimed.lease_until:
        return job  # finished by another delivery, or taken back by the relay: no longer ours to change
    reason = str(error) or type(error).__name__
    if isinstance(error, ValidationError):
        reason = " ".join(error.messages)
    if permanent or job.attempts >= MAX_ATTEMPTS:
        job.state = SealJobState.FAILED
        job.error = reason if permanent else f"Tried {job.attempts} times. Last error: {reason}"
        job.not_before = None
    else:
        job.state = SealJobState.QUEUED
        job.not_before = timezone.now() + BACKOFF * 4 ** (job.attempts - 1)
        job.error = (
            f"Attempt {job.attempts} failed ({reason}); trying again at {job.not_before:%H:%M:%S} UTC."
        )
    # enqueued_at is cleared so the relay sends the retry when the back-off ends, not after its resend delay.
    job.lease_until = job.enqueued_at = None
    job.save(update_fields=["state", "error", "not_before", "lease_until", "enqueued_at"])
    return job


def run_seal_job(*, job_id: int) -> SealJob | None:
    """Render, sign and complete one job. Safe to deliver twice or to run after a crash: the job row is locked
    to finish, and a job that is already done is left alone, so one request makes one sealed version."""
    job = _claim(job_id, timezone.now())
    if job is None:
        return SealJob.objects.filter(pk=job_id).first()
    started = time.perf_counter()
    try:
        sealer = sealer_for(job.kind)
        sealed_at = timezone.now()
        html, document_id, reason = sealer.render(job.object_id, sealed_at)
        rendered = render_pdf(html)
        _advance(job, SealJobState.SIGNING)
        sealed = seal_pdf(rendered, reason=reason, document_id=document_id)
        digest = hashlib.sha256(sealed).hexdigest()
        with transaction.atomic():
            current = SealJob.objects.select_for_update().get(pk=job.pk)
            if current.finished:
                return current  # another delivery finished first: ours is discarded unused
            sealer.complete(
                object_id=job.object_id, pdf=sealed, sha256=digest, sealed_at=sealed_at, job=current
            )
            current.state = SealJobState.DONE
            current.error = ""
            current.lease_until = None
            current.finished_at = timezone.now()
            current.seconds = round(time.perf_counter() - started, 3)
            current.save(update_fields=["state", "error", "lease_until", "finished_at", "seconds"])
            return current
    except PERMANENT_ERRORS as error:
        logger.warning("Seal job %s failed: %s", job.pk, error)
        return _give_up_or_retry(job, error, permanent=True)
    except Exception as error:
        logger.exception("Seal job %s attempt %s failed", job.pk, job.attempts)
        return _give_up_or_retry(job, error, permanent=False)


@dataclass(frozen=True)
class CheckedPdf:
    """What an uploaded PDF turned out to be: the seal's verdict and, if Trackii knows it, which document."""

    verification: Verification
    document: dict | None


def check_sealed_pdf(*, data: bytes, show_holder: bool, by: User | None) -> CheckedPdf:
    """Verify a PDF someone holds and name the sealed document it claims to be. Audited, whoever asks (`by`
    None: the server's command line): a copy turning up is itself worth knowing about."""
    verification = verify_pdf(data)
    # Only an intact seal vouches for the document id the file carries: an altered file can claim any id, and
    # naming the document it claims would tell anyone which summaries exist.
    sealer = sealer_for_document(verification.document_id) if verification.ok else None
    document = sealer.describe(verification, show_holder=show_holder, viewer=by) if sealer else None
    record_event(
        actor=by,
        action=Action.PDF_VERIFIED,
        target_type="sealing.pdf",
        target_id=verification.sha256[:16] or "-",
        detail={
            "intact": verification.ok,
            "verdict": verification.verdict,
            "document": verification.document_id,
            "copy_code": verification.copy_code,
        },
    )
    return CheckedPdf(verification=verification, document=document)
