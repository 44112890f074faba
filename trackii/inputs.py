"""Values read from a request, strictly, so that nothing a browser or a script can send ends in a 500.

`str.isdigit()` is true for "²" and "٣", which `int()` refuses or reads as another digit, and Python's dates
stop at years 1 and 9999, so a day either side of them, a zone offset or a month's last day overflows. Ids are
ASCII digits that fit a bigint; dates and times lie in a range the calendar arithmetic can never leave."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError

ID_PATTERN = re.compile(r"[0-9]{1,18}")  # 18 digits always fit PostgreSQL's bigint

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)
RANGE_MESSAGE = f"Give a date between {EARLIEST.year} and {LATEST.year}."


def parse_id(value) -> int | None:
    """An object id from a query or form value, or None for anything but ASCII digits that fit a bigint."""
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return int(value)
    return None


def in_range(value: dt.date) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST <= day <= LATEST


def validate_in_range(value: dt.date) -> None:
    if value is not None and not in_range(value):
        raise ValidationError(RANGE_MESSAGE, code="out_of_range")


class BoundedDateField(forms.DateField):
    """A date between EARLIEST and LATEST; anything else is an error next to the field."""

    default_validators = [validate_in_range]


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time between EARLIEST and LATEST (a day's margin for any zone's offset either way)."""

    default_validators = [validate_in_range]
