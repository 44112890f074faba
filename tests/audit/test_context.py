"""Who acts, from where: commands and tasks name themselves in the rows they write (decision 0010)."""

from io import StringIO

import pytest
from django.core.management import call_command

from trackii.audit.context import command_context, current, enter_task, leave_task, request_context
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import record_event

pytestmark = pytest.mark.django_db


def test_command_context_names_the_command_and_gives_no_address():
    with command_context("purge_audit"):
        inside = record_event(actor=None, action=Action.VIEW)
    after = record_event(actor=None, action=Action.VIEW)

    assert (inside.request_id, inside.client_ip, inside.actor_label) == (
        "command-purge_audit",
        None,
        "system",
    )
    assert after.request_id == ""


def test_command_context_inside_a_request_gives_the_request_back_after(rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.44")
    request.request_id = "req-87654321"
    with request_context(request):
        with command_context("seed_demo"):
            inside = record_event(actor=None, action=Action.VIEW)
        back = record_event(actor=None, action=Action.VIEW)

    assert inside.request_id == "command-seed_demo" and inside.client_ip is None
    assert (back.request_id, back.client_ip) == ("req-87654321", "192.0.2.44")


@pytest.mark.parametrize(
    ("command", "arguments", "action"),
    [
        ("purge_audit", ["--older-than", "730"], Action.RETENTION_PURGE),
        ("drop_audit_addresses", ["--older-than", "0"], Action.ADDRESSES_DROPPED),
        ("unlock_login", ["someone@example.org"], Action.LOGIN_UNLOCKED),
    ],
)
def test_audit_rows_of_a_management_command_carry_its_name(command, arguments, action):
    call_command(command, *arguments, stdout=StringIO())

    row = AuditEvent.objects.filter(action=action).get()
    assert (row.request_id, row.actor_label) == (f"command-{command}", "system")


def test_a_tasks_rows_carry_its_task_id():
    with command_context("outer"):  # so that the test leaves no context behind
        enter_task("3f2a")
        row = record_event(actor=None, action=Action.VIEW)

    assert row.request_id == "task-3f2a"


def test_a_tasks_context_ends_with_the_task():
    # A task run in its caller's thread (eagerly) leaves the caller's context as it found it.
    with command_context("caller"):
        enter_task("3f2a")
        leave_task("3f2a")
        assert current().request_id == "command-caller"
    assert current().request_id == ""


def test_an_eager_task_leaves_no_context_behind():
    from trackii.celery import app
    from trackii.tasks import ping

    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        assert ping.delay().get() == "pong"
    finally:
        app.conf.task_always_eager = eager
    assert current().request_id == ""
