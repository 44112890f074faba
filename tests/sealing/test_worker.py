"""Sealing with real Celery workers (separate processes) against Redis: end to end, a worker killed mid-task,
and a Redis restart that forgets the queued message. Each ends in exactly one sealed version.

The workers read the test database (the data is committed: transactional tests). The Redis-restart test
runs a Redis server of its own on a free port, so the shared one is never disturbed.
"""

import datetime as dt
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from dialogues.enums import InvitationStatus, SummaryStatus
from dialogues.models import Summary, SummaryCopy
from dialogues.summaries import selectors as summary_selectors
from dialogues.summaries import services as summaries
from tests.factories import (
    FacilitatorFactory,
    InvitationFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.helpers import ROOT, child_env, wait_for
from trackii.audit.models import AuditEvent
from trackii.sealing.enums import SealJobState
from trackii.sealing.models import SealJob
from trackii.sealing.samples import sample_summary_markdown
from trackii.sealing.services import relay_seal_jobs
from trackii.sealing.verify import verify_pdf

pytestmark = pytest.mark.django_db(transaction=True)


def held_workshop_draft(*, pages: int = 2) -> Summary:
    workshop = WorkshopFactory(
        starts_at=timezone.now() - dt.timedelta(days=3), ends_at=timezone.now() - dt.timedelta(days=2)
    )
    for _ in range(3):  # members who attended: the audience the sealing freezes
        person = MembershipFactory(dialogue=workshop.series.dialogue, person__user=UserFactory()).person
        InvitationFactory(workshop=workshop, person=person, status=InvitationStatus.ATTENDED)
    facilitator = FacilitatorFactory(
        dialogue=workshop.series.dialogue, person=PersonFactory(user=UserFactory())
    )
    summary = summaries.start_summary(workshop=workshop, by=facilitator.person.user)
    return summaries.save_draft(
        summary=summary, body=sample_summary_markdown(pages=pages), by=facilitator.person.user
    )


def job_of(summary: Summary) -> SealJob:
    return SealJob.objects.get(kind="summary", object_id=summary.pk)


def assert_sealed_once(summary: Summary) -> None:
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SEALED
    assert verify_pdf(summary_selectors.sealed_pdf_of(summary=summary)).ok
    assert SealJob.objects.filter(kind="summary", object_id=summary.pk).count() == 1
    assert job_of(summary).state == SealJobState.DONE
    assert SummaryCopy.objects.filter(summary=summary).count() == 3
    sealed_events = AuditEvent.objects.filter(action="sealed", target_id=str(summary.pk))
    assert sealed_events.count() == 1
    assert sealed_events.get().detail["sha256"] == summary.sealed_sha256


def test_a_real_worker_seals_a_summary_end_to_end(workers):
    summary = held_workshop_draft()
    worker = workers()
    summaries.request_seal(summary=summary, by=None)  # commits at once: the message goes to Redis
    wait_for(lambda: job_of(summary).finished, timeout=90, message=worker.output())
    assert job_of(summary).state == SealJobState.DONE, job_of(summary).error
    assert_sealed_once(summary)


def test_a_worker_killed_mid_task_ends_in_one_sealed_version(workers):
    summary = held_workshop_draft(pages=30)  # long enough to be caught while rendering
    first = workers(TRACKII_SEAL_LEASE_SECONDS="3")
    summaries.request_seal(summary=summary, by=None)
    wait_for(
        lambda: job_of(summary).state in {SealJobState.RENDERING, SealJobState.SIGNING},
        timeout=90,
        every=0.02,
        message=first.output(),
    )
    first.kill()
    job = job_of(summary)
    assert job.state in {SealJobState.RENDERING, SealJobState.SIGNING}, "the worker finished before the kill"
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SEALING and not summary.sealed_sha256

    # The message is not acknowledged, but Redis hands it back only after its visibility timeout; the relay
    # takes the job back as soon as the dead worker's lease runs out.
    second = workers()
    wait_for(lambda: job_of(summary).lease_until < timezone.now(), timeout=10)
    assert relay_seal_jobs() == 1
    wait_for(lambda: job_of(summary).finished, timeout=90, message=second.output())
    assert job_of(summary).attempts == 2
    assert_sealed_once(summary)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    assert shutil.which("redis-server"), "redis-server is needed (bin/test installs it)"
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def run_django(code: str, **env) -> str:
    """Run Python in a fresh Django process (the web server's side), pointed at the given broker."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def test_a_redis_restart_and_a_broker_outage_lose_no_seal(workers, own_redis):
    broker = {"REDIS_URL": own_redis.url, "TRACKII_SEAL_RESEND_SECONDS": "1"}
    lost, outage = held_workshop_draft(), held_workshop_draft()
    request = "from dialogues.models import Summary; from dialogues.summaries import services as s; "

    # 1. Requested while Redis is up but no worker runs; then Redis restarts and forgets the message.
    run_django(request + f"s.request_seal(summary=Summary.objects.get(pk={lost.pk}), by=None)", **broker)
    assert job_of(lost).enqueued_at is not None
    own_redis.stop()
    # 2. Requested while Redis is down: the facilitator's request still succeeds; the job waits unsent.
    run_django(request + f"s.request_seal(summary=Summary.objects.get(pk={outage.pk}), by=None)", **broker)
    assert job_of(outage).enqueued_at is None and job_of(outage).state == SealJobState.QUEUED
    own_redis.start()

    worker = workers(**broker)
    time.sleep(1.5)  # past the resend delay; beat runs the relay every 10 seconds in a deployment
    sent = run_django(
        "from trackii.sealing.services import relay_seal_jobs; print(relay_seal_jobs())", **broker
    )
    assert sent == "2"
    for summary in (lost, outage):
        wait_for(lambda s=summary: job_of(s).finished, timeout=90, message=worker.output())
        assert_sealed_once(summary)
