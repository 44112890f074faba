"""The personal calendar feed as iCalendar text (RFC 5545).

By default an event carries the dialogue's codename, the series' position, the workshop's number and the
times, nothing else ("lanternfield · series 2 · workshop 1", `Workshop.neutral_label`): the calendar provider
that fetches the feed must learn nothing about who meets whom, where, or about what, yet two workshops of one
dialogue must not look the same. A user may opt in to the series title, format and venue.
"""

import datetime as dt

from django.utils.translation import gettext as _

from dialogues.enums import WorkshopStatus

PRODID = "-//Trackii//Workshop feed//EN"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def render_feed(*, workshops, detail: bool, now: dt.datetime, uid_host: str = "trackii.invalid") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Trackii",
    ]
    for workshop in workshops:
        summary = workshop.neutral_label_translated
        if detail:
            summary = f"{workshop.series.dialogue.codename} · {workshop.label}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:workshop-{workshop.pk}@{uid_host}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(workshop.starts_at)}",
            f"DTEND:{_utc(workshop.ends_at)}",
            f"SUMMARY:{_escape(summary)}",
            "CLASS:CONFIDENTIAL",
            "STATUS:" + ("CANCELLED" if workshop.status == WorkshopStatus.CANCELLED else "CONFIRMED"),
        ]
        if detail:
            if workshop.venue:
                lines.append(f"LOCATION:{_escape(workshop.venue)}")
            words = _("%(format)s · times in %(zone)s") % {
                "format": workshop.get_format_display(),
                "zone": workshop.timezone,
            }
            lines.append(f"DESCRIPTION:{_escape(words)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
