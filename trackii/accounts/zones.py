"""The zone a signed-in person reads times in: their calendar setting, which the domain keeps (asked through
trackii.hooks). It is read once at login and kept in the session, so a page that shows times pays no query
for it; the calendar settings page writes it again when the person changes it."""

import zoneinfo

from trackii.hooks import domain

SESSION_KEY = "trackii.viewer_tz"
DEFAULT = "UTC"


def remember(request, zone: str) -> None:
    request.session[SESSION_KEY] = zone


def on_logged_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: one query per login."""
    if request is not None and hasattr(request, "session"):
        remember(request, domain().display_timezone(user=user))


def of(request) -> zoneinfo.ZoneInfo:
    """The viewer's zone: from the session, else (a session older than this) asked once and kept."""
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return zoneinfo.ZoneInfo(DEFAULT)
    name = request.session.get(SESSION_KEY)
    if name is None:
        name = domain().display_timezone(user=request.user)
        remember(request, name)
    return named(name)


def named(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or DEFAULT)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT)
