# ruff: noqa: S608  (the tests tamper with the audit table by SQL, as its owner could; no user input)
"""Issue 16 §3: every way a database owner could rewrite the log, each done by raw SQL, each caught by
verify_audit (the command: exit status 1 and a message that names what is wrong), against every signed record
in the checkpoint folder."""

import base64
import json
import shutil

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone

from trackii.audit import chain
from trackii.audit.checkpoints import parse_record, payload_bytes
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import AuditChainError, write_checkpoint

from .conftest import TABLE, tamper
from .conftest import fails_verification as _fails
from .conftest import passes_verification as _passes
from .conftest import rows as _rows

# write_checkpoint commits its own transaction, so these tests run outside the test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

COLUMNS = (
    "id, occurred_at, actor_id, actor_label, action, outcome, target_type, target_id, dialogue_id, "
    "request_id, client_ip, client_ip_salt, client_ip_hash, detail, prev_hash, row_hash"
)


def _head() -> tuple[int, str]:
    return AuditEvent.objects.order_by("-id").values_list("id", "row_hash").first() or (0, chain.GENESIS)


def _forge(*, after: tuple[int, str], count: int, action: str = "view", detail=None) -> list[AuditEvent]:
    """Rows a database owner writes with INSERT, each chained and hashed exactly as the app would."""
    (previous_id, previous_hash), forged = after, []
    occurred_at = timezone.now()
    for n in range(count):
        event = AuditEvent(
            id=previous_id + 1,
            occurred_at=occurred_at,
            actor_label="system",
            action=action,
            outcome="allowed",
            target_type="dialogues.summary",
            target_id=f"forged-{n}",
            request_id="",
            client_ip_hash="",
            detail=detail(previous_id + 1) if callable(detail) else (detail or {}),
            prev_hash=previous_hash,
        )
        event.row_hash = chain.row_hash(chain.event_values(event))
        tamper(
            f"INSERT INTO {TABLE} ({COLUMNS}) VALUES "
            "(%s, %s, NULL, %s, %s, %s, %s, %s, NULL, '', NULL, NULL, '', %s, %s, %s)",
            [
                event.id, event.occurred_at, event.actor_label, event.action, event.outcome,
                event.target_type, event.target_id, json.dumps(event.detail), event.prev_hash, event.row_hash,
            ],
        )  # fmt: skip
        previous_id, previous_hash = event.id, event.row_hash
        forged.append(event)
    return forged


def _hash_of(row_id: int) -> str:
    return AuditEvent.objects.values_list("row_hash", flat=True).get(pk=row_id)


def test_an_untouched_signed_chain_verifies(signed_chain):
    out = _passes()

    assert "Audit chain intact: 10 rows (rows 1-10)" in out
    assert "Every signed record matches: 2 checkpoint(s), newest checkpoint-000000000000008.json" in out


def test_edited_detail_is_named(signed_chain):
    tamper(f"""UPDATE {TABLE} SET detail = '{{"copy": "AAAA"}}' WHERE id = 2""")

    _fails("at row 2.", "row 2: its contents do not match its row_hash: the row was edited")


def test_deleted_middle_row_is_named(signed_chain):
    tamper(f"DELETE FROM {TABLE} WHERE id = 5")

    _fails("at row 6.", "gap in the chain, row(s) 5 deleted")


def test_swapped_rows_are_named(signed_chain):
    tamper(f"UPDATE {TABLE} SET id = -6 WHERE id = 6")
    tamper(f"UPDATE {TABLE} SET id = 6 WHERE id = 7")
    tamper(f"UPDATE {TABLE} SET id = 7 WHERE id = -6")

    _fails("at row 6.", "a row was inserted or rows were reordered")


def test_deleted_tail_is_named_by_the_checkpoint_that_signed_it(signed_chain):
    tamper(f"DELETE FROM {TABLE} WHERE id >= 8")

    _fails(
        "at row 8.",
        "named by the signed checkpoint-000000000000008.json",
        "missing: the log now ends at row 7",
        "truncated",
    )


def test_deleted_tail_with_new_rows_in_its_place_fails_on_every_checkpoint(signed_chain):
    tamper(f"DELETE FROM {TABLE} WHERE id >= 6")
    _forge(after=(5, _hash_of(5)), count=6)

    _fails(
        "at row 8.",
        "its hash differs from the one in the signed checkpoint-000000000000008.json",
        "rows were deleted and their ids used again",
    )


def test_deleted_tail_then_ids_used_again_by_the_app_is_not_signed_over(signed_chain):
    # The finding: delete the tail, let the app reuse the ids, and wait for beat's next checkpoint.
    tamper(f"DELETE FROM {TABLE} WHERE id >= 6")
    _rows(4)  # the app writes rows 6-9 again

    with pytest.raises(
        AuditChainError, match=r"row 8, signed in checkpoint-000000000000008\.json, is different"
    ):
        write_checkpoint()

    assert _head()[0] == 9  # no checkpoint row, no file
    _fails("at row 8.", "its hash differs from the one in the signed checkpoint-000000000000008.json")


