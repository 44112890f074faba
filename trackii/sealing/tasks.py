"""Celery tasks of the sealing pipeline: leaves that take ids and call one service."""

from celery import shared_task

from trackii.sealing import services


# Rendering and signing a long summary takes seconds; five minutes means something is wrong. The lease
# (settings.TRACKII_SEAL_LEASE_SECONDS) outlasts this limit, so a live task is never presumed dead.
@shared_task(name="trackii.sealing.seal_document", time_limit=5 * 60, soft_time_limit=4 * 60 + 30)
def seal_document(job_id: int) -> str | None:
    job = services.run_seal_job(job_id=job_id)
    return job.state if job else None


@shared_task(name="trackii.sealing.relay_seal_jobs")
def relay_seal_jobs() -> int:
    """Beat, every 10 seconds: send the jobs that were never sent, were lost, or are due again."""
    return services.relay_seal_jobs()
