"""Activity per day: how many rows of the log a search matches on each day, and how many of them were
denied, counted in one aggregate query (GROUP BY the day on the viewer's clock) over at most MAX_DAYS days;
and the chart that shows it (trackii.charts: stacked bars of allowed and denied rows per day).
A read like the selectors; the look is recorded by services.view_activity."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trackii.audit.enums import Outcome
from trackii.audit.selectors import filtered
from trackii.charts import Chart, Series, bar_chart
from trackii.charts.base import number

MAX_DAYS = 366
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Day:
    day: dt.date
    rows: int
    denied: int


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

    def chart(self) -> Chart:
        """Allowed rows with the denied ones stacked on top, per day; the page has the table of the days."""
        peak = self.peak
        if peak:
            reading = ngettext(
                "The busiest day is %(day)s with %(rows)s row. "
                "The hatched upper part of each bar is the rows that were denied.",
                "The busiest day is %(day)s with %(rows)s rows. "
                "The hatched upper part of each bar is the rows that were denied.",
                peak.rows,
            ) % {"day": formats.date_format(peak.day, "j M Y"), "rows": number(peak.rows)}
        else:
            reading = _("No rows of the log match on these days.")
        return bar_chart(
            key="activity",
            title=_("Rows of the audit log per day, %(first)s to %(last)s")
            % {
                "first": formats.date_format(self.first, "j M Y"),
                "last": formats.date_format(self.last, "j M Y"),
            },
            description=reading,
            categories=[formats.date_format(day.day, "j M") for day in self.days],
            series=[
                Series(_("Allowed"), tuple(day.rows - day.denied for day in self.days)),
                Series(_("Denied"), tuple(day.denied for day in self.days)),
            ],
            unit=_("rows"),
            stacked=True,
            category_label=_("Day"),
        )


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
