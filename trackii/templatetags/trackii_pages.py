"""What every page shares: a time in the viewer's zone with the zone named, the "Error: " that starts the
title of a page showing a refused form, and what long lists print for each row without working it out again:
`{% id_url %}` (their `{% url %}`) and `|day` (their `|date` of a day)."""

import datetime as dt

from django import template
from django.contrib.messages import ERROR
from django.forms import BaseForm
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from trackii.accounts import zones
from trackii.dates import localised

register = template.Library()


@register.filter
def ldate(value, fmt: str) -> str:
    """`|date` in the reader's language: `{{ day|ldate:"j F Y" }}` is "7 декабря 2026" in Russian, "7 décembre
    2026" in French (trackii.dates.localised)."""
    return date_filter(value, localised(fmt))


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
        date_format(local, localised(fmt)),
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


@register.filter
def isolate(value) -> str:
    """The value between Unicode's first-strong isolate and pop isolate (U+2068, U+2069): what <bdi> does,
    for the places an element cannot go or would split a sentence in two (a <title>, an <option>, a
    translated sentence). An address or a codename then keeps its own order inside right-to-left text."""
    if value in (None, ""):
        return ""
    return f"\u2068{value}\u2069"


@register.simple_tag(takes_context=True)
def error_title(context) -> str:
    """ "Error: " when the page shows a refused form or an error message, for the start of its <title>: the
    first thing a screen reader says of the page after a failed submit."""
    messages = context.get("messages")
    if _shows_refused_form(context) or (messages and any(m.level >= ERROR for m in messages)):
        return gettext("Error: ")
    return ""


# Far from any id a table will reach, so each appears once in a reversed path (`_template` checks it does).
_SENTINELS = tuple(987_654_321_012_340 + i for i in range(8))
# (name, how many ids, script prefix, resolver) -> the path's pieces around the ids, raw and escaped; None
# where the name cannot be cut that way (then every call is an ordinary reverse()).
_templates: dict[tuple, tuple[tuple[str, ...], tuple[str, ...]] | None] = {}


def _template(name: str, count: int) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    key = (name, count, get_script_prefix(), get_resolver(get_urlconf()))
    try:
        return _templates[key]
    except KeyError:
        pass
    if len(_templates) >= 1000:  # bounded whatever script prefixes a server passes on
        _templates.clear()
    try:
        path = reverse(name, args=_SENTINELS[:count])
    except NoReverseMatch:  # a pattern that takes no ids this long: leave the name to reverse()
        _templates[key] = None
        return None
    pieces = []
    for sentinel in map(str, _SENTINELS[:count]):
        before, found, path = path.partition(sentinel)
        if not found or sentinel in path:
            _templates[key] = None
            return None
        pieces.append(before)
    pieces.append(path)
    _templates[key] = result = (tuple(pieces), tuple(conditional_escape(piece) for piece in pieces))
    return result


@register.simple_tag(takes_context=True)
def id_url(context, name: str, *ids) -> str:
    """`{% url name id … %}` for a long list's rows, whose ids are integers: the URL is reversed once per
    process (for a name, a number of ids, a script prefix and a URLconf) and the ids are put in its place, not
    reversed again for each row (Django's reverse() costs about 0.1 ms). The same text as `{% url %}`; any
    argument that is not an int goes through reverse() as it would there. No `as`, no keyword arguments, and
    no current app: Trackii mounts each namespace once."""
    ints = len(ids) <= len(_SENTINELS) and all(type(i) is int and i >= 0 for i in ids)
    template = _template(name, len(ids)) if ints else None
    if template is None:
        url = reverse(name, args=ids)
        return conditional_escape(url) if context.autoescape else url
    raw, escaped = template
    pieces = escaped if context.autoescape else raw
    text = pieces[0]
    for value, piece in zip(ids, pieces[1:], strict=True):
        text += str(value) + piece
    return SafeString(text) if context.autoescape else text


# The format characters that read only the day of a value (no time, no zone), and what each (day, format,
# language) printed: the same for every value on that day, so a list prints it once per process.
_DAY_ONLY = frozenset("bdDEjlNFmMnyY")
_days: dict[tuple, str] = {}


def formatted_day(value: dt.date, fmt: str) -> str:
    """What `|date:fmt` prints for the value, for a format of the day alone ("j M Y"); any other format is
    formatted as `|date` formats it."""
    if not isinstance(value, dt.date) or "\\" in fmt or not _DAY_ONLY.issuperset(filter(str.isalpha, fmt)):
        return date_filter(value, localised(fmt))
    fmt = localised(fmt)
    key = (value.year, value.month, value.day, fmt, get_language())
    try:
        return _days[key]
    except KeyError:
        if len(_days) >= 10_000:
            _days.clear()
        _days[key] = text = date_filter(value, fmt)
        return text


@register.filter(expects_localtime=True, is_safe=False)
def day(value, fmt: str) -> str:
    """`|date` for a list's rows: `{{ grant.starts_on|day:"M Y" }}` prints what `|date:"M Y"` prints (a
    datetime first in the current zone, as there), each day once per process."""
    if value in (None, ""):
        return ""
    return formatted_day(value, fmt)
