"""Signed checkpoints of the chain's head, written to files outside the database.

A checkpoint says "row N had row_hash H at time T", signed with the Third Party's key. Someone who can
rewrite the database but does not hold the key (a database owner, a restored backup) can then no longer
truncate the tail or recompute the chain from some row onwards without verify_audit noticing. Keep the
directory on storage the database owner cannot write (or copy the files away).

This module holds the file format and reads checkpoints back; `services.write_checkpoint` writes them.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

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
