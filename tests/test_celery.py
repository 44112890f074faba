"""Celery runs real tasks through Redis: a worker started inside the test takes and answers them."""

import contextlib

import pytest
from celery.contrib.testing.worker import start_worker
from celery.exceptions import TimeoutError as NoAnswer
from django.conf import settings

from trackii.celery import app
from trackii.tasks import ping


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "the suite runs Celery on Redis"
    with contextlib.ExitStack() as stack:
        # A worker runs Django's system checks as it starts, and one of them reads the key-check values from
        # the (test) database: it refuses to start under a key ring that is not the database's.
        with django_db_blocker.unblock():
            worker = stack.enter_context(
                start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10)
            )
        yield worker


def test_delivery_policy_is_safe():
    conf = app.conf
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    # A running task must never be re-delivered because Redis thought it lost.
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


def test_real_worker_runs_the_ping_task(celery_worker):
    assert ping.delay().get(timeout=10) == "pong"


def test_real_worker_refuses_a_pickled_message(celery_worker):
    # A pickle could run code in the worker; the worker drops it unexecuted, so no answer ever comes.
    with pytest.raises(NoAnswer):
        ping.apply_async(serializer="pickle").get(timeout=2)


@pytest.mark.django_db(transaction=True)
def test_beat_starting_has_the_worker_sign_a_checkpoint(celery_worker, settings, tmp_path):
    # verify_audit accepts a log without a signed checkpoint only during its first interval.
    import time

    from celery import signals

    settings.TRACKII_AUDIT_CHECKPOINT_DIR = str(tmp_path)

    signals.beat_init.send(sender=None)

    deadline = time.monotonic() + 20
    while not list(tmp_path.glob("checkpoint-*.json")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [path.name for path in tmp_path.glob("checkpoint-*.json")] == ["checkpoint-000000000000001.json"]
