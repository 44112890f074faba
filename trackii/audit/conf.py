"""The audit log's settings, with their defaults (settings.py may set each from the environment)."""

import datetime

from django.conf import settings

DEFAULT_RETENTION_DAYS = 730
DEFAULT_ADDRESS_DAYS = 90


def retention_days() -> int:
    return int(getattr(settings, "TRACKII_AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def address_days() -> int:
    return int(getattr(settings, "TRACKII_AUDIT_ADDRESS_DAYS", DEFAULT_ADDRESS_DAYS))


DEFAULT_CHECKPOINT_MINUTES = 15


def checkpoint_interval() -> datetime.timedelta:
    """How often beat signs a checkpoint: the longest a chain may go unsigned at first start."""
    minutes = int(getattr(settings, "TRACKII_AUDIT_CHECKPOINT_MINUTES", DEFAULT_CHECKPOINT_MINUTES))
    return datetime.timedelta(minutes=minutes)


DEFAULT_CHAIN_CHECK_STALL_SECONDS = 300
DEFAULT_CHAIN_CHECK_PROGRESS_ROWS = 20_000


def chain_check_stall() -> datetime.timedelta:
    """How long a run from the chain-status page may show no sign of life before the page calls it stalled
    (its worker died, or none took it) and offers to start again. The walk reports every
    chain_check_progress_rows() rows: about every 0.2 s at the measured 100,000+ rows/s."""
    seconds = int(
        getattr(settings, "TRACKII_AUDIT_CHAIN_CHECK_STALL_SECONDS", DEFAULT_CHAIN_CHECK_STALL_SECONDS)
    )
    return datetime.timedelta(seconds=seconds)


def chain_check_progress_rows() -> int:
    return int(
        getattr(settings, "TRACKII_AUDIT_CHAIN_CHECK_PROGRESS_ROWS", DEFAULT_CHAIN_CHECK_PROGRESS_ROWS)
    )
