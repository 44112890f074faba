"""Walking the chain: recompute every hash and link, and compare it, in the same single pass, with every
signed record in the checkpoint folder (checkpoints.py): each checkpoint must still match the row it names,
unless a signed purge allowed by the retention policy deleted that row, or a signed re-baseline superseded
it."""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.utils import timezone

from . import chain
from .checkpoints import Record, authenticate, checkpoint_dir, read_folder
from .conf import checkpoint_interval, retention_days
from .enums import Action
from .models import AuditEvent

_WALKED = (*chain.HASHED_FIELDS, "row_hash", "client_ip", "client_ip_salt")

type Progress = Callable[[int], None]  # called with the number of rows checked so far


# PostgreSQL writes the canonical JSON of every hashed field but detail: the integers as text, the timestamp
# with to_char(), and the text columns with one array_to_json(), which escapes strings exactly as Python's
# json does with ensure_ascii=False (a test compares the two on awkward text).
_POSTGRESQL_WALK = (
    "SELECT id, prev_hash, "  # noqa: S608 (column names only)
    "'[' || id::text || ',' || coalesce(actor_id::text, 'null') "
    "|| ',' || coalesce(dialogue_id::text, 'null') "
    f"|| ',\"' || to_char(occurred_at AT TIME ZONE 'UTC', '{chain.TIMESTAMP_SQL_FORMAT}') || '\",' "
    f"|| ltrim(array_to_json(ARRAY[{', '.join(chain.TEXT_FIELDS)}])::text, '[') AS head, "
    "detail::text, row_hash, host(client_ip), client_ip_salt, client_ip_hash "
    f"FROM {AuditEvent._meta.db_table} ORDER BY id"
)


@dataclass
class Mismatch:
    """A signed record whose row is no longer as signed: ``found`` is the row's hash now, None if gone."""

    row_id: int
    record: Record
    found: str | None

    def problem(self, last_id: int | None) -> str:
        what = f"the signed {self.record.described()}"
        if self.found is not None:
            return (
                f"row {self.row_id}: its hash differs from the one in {what}: the chain was rewritten up to "
                "here, or rows were deleted and their ids used again"
            )
        end = f"the log now ends at row {last_id}" if last_id else "the log is now empty"
        return (
            f"row {self.row_id}: named by {what} but missing: {end}, so rows were deleted from its tail "
            "(truncated, or the log replaced)"
        )


@dataclass
class ChainReport:
    rows: int = 0
    first_id: int | None = None
    first_prev_hash: str | None = None
    last_id: int | None = None
    bad_row_id: int | None = None
    problem: str = ""
    checkpoint: str = ""  # what the signed records say, in a sentence
    warnings: list[str] = field(default_factory=list)
    # What a re-baseline may cover (services.rebaseline_chain), apart from every other problem:
    unmatched: list[Mismatch] = field(default_factory=list)
    start_unanchored: bool = False
    unsigned: bool = False  # no signed record at all, outside a first start
    blocking: str = ""  # the first problem a re-baseline cannot cover
    # The signed records read, and the digests of those a re-baseline superseded (checkpoint_verdicts).
    records: list[Record] = field(default_factory=list)
    superseded: set[str] = field(default_factory=set)
    folder_problems: list[str] = field(default_factory=list)
    stopped_at: int | None = None  # the broken row the walk stopped at; rows after it were not checked

    @property
    def ok(self) -> bool:
        return not self.problem

    def fail(self, row_id: int | None, problem: str) -> ChainReport:
        if not self.problem:
            self.bad_row_id, self.problem = row_id, problem
        return self


def purge_anchors() -> dict[int, str]:
    """first surviving row id -> the prev_hash it must carry, from the retention_purge rows of the log itself:
    what the chain alone can check (--no-checkpoint). Without the signed purge records anyone who can write
    the table can forge one, so verify_chain with checkpoints trusts only those."""
    anchors = {}
    for detail in AuditEvent.objects.filter(action=Action.RETENTION_PURGE).values_list("detail", flat=True):
        if isinstance(detail, dict) and "first_id" in detail:
            anchors[int(detail["first_id"])] = str(detail.get("first_prev_hash", ""))
    return anchors


