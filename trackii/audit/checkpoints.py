"""Signed records of the audit chain, kept as files outside the database (docs/decisions/0003-audit-chain.md).

Three kinds, each a JSON file ``{"payload": {...}, "signature": base64}`` signed with the Third Party's key:

- ``checkpoint-<id>.json`` "row ``last_id`` had ``row_hash`` at ``at``" (beat, every checkpoint interval);
- ``purge-<first_id>.json`` "at ``at``, under a retention of ``retention_days``, the rows recorded before
  ``before`` were deleted: the chain now starts at ``first_id`` whose prev_hash is ``first_prev_hash``";
- ``rebaseline-<id>.json`` after restoring an older backup: "rows up to ``last_kept_id`` (``last_kept_hash``)
  are the chain; the records whose digests ``supersedes`` lists described rows the restore lost; ``reason``".

Every payload names the record written before it (``previous``: its file name and the SHA-256 of that file's
bytes), so the records form a chain of their own: removing or altering one breaks its successor's link, and
checking the signature of each record nothing links to (normally one) authenticates every record behind it.
Reading a folder of tens of thousands of records thus costs a read and a SHA-256 each, not a signature check.

Someone who can rewrite the database but does not hold the key (a database owner, a restored backup) can then
neither truncate, rewrite nor purge the log without verify_audit noticing. Keep the folder on storage the
database owner cannot write (or copy the files away). This module holds the format, reading and writing of
one file; `verification` checks records against the chain and `services` decides when to write them.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

KIND = "trackii.audit.checkpoint"
KINDS = {
    "checkpoint": KIND,
    "purge": "trackii.audit.purge",
    "rebaseline": "trackii.audit.rebaseline",
}
SHORT_KIND = {value: key for key, value in KINDS.items()}
HEAD_FILE = "HEAD"  # the name of the last record written: where the next one links to


@dataclass(frozen=True)
class Checkpoint:
    path: Path
    last_id: int
    row_hash: str
    at: str


@dataclass(frozen=True)
class Record:
    """One signed file as read; its signature is not checked yet (see `authenticate`)."""

    directory: Path
    name: str
    payload: dict
    signature: bytes
    raw: bytes  # the file's bytes, which the next record's link hashes

    @property
    def path(self) -> Path:
        return self.directory / self.name

    @property
    def kind(self) -> str:
        return SHORT_KIND[self.payload["kind"]]

    @functools.cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def previous(self) -> dict | None:
        return self.payload.get("previous")

    def described(self) -> str:
        """How messages name it: the file, and for a checkpoint the row and time it signed."""
        if self.kind == "checkpoint":
            return f"{self.name} (row {self.payload['last_id']}, {self.payload['at']})"
        return f"{self.name} ({self.payload['at']})"

    def named_rows(self) -> list[tuple[int, str]]:
        """The (row id, row_hash) pairs this record signs as part of the chain."""
        p = self.payload
        if self.kind == "checkpoint":
            return [(p["last_id"], p["row_hash"])]
        if self.kind == "rebaseline":
            kept = [(p["last_kept_id"], p["last_kept_hash"])] if p["last_kept_id"] else []
            return [*kept, (p["row_id"], p["row_hash"])]
        return []

    def anchor(self) -> tuple[int, str] | None:
        """The start of the chain this record vouches for (a purge's, or a re-baseline that accepted one)."""
        if self.kind == "purge":
            return self.payload["first_id"], self.payload["first_prev_hash"]
        start = self.payload.get("start") if self.kind == "rebaseline" else None
        return (start["first_id"], start["first_prev_hash"]) if start else None

    def as_checkpoint(self) -> Checkpoint:
        p = self.payload
        return Checkpoint(path=self.path, last_id=p["last_id"], row_hash=p["row_hash"], at=p["at"])


# What each kind's payload must hold, with its type (besides "kind" and the optional "previous").
_FIELDS = {
    "checkpoint": {"last_id": int, "row_hash": str, "at": str},
    "purge": {
        "first_id": int,
        "first_prev_hash": str,
        "before": str,
        "at": str,
        "retention_days": int,
        "deleted": int,
    },
    "rebaseline": {
        "row_id": int,
        "row_hash": str,
        "at": str,
        "last_kept_id": int,
        "last_kept_hash": str,
        "reason": str,
        "supersedes": list,
    },
}


def checkpoint_dir() -> Path:
    configured = getattr(settings, "TRACKII_AUDIT_CHECKPOINT_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "audit-checkpoints"


def payload_bytes(payload: dict | None = None, /, **fields) -> bytes:
    """The signed bytes: the payload as sorted, compact ASCII JSON. The kind is signed too, so a signature
    made by the same key for something else never passes as a record. (Files written before records named
    their predecessor hold exactly kind, last_id, row_hash and at, and sign the same bytes.)"""
    if payload is None:
        payload = {"kind": KIND, **fields}
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("ascii")


def parse_record(path: Path, raw: bytes | None = None) -> Record:
    """The record in ``path`` (whose bytes may be given); ValueError naming the file if it is not one."""
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as error:
        raise ValueError(f"{path.name} cannot be read ({error.strerror})") from None
    return _parse(path.parent, path.name, raw)


def _parse(directory: Path, name: str, raw: bytes) -> Record:
    try:
        document = json.loads(raw.decode("ascii"))
        payload = document["payload"]
        kind = SHORT_KIND[payload["kind"]]
        for key, type_ in _FIELDS[kind].items():
            if not isinstance(payload[key], type_) or isinstance(payload[key], bool):
                raise ValueError(f"{key} is not {type_.__name__}")
        previous = payload.get("previous")
        if previous is not None and not (
            isinstance(previous, dict) and isinstance(previous.get("name"), str)
            and isinstance(previous.get("digest"), str)
        ):  # fmt: skip
            raise ValueError("previous is not a record's name and digest")
        signature = base64.b64decode(document["signature"], validate=True)
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{name} is not a readable signed record ({error})") from None
    return Record(directory=directory, name=name, payload=payload, signature=signature, raw=raw)


def signed_by_us(record: Record) -> bool:
    from trackii.sealing.keys import verify_bytes

    return verify_bytes(payload_bytes(record.payload), record.signature)


def read_checkpoint(path: Path) -> Checkpoint:
    """The checkpoint in ``path``; ValueError if it is malformed or its signature is not ours."""
    record = parse_record(path)
    if record.kind != "checkpoint":
        raise ValueError(f"{path.name} is not a readable checkpoint (it is a {record.kind} record)")
    if not signed_by_us(record):
        raise ValueError(f"{path.name} does not carry a valid signature of the Third Party's key")
    return record.as_checkpoint()


def read_folder(directory: Path) -> tuple[list[Record], list[str]]:
    """Every record in ``directory`` (by file name), and a problem for each file that is not one."""
    records, problems = [], []
    # scandir and reads relative to the folder: a third of the time of glob() and Path.read_bytes().
    names = sorted(entry.name for entry in os.scandir(directory) if entry.name.endswith(".json"))
    folder = os.open(directory, os.O_RDONLY)
    try:
        for name in names:
            try:
                fd = os.open(name, os.O_RDONLY, dir_fd=folder)
                try:
                    raw = os.read(fd, 1 << 16)
                    while len(raw) % (1 << 16) == 0 and (more := os.read(fd, 1 << 16)):
                        raw += more
                finally:
                    os.close(fd)
                records.append(_parse(directory, name, raw))
            except OSError as error:
                problems.append(f"{name} cannot be read ({error.strerror})")
            except ValueError as error:
                problems.append(str(error))
    finally:
        os.close(folder)
    return records, problems


def authenticate(records: list[Record]) -> list[str]:
    """Check that the records are ours and none is missing behind another: a problem for each link to a record
    no longer in the folder as signed, and for each record nothing links to whose signature is not ours.
    A record linked from another is vouched for by that one's signed digest."""
    by_digest = {record.digest: record for record in records}
    problems = []
    linked = set()
    for record in records:
        previous = record.previous
        if previous is None:
            continue
        if previous["digest"] in by_digest:
            linked.add(previous["digest"])
        else:
            problems.append(
                f"{record.name} was signed after {previous['name']}, which is no longer in the folder as "
                "signed: a signed record was removed or altered"
            )
    for record in records:
        if record.digest not in linked and not signed_by_us(record):
            problems.append(
                f"{record.name} does not carry a valid signature of the Third Party's key "
                "(signed by another key, or altered after signing)"
            )
    return problems


def latest_checkpoint(*, directory: Path | None = None) -> tuple[Checkpoint | None, list[str]]:
    """The newest checkpoint with a valid signature, and a warning for each newer one that was not valid
    (for the auditors' chain status; verify_audit checks every record)."""
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


# --- Writing -------------------------------------------------------------------------------------------


@contextlib.contextmanager
def folder_lock(directory: Path):
    """One writer at a time in the folder, so that each record links to the one written just before it."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o750)
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def head_record(directory: Path) -> Record | None:
    """The last record written (the one the next links to), its signature checked: a link would vouch for it.
    ValueError if it is not ours. Without a HEAD file (a folder from before records were linked), the record
    nothing links to with the latest time."""
    try:
        name = (directory / HEAD_FILE).read_text(encoding="ascii").strip()
        record = parse_record(directory / name) if name else None
    except (OSError, UnicodeDecodeError, ValueError):
        record = None
    if record is None:
        records, _problems = read_folder(directory)
        linked = {r.previous["digest"] for r in records if r.previous}
        unlinked = [r for r in records if r.digest not in linked]
        record = max(unlinked, key=lambda r: (r.payload["at"], r.name), default=None)
    if record is not None and not signed_by_us(record):
        raise ValueError(f"{record.name} does not carry a valid signature of the Third Party's key")
    return record


def write_record(*, directory: Path, kind: str, name: str, fields: dict, previous: Record | None) -> Record:
    """Sign and write a new record linked to ``previous`` (call under `folder_lock`). Never overwrites a file:
    if ``name`` is taken (a superseded record of the same row), the digest goes into the name."""
    from trackii.sealing.keys import sign_bytes

    link = {"name": previous.name, "digest": previous.digest} if previous else None
    payload = {"kind": KINDS[kind], **fields, "previous": link}
    data = payload_bytes(payload)
    document = {"payload": payload, "signature": base64.b64encode(sign_bytes(data)).decode("ascii")}
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    path = directory / name
    temporary = directory / f".{name}.tmp"
    with open(temporary, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        try:
            _create(path, temporary, text)
        except FileExistsError:
            path = path.with_name(f"{path.stem}-{hashlib.sha256(data).hexdigest()[:16]}.json")
            _create(path, temporary, text)
    finally:
        temporary.unlink()
    _fsync_directory(directory)
    return parse_record(path, text.encode("ascii"))


def _create(path: Path, temporary: Path, text: str) -> None:
    """Put ``text`` at ``path`` whole, never over an existing file (FileExistsError): a signed record is
    never replaced. A hard link of the written temporary file, or where the file system has none, an
    exclusive create."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())


def set_head(directory: Path, record: Record) -> None:
    temporary = directory / f".{HEAD_FILE}.tmp"
    temporary.write_text(record.name + "\n", encoding="ascii")
    os.replace(temporary, directory / HEAD_FILE)


def remove_record(record: Record) -> None:
    """Take back a record whose database transaction did not commit."""
    with contextlib.suppress(FileNotFoundError):
        record.path.unlink()


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
