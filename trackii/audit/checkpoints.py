"""Signed checkpoints of the chain's head, written to files outside the database.

A checkpoint says "row N had row_hash H at time T", signed with the Third Party's key. Someone who can
rewrite the database but does not hold the key (a database owner, a restored backup) can then no longer
truncate the tail or recompute the chain from some row onwards without verify_audit noticing. Keep the
directory on storage the database owner cannot write (or copy the files away).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from .chain import timestamp_text
from .enums import Action
from .services import record_event

KIND = "trackii.audit.checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    path: Path
    last_id: int
    row_hash: str
    at: str


def checkpoint_dir() -> Path:
    configured = getattr(settings, "TRACKII_AUDIT_CHECKPOINT_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "audit-checkpoints"


def payload_bytes(*, last_id: int, row_hash: str, at: str) -> bytes:
    # The kind is signed too, so a signature made by the same key for something else never passes as one.
    payload = {"kind": KIND, "last_id": last_id, "row_hash": row_hash, "at": at}
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("ascii")


def write_checkpoint(*, directory: Path | None = None) -> Checkpoint:
    """Record a ``checkpoint`` row, commit it, then sign that row's id and hash into a new file.

    Commits its own transaction: a file must never name a row that could still be rolled back. A crash
    between the commit and the file only leaves a checkpoint row without a file, which is harmless."""
    from trackii.sealing.keys import sign_bytes

    if connection.in_atomic_block:
        raise RuntimeError(
            "write_checkpoint commits its own transaction; call it outside transaction.atomic()."
        )
    with transaction.atomic():
        event = record_event(actor=None, action=Action.CHECKPOINT)
    at = timestamp_text(event.occurred_at)
    data = payload_bytes(last_id=event.id, row_hash=event.row_hash, at=at)
    document = {
        "payload": json.loads(data),
        "signature": base64.b64encode(sign_bytes(data)).decode("ascii"),
    }
    directory = directory or checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o750)
    path = directory / f"checkpoint-{event.id:015d}.json"
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="ascii") as handle:
        json.dump(document, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return Checkpoint(path=path, last_id=event.id, row_hash=event.row_hash, at=at)


def read_checkpoint(path: Path) -> Checkpoint:
    """The checkpoint in ``path``; ValueError if it is malformed or its signature is not ours."""
    from trackii.sealing.keys import verify_bytes

    try:
        document = json.loads(path.read_text(encoding="ascii"))
        payload = document["payload"]
        last_id, row_hash, at = int(payload["last_id"]), str(payload["row_hash"]), str(payload["at"])
        if payload.get("kind") != KIND:
            raise ValueError("not an audit checkpoint")
        signature = base64.b64decode(document["signature"], validate=True)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{path.name} is not a readable checkpoint ({error})") from None
    if not verify_bytes(payload_bytes(last_id=last_id, row_hash=row_hash, at=at), signature):
        raise ValueError(f"{path.name} does not carry a valid signature of the Third Party's key")
    return Checkpoint(path=path, last_id=last_id, row_hash=row_hash, at=at)


def latest_checkpoint(*, directory: Path | None = None) -> tuple[Checkpoint | None, list[str]]:
    """The newest checkpoint with a valid signature, and a warning for each newer one that was not valid."""
    directory = directory or checkpoint_dir()
    warnings: list[str] = []
    if not directory.is_dir():
        return None, warnings
    for path in sorted(directory.glob("checkpoint-*.json"), reverse=True):
        try:
            return read_checkpoint(path), warnings
        except ValueError as error:
            warnings.append(str(error))
    return None, warnings