def _rows(batch_size: int) -> Iterator[tuple]:
    """Every row in id order as (id, prev_hash, canonical JSON text, row_hash, client_ip, salt,
    client_ip_hash), streamed or through a server-side cursor, without model instances."""
    encode = chain.canonical_text
    if connection.vendor == "postgresql":
        # PostgreSQL writes the canonical JSON of twelve fields (_POSTGRESQL_WALK), so psycopg parses one text
        # column instead of twelve values. detail is re-encoded here: jsonb does not keep key order.
        loads = json.loads
        connection.ensure_connection()
        # A streamed query (chunked rows), not a server-side cursor: PostgreSQL keeps producing rows while
        # Python hashes the ones it has, where FETCH would make each side wait for the other.
        with connection.connection.cursor() as cursor:
            for row_id, prev_hash, head, detail, recorded, ip, salt, ip_hash in cursor.stream(
                _POSTGRESQL_WALK, size=batch_size
            ):
                # The array's "]" becomes the "," before detail. Most rows have no detail: splice "{}" in
                # rather than parse and re-encode it.
                text = head[:-1] + "," + (detail if detail == "{}" else encode(loads(detail))) + "]"
                yield row_id, prev_hash, text, recorded, ip, salt, ip_hash
        return
    timestamp_text = chain.timestamp_text
    occurred_at, prev_hash, ip_hash = chain.OCCURRED_AT, chain.PREV_HASH, chain.CLIENT_IP_HASH
    for row in AuditEvent.objects.order_by("id").values_list(*_WALKED).iterator(chunk_size=batch_size):
        values = list(row[:13])
        values[occurred_at] = timestamp_text(values[occurred_at])
        yield row[0], row[prev_hash], encode(values), row[13], row[14], row[15], row[ip_hash]


def _walk(
    report: ChainReport,
    rows: Iterator[tuple],
    anchors: dict[int, set[str]],
    expected: dict[int, list[tuple[str, Record]]],
    progress: Progress | None = None,
    progress_every: int = 0,
) -> None:
    """Check each row's place, link, hash and address commitment, and each row a signed record names; fill in
    ``report`` (the walk stops at the first broken row, but goes on past an unanchored start and past rows
    that differ from a signed record, so that every such row is known). ``progress`` is called with the
    number of rows checked every ``progress_every`` rows."""
    sha256 = hashlib.sha256
    # Parsing an address is the slow part of its commitment, and a log holds few distinct addresses.
    normalise_ip = functools.lru_cache(maxsize=4096)(chain.normalise_ip)

    def broken(row_id: int, problem: str) -> None:
        report.stopped_at = row_id
        report.fail(row_id, problem)
        report.blocking = report.blocking or problem

    named = iter(sorted(expected))
    next_named = next(named, None)
    previous_id = previous_hash = None
    count = 0
    # One comparison per row; -1 is never reached when nobody asked.
    report_at = progress_every if progress is not None and progress_every > 0 else -1
    for row_id, prev_hash, text, recorded, ip, salt, ip_hash in rows:
        if previous_id is None:
            # Only row 1 follows the genesis (an empty log's head is row 0); any later start needs an anchor.
            if not (row_id == 1 and prev_hash == chain.GENESIS) and prev_hash not in anchors.get(row_id, ()):
                report.start_unanchored = True
                report.fail(
                    row_id,
                    f"row {row_id}: the chain starts here, but it is neither row 1 chained to the genesis "
                    "nor anchored by a signed purge record: the rows before it were deleted behind the app's "
                    "back (a retention_purge row in the log proves nothing without its signed purge-*.json)",
                )
            report.first_id, report.first_prev_hash = row_id, prev_hash
            while next_named is not None and next_named < row_id:  # purged: checked after the walk
                next_named = next(named, None)
        elif row_id != previous_id + 1:
            missing = f"{previous_id + 1}" if row_id == previous_id + 2 else f"{previous_id + 1}-{row_id - 1}"
            broken(row_id, f"row {row_id}: gap in the chain, row(s) {missing} deleted")
            break
        elif prev_hash != previous_hash:
            broken(
                row_id,
                f"row {row_id}: its prev_hash does not match row {previous_id}'s hash: "
                "a row was inserted or rows were reordered",
            )
            break
        if sha256((prev_hash + text).encode("utf-8")).hexdigest() != recorded:
            broken(row_id, f"row {row_id}: its contents do not match its row_hash: the row was edited")
            break
        if ip is not None or salt is not None:
            try:
                intact = sha256(bytes.fromhex(salt) + normalise_ip(ip).encode("ascii")).hexdigest() == ip_hash
            except (TypeError, ValueError):  # one without the other, or not hex / not an address
                intact = False
            if not intact:
                broken(row_id, f"row {row_id}: its client address was edited")
                break
        if row_id == next_named:
            for signed_hash, record in expected[row_id]:
                if recorded != signed_hash:
                    report.unmatched.append(Mismatch(row_id, record, recorded))
            next_named = next(named, None)
        previous_id, previous_hash = row_id, recorded
        count += 1
        if count == report_at:
            progress(count)
            report_at += progress_every
    report.rows, report.last_id = count, previous_id


