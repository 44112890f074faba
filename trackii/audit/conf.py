"""The audit log's settings, with their defaults (settings.py may set each from the environment)."""

from django.conf import settings

DEFAULT_RETENTION_DAYS = 730
DEFAULT_ADDRESS_DAYS = 90


def retention_days() -> int:
    return int(getattr(settings, "TRACKII_AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def address_days() -> int:
    return int(getattr(settings, "TRACKII_AUDIT_ADDRESS_DAYS", DEFAULT_ADDRESS_DAYS))
