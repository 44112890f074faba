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