def test_a_newer_checkpoint_does_not_excuse_an_older_one(signed_chain):
    # Even if something signed the head after the ids were reused, the checkpoint of row 8 still counts.
    from trackii.audit.checkpoints import folder_lock, head_record, set_head, write_record

    tamper(f"DELETE FROM {TABLE} WHERE id >= 6")
    _rows(6)
    head_id, head_hash = _head()
    with folder_lock(signed_chain):
        record = write_record(
            directory=signed_chain,
            kind="checkpoint",
            name=f"checkpoint-{head_id:015d}.json",
            fields={"last_id": head_id, "row_hash": head_hash, "at": "2030-01-01T00:00:00.000000Z"},
            previous=head_record(signed_chain),
        )
        set_head(signed_chain, record)

    _fails("at row 8.", "checkpoint-000000000000008.json")


def test_forged_purge_row_does_not_anchor_the_chain(signed_chain):
    # Delete the oldest rows and append a retention_purge row that names the new start, hashed properly.
    tamper(f"DELETE FROM {TABLE} WHERE id <= 5")
    anchor = {"deleted": 5, "before": "2020-01-01T00:00:00.000000Z", "first_id": 6, "first_prev_hash": ""}
    anchor["first_prev_hash"] = AuditEvent.objects.values_list("prev_hash", flat=True).get(pk=6)
    _forge(after=_head(), count=1, action="retention_purge", detail=anchor)

    _fails(
        "at row 6.",
        "the chain starts here, but it is neither row 1 chained to the genesis nor anchored by a signed",
        "a retention_purge row in the log proves nothing without its signed purge-*.json",
    )


def test_log_replaced_by_two_made_up_rows_fails(signed_chain):
    # Everything gone; two rows, the first a "purge" that anchors itself, past every checkpoint.
    tamper(f"DELETE FROM {TABLE}")
    made_up = "ab" * 32
    _forge(
        after=(10, made_up),
        count=2,
        action="retention_purge",
        detail=lambda row_id: {"deleted": 10, "before": "", "first_id": 11, "first_prev_hash": made_up},
    )

    _fails("at row 11.", "nor anchored by a signed purge record")


def test_log_replaced_by_two_rows_from_the_genesis_past_every_checkpoint_fails(signed_chain):
    tamper(f"DELETE FROM {TABLE}")
    _forge(after=(10, chain.GENESIS), count=2)

    _fails("at row 11.", "neither row 1 chained to the genesis nor anchored by a signed purge record")


def test_log_replaced_by_two_rows_from_the_genesis_fails(signed_chain):
    tamper(f"DELETE FROM {TABLE}")
    _forge(after=(0, chain.GENESIS), count=2)

    _fails(
        "at row 4.",
        "named by the signed checkpoint-000000000000004.json",
        "missing: the log now ends at row 2",
    )


def test_removed_checkpoint_folder_fails_and_is_not_signed_over(signed_chain):
    shutil.rmtree(signed_chain)

    message = _fails("no signed checkpoint: the checkpoint folder", "does not exist", "not a first start")
    assert "the log holds checkpoint row 4" in message
    with pytest.raises(AuditChainError, match="holds no signed record"):
        write_checkpoint()  # beat cannot start a fresh folder over the loss


def test_no_checkpoint_at_all_outside_first_start_fails(checkpoint_dir):
    from trackii.audit.services import bulk_append

    bulk_append(events=[{"action": Action.VIEW, "occurred_at": _an_hour_ago()} for _ in range(3)])

    _fails("no signed checkpoint", "does not exist", "more than one checkpoint interval (15 minutes) ago")


def test_first_start_without_a_checkpoint_passes_and_says_so(checkpoint_dir):
    _rows(3)

    out = _passes()

    assert "First start: no signed checkpoint yet" in out
    assert (
        "less than one checkpoint interval (15 minutes) ago, and verification fails if none is signed by"
        in out
    )


def test_removed_older_checkpoint_file_is_named(signed_chain):
    (signed_chain / "checkpoint-000000000000004.json").unlink()

    _fails(
        "checkpoint-000000000000008.json was signed after checkpoint-000000000000004.json, which is no "
        "longer in the folder as signed: a signed record was removed or altered"
    )


def test_checkpoint_signed_by_another_key_fails(signed_chain):
    # Rewrite the unsigned tail, then sign its new head with a key of one's own, linked like a real one.
    tamper(f"DELETE FROM {TABLE} WHERE id >= 9")
    head_id, head_hash = _forge(after=(8, _hash_of(8)), count=3)[-1].id, _hash_of(11)
    genuine = parse_record(signed_chain / "checkpoint-000000000000008.json")
    payload = {
        "kind": "trackii.audit.checkpoint",
        "last_id": head_id,
        "row_hash": head_hash,
        "at": "2030-01-01T00:00:00.000000Z",
        "previous": {"name": "checkpoint-000000000000008.json", "digest": genuine.digest},
    }
    signature = ec.generate_private_key(ec.SECP256R1()).sign(
        payload_bytes(payload), ec.ECDSA(hashes.SHA256())
    )
    (signed_chain / "checkpoint-000000000000011.json").write_text(
        json.dumps({"payload": payload, "signature": base64.b64encode(signature).decode()})
    )

    _fails(
        "checkpoint-000000000000011.json does not carry a valid signature of the Third Party's key "
        "(signed by another key, or altered after signing)"
    )


def test_altered_checkpoint_file_is_named(signed_chain):
    path = signed_chain / "checkpoint-000000000000004.json"
    document = json.loads(path.read_text())
    document["payload"]["row_hash"] = "0" * 64
    path.write_text(json.dumps(document))

    _fails("checkpoint-000000000000008.json was signed after checkpoint-000000000000004.json")


def _an_hour_ago():
    import datetime

    return timezone.now() - datetime.timedelta(hours=1)
