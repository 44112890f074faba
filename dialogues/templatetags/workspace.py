import datetime as dt
import zoneinfo

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from trackii.dates import localised
from trackii.templatetags.trackii_pages import formatted_day

register = template.Library()


def _span(start: dt.datetime, end: dt.datetime) -> str:
    # As date_format(start, "D j M Y, H:i"), with the day's words worked out once per day, not per row.
    first = f"{formatted_day(start, 'D j M Y')}, {start:%H:%M}"
    last = f"{end:%H:%M}" if start.date() == end.date() else f"{formatted_day(end, 'D j M')}, {end:%H:%M}"
    return f"{first} \u2013 {last}"


@register.simple_tag
def when(workshop, viewer_tz: str | None = None):
    """A workshop's times on the venue's clock, with the zone named, and in the viewer's zone when that
    differs."""
    venue = zoneinfo.ZoneInfo(workshop.timezone)
    text = format_html(
        '<time datetime="{}">{}</time> <span class="tz">{}</span>',
        workshop.starts_at.isoformat(),
        _span(workshop.starts_at.astimezone(venue), workshop.ends_at.astimezone(venue)),
        workshop.timezone,
    )
    if viewer_tz and viewer_tz != workshop.timezone:
        tz = zoneinfo.ZoneInfo(viewer_tz)
        yours = _("(%(times)s your time, %(zone)s)") % {
            "times": _span(workshop.starts_at.astimezone(tz), workshop.ends_at.astimezone(tz)),
            "zone": viewer_tz,
        }
        text += format_html(' <span class="meta when-yours">{}</span>', yours)
    return text


@register.filter
def pseudonyms(people) -> str:
    """ "P-3K7M, P-7QXA": these people's pseudonyms in the page's dialogue (`pseudonym_here`, which their
    selector set: dialogues.scheduling.selectors.login_candidates), for a sentence that names them."""
    return ", ".join(person.pseudonym_here for person in people)


@register.filter
def day_month(fmt: str) -> str:
    """A date format with its month as the active language writes it after a day: `{% with
    fmt="l j F Y"|day_month %}`, or "F" for a month printed after a day shown apart (trackii.dates)."""
    return localised(fmt, after_day=True)
