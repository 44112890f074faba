# ruff: noqa: S608  (the tests tamper with the audit table by SQL, as its owner could; no user input)
"""The retention purge: the only way rows are deleted, signed, and held to TRACKII_AUDIT_RETENTION_DAYS."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from trackii.audit import chain
from trackii.audit.checkpoints import folder_lock, head_record, read_folder, set_head, write_record
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import AuditChainError, bulk_append, purge_events
from trackii.audit.verification import verify_chain

from .conftest import TABLE, tamper
from .test_triggers import _refused

pytestmark = pytest.mark.django_db


def _backdate_chain(days_by_row: list[int]) -> list[AuditEvent]:
    """A valid chain whose rows were recorded ``days`` ago, oldest first."""
    now = timezone.now()
    bulk_append(
        events=[{"action": Action.VIEW, "occurred_at": now - datetime.timedelta(days=d)} for d in days_by_row]
    )
    return list(AuditEvent.objects.order_by("id"))


def _signed_back_then(directory, row_id: int) -> None:
    """A checkpoint of ``row_id`` as beat signed it when that row was the head."""
    row = AuditEvent.objects.get(pk=row_id)
    with folder_lock(directory):
        record = write_record(
            directory=directory,
            kind="checkpoint",
            name=f"checkpoint-{row_id:015d}.json",
            fields={"last_id": row_id, "row_hash": row.row_hash, "at": chain.timestamp_text(row.occurred_at)},
            previous=head_record(directory),
        )
        set_head(directory, record)


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_purge_deletes_the_old_prefix_signs_the_anchor_and_chain_still_verifies(checkpoint_dir):
    rows = _backdate_chain([800, 760, 740, 10, 1])
    _signed_back_then(checkpoint_dir, 2)
    _signed_back_then(checkpoint_dir, 5)

    event = purge_events(before=_ago(730))

    assert list(AuditEvent.objects.order_by("id").values_list("id", flat=True)) == [4, 5, 6]
    assert event.detail == {
        "deleted": 3,
        "before": event.detail["before"],
        "first_id": 4,
        "first_prev_hash": rows[2].row_hash,
    }
    signed = json.loads((checkpoint_dir / "purge-000000000000004.json").read_text())["payload"]
    assert signed == {
        "kind": "trackii.audit.purge",
        "first_id": 4,
        "first_prev_hash": rows[2].row_hash,
        "before": event.detail["before"],
        "at": chain.timestamp_text(event.occurred_at),
        "retention_days": 730,
        "deleted": 3,
        "previous": signed["previous"],
    }
    assert signed["previous"]["name"] == "checkpoint-000000000000005.json"
    report = verify_chain()
    assert report.ok, report.problem
    assert (report.first_id, report.rows) == (4, 3)
    assert "1 purge(s) within the retention policy (730 days)" in report.checkpoint
    assert "1 signed row(s) before row 4 were purged" in report.checkpoint


def test_purge_keeps_the_head_row_so_the_chain_continues(settings, checkpoint_dir):
    settings.TRACKII_AUDIT_RETENTION_DAYS = 1
    rows = _backdate_chain([900, 800])
    _signed_back_then(checkpoint_dir, 2)

    event = purge_events(before=_ago(1))

    assert list(AuditEvent.objects.order_by("id").values_list("id", flat=True)) == [2, 3]
    assert (event.prev_hash, event.detail["first_id"]) == (rows[1].row_hash, 2)
    assert verify_chain().ok
    purge_events(before=_ago(1))
    assert list(AuditEvent.objects.order_by("id").values_list("id", flat=True)) == [3, 4]
    report = verify_chain()
    assert report.ok, report.problem
    assert sorted(path.name for path in checkpoint_dir.glob("purge-*")) == [
        "purge-000000000000002.json",
        "purge-000000000000003.json",
    ]


def test_purge_of_an_empty_log_starts_the_chain_and_signs_nothing(checkpoint_dir):
    event = purge_events(before=_ago(730))

    assert (event.id, event.prev_hash, event.detail["first_id"], event.detail["deleted"]) == (
        1,
        "0" * 64,
        1,
        0,
    )
    assert not checkpoint_dir.exists()
    assert verify_chain().ok  # first start


def test_purge_audit_command_uses_retention_days(settings, checkpoint_dir):
    settings.TRACKII_AUDIT_RETENTION_DAYS = 30
    _backdate_chain([40, 35, 20])
    _signed_back_then(checkpoint_dir, 3)
    out = StringIO()

    call_command("purge_audit", stdout=out)

    assert (
        "Deleted 2 audit rows older than 30 days and signed the purge; the chain now starts at row 3"
        in out.getvalue()
    )
    # The guard is back: nothing else in this transaction or later may delete.
    _refused(f"DELETE FROM {TABLE}")
    assert verify_chain().ok


def test_purge_audit_refuses_less_than_the_retention_policy(settings):
    settings.TRACKII_AUDIT_RETENTION_DAYS = 30

    with pytest.raises(CommandError, match="shorter than the retention policy"):
        call_command("purge_audit", "--older-than", "29")
    with pytest.raises(ValueError, match="keeps audit rows 30 days"):
        purge_events(before=_ago(29))
    assert not AuditEvent.objects.exists()


def test_purge_refuses_while_the_chain_does_not_verify(checkpoint_dir):
    _backdate_chain([800, 760, 10])
    _signed_back_then(checkpoint_dir, 3)
    tamper(f"UPDATE {TABLE} SET target_id = 'x' WHERE id = 2")

    with pytest.raises(AuditChainError, match=r"Nothing was purged.*row 2: .* the row was edited"):
        purge_events(before=_ago(730))

    assert AuditEvent.objects.count() == 3
    assert not list(checkpoint_dir.glob("purge-*"))


def test_purge_refuses_a_log_that_was_never_signed(checkpoint_dir):
    _backdate_chain([800, 760, 10])

    with pytest.raises(AuditChainError, match="no signed checkpoint"):
        purge_events(before=_ago(730))

    assert AuditEvent.objects.count() == 3


def test_a_policy_lengthened_after_a_purge_is_a_warning_not_a_break(settings, checkpoint_dir):
    settings.TRACKII_AUDIT_RETENTION_DAYS = 30
    _backdate_chain([40, 35, 20])
    _signed_back_then(checkpoint_dir, 3)
    purge_events(before=_ago(30))  # allowed then: the policy was 30 days
    settings.TRACKII_AUDIT_RETENTION_DAYS = 730  # the policy from now on

    out, err = StringIO(), StringIO()
    call_command("verify_audit", stdout=out, stderr=err)

    assert "Audit chain intact" in out.getvalue()
    assert (
        "warning: purge-000000000000003.json deleted rows after 30 days, under the retention policy of that "
        "time; TRACKII_AUDIT_RETENTION_DAYS now keeps audit rows 730 days" in err.getvalue()
    )


def test_a_purge_that_broke_the_policy_it_was_signed_under_fails_verification(settings, checkpoint_dir):
    # Only a holder of the signing key can write such a file; verify_audit still refuses it.
    settings.TRACKII_AUDIT_RETENTION_DAYS = 30
    _backdate_chain([40, 35, 20])
    _signed_back_then(checkpoint_dir, 3)
    purge_events(before=_ago(30))
    path = checkpoint_dir / "purge-000000000000003.json"
    payload = json.loads(path.read_text())["payload"]
    path.unlink()
    with folder_lock(checkpoint_dir):
        records, _ = read_folder(checkpoint_dir)
        (checkpoint,) = [record for record in records if record.name == "checkpoint-000000000000003.json"]
        fields = {key: value for key, value in payload.items() if key not in ("kind", "previous")}
        record = write_record(
            directory=checkpoint_dir,
            kind="purge",
            name=path.name,
            fields=fields | {"retention_days": 730},
            previous=checkpoint,
        )
        set_head(checkpoint_dir, record)

    with pytest.raises(CommandError) as raised:
        call_command("verify_audit", stdout=StringIO())

    assert raised.value.returncode == 1
    assert "purge-000000000000003.json: at " in str(raised.value)
    assert (
        "only 30.0 days earlier, but the retention policy it was signed under keeps audit rows 730 days: "
        "the purge was not allowed by the retention policy" in str(raised.value)
    )
