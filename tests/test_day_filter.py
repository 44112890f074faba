"""`|day` prints what `|date` prints, and the workshop times of `{% when %}` read as they did with Django's
date formatting: the list pages that use them render the same HTML, a day's words worked out once."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

from dialogues.templatetags.workspace import _span
from trackii.templatetags import trackii_pages

FORMATS = ["j F Y", "j M Y", "M Y", "D j M Y", "D j M", "j M, H:i", "H:i", r"j \o\f F", "U", ""]
ZONES = ["UTC", "Europe/Berlin", "America/St_Johns", "Pacific/Kiritimati", "Asia/Kathmandu"]


def _values():
    for zone in ZONES:
        tz = zoneinfo.ZoneInfo(zone)
        for hour in (0, 1, 11, 23):
            yield dt.datetime(2026, 3, 29, hour, 30, tzinfo=tz)  # the night clocks go forward in Europe
            yield dt.datetime(2026, 12, 31, hour, 5, tzinfo=dt.UTC).astimezone(tz)
    yield dt.date(2026, 2, 28)
    yield dt.date(2027, 1, 1)
    yield None
    yield ""


@pytest.fixture(autouse=True)
def fresh_cache():
    trackii_pages._days.clear()
    yield
    trackii_pages._days.clear()


@pytest.mark.parametrize("language", ["en-gb", "de"])
@pytest.mark.parametrize("current_zone", ["UTC", "Australia/Adelaide"])
def test_day_prints_what_date_prints(language, current_zone):
    template = Template("{% load trackii_pages %}{{ v|day:f }}|{{ v|date:f }}")
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(current_zone)):
        for _ in range(2):  # the second time from the cache
            for value in _values():
                for fmt in FORMATS:
                    if type(value) is dt.date and "H" in fmt:
                        continue  # |date refuses a time of a day, and so does |day (it is |date there)
                    ours, django = template.render(Context({"v": value, "f": fmt})).split("|")
                    assert ours == django, (value, fmt)


def test_day_keeps_each_language_apart():
    template = Template('{% load trackii_pages %}{{ v|day:"D j F Y" }}')
    value = dt.date(2026, 3, 4)
    with translation.override("en-gb"):
        english = template.render(Context({"v": value}))
    with translation.override("de"):
        german = template.render(Context({"v": value}))
    assert (english, german) == ("Wed 4 March 2026", "Mi 4 März 2026")


def test_when_spans_read_as_django_formats_them():
    for value in _values():
        if not isinstance(value, dt.datetime):
            continue
        for hours in (1, 20, 50):
            end = value + dt.timedelta(hours=hours)
            last = date_format(end, "H:i") if value.date() == end.date() else date_format(end, "D j M, H:i")
            assert _span(value, end) == f"{date_format(value, 'D j M Y, H:i')} \u2013 {last}"