def _time(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


@dataclass
class _Signed:
    """What the folder's records say, once authenticated: what rows must hold, where the chain may start."""

    records: list[Record]
    problems: list[str]
    expected: dict[int, list[tuple[str, Record]]] = field(default_factory=dict)
    anchors: dict[int, set[str]] = field(default_factory=dict)
    superseded: set[str] = field(default_factory=set)  # digests
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, directory: Path) -> _Signed:
        records, problems = read_folder(directory) if directory.is_dir() else ([], [])
        signed = cls(records=records, problems=problems + authenticate(records))
        superseding = {
            digest: record for record in records if record.kind == "rebaseline"
            for digest in record.payload["supersedes"]
        }  # fmt: skip
        days = retention_days()
        for record in records:
            if record.digest in superseding:
                signed.superseded.add(record.digest)
                continue
            for row_id, row_hash in record.named_rows():
                signed.expected.setdefault(row_id, []).append((row_hash, record))
            if anchor := record.anchor():
                signed.anchors.setdefault(anchor[0], set()).add(anchor[1])
            if record.kind == "purge":
                problems, warnings = _outside_retention(record, days)
                signed.problems.extend(problems)
                signed.warnings.extend(warnings)
        return signed

    def count(self, kind: str) -> int:
        return sum(1 for record in self.records if record.kind == kind)


def _outside_retention(purge: Record, days: int) -> tuple[list[str], list[str]]:
    """(problems, warnings) of a signed purge. It is held to the retention policy it was signed under: a purge
    that kept rows for less than that is refused. A policy lengthened since is not a break in the chain: the
    rows went lawfully at the time, so that is a warning, which verify_audit and the overview show."""
    try:
        at, before = _time(purge.payload["at"]), _time(purge.payload["before"])
        signed_days = int(purge.payload["retention_days"])
    except (KeyError, TypeError, ValueError):
        return [f"{purge.name} does not give the purge's time, cut-off and retention policy"], []
    kept = (at - before).total_seconds() / 86400
    if at - before < datetime.timedelta(days=signed_days):
        return [
            f"{purge.name}: at {purge.payload['at']} it deleted the rows recorded before "
            f"{purge.payload['before']}, only {kept:.1f} days earlier, but the retention policy it was "
            f"signed under keeps audit rows {signed_days} days: "
            "the purge was not allowed by the retention policy"
        ], []
    if signed_days < days:
        return [], [
            f"{purge.name} deleted rows after {signed_days} days, under the retention policy of that time; "
            f"TRACKII_AUDIT_RETENTION_DAYS now keeps audit rows {days} days, so this log holds less than that"
        ]
    return [], []


