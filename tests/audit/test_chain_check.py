# ruff: noqa: S608  (the tests tamper with the audit table by SQL, as its owner could; no user input)
"""Issue 19: verifying the chain from the chain-status page. A real Celery worker (in this process, on Redis)
runs the same walk as verify_audit; the walk reports progress on a connection of its own without blocking
writers; one run at a time; a run whose worker died shows as stalled and can be started again."""

import datetime as dt
import threading
from io import StringIO

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action, ChainCheckStatus, Outcome
from trackii.audit.models import AuditEvent, ChainCheck
from trackii.audit.services import chain_checks, record_event
from trackii.audit.verification import verify_chain
from trackii.celery import app

from .conftest import TABLE, tamper
from .conftest import rows as _rows

CHAIN = reverse("audit:chain")
PROGRESS = reverse("audit:chain_progress")


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker):
    assert django_settings.CELERY_BROKER_URL.startswith("redis://"), "the suite runs Celery on Redis"
    with (
        django_db_blocker.unblock(),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        yield


@pytest.fixture
def ten_rows(checkpoint_dir):
    """Rows 1-10 at a first start (no checkpoint needed yet), for tests inside the test's transaction."""
    _rows(10)


@pytest.fixture
def auditor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    return user


@pytest.fixture
def auditor_client(auditor):
    client = Client()
    client.force_login(auditor)
    return client


def _in_thread(work, timeout: float = 10):
    """``work()`` on another thread, so on a database connection of its own; its result."""
    out = {}

    def run():
        try:
            out["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "blocked"
    return out["value"]


def _finished(check_id: int, timeout: float = 30) -> ChainCheck:
    from tests.helpers import wait_for

    wait_for(
        lambda: ChainCheck.objects.get(pk=check_id).finished_at is not None,
        timeout=timeout,
        message="no verdict",
    )
    return ChainCheck.objects.get(pk=check_id)


# --- The walk -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_chain_reports_progress_every_n_rows():
    _rows(10)
    calls = []

    report = verify_chain(checkpoints=False, progress=calls.append, progress_every=4)

    assert report.ok and report.rows == 10
    assert calls == [4, 8]


@pytest.mark.django_db(transaction=True)
def test_progress_is_committed_on_its_own_connection_and_writers_are_not_blocked(signed_chain, auditor):
    check = ChainCheck.objects.create(
        requested_by=auditor, requested_at=timezone.now(), progress_at=timezone.now()
    )
    seen, appended = [], []
    with chain_checks._ProgressWriter(check.pk) as writer:

        def progress(rows: int) -> None:
            writer(rows)
            # Mid-walk, while this thread's connection streams: another connection sees the progress, and a
            # writer appends to the chain without waiting for the walk.
            seen.append(_in_thread(lambda: ChainCheck.objects.get(pk=check.pk).rows_checked))
            appended.append(_in_thread(lambda: record_event(actor=None, action=Action.VIEW).pk))

        report = verify_chain(progress=progress, progress_every=4)

    assert report.ok and report.rows == 10  # the walk's snapshot: rows appended during it are the next run's
    assert seen == [4, 8]
    assert appended == [11, 12]


# --- Through a real worker ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_verifies_an_intact_chain_and_records_it(
    celery_worker, signed_chain, auditor, auditor_client
):
    response = auditor_client.post(CHAIN)
    assert response.status_code == 302
    check = ChainCheck.objects.get()

    check = _finished(check.pk)

    assert check.status == ChainCheckStatus.PASSED, check.result
    verdicts = {v["name"]: v["verdict"] for v in check.result["verdicts"]}
    assert verdicts == {
        "checkpoint-000000000000004.json": "matches",
        "checkpoint-000000000000008.json": "matches",
    }
    requested = AuditEvent.objects.get(action=Action.CHAIN_CHECK_REQUESTED)
    assert requested.actor_id == auditor.pk and requested.detail == {"run": check.pk}
    assert requested.target_type == "audit.chaincheck" and requested.target_id == str(check.pk)
    verified = AuditEvent.objects.get(action=Action.CHAIN_VERIFIED)
    assert verified.actor_id == auditor.pk and verified.outcome == Outcome.ALLOWED
    # Every row up to the request's own: the walk's snapshot precedes its verdict's row.
    assert check.rows_total == check.rows_checked == verified.id - 1
    assert verified.detail == {
        "rows": verified.id - 1,
        "bad_row_id": None,
        "problem": "",
        "source": "browser",
        "run": check.pk,
    }
    assert verified.request_id.startswith("task-")  # written by the worker, not the request

    page = auditor_client.get(CHAIN).content.decode()
    assert "checkpoint-000000000000008.json" in page and "Matches" in page
    assert "Intact" in page and f"this page (verification {check.pk})" in page


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_names_the_tampered_row(celery_worker, signed_chain, auditor_client):
    tamper(f"UPDATE {TABLE} SET target_id = 'edited' WHERE id = 6")

    auditor_client.post(CHAIN)
    check = _finished(ChainCheck.objects.get().pk)

    assert check.status == ChainCheckStatus.FAILED
    assert check.result["bad_row_id"] == 6
    assert check.result["problem"].startswith("row 6: its contents do not match its row_hash")
    verdicts = {v["row_id"]: v["verdict"] for v in check.result["verdicts"]}
    assert verdicts == {4: "matches", 8: "unchecked"}  # the walk stops at the broken row
    verified = AuditEvent.objects.get(action=Action.CHAIN_VERIFIED)
    assert verified.outcome == Outcome.FAILED and verified.detail["bad_row_id"] == 6
    page = auditor_client.get(CHAIN).content.decode()
    assert "Broken at row 6" in page and "row 6: its contents do not match" in page


@pytest.mark.django_db(transaction=True)
def test_a_rewritten_signed_row_shows_as_differing(signed_chain, auditor):
    # Rows 5-10 rewritten with consistent hashes (an owner re-chaining): only the checkpoint at row 8 sees it.
    tamper(f"DELETE FROM {TABLE} WHERE id > 4")
    _rows(6)
    # Created directly: request_chain_check would also send it to the module's worker.
    now = timezone.now()
    check = ChainCheck.objects.create(requested_by=auditor, requested_at=now, progress_at=now)

    check = chain_checks.run_chain_check(check=check, by=auditor)

    assert check.status == ChainCheckStatus.FAILED
    verdicts = {v["row_id"]: v for v in check.result["verdicts"]}
    assert verdicts[4]["verdict"] == "matches"
    assert verdicts[8]["verdict"] == "differs"
    assert verdicts[8]["found"] == AuditEvent.objects.get(pk=8).row_hash


# --- One at a time, and stalls ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_click_shows_the_run_under_way(ten_rows, auditor_client):
    first = auditor_client.post(CHAIN, follow=True)
    second = auditor_client.post(CHAIN, follow=True)

    check = ChainCheck.objects.get()
    assert "is queued" in first.content.decode()
    assert f"Verification {check.pk} is already under way" in second.content.decode()
    assert AuditEvent.objects.filter(action=Action.CHAIN_CHECK_REQUESTED).count() == 1
    assert "Verify the chain now</button>" not in second.content.decode()  # no button while it runs


@pytest.mark.django_db
def test_a_stalled_run_shows_as_stalled_and_can_be_started_again(ten_rows, auditor_client, auditor):
    old, _ = chain_checks.request_chain_check(by=auditor)
    ChainCheck.objects.filter(pk=old.pk).update(
        status=ChainCheckStatus.RUNNING, rows_checked=4, progress_at=timezone.now() - dt.timedelta(minutes=6)
    )

    page = auditor_client.get(CHAIN).content.decode()
    assert f"Verification {old.pk} has stalled" in page and "Start the verification again</button>" in page
    assert "hx-trigger" not in page  # nothing to poll

    auditor_client.post(CHAIN)
    old.refresh_from_db()
    new = ChainCheck.objects.get(status=ChainCheckStatus.QUEUED)
    assert old.status == ChainCheckStatus.ERROR and "stalled" in old.result["error"]
    assert AuditEvent.objects.filter(action=Action.CHAIN_CHECK_REQUESTED).last().detail == {
        "run": new.pk,
        "replaces_stalled": old.pk,
    }


@pytest.mark.django_db
def test_a_worker_leaves_a_run_another_holds_and_takes_back_a_stalled_one(ten_rows, auditor):
    check, _ = chain_checks.request_chain_check(by=auditor)
    ChainCheck.objects.filter(pk=check.pk).update(status=ChainCheckStatus.RUNNING, progress_at=timezone.now())

    assert chain_checks.run_chain_check(check=check, by=auditor).status == ChainCheckStatus.RUNNING
    assert not AuditEvent.objects.filter(action=Action.CHAIN_VERIFIED).exists()

    # The message delivered again after its worker died: the run is taken back and finished.
    ChainCheck.objects.filter(pk=check.pk).update(progress_at=timezone.now() - dt.timedelta(minutes=6))
    assert chain_checks.run_chain_check(check=check, by=auditor).status == ChainCheckStatus.PASSED
    # A finished run is not walked again.
    assert chain_checks.run_chain_check(check=check, by=auditor).status == ChainCheckStatus.PASSED
    assert AuditEvent.objects.filter(action=Action.CHAIN_VERIFIED).count() == 1


# --- The page --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_htmx_polls_the_progress_until_the_run_ends(ten_rows, auditor_client, auditor):
    check, _ = chain_checks.request_chain_check(by=auditor)
    ChainCheck.objects.filter(pk=check.pk).update(
        status=ChainCheckStatus.RUNNING, rows_checked=4000, rows_total=10000, progress_at=timezone.now()
    )

    page = auditor_client.get(CHAIN).content.decode()
    assert f'hx-get="{PROGRESS}?run={check.pk}" hx-trigger="every 2s"' in page
    assert f'<a href="{CHAIN}">Refresh</a>' in page  # without JavaScript
    poll = auditor_client.get(PROGRESS, {"run": check.pk}, headers={"HX-Request": "true"})
    body = poll.content.decode()
    assert poll.status_code == 200 and "4,000 of 10,000 rows checked" in body and "<h1" not in body
    count = AuditEvent.objects.count()
    auditor_client.get(PROGRESS, {"run": check.pk}, headers={"HX-Request": "true"})
    assert AuditEvent.objects.count() == count  # a poll is not a look at the log

    ChainCheck.objects.filter(pk=check.pk).update(status=ChainCheckStatus.PASSED, finished_at=timezone.now())
    done = auditor_client.get(PROGRESS, {"run": check.pk}, headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"
    assert auditor_client.get(PROGRESS, {"run": check.pk}).status_code == 302  # without htmx: the page


@pytest.mark.django_db
def test_the_page_is_recorded_and_its_head_is_the_auditors_own_row(ten_rows, auditor_client, auditor):
    page = auditor_client.get(CHAIN).content.decode()
    own = AuditEvent.objects.order_by("-id").first()
    assert own.action == Action.VIEW and own.target_type == "audit.chain" and own.actor_id == auditor.pk
    assert f"row {own.id}, recorded" in page and own.row_hash in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["participant", "staff_without_role", "revoked_auditor"])
def test_everyone_but_auditors_gets_the_ordinary_404(client, auditor, who):
    check, _ = chain_checks.request_chain_check(by=auditor)
    user = auditor if who == "revoked_auditor" else UserFactory(is_staff=who == "staff_without_role")
    client.force_login(user)
    if who == "revoked_auditor":
        user.groups.clear()  # the role removed while the session stays open

    assert client.get(CHAIN).status_code == 404
    assert client.post(CHAIN).status_code == 404
    assert client.get(PROGRESS, {"run": check.pk}, headers={"HX-Request": "true"}).status_code == 404
    assert ChainCheck.objects.count() == 1


@pytest.mark.django_db
def test_starting_a_run_needs_the_csrf_token(auditor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(auditor)

    assert client.post(CHAIN).status_code == 403
    assert not ChainCheck.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "abc", "-1", "999999999", "1 OR 1=1", "9" * 40])
def test_progress_of_a_run_that_does_not_exist_is_404(auditor_client, value):
    assert auditor_client.get(PROGRESS, {"run": value}, headers={"HX-Request": "true"}).status_code == 404


# --- The shell writes the same row ------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_audit_records_only_when_asked(ten_rows):
    call_command("verify_audit", stdout=StringIO())
    assert not AuditEvent.objects.filter(action=Action.CHAIN_VERIFIED).exists()

    call_command("verify_audit", "--record", stdout=StringIO())

    row = AuditEvent.objects.get(action=Action.CHAIN_VERIFIED)
    assert row.actor_id is None and row.request_id == "command-verify_audit"
    assert row.detail == {"rows": 10, "bad_row_id": None, "problem": "", "source": "command"}
