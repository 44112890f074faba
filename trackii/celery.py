"""The Celery application. Connection details come from settings (CELERY_*); delivery policy is fixed here."""

import logging
import os

from celery import Celery, signals

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trackii.settings")

app = Celery("trackii")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # JSON only: a pickled message from a compromised broker would run code in the worker.
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_accept_content=["json"],
    # A task is acknowledged when it has finished, and handed back if its worker dies, so a crash or a
    # killed worker never loses work. Tasks must therefore be safe to run twice (see docs/architecture.md).
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_track_started=True,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    timezone="UTC",
    # A message the worker cannot decode or run is kept aside as a dead letter and counted in /healthz.
    worker_consumer="trackii.runtime.consumer:Consumer",
)
app.autodiscover_tasks()

EMBEDDED_TRANSPORT = "trackii.runtime.broker:Transport"


@signals.worker_init.connect
def refuse_a_wrong_key_ring(sender=None, **kwargs) -> None:
    """A worker seals and stores encrypted PDFs: it must not start with a ring that is not the database's
    (the deployment's worker does not run `migrate`, whose system checks would have said so)."""
    from django.core.exceptions import ImproperlyConfigured

    from trackii.keycheck import refuse_a_wrong_ring

    try:
        refuse_a_wrong_ring("worker")
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None  # Celery logs and ignores any Exception a handler raises


@signals.worker_init.connect
def requeue_what_a_dead_worker_held(sender=None, **kwargs) -> None:
    """The embedded runtime has one worker: what it holds at start was taken by one that died."""
    if app.conf.broker_transport == EMBEDDED_TRANSPORT:
        from trackii.runtime.broker import requeue_unacknowledged

        requeue_unacknowledged(app.conf.broker_url)


@signals.task_prerun.connect
def audit_as_the_task(task_id=None, **kwargs) -> None:
    from trackii.audit.context import enter_task
    from trackii.datakeys import enter_scope

    enter_task(task_id or "")
    enter_scope()  # each data key unwrapped once per task, forgotten after it


@signals.task_postrun.connect
def stop_auditing_as_the_task(task_id=None, **kwargs) -> None:
    from trackii.audit.context import leave_task
    from trackii.datakeys import leave_scope

    leave_task(task_id or "")
    leave_scope()


@signals.worker_ready.connect
def count_the_start(sender=None, **kwargs) -> None:
    from trackii.datakeys import sweep_destroyed
    from trackii.runtime.services import record_worker_start

    record_worker_start(hostname=getattr(sender, "hostname", "") or "")
    sweep_destroyed()  # a destroyed key's file a killed process left: gone before any task runs


@signals.beat_init.connect
def checkpoint_as_beat_starts(sender=None, **kwargs) -> None:
    """Sign the audit chain's head as beat starts, not one interval later: verify_audit accepts a chain
    without any signed checkpoint only during its first interval (docs/decisions/0003-audit-chain.md)."""
    # A connection of its own: while beat starts, a pooled producer's channel on the embedded broker was
    # seen closed ("'NoneType' object has no attribute 'client'"). Should the send still fail, the first
    # interval's checkpoint follows as scheduled; beat keeps running either way.
    try:
        with app.connection_for_write() as connection:
            app.send_task("trackii.audit.tasks.write_checkpoint", expires=5 * 60, connection=connection)
    except Exception as error:  # a failed early checkpoint must never stop beat
        logger.warning("The checkpoint as beat starts was not sent (%s); the scheduled one follows.", error)