def verify_chain(
    *,
    checkpoints: bool = True,
    directory: Path | None = None,
    batch_size: int = 2000,
    progress: Progress | None = None,
    progress_every: int = 20_000,
) -> ChainReport:
    """Check every row in id order: its link to the row before, its hash, its address commitment, and in the
    same walk every row a signed record names. Names the first problem and what is wrong; a report whose
    ``problem`` is empty is a chain that every signed record vouches for.

    With ``checkpoints=False``, the chain alone: a purge is taken from the log's own retention_purge rows.
    ``progress(rows_checked)`` is called every ``progress_every`` rows, while the walk's query streams: it
    must not use this thread's connection (services.run_chain_check writes on a connection of its own)."""
    report = ChainReport()
    if not checkpoints:
        anchors = {first_id: {prev_hash} for first_id, prev_hash in purge_anchors().items()}
        with contextlib.closing(_rows(batch_size)) as rows:
            _walk(report, rows, anchors, {}, progress, progress_every)
        return report

    directory = directory or checkpoint_dir()
    signed = _Signed.read(directory)
    report.warnings.extend(signed.warnings)
    report.records, report.superseded = signed.records, signed.superseded
    report.folder_problems = list(signed.problems)
    # Closing ends the query at once when a broken row stops the walk early.
    with contextlib.closing(_rows(batch_size)) as rows:
        _walk(report, rows, signed.anchors, signed.expected, progress, progress_every)
    if not report.blocking:  # the walk reached the end: a named row past it is missing
        for row_id in sorted(signed.expected):
            if report.last_id is None or row_id > report.last_id:
                report.unmatched.extend(
                    Mismatch(row_id, record, None) for _, record in signed.expected[row_id]
                )
    report.unmatched.sort(key=lambda mismatch: mismatch.row_id)

    # What is reported first: a broken row (or start), then the folder, then a row no longer as signed.
    report.blocking = report.blocking or (signed.problems[0] if signed.problems else "")
    for problem in signed.problems:
        report.fail(None, problem)
    if report.unmatched:
        first = report.unmatched[0]
        more = (
            f" ({len(report.unmatched)} signed rows in all no longer match)"
            if len(report.unmatched) > 1
            else ""
        )
        report.fail(first.row_id, first.problem(report.last_id) + more)
    if not signed.records:
        _without_records(report, directory)
    elif report.ok:
        report.checkpoint = _summary(report, signed)
    return report


def why_not_first_start() -> str:
    """Why a log without any signed record is not at its first start, or "" if it is. First start: the
    chain starts at the genesis, holds no checkpoint or re-baseline row, and its first row was recorded less
    than one checkpoint interval ago (an empty log is at first start too). Beat signs a checkpoint as it
    starts and then every interval, so outside that window a missing record means a lost or removed folder."""
    first = AuditEvent.objects.order_by("id").values_list("id", "prev_hash", "occurred_at").first()
    if first is None:
        return ""
    signed_row = (
        AuditEvent.objects.filter(action__in=[Action.CHECKPOINT, Action.CHAIN_REBASELINED])
        .order_by("id").values_list("id", flat=True).first()
    )  # fmt: skip
    interval = checkpoint_interval()
    if signed_row is not None:
        return (
            f"the log holds checkpoint row {signed_row}, so checkpoints were signed and their files are gone"
        )
    if first[:2] != (1, chain.GENESIS):
        return "the chain was purged (it does not start at the genesis), so it was signed before"
    if timezone.now() - first[2] >= interval:
        return (
            f"the chain began at {first[2]:%Y-%m-%d %H:%M:%S} UTC, more than one checkpoint interval "
            f"({_minutes(interval)}) ago"
        )
    return ""


