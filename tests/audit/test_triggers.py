# ruff: noqa: S608  (the tests tamper with the audit table by SQL, as its owner could; no user input)
import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from trackii.audit.context import request_context
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import drop_addresses, record_event
from trackii.audit.verification import verify_chain

from .conftest import TABLE, tamper

pytestmark = pytest.mark.django_db


def _event_with_address():
    with request_context(RequestFactory().get("/", REMOTE_ADDR="192.0.2.8")):
        return record_event(actor=None, action=Action.VIEW)


def _refused(sql: str) -> None:
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def test_trigger_refuses_update_of_any_hashed_column():
    event = _event_with_address()

    _refused(f"UPDATE {TABLE} SET detail = '{{}}', action = 'login' WHERE id = {event.id}")
    _refused(f"UPDATE {TABLE} SET row_hash = prev_hash WHERE id = {event.id}")


def test_trigger_refuses_changing_the_address_instead_of_dropping_it():
    event = _event_with_address()

    _refused(f"UPDATE {TABLE} SET client_ip = '198.51.100.1' WHERE id = {event.id}")
    _refused(f"UPDATE {TABLE} SET client_ip = NULL WHERE id = {event.id}")  # salt left behind
    _refused(
        f"UPDATE {TABLE} SET client_ip = NULL, client_ip_salt = NULL, target_id = 'x' WHERE id = {event.id}"
    )


def test_trigger_refuses_delete_by_sql_and_by_orm():
    event = _event_with_address()

    _refused(f"DELETE FROM {TABLE} WHERE id = {event.id}")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_trigger_allows_dropping_the_address_and_chain_still_verifies():
    event = _event_with_address()

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET client_ip = NULL, client_ip_salt = NULL WHERE id = %s", [event.id]
        )

    event.refresh_from_db()
    assert (event.client_ip, event.client_ip_salt) == (None, None)
    assert event.client_ip_hash  # the commitment stays, and reveals nothing without the salt
    assert verify_chain(checkpoints=False).ok


def test_drop_addresses_forgets_only_old_rows_and_records_itself():
    old = _event_with_address()
    tamper(
        f"UPDATE {TABLE} SET occurred_at = %s WHERE id = %s",
        [timezone.now() - datetime.timedelta(days=100), old.id],
    )
    # Backdating breaks that row's hash; this test only looks at which addresses are forgotten.
    recent = _event_with_address()

    event = drop_addresses(before=timezone.now() - datetime.timedelta(days=90))

    assert event.action == "addresses_dropped" and event.detail["rows"] == 1
    assert AuditEvent.objects.get(pk=old.pk).client_ip is None
    assert AuditEvent.objects.get(pk=recent.pk).client_ip == "192.0.2.8"


def test_drop_audit_addresses_command_keeps_the_chain_valid(capsys):
    for _ in range(3):
        _event_with_address()

    call_command("drop_audit_addresses", "--older-than", "0")

    assert "Dropped the client address of 3 audit rows" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(client_ip__isnull=False).exists()
    assert verify_chain(checkpoints=False).ok


def _backdate_chain(days_by_row: list[int]) -> list[AuditEvent]:
    """A valid chain whose rows were recorded ``days`` ago, oldest first."""
    from trackii.audit.services import bulk_append

    now = timezone.now()
    bulk_append(
        events=[{"action": Action.VIEW, "occurred_at": now - datetime.timedelta(days=d)} for d in days_by_row]
    )
    return list(AuditEvent.objects.order_by("id"))


# The purge itself (signed, checked against the retention policy) is tested in test_purge.py.


def test_deleting_the_oldest_rows_outside_a_purge_is_detected():
    _backdate_chain([5, 4, 3])
    tamper(f"DELETE FROM {TABLE} WHERE id = 1")

    report = verify_chain(checkpoints=False)

    assert (report.ok, report.bad_row_id) == (False, 2)
    assert "deleted" in report.problem
