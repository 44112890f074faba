"""Activity per day: how many rows of the log a search matches on each day, and how many of them were
denied, counted in one aggregate query (GROUP BY the day on the viewer's clock) over at most MAX_DAYS days;
and the bars of the chart that shows it, drawn on the server as SVG (no script, nothing from another host).
A read like the selectors; the look is recorded by services.view_activity."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from trackii.audit.enums import Outcome
from trackii.audit.selectors import filtered

MAX_DAYS = 366
DEFAULT_DAYS = 30
CHART_WIDTH, CHART_HEIGHT = 720, 180  # the SVG's viewBox; it stretches to the page's width


@dataclass(frozen=True)
class Day:
    day: dt.date
    rows: int
    denied: int


@dataclass(frozen=True)
class Bar:
    """One day's bar in the chart's coordinates: the whole bar for its rows, the lower part for denials."""

    x: float
    width: float
    y: float
    height: float
    denied_y: float
    denied_height: float


@dataclass
class Activity:
    first: dt.date
    last: dt.date
    clipped: bool  # the search asked for more than MAX_DAYS days: these are the last MAX_DAYS of them
    zone: str
    days: list[Day]

    @property
    def rows(self) -> int:
        return sum(day.rows for day in self.days)

    @property
    def denied(self) -> int:
        return sum(day.denied for day in self.days)

    @property
    def peak(self) -> Day | None:
        busiest = max(self.days, key=lambda day: day.rows, default=None)
        return busiest if busiest and busiest.rows else None

    def bars(self) -> list[Bar]:
        top = self.peak.rows if self.peak else 1
        slot = CHART_WIDTH / max(len(self.days), 1)
        gap = min(slot * 0.2, 4)
        bars = []
        for n, day in enumerate(self.days):
            height = CHART_HEIGHT * day.rows / top
            denied = CHART_HEIGHT * day.denied / top
            bars.append(
                Bar(
                    x=round(n * slot + gap / 2, 2),
                    width=round(slot - gap, 2),
                    y=round(CHART_HEIGHT - height, 2),
                    height=round(height, 2),
                    denied_y=round(CHART_HEIGHT - denied, 2),
                    denied_height=round(denied, 2),
                )
            )
        return bars


def day_range(
    *, since: dt.date | None, until: dt.date | None, today: dt.date
) -> tuple[dt.date, dt.date, bool]:
    """The days to draw: the search's own From and Until, else the last DEFAULT_DAYS days (up to Until when
    only that is given); never more than MAX_DAYS, keeping the latest."""
    last = until or max(today, since or today)
    first = since or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    clipped = (last - first).days + 1 > MAX_DAYS
    if clipped:
        first = last - dt.timedelta(days=MAX_DAYS - 1)
    return first, last, clipped


def per_day(
    *,
    filters: dict,
    since: dt.date | None,
    until: dt.date | None,
    zone: zoneinfo.ZoneInfo,
    today: dt.date,
) -> Activity:
    """Rows and denials per day for the search `filters` (as selectors.filtered takes them) between the days
    `since` and `until` (inclusive) on the clock of `zone`, in one query."""
    first, last, clipped = day_range(since=since, until=until, today=today)
    bounded = {
        **filters,
        "since": dt.datetime.combine(first, dt.time.min, tzinfo=zone),
        "until": dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    }
    counted = {
        row["day"]: row
        for row in filtered(**bounded)
        .order_by()
        .annotate(day=TruncDate("occurred_at", tzinfo=zone))
        .values("day")
        .annotate(rows=Count("id"), denied=Count("id", filter=Q(outcome=Outcome.DENIED)))
    }
    days = []
    for n in range((last - first).days + 1):
        day = first + dt.timedelta(days=n)
        row = counted.get(day, {"rows": 0, "denied": 0})
        days.append(Day(day=day, rows=row["rows"], denied=row["denied"]))
    return Activity(first=first, last=last, clipped=clipped, zone=zone.key, days=days)
