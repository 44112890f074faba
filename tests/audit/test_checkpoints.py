# ruff: noqa: S608  (the tests tamper with the audit table by SQL, as its owner could; no user input)
import json

import pytest
from django.db import connection

from trackii.audit.checkpoints import latest_checkpoint, parse_record, read_checkpoint
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import record_event, write_checkpoint
from trackii.audit.tasks import write_checkpoint as write_checkpoint_task
from trackii.audit.verification import verify_chain

from .conftest import TABLE, tamper

# write_checkpoint commits its own transaction, so these tests run outside the test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def _rows(count: int) -> None:
    for n in range(count):
        record_event(actor=None, action=Action.VIEW, target_type="dialogues.summary", target_id=str(n))


def test_write_checkpoint_signs_the_checkpoint_row(checkpoint_dir):
    _rows(3)

    checkpoint = write_checkpoint()

    row = AuditEvent.objects.get(pk=checkpoint.last_id)
    assert (row.action, row.row_hash, checkpoint.last_id) == ("checkpoint", checkpoint.row_hash, 4)
    assert checkpoint.path.parent == checkpoint_dir
    assert read_checkpoint(checkpoint.path) == checkpoint
    report = verify_chain()
    assert report.ok, report.problem
    assert "matches" in report.checkpoint


def test_write_checkpoint_refuses_to_run_inside_a_transaction(checkpoint_dir):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        write_checkpoint()
    assert not AuditEvent.objects.exists()


def test_checkpoint_task_writes_one_file_per_run_with_rows_since(checkpoint_dir):
    write_checkpoint_task()
    _rows(1)
    write_checkpoint_task()
    write_checkpoint_task()  # nothing recorded since: nothing to sign

    assert sorted(path.name for path in checkpoint_dir.glob("*.json")) == [
        "checkpoint-000000000000001.json",
        "checkpoint-000000000000003.json",
    ]
    assert (checkpoint_dir / "HEAD").read_text() == "checkpoint-000000000000003.json\n"


def test_each_checkpoint_names_the_one_before(checkpoint_dir):
    first = write_checkpoint()
    _rows(1)
    second = write_checkpoint()

    assert parse_record(first.path).previous is None
    assert parse_record(second.path).previous == {
        "name": first.path.name,
        "digest": parse_record(first.path).digest,
    }


def test_verify_detects_truncated_tail_after_checkpoint(checkpoint_dir):
    _rows(5)
    write_checkpoint()  # row 6
    _rows(2)
    tamper(f"DELETE FROM {TABLE} WHERE id >= 5")

    report = verify_chain()

    assert (report.ok, report.bad_row_id) == (False, 6)
    assert "truncated" in report.problem


def test_verify_detects_rewritten_chain_via_checkpoint(checkpoint_dir):
    _rows(4)
    write_checkpoint()  # row 5
    # The owner edits row 2 and recomputes every hash after it: the chain alone looks whole again.
    tamper(f"UPDATE {TABLE} SET target_id = 'changed' WHERE id = 2")
    _rechain_from(2)
    assert verify_chain(checkpoints=False).ok

    report = verify_chain()

    assert (report.ok, report.bad_row_id) == (False, 5)
    assert "rewritten" in report.problem


def test_a_forged_checkpoint_file_fails_verification_and_the_overview_warns(checkpoint_dir):
    _rows(2)
    genuine = write_checkpoint()
    forged = checkpoint_dir / "checkpoint-000000000000099.json"
    document = json.loads(genuine.path.read_text())
    document["payload"]["last_id"] = 99
    forged.write_text(json.dumps(document))

    checkpoint, warnings = latest_checkpoint()
    report = verify_chain()

    assert checkpoint == genuine
    assert warnings == [
        "checkpoint-000000000000099.json does not carry a valid signature of the Third Party's key"
    ]
    assert not report.ok
    assert report.problem.startswith(
        "checkpoint-000000000000099.json does not carry a valid signature of the Third Party's key"
    )


def test_verify_detects_whole_table_emptied_via_checkpoint(checkpoint_dir):
    _rows(2)
    write_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}" if connection.vendor == "postgresql" else f"DELETE FROM {TABLE}")

    report = verify_chain()

    assert not report.ok and "truncated" in report.problem


def _rechain_from(first_id: int) -> None:
    from trackii.audit import chain

    rows = list(AuditEvent.objects.order_by("id"))
    previous = rows[first_id - 2].row_hash
    for row in rows[first_id - 1 :]:
        row.prev_hash = previous
        row.row_hash = chain.row_hash(chain.event_values(row))
        tamper(
            f"UPDATE {TABLE} SET prev_hash = %s, row_hash = %s WHERE id = %s",
            [row.prev_hash, row.row_hash, row.id],
        )
        previous = row.row_hash
