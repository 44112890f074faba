"""Walking the chain: recompute every hash and link, then compare with the latest signed checkpoint."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

from . import chain
from .enums import Action
from .models import AuditEvent

_WALKED = (*chain.HASHED_FIELDS, "row_hash", "client_ip", "client_ip_salt")


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
class ChainReport:
    rows: int = 0
    first_id: int | None = None
    last_id: int | None = None
    bad_row_id: int | None = None
    problem: str = ""
    checkpoint: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem

    def fail(self, row_id: int | None, problem: str) -> ChainReport:
        self.bad_row_id, self.problem = row_id, problem
        return self


def purge_anchors() -> dict[int, str]:
    """first surviving row id -> the prev_hash it must carry, from every retention_purge row.
    The purge rows are themselves checked by the walk, so a forged anchor breaks the chain there."""
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
    report: ChainReport, rows: Iterator[tuple], anchors: dict[int, str], checkpoint_id: int | None
) -> str | None:
    """Check each row's place, link, hash and address commitment; fill in ``report`` and return the
    row_hash of row ``checkpoint_id`` if that row was seen."""
    sha256 = hashlib.sha256
    # Parsing an address is the slow part of its commitment, and a log holds few distinct addresses.
    normalise_ip = functools.lru_cache(maxsize=4096)(chain.normalise_ip)
    checkpoint_hash_seen = None
    previous_id = previous_hash = None
    count = 0
    for row_id, prev_hash, text, recorded, ip, salt, ip_hash in rows:
        if previous_id is None:
            if prev_hash != chain.GENESIS and anchors.get(row_id) != prev_hash:
                report.fail(
                    row_id,
                    f"row {row_id}: the chain does not start here and no retention purge says it should: "
                    "the rows before it were deleted",
                )
                break
            report.first_id = row_id
        elif row_id != previous_id + 1:
            missing = f"{previous_id + 1}" if row_id == previous_id + 2 else f"{previous_id + 1}-{row_id - 1}"
            report.fail(row_id, f"row {row_id}: gap in the chain, row(s) {missing} deleted")
            break
        elif prev_hash != previous_hash:
            report.fail(
                row_id,
                f"row {row_id}: its prev_hash does not match row {previous_id}'s hash: "
                "a row was inserted or rows were reordered",
            )
            break
        if sha256((prev_hash + text).encode("utf-8")).hexdigest() != recorded:
            report.fail(row_id, f"row {row_id}: its contents do not match its row_hash: the row was edited")
            break
        if ip is not None or salt is not None:
            try:
                intact = sha256(bytes.fromhex(salt) + normalise_ip(ip).encode("ascii")).hexdigest() == ip_hash
            except (TypeError, ValueError):  # one without the other, or not hex / not an address
                intact = False
            if not intact:
                report.fail(row_id, f"row {row_id}: its client address was edited")
                break
        if row_id == checkpoint_id:
            checkpoint_hash_seen = recorded
        previous_id, previous_hash = row_id, recorded
        count += 1
    report.rows, report.last_id = count, previous_id
    return checkpoint_hash_seen


def verify_chain(
    *, checkpoints: bool = True, directory: Path | None = None, batch_size: int = 2000
) -> ChainReport:
    """Check every row in id order: its link to the row before, its hash, its address commitment; then the
    signed checkpoint. Stops at the first bad row and says what is wrong with it."""
    report = ChainReport()
    checkpoint = None
    if checkpoints:
        from .checkpoints import latest_checkpoint

        checkpoint, report.warnings = latest_checkpoint(directory=directory)
    anchors = purge_anchors()
    rows = _rows(batch_size)
    with contextlib.closing(rows):  # ends the query at once when a bad row stops the walk early
        checkpoint_hash_seen = _walk(report, rows, anchors, checkpoint.last_id if checkpoint else None)
    if not report.ok:
        return report

    if checkpoint is None:
        if checkpoints:
            report.warnings.append("no signed checkpoint found: a truncated tail could not be detected")
        return report
    described = f"{checkpoint.path.name} (row {checkpoint.last_id}, {checkpoint.at})"
    if report.first_id is not None and checkpoint.last_id < report.first_id and report.first_id in anchors:
        report.checkpoint = f"signed checkpoint {described} predates the last retention purge: not comparable"
        return report
    if checkpoint_hash_seen is None:
        return report.fail(
            checkpoint.last_id,
            f"row {checkpoint.last_id}: named by the signed checkpoint {described} but missing: "
            "the tail was truncated",
        )
    if checkpoint_hash_seen != checkpoint.row_hash:
        return report.fail(
            checkpoint.last_id,
            f"row {checkpoint.last_id}: its hash differs from the signed checkpoint {described}: "
            "the chain was rewritten up to here",
        )
    report.checkpoint = f"signed checkpoint {described} matches"
    return report
