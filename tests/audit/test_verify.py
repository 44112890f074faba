# ruff: noqa: S608  (the tests tamper with the audit table by SQL, as its owner could; no user input)
import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from trackii.audit import chain
from trackii.audit.context import request_context
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import bulk_append, record_event
from trackii.audit.verification import verify_chain

from .conftest import TABLE, tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten_rows():
    bulk_append(
        events=[
            {"action": Action.VIEW, "target_type": "dialogues.summary", "target_id": str(n)} for n in range(8)
        ]
    )
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    with request_context(request):
        record_event(actor=None, action=Action.VIEW)
        record_event(actor=None, action=Action.DOWNLOAD, detail={"copy": "K7Q2"})
    return list(AuditEvent.objects.order_by("id"))


def _broken(expected_row: int, *words: str) -> str:
    report = verify_chain(checkpoints=False)
    assert not report.ok
    assert report.bad_row_id == expected_row, report.problem
    for word in words:
        assert word in report.problem
    return report.problem


def test_verify_chain_intact(ten_rows):
    report = verify_chain(checkpoints=False)

    assert report.ok, report.problem
    assert (report.rows, report.first_id, report.last_id) == (10, 1, 10)


def test_verify_audit_command_intact(ten_rows, capsys):
    call_command("verify_audit", "--no-checkpoint")

    assert "Audit chain intact: 10 rows (rows 1-10)" in capsys.readouterr().out


def test_verify_detects_edited_row(ten_rows):
    tamper(f"UPDATE {TABLE} SET target_id = '99' WHERE id = 4")

    _broken(4, "edited")


def test_verify_detects_edited_detail(ten_rows):
    tamper(f"""UPDATE {TABLE} SET detail = '{{"copy": "AAAA"}}' WHERE id = 10""")

    _broken(10, "edited")


def test_verify_detects_edited_client_address(ten_rows):
    tamper(f"UPDATE {TABLE} SET client_ip = '198.51.100.66' WHERE id = 9")

    _broken(9, "client address was edited")


def test_verify_detects_deleted_row(ten_rows):
    tamper(f"DELETE FROM {TABLE} WHERE id IN (5, 6)")

    _broken(7, "gap", "5-6 deleted")


def test_verify_detects_reordered_rows(ten_rows):
    # Swap rows 3 and 4 by swapping their ids.
    tamper(f"UPDATE {TABLE} SET id = -3 WHERE id = 3")
    tamper(f"UPDATE {TABLE} SET id = 3 WHERE id = 4")
    tamper(f"UPDATE {TABLE} SET id = 4 WHERE id = -3")

    _broken(3, "reordered")


def test_verify_detects_inserted_row(ten_rows):
    # Make room after row 5 and insert a row whose own hash and link are perfectly forged.
    tamper(f"UPDATE {TABLE} SET id = -id WHERE id > 5")
    tamper(f"UPDATE {TABLE} SET id = 1 - id WHERE id < 0")
    forged = AuditEvent(
        id=6,
        prev_hash=ten_rows[4].row_hash,
        occurred_at=ten_rows[4].occurred_at,
        actor_label="system",
        action="view",
        outcome="allowed",
        target_type="dialogues.summary",
        target_id="1",
        detail={},
    )
    forged.row_hash = chain.row_hash(chain.event_values(forged))
    forged.save(force_insert=True)  # inserts are allowed: the chain, not the trigger, catches this

    _broken(7, "inserted")


def test_verify_detects_chain_recomputed_from_edit_only_via_checkpoint(ten_rows):
    # Without a checkpoint a full rewrite from the edited row on is consistent: the documented limit.
    tamper(f"UPDATE {TABLE} SET target_id = '99', row_hash = %s WHERE id = 8", ["f" * 64])

    _broken(8, "edited")


def test_verify_audit_command_fails_naming_the_row(ten_rows):
    tamper(f"DELETE FROM {TABLE} WHERE id = 3")

    with pytest.raises(CommandError, match=r"BROKEN at row 4\. row 4: gap in the chain, row\(s\) 3 deleted"):
        call_command("verify_audit", "--no-checkpoint")


def test_verify_audit_exit_status_is_non_zero(ten_rows):
    tamper(f"DELETE FROM {TABLE} WHERE id = 3")

    with pytest.raises(SystemExit) as exited:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "verify_audit", "--no-checkpoint"]).execute()
    assert exited.value.code == 1


AWKWARD_TEXT = 'quote" back\\slash \n\t\x01\x1f\x7f é 中文 🕊 \u2028 </script>'


def test_verify_chain_of_awkward_text_matches_what_was_hashed():
    record_event(actor=None, action=Action.VIEW, target_type="x.y", target_id=AWKWARD_TEXT[:60])
    record_event(
        actor=None, action=Action.VIEW, detail={AWKWARD_TEXT: [AWKWARD_TEXT, {"b": 1, "a": None, "c": True}]}
    )

    report = verify_chain(checkpoints=False)

    assert report.ok, report.problem
    assert report.rows == 2


def test_verify_walk_text_is_the_canonical_text(ten_rows):
    from trackii.audit.verification import _rows

    walked = {row[0]: row[2] for row in _rows(4)}

    assert walked == {event.id: chain.canonical_text(chain.event_values(event)) for event in ten_rows}


def test_verify_detects_an_awkward_edit(ten_rows):
    # Text that would read the same if the walk's JSON were built without escaping.
    tamper(f"""UPDATE {TABLE} SET target_type = 'dialogues.summary","1' , target_id = '' WHERE id = 2""")

    _broken(2, "edited")
