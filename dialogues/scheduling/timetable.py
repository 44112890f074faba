"""A workshop's agenda laid out in time: its days on the venue's clock, each item's start and end, the totals
of each day and what a facilitator should check (items that overlap, or start before or run past the
workshop). Pure computation over the items it is given: it reads nothing from the database.

An item's start is its own time if it has one; otherwise it follows the item before it on the same day (the
first untimed item of day 1 starts when the workshop does). Without a start or a duration, the next untimed
item's start is unknown and shown as such rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogues.models import AgendaItem, Workshop
from trackii.dates import localised


def workshop_days(workshop: Workshop) -> list[dt.date]:
    """The calendar days the workshop spans on the venue's clock (one ending at midnight ends the day
    before)."""
    first = workshop.local_starts_at.date()
    end = workshop.local_ends_at
    last = end.date()
    if end.time() == dt.time(0) and last > first:
        last -= dt.timedelta(days=1)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def day_label(number: int, date: dt.date | None) -> str:
    if date is None:
        return _("Day %(number)s") % {"number": number}
    return _("Day %(number)s · %(date)s") % {"number": number, "date": date_format(date, localised("l j F"))}


@dataclass
class Slot:
    item: AgendaItem
    start: dt.datetime | None  # aware, on the venue's clock
    end: dt.datetime | None
    warnings: list[str] = field(default_factory=list)

    @property
    def times(self) -> str:
        """Start and end on the venue's clock, as text, so that no template converts them to another zone."""
        if self.start is None:
            return ""
        return f"{self.start:%H:%M}\u2013{self.end:%H:%M}" if self.end else f"{self.start:%H:%M}"

    @property
    def length(self) -> str:
        return minutes_label(self.item.duration_minutes) if self.item.duration_minutes else ""

    @property
    def timed(self) -> bool:
        """The start was set on the item itself, not worked out from the items before it."""
        return self.item.starts_at_time is not None


@dataclass
class Day:
    number: int
    date: dt.date | None  # None: a day the workshop no longer has (it was shortened after items were set)
    slots: list[Slot] = field(default_factory=list)

    @property
    def label(self) -> str:
        return day_label(self.number, self.date)

    @property
    def total_minutes(self) -> int:
        return sum(slot.item.duration_minutes or 0 for slot in self.slots)

    @property
    def total_label(self) -> str:
        return minutes_label(self.total_minutes)

    @property
    def span(self) -> tuple[dt.datetime, dt.datetime] | None:
        """From the first known start to the last known end of the day."""
        starts = [slot.start for slot in self.slots if slot.start]
        ends = [slot.end for slot in self.slots if slot.end]
        return (min(starts), max(ends)) if starts and ends else None

    @property
    def span_label(self) -> str:
        span = self.span
        return f"{span[0]:%H:%M}\u2013{span[1]:%H:%M}" if span else ""

    @property
    def warnings(self) -> list[str]:
        return [f"“{slot.item.title}” {warning}" for slot in self.slots for warning in slot.warnings]


@dataclass
class Timetable:
    workshop: Workshop
    days: list[Day]

    @property
    def warnings(self) -> list[str]:
        return [f"{day.label}: {warning}" for day in self.days for warning in day.warnings]

    @property
    def slots(self) -> list[Slot]:
        return [slot for day in self.days for slot in day.slots]

    def visible_to_participants(self) -> Timetable:
        """The same times without the facilitators-only items: a gap stays where one was, never its
        content."""
        days = [
            Day(
                number=day.number,
                date=day.date,
                slots=[Slot(s.item, s.start, s.end) for s in day.slots if not s.item.facilitators_only],
            )
            for day in self.days
        ]
        return Timetable(workshop=self.workshop, days=[day for day in days if day.slots])


def minutes_label(minutes: int) -> str:
    """“45 min”, “2 h”, “1 h 30 min”."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": rest}
    if not rest:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}


def _check(
    slot: Slot, *, previous_end: dt.datetime | None, previous: Slot | None, workshop: Workshop
) -> None:
    if slot.start is None:
        return
    if slot.timed and previous_end is not None and previous is not None and slot.start < previous_end:
        slot.warnings.append(
            _("starts at %(start)s, before “%(title)s” ends at %(end)s.")
            % {"start": f"{slot.start:%H:%M}", "title": previous.item.title, "end": f"{previous_end:%H:%M}"}
        )
    if slot.start < workshop.starts_at:
        slot.warnings.append(
            _("starts before the workshop does (%(time)s).") % {"time": f"{workshop.local_starts_at:%H:%M}"}
        )
    elif slot.start >= workshop.ends_at:
        slot.warnings.append(_("starts after the workshop has ended."))
    elif slot.end is not None and slot.end > workshop.ends_at:
        slot.warnings.append(
            _("runs past the workshop's end (%(end)s on %(weekday)s) until %(until)s.")
            % {
                "end": f"{workshop.local_ends_at:%H:%M}",
                "weekday": date_format(workshop.local_ends_at, "l"),
                "until": f"{slot.end:%H:%M}",
            }
        )


def lay_out(*, workshop: Workshop, items: Iterable[AgendaItem]) -> Timetable:
    """Every item in agenda order (day, time, position), with its start and end and its warnings."""
    zone = ZoneInfo(workshop.timezone)
    dates = workshop_days(workshop)
    ordered = sorted(
        items,
        key=lambda item: (
            item.day,
            item.starts_at_time is None,
            item.starts_at_time or dt.time(0),
            item.position,
        ),
    )
    by_number: dict[int, Day] = {}
    for item in ordered:
        if item.day not in by_number:
            date = dates[item.day - 1] if item.day <= len(dates) else None
            by_number[item.day] = Day(number=item.day, date=date)
        by_number[item.day].slots.append(Slot(item, None, None))
    for day in by_number.values():
        # Day 1 starts with the workshop; another day's first untimed item has no known start.
        cursor = workshop.starts_at.astimezone(zone) if day.number == 1 else None
        latest_end: dt.datetime | None = None
        previous: Slot | None = None
        for slot in day.slots:
            item = slot.item
            if item.starts_at_time is not None and day.date is not None:
                slot.start = dt.datetime.combine(day.date, item.starts_at_time, tzinfo=zone)
            else:
                slot.start = cursor
            if slot.start is not None and item.duration_minutes:
                slot.end = slot.start + dt.timedelta(minutes=item.duration_minutes)
            _check(slot, previous_end=latest_end, previous=previous, workshop=workshop)
            if slot.end is not None and (latest_end is None or slot.end > latest_end):
                latest_end, previous = slot.end, slot
            cursor = slot.end
        if day.date is None:
            day.slots[0].warnings.append(
                ngettext(
                    "is on day %(number)s, but the workshop now has %(count)d day. Move it to another day.",
                    "is on day %(number)s, but the workshop now has %(count)d days. Move it to another day.",
                    len(dates),
                )
                % {"number": day.number, "count": len(dates)}
            )
    return Timetable(workshop=workshop, days=[by_number[n] for n in sorted(by_number)])