def _without_records(report: ChainReport, directory: Path) -> None:
    where = f"{directory} does not exist" if not directory.is_dir() else f"{directory} holds none"
    why = why_not_first_start()
    if why:
        report.unsigned = True
        report.fail(
            None,
            f"no signed checkpoint: the checkpoint folder {where}, and this is not a first start: {why}. "
            "Nothing shows that the log was not truncated or rewritten",
        )
        return
    first = AuditEvent.objects.order_by("id").values_list("occurred_at", flat=True).first()
    if first is None:
        report.checkpoint = f"first start: no rows and no signed checkpoint yet ({where})"
        return
    due = first + checkpoint_interval()
    report.checkpoint = (
        f"first start: no signed checkpoint yet ({where}); the chain began at {first:%H:%M:%S} UTC, less "
        f"than one checkpoint interval ({_minutes(checkpoint_interval())}) ago, and verification fails if "
        f"none is signed by {due:%Y-%m-%d %H:%M:%S} UTC"
    )


def _minutes(interval: datetime.timedelta) -> str:
    return f"{interval.total_seconds() / 60:g} minutes"


def _summary(report: ChainReport, signed: _Signed) -> str:
    current = [r for r in signed.records if r.digest not in signed.superseded]
    checkpoints = [r for r in current if r.kind == "checkpoint"]
    parts = []
    if checkpoints:
        newest = max(checkpoints, key=lambda r: r.payload["last_id"])
        parts.append(f"{len(checkpoints)} checkpoint(s), newest {newest.described()}")
    if purges := signed.count("purge"):
        parts.append(f"{purges} purge(s) within the retention policy ({retention_days()} days)")
    for rebaseline in (r for r in current if r.kind == "rebaseline"):
        count = len(rebaseline.payload["supersedes"])
        parts.append(
            f"{rebaseline.name} kept rows up to {rebaseline.payload['last_kept_id']} and supersedes {count} "
            f"earlier record(s): {rebaseline.payload['reason']!r}"
        )
    purged = [
        row_id for row_id in signed.expected if report.first_id is not None and row_id < report.first_id
    ]
    if purged:
        parts.append(f"{len(purged)} signed row(s) before row {report.first_id} were purged")
    return "every signed record matches: " + "; ".join(parts)


@dataclass(frozen=True)
class Verdict:
    """What one signed record says about one row, and whether the walk found the row so."""

    name: str
    kind: str
    row_id: int
    row_hash: str
    at: str
    verdict: str  # matches, differs, missing, purged, superseded, unchecked, refused
    found: str | None = None  # the row's hash now, where it differs

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def checkpoint_verdicts(report: ChainReport) -> list[Verdict]:
    """Each row each signed record names, in row order, with what the walk found there (the chain-status
    page's table). A record the folder's own checks refused is "refused", whatever its row holds."""
    differing = {(m.row_id, m.record.digest): m.found for m in report.unmatched}
    refused = {
        r.name for r in report.records if any(p.startswith(r.name + " ") for p in report.folder_problems)
    }
    verdicts = []
    for record in report.records:
        for row_id, row_hash in record.named_rows():
            if record.name in refused:
                verdict, found = "refused", None
            elif record.digest in report.superseded:
                verdict, found = "superseded", None
            elif (row_id, record.digest) in differing:
                found = differing[row_id, record.digest]
                verdict = "missing" if found is None else "differs"
            elif report.first_id is not None and row_id < report.first_id:
                verdict, found = "purged", None
            elif report.stopped_at is not None and row_id >= report.stopped_at:
                verdict, found = "unchecked", None
            else:
                verdict, found = "matches", None
            verdicts.append(
                Verdict(record.name, record.kind, row_id, row_hash, record.payload["at"], verdict, found)
            )
    verdicts.sort(key=lambda v: (v.row_id, v.name))
    return verdicts
