# ruff: noqa: S608  (the tests tamper with the audit table by SQL, as its owner could; no user input)
"""Restoring an older backup: a signed, audited re-baseline, and nothing else, makes the lost checkpoints
acceptable (docs/decisions/0003-audit-chain.md)."""

import base64
import json
import shutil
from io import StringIO

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import CommandError, call_command

from trackii.audit.checkpoints import parse_record, payload_bytes
from trackii.audit.models import AuditEvent
from trackii.audit.services import write_checkpoint

from .conftest import TABLE, tamper
from .conftest import fails_verification as _fails
from .conftest import passes_verification as _passes
from .conftest import rows as _rows

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "Restored the 09:00 backup after the database disk failed"


def _rebaseline(*arguments: str) -> str:
    out = StringIO()
    call_command("rebaseline_audit", *arguments, stdout=out)
    return out.getvalue()


def _restore_backup_taken_at(row_id: int) -> None:
    """What restoring an older dump leaves behind: the rows after it are gone, the checkpoint files stay."""
    tamper(f"DELETE FROM {TABLE} WHERE id > %s", [row_id])


def test_restored_backup_is_rebaselined_signed_and_audited(signed_chain):
    _restore_backup_taken_at(6)
    _fails("at row 8.", "named by the signed checkpoint-000000000000008.json")

    out = _rebaseline("--reason", REASON)

    assert out == (
        "Re-baselined the audit chain: rows up to 6 kept, 1 signed record(s) superseded; recorded as row 7 "
        "and signed as rebaseline-000000000000007.json.\n"
    )
    row = AuditEvent.objects.get(pk=7)
    assert (row.action, row.request_id, row.actor_label) == (
        "chain_rebaselined",
        "command-rebaseline_audit",
        "system",
    )
    assert row.detail == {
        "reason": REASON,
        "superseded": 1,
        "superseded_rows": [8, 8],
        "accepted_start": False,
    }
    record = parse_record(signed_chain / "rebaseline-000000000000007.json")
    assert (record.payload["last_kept_id"], record.payload["last_kept_hash"]) == (6, row.prev_hash)
    assert record.payload["supersedes"] == [
        parse_record(signed_chain / "checkpoint-000000000000008.json").digest
    ]
    assert "rebaseline-000000000000007.json kept rows up to 6 and supersedes 1 earlier record(s)" in _passes()


def test_after_a_rebaseline_ids_used_again_are_signed_beside_the_superseded_file(signed_chain):
    _restore_backup_taken_at(6)
    _rebaseline("--reason", REASON)  # row 7

    checkpoint = write_checkpoint()  # row 8 again: its old file stays, superseded

    assert checkpoint.last_id == 8
    assert checkpoint.path.name.startswith("checkpoint-000000000000008-")
    assert (signed_chain / "checkpoint-000000000000008.json").exists()
    _rows(2)
    write_checkpoint()
    assert "Audit chain intact: 11 rows" in _passes()


def test_rebaseline_refuses_any_other_damage(signed_chain):
    _restore_backup_taken_at(6)
    tamper(f"UPDATE {TABLE} SET target_id = 'x' WHERE id = 2")

    with pytest.raises(CommandError, match=r"Not re-baselined: row 2: .* the row was edited"):
        _rebaseline("--reason", REASON)

    assert not list(signed_chain.glob("rebaseline-*"))
    assert not AuditEvent.objects.filter(action="chain_rebaselined").exists()


def test_rebaseline_refuses_when_the_chain_verifies(signed_chain):
    with pytest.raises(CommandError, match="Nothing to re-baseline"):
        _rebaseline("--reason", REASON)


def test_rebaseline_wants_a_reason(signed_chain):
    with pytest.raises(CommandError, match="Say why"):
        _rebaseline("--reason", "restore")


def test_a_rebaseline_signed_by_another_key_supersedes_nothing(signed_chain):
    _restore_backup_taken_at(6)
    superseded = parse_record(signed_chain / "checkpoint-000000000000008.json")
    payload = {
        "kind": "trackii.audit.rebaseline",
        "row_id": 7,
        "row_hash": "ab" * 32,
        "at": "2030-01-01T00:00:00.000000Z",
        "last_kept_id": 6,
        "last_kept_hash": AuditEvent.objects.get(pk=6).row_hash,
        "reason": REASON,
        "supersedes": [superseded.digest],
        "start": None,
        "previous": {"name": superseded.name, "digest": superseded.digest},
    }
    signature = ec.generate_private_key(ec.SECP256R1()).sign(
        payload_bytes(payload), ec.ECDSA(hashes.SHA256())
    )
    (signed_chain / "rebaseline-000000000000007.json").write_text(
        json.dumps({"payload": payload, "signature": base64.b64encode(signature).decode()})
    )

    _fails("rebaseline-000000000000007.json does not carry a valid signature of the Third Party's key")


def test_rebaseline_after_the_checkpoint_folder_was_lost(signed_chain):
    shutil.rmtree(signed_chain)
    _fails("no signed checkpoint")

    _rebaseline("--reason", "The checkpoint volume was lost; its backup is gone too")

    assert "kept rows up to 10 and supersedes 0 earlier record(s)" in _passes()


def test_rebaseline_accepts_an_unsigned_start_only_when_asked(signed_chain):
    # A purge made before purges were signed: the log starts at row 4 and only a log row says why.
    tamper(f"DELETE FROM {TABLE} WHERE id < 4")
    _fails("at row 4.", "nor anchored by a signed purge record")

    with pytest.raises(CommandError, match="pass --accept-start"):
        _rebaseline("--reason", REASON)
    out = _rebaseline("--reason", "Purged in 2024, before purges were signed", "--accept-start")

    assert "the chain start accepted" in out
    assert "Audit chain intact: 8 rows (rows 4-11)" in _passes()
