"""The hash chain: how one audit row is turned into bytes and hashed. Pure functions, no database.

row_hash = SHA-256( prev_hash  ||  canonical JSON of the row's hashed fields )

The canonical JSON is an array of the HASHED_FIELDS values in that order (``detail`` as an object with sorted
keys), no spaces, UTF-8 with only the escapes JSON requires; ``occurred_at`` is UTC ISO 8601 with
microseconds and a ``Z``.

The client address is not hashed itself: the hash covers ``client_ip_hash``, a commitment
SHA-256(salt || address) whose random salt is dropped together with the address, so the address can be
forgotten without breaking the chain (docs/decisions/0003-audit-chain.md).
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
import secrets

GENESIS = "0" * 64

# The columns the hash covers, in canonical order: integers, the timestamp, then every text column, so that
# PostgreSQL can encode the text columns with one array_to_json() call when verifying (verification.py).
HASHED_FIELDS = (
    "id",
    "actor_id",
    "dialogue_id",
    "occurred_at",
    "prev_hash",
    "actor_label",
    "action",
    "outcome",
    "target_type",
    "target_id",
    "request_id",
    "client_ip_hash",
    "detail",
)
OCCURRED_AT = HASHED_FIELDS.index("occurred_at")
PREV_HASH = HASHED_FIELDS.index("prev_hash")
CLIENT_IP_HASH = HASHED_FIELDS.index("client_ip_hash")
TEXT_FIELDS = HASHED_FIELDS[PREV_HASH:-1]

# ensure_ascii=False: strings are escaped exactly as PostgreSQL's to_json() escapes them, which lets
# verification build most of the text in SQL (verification.py).
_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
_sha256 = hashlib.sha256
_UTC = datetime.UTC


def timestamp_text(value: datetime.datetime) -> str:
    """UTC, microseconds, a ``Z``: what PostgreSQL's to_char(..., TIMESTAMP_SQL_FORMAT) gives back."""
    if value.tzinfo is None:
        raise ValueError("Audit timestamps must be timezone-aware.")
    return value.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


TIMESTAMP_SQL_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'


def canonical_text(values) -> str:
    """A JSON array of the HASHED_FIELDS values in that order, ``occurred_at`` as timestamp_text()."""
    return _dumps(values)


def canonical_bytes(values) -> bytes:
    return _dumps(values).encode("utf-8")


def row_hash(values) -> str:
    """SHA-256(prev_hash || canonical_bytes(values))."""
    return _sha256((values[PREV_HASH] + _dumps(values)).encode("utf-8")).hexdigest()


def event_values(event) -> list:
    """The hashed values of a model instance, ready for row_hash()."""
    values = [getattr(event, name) for name in HASHED_FIELDS]
    values[OCCURRED_AT] = timestamp_text(values[OCCURRED_AT])
    return values


def event_values_without_head(event) -> list:
    """The hashed values of an instance not yet placed in the chain: id, occurred_at and prev_hash are None
    (the database fills them in under the chain lock; services/recording.py)."""
    placed = ("id", "occurred_at", "prev_hash")
    return [None if name in placed else getattr(event, name) for name in HASHED_FIELDS]


def normalise_ip(value: str) -> str:
    return ipaddress.ip_address(value).compressed


def new_ip_salt() -> str:
    return secrets.token_hex(16)


def ip_commitment(ip: str, salt: str) -> str:
    """A hiding commitment to the address: without the 128-bit salt it cannot be brute-forced back."""
    return _sha256(bytes.fromhex(salt) + normalise_ip(ip).encode("ascii")).hexdigest()


def check_detail(detail: dict) -> dict:
    """Refuse what would not survive a round trip through jsonb unchanged (floats) or is not small."""

    def walk(value, depth: int) -> None:
        if depth > 4:
            raise ValueError("Audit detail is nested too deeply.")
        if value is None or isinstance(value, bool | int | str):
            return
        if isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
            return
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise ValueError("Audit detail keys must be strings.")
                walk(item, depth + 1)
            return
        raise ValueError(
            f"Audit detail may hold only text, integers, booleans, lists and objects, not {value!r}."
        )

    if not isinstance(detail, dict):
        raise ValueError("Audit detail must be a JSON object.")
    walk(detail, 0)
    if len(_dumps(detail)) > 2000:
        raise ValueError("Audit detail is for small facts (at most 2,000 characters as JSON).")
    return dict(detail)
