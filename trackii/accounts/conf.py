"""The accounts app's settings, with their defaults (settings.py sets each from the environment)."""

import datetime as dt

from django.conf import settings


def session_idle() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "TRACKII_SESSION_IDLE_SECONDS", 30 * 60)))


def session_absolute() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "TRACKII_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)))


def invitation_lifetime() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "TRACKII_INVITATION_DAYS", 7)))


def upload_max_bytes() -> int:
    return int(getattr(settings, "TRACKII_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
