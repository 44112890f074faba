"""Runs of workshops, computed in the venue's wall-clock time.

A facilitator who says "10:00 in Oslo, every 4 months" means 10:00 on the Oslo clock whether or not summer
time is in force, so every occurrence is found as a naive local time and only then given its zone. The
hour that does not exist when the clocks go forward is moved forward by the gap, as calendar programs do.
"""

import datetime as dt
import zoneinfo
from itertools import islice

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from dialogues.enums import Repeat

MAX_OCCURRENCES = 24


def localize(naive: dt.datetime, tz_name: str) -> dt.datetime:
    """A wall-clock time in `tz_name` as an aware datetime; a time in the spring-forward gap moves on."""
    tz = zoneinfo.ZoneInfo(tz_name)
    aware = naive.replace(tzinfo=tz)
    # fold=0 reads a gap time with the offset before the change; the round trip lands after the gap.
    return aware.astimezone(dt.UTC).astimezone(tz)


def wall_clock(value: dt.datetime, tz_name: str) -> dt.datetime:
    """An aware datetime as the naive time on the venue's clock."""
    return value.astimezone(zoneinfo.ZoneInfo(tz_name)).replace(tzinfo=None)


def nth_weekday_of_month(day: dt.date) -> int:
    """1 for the first Tuesday of a month ... 4 for the fourth; the fifth is taken as "the last" (-1)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def occurrences(
    *,
    first: dt.datetime,
    repeat: str,
    interval: int = 1,
    count: int | None = None,
    until: dt.date | None = None,
    limit: int = MAX_OCCURRENCES,
) -> list[dt.datetime]:
    """Naive wall-clock start times of a run beginning at `first` (itself naive, in the venue's zone).

    Ends after `count` workshops or on the last one on or before `until`, and never yields more than
    `limit`. MONTHS keeps the day of the month, falling back to the month's last day (31 Jan, 28 Feb...);
    MONTH_WEEKDAY keeps "the second Tuesday", counting months from the first workshop's month, so an
    interval of 3 is "every quarter".
    """
    if repeat == Repeat.NONE:
        return [first]
    if count is None and until is None:
        raise ValueError("A repeating run needs a number of workshops or an end date.")
    interval = max(1, interval)
    wanted = min(count, limit) if count is not None else limit
    end = dt.datetime.combine(until, dt.time.max) if until is not None else None
    # rrule takes a count or an end, not both (RFC 5545): the end bounds it, islice the count.
    bound = {"until": end} if end is not None else {"count": wanted}
    if repeat == Repeat.WEEKS:
        found = list(islice(rrule(WEEKLY, interval=interval, dtstart=first, **bound), wanted))
    elif repeat == Repeat.MONTH_WEEKDAY:
        on = weekday(first.weekday())(nth_weekday_of_month(first.date()))
        found = list(islice(rrule(MONTHLY, interval=interval, byweekday=on, dtstart=first, **bound), wanted))
    elif repeat == Repeat.MONTHS:
        found = []
        k = 0
        while len(found) < wanted:
            candidate = first + relativedelta(months=k * interval)
            if end is not None and candidate > end:
                break
            found.append(candidate)
            k += 1
    else:
        raise ValueError(f"Unknown repeat {repeat!r}.")
    return found


def next_after(latest: dt.datetime, previous: dt.datetime | None) -> dt.datetime:
    """Where "the next one" goes: the gap between the last two workshops again (in months and days, so
    "every 4 months" stays on its date), or three months after a series' only workshop."""
    gap = relativedelta(latest, previous) if previous is not None and previous < latest else None
    if gap is None or latest + gap <= latest:
        gap = relativedelta(months=3)
    return latest + gap
