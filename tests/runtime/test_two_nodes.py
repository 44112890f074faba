"""The scale-out story, on two nodes: two gunicorn processes on two ports and two Celery workers, all on one
PostgreSQL database and one Redis (DESIGN.md §5 "Scale": more web and worker containers, nothing that assumes
a single process).

A facilitator logs in on node A over real HTTP (password, then the TOTP code); node B, which never saw the
login, serves the same session. The facilitator seals a summary through node B; the request reaches the
workers through Redis, two extra deliveries of the same job (what the relay or a Redis redelivery may send)
make both workers take it at once, and the summary is sealed exactly once.
"""

import datetime as dt
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.models import Summary
from dialogues.summaries import services as summaries
from participants.models import Facilitator
from tests.accounts.helpers import enrol_totp, fresh_totp_code
from tests.helpers import ROOT, child_env, wait_for
from tests.sealing.test_worker import assert_sealed_once, free_port, held_workshop_draft, job_of
from trackii import settings as production
from trackii.celery import app
from trackii.sealing.enums import SealJobState
from trackii.sealing.services import SEAL_TASK

pytestmark = pytest.mark.django_db(transaction=True)

# Generous: the check shares two cores with whatever else runs; a hung node still fails it.
HTTP_TIMEOUT = 30
PASSWORD = "a-long-test-passphrase-42"  # tests.factories.UserFactory's
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Celery's own log lines for a task: received by a worker, and finished (with how long it ran).
RECEIVED = re.compile(r"Task trackii\.sealing\.seal_document\[([0-9a-f-]+)\] received")
SUCCEEDED = re.compile(
    r"Task trackii\.sealing\.seal_document\[([0-9a-f-]+)\] succeeded in ([0-9.]+)s: '?(\w+)'?"
)


class WebNode:
    """`gunicorn trackii.wsgi` on a port of its own, as one web container of the deployment."""

    def __init__(self, tmp_path: Path, name: str):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"gunicorn-{name}.log"
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "trackii.wsgi",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "2",
                "--access-logfile", "-", "--error-logfile", "-",
                # gunicorn 27's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl):
                # two nodes on one host would take it from each other.
                "--control-socket", str(tmp_path / f"gunicorn-{name}.ctl"),
            ],
            cwd=ROOT,
            env=child_env(),
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def answers(self) -> bool:
        assert self.process.poll() is None, f"node {self.name} exited:\n{self.output()}"
        try:
            # The first request loads the URLs and templates: it may take seconds on a busy machine.
            return requests.get(f"{self.url}/accounts/login/", timeout=5).status_code == 200
        except requests.RequestException:  # not listening yet, or still loading
            return False

    def stop(self) -> None:
        """Wait for the graceful shutdown that terminate() (SIGTERM) started; kill after 10 s."""
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def csrf_token(response: requests.Response) -> str:
    assert response.status_code == 200, (response.status_code, response.url)
    match = CSRF.search(response.text)
    assert match, f"no CSRF token on {response.url}"
    return match.group(1)


