"""What every page shares: a time in the viewer's zone with the zone named, and the "Error: " that starts the
title of a page showing a refused form."""

import datetime as dt

from django import template
from django.contrib.messages import ERROR
from django.forms import BaseForm
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from trackii.accounts import zones

register = template.Library()


@register.simple_tag(takes_context=True)
def zoned(context, value, fmt: str = "j M Y, H:i"):
    """A moment on the viewer's clock, followed by the zone's abbreviation: "12 Mar 2026, 18:27 CET".

    The zone is the page's `viewer_tz` when its view chose one, else the viewer's own setting (kept in the
    session at login, so no query). Takes a datetime or an ISO 8601 string; a naive value is UTC."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    chosen = context.get("viewer_tz")
    zone = zones.named(chosen) if chosen else zones.of(context.get("request"))
    local = value.astimezone(zone)
    return format_html(
        '<time datetime="{}" title="{}">{} {}</time>',
        value.astimezone(dt.UTC).isoformat(timespec="seconds"),
        zone.key,
        date_format(local, fmt),
        abbreviation(local),
    )


def abbreviation(local: dt.datetime) -> str:
    """CET, EDT, UTC; where the zone has no letters for it, the offset: UTC+04."""
    name = local.tzname() or "UTC"
    return f"UTC{name}" if name[0] in "+-" else name


def _refused(value) -> bool:
    # type(), not isinstance(): isinstance would evaluate the context's lazy objects (user, csrf_token).
    return issubclass(type(value), BaseForm) and value.is_bound and bool(value.errors)


def _shows_refused_form(context) -> bool:
    """A refused form anywhere the page's view put one: in its context, in a list of rows (a form per row,
    or a pair of an object and its form), or as a row's `form`."""
    for value in context.flatten().values():
        if _refused(value):
            return True
        if type(value) in (list, tuple):
            for row in value:
                parts = row if type(row) is tuple else (row,)
                if any(
                    _refused(part) or _refused(vars(part).get("form"))
                    for part in parts
                    if hasattr(part, "__dict__")
                ):
                    return True
    return False


@register.simple_tag(takes_context=True)
def error_title(context) -> str:
    """ "Error: " when the page shows a refused form or an error message, for the start of its <title>: the
    first thing a screen reader says of the page after a failed submit."""
    messages = context.get("messages")
    if _shows_refused_form(context) or (messages and any(m.level >= ERROR for m in messages)):
        return "Error: "
    return ""
