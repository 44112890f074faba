"""Calendar quarters, the same everywhere a figure is counted per quarter (the programme page, the transfer
pipeline, a funder's activity charts): truncated in SQL on one clock, UTC, whatever the server's zone, and
labelled "2026 Q3". Each chart counted per quarter says so in its reading (NOTE; YEAR_NOTE per year)."""

import datetime as dt

from django.db.models import DateField
from django.db.models.functions import TruncQuarter
from django.utils.translation import gettext, gettext_lazy

CLOCK = dt.UTC
NOTE = gettext_lazy("Quarters are calendar quarters in UTC.")
YEAR_NOTE = gettext_lazy("Years are calendar years in UTC.")


def quarter_start(field: str, *, dated: bool = False) -> TruncQuarter:
    """The first day of the quarter of `field`, in SQL: a moment (DateTimeField) on CLOCK; a day already
    (`dated`: a DateField) as it is, since a day is on no clock."""
    if dated:
        return TruncQuarter(field, output_field=DateField())
    return TruncQuarter(field, tzinfo=CLOCK, output_field=DateField())


def quarter_label(day: dt.date) -> str:
    """ "2026 Q3", in the reader's language."""
    return gettext("%(year)s Q%(quarter)s") % {"year": day.year, "quarter": (day.month - 1) // 3 + 1}


def quarters_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every quarter's first day from the quarter of `first` to that of `last`, empty ones too: time runs
    evenly along a chart's axis."""
    quarters, day = [], dt.date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    while day <= last:
        quarters.append(day)
        month = day.month + 3
        day = dt.date(day.year + (month > 12), (month - 1) % 12 + 1, 1)
    return quarters