def log_in(base: str, email: str, secret: str) -> requests.Session:
    """allauth's login form, then its second-factor form, as a browser posts them."""
    browser = requests.Session()
    page = browser.get(f"{base}/accounts/login/", timeout=HTTP_TIMEOUT)
    response = browser.post(
        f"{base}/accounts/login/",
        data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page)},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response.headers["Location"]
    page = browser.get(f"{base}/accounts/2fa/authenticate/", timeout=HTTP_TIMEOUT)
    response = browser.post(
        f"{base}/accounts/2fa/authenticate/",
        data={"code": fresh_totp_code(secret, set()), "csrfmiddlewaretoken": csrf_token(page)},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 302, response.text[-2000:]
    return browser


def worker_names(workers) -> dict:
    """Each worker's node name, from its answer to a broadcast ping (so: up and reading the queue)."""
    replies = {name for reply in app.control.ping(timeout=1.0) for name in reply}
    found = {}
    for worker in workers:
        log = worker.log.read_text(errors="replace")
        found.update({name: worker for name in replies if name.split("@", 1)[-1] in log})
    return found if len(set(found.values())) == len(workers) else {}


def seal_runs(worker) -> list[tuple[str, float, str]]:
    """(task id, seconds, result) of every seal_document this worker finished."""
    text = worker.log.read_text(errors="replace")
    return [(m.group(1), float(m.group(2)), m.group(3)) for m in SUCCEEDED.finditer(text)]


def test_two_web_nodes_share_the_session_and_two_workers_seal_once(workers, tmp_path, settings):
    started = time.monotonic()
    # The nodes run on the real settings: the facilitator's password is hashed as they check it (Argon2), not
    # with the suite's fast hasher (tests/conftest.py).
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    summary = held_workshop_draft()
    dialogue_id = summary.workshop.series.dialogue_id
    # The summary's facilitator, with the role's grants (the factory writes only the Facilitator row).
    person = Facilitator.objects.get(dialogue_id=dialogue_id).person
    services.assign_role(
        dialogue=summary.workshop.series.dialogue, person=person, role=DialogueRole.FACILITATOR, by=None
    )
    facilitator = person.user
    secret = enrol_totp(facilitator)
    # The review round is over (the Seal button shows only after one): opened, then closed after its deadline.
    now = timezone.now()
    summary = summaries.open_review(summary=summary, deadline=now + dt.timedelta(hours=1), by=facilitator)
    summary = summaries.close_review(summary=summary, by=facilitator, now=now + dt.timedelta(hours=2))
    summary_path = f"/dialogues/{dialogue_id}/summaries/{summary.pk}/"

    # Redis database of this run only: nothing queued by an earlier, interrupted run may reach the workers.
    app.control.purge()
    nodes, browsers, started_workers = [], [], []
    try:
        nodes = [WebNode(tmp_path, "A"), WebNode(tmp_path, "B")]
        first, second = workers(), workers()
        started_workers += [first, second]
        a, b = nodes
        for node in nodes:
            wait_for(node.answers, timeout=45, every=0.2, message=node.output())
        names = wait_for(
            lambda: worker_names([first, second]),
            timeout=30,
            every=0.2,
            message=first.output() + second.output(),
        )
        assert len(names) == 2, names
        print(f"\nnodes and workers up after {time.monotonic() - started:.1f}s")
        assert a.process.pid != b.process.pid

        # 1. A session made on A answers on B, which never saw the login.
        on_a = log_in(a.url, facilitator.email, secret)
        browsers.append(on_a)
        assert facilitator.email in on_a.get(f"{a.url}{summary_path}", timeout=HTTP_TIMEOUT).text
        on_b = requests.Session()
        browsers.append(on_b)
        for cookie in ("sessionid", "csrftoken"):
            on_b.cookies.set(cookie, on_a.cookies[cookie], domain="127.0.0.1", path="/")
        page = on_b.get(f"{b.url}{summary_path}", allow_redirects=False, timeout=HTTP_TIMEOUT)
        assert page.status_code == 200, (page.status_code, page.headers.get("Location"), b.output())
        assert facilitator.email in page.text and "Seal this summary" in page.text
        anonymous = requests.get(f"{b.url}{summary_path}", allow_redirects=False, timeout=HTTP_TIMEOUT)
        assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/accounts/login/")

        # 2. The facilitator seals through B: the confirmation page's button posts the editor's text on, with
        # the CSRF token and the confirmation.
        response = on_b.post(
            f"{b.url}{summary_path}seal/",
            data={"csrfmiddlewaretoken": csrf_token(page), "body": summary.body, "confirmed": "yes"},
            allow_redirects=False,
            timeout=HTTP_TIMEOUT,
        )
        assert response.status_code == 302 and response.headers["Location"] == summary_path, response.text
        job = job_of(summary)
        assert job.enqueued_at is not None, "node B did not hand the job to Redis"
        # Two more deliveries of the same job at once, as a relay on another node or a Redis redelivery may
        # send them: with one task in hand each (prefetch 1, late acks), both workers get one.
        extra = {app.send_task(SEAL_TASK, args=[job.pk]).id for _ in range(2)}
        wait_for(
            lambda: job_of(summary).finished, timeout=60, every=0.1, message=first.output() + second.output()
        )
        assert job_of(summary).state == SealJobState.DONE, job_of(summary).error

        # 3. Sealed exactly once: one job, done on its first attempt, one sealed PDF that verifies, one copy
        # per reader, one "sealed" audit event.
        assert_sealed_once(summary)
        assert job_of(summary).attempts == 1
        assert Summary.objects.filter(workshop=summary.workshop).count() == 1
        # Node A shows the sealed summary the worker made.
        sealed_page = on_a.get(f"{a.url}{summary_path}", timeout=HTTP_TIMEOUT)
        summary.refresh_from_db()
        assert sealed_page.status_code == 200 and summary.sealed_sha256 in sealed_page.text

        # 4. Both workers took a delivery of the job; one of them sealed (its run is as long as the job's
        # render-sign-store time), the other's deliveries found the job taken or done and returned at once.
        def all_runs_done():
            runs = {w: seal_runs(w) for w in (first, second)}
            return runs if sum(len(r) for r in runs.values()) == 3 else None

        runs = wait_for(all_runs_done, timeout=20, every=0.1, message=first.output() + second.output())
        for worker in (first, second):
            assert RECEIVED.search(worker.log.read_text(errors="replace")), f"idle worker:\n{worker.output()}"
        seconds = job_of(summary).seconds
        sealers = [(w, run) for w, rs in runs.items() for run in rs if run[1] >= seconds]
        assert len(sealers) == 1, runs
        sealer, (task_id, took, _) = sealers[0]
        name = next(n for n, w in names.items() if w is sealer)
        other = next(n for n, w in names.items() if w is not sealer)
        origin = "node B's request" if task_id not in extra else "an extra delivery"
        print(
            f"\nsealed by {name} ({origin}, task ran {took:.2f}s, job {seconds:.2f}s); "
            f"{other} ran {len(runs[names[other]])} delivery(ies) that found the job taken; "
            f"whole check {time.monotonic() - started:.1f}s"
        )
        for node in nodes:
            assert node.process.poll() is None, node.output()
            assert "Traceback" not in node.output(), node.output()
    finally:
        # Idle keep-alive connections would hold gunicorn's graceful shutdown; all stop at once, not in turn.
        for browser in browsers:
            browser.close()
        for process in [node.process for node in nodes] + [worker.process for worker in started_workers]:
            if process.poll() is None:
                process.terminate()
        for node in nodes:
            node.stop()
        for worker in started_workers:
            worker.stop()
