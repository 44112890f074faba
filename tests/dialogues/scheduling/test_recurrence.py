"""Runs of workshops keep the venue's clock time across summer-time changes and year ends."""

import datetime as dt
import zoneinfo

import pytest

from dialogues.enums import Repeat
from dialogues.scheduling import services as scheduling_services
from dialogues.scheduling.recurrence import localize, next_after, occurrences
from tests.factories import SeriesFactory

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
# Scheduled before these 2026 dates: a start in the past is refused (it would be a workshop already held).
BEFORE_2026 = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)


def test_every_four_months_crosses_the_year_end_on_the_same_date():
    starts = occurrences(first=dt.datetime(2026, 9, 15, 10), repeat=Repeat.MONTHS, interval=4, count=3)
    assert starts == [
        dt.datetime(2026, 9, 15, 10),
        dt.datetime(2027, 1, 15, 10),
        dt.datetime(2027, 5, 15, 10),
    ]


def test_monthly_on_the_31st_falls_back_to_the_last_day_of_shorter_months():
    starts = occurrences(first=dt.datetime(2026, 12, 31, 9), repeat=Repeat.MONTHS, interval=2, count=3)
    assert [s.date() for s in starts] == [dt.date(2026, 12, 31), dt.date(2027, 2, 28), dt.date(2027, 4, 30)]


def test_second_tuesday_of_every_quarter_across_the_year_end():
    # 10 Nov 2026 is the second Tuesday of November.
    starts = occurrences(first=dt.datetime(2026, 11, 10, 9), repeat=Repeat.MONTH_WEEKDAY, interval=3, count=3)
    assert [s.date() for s in starts] == [dt.date(2026, 11, 10), dt.date(2027, 2, 9), dt.date(2027, 5, 11)]
    assert all(s.weekday() == 1 and 8 <= s.day <= 14 for s in starts)


def test_fifth_weekday_means_the_last_one():
    # 29 Dec 2026 is the fifth (and last) Tuesday; February 2027 has only four.
    starts = occurrences(first=dt.datetime(2026, 12, 29, 9), repeat=Repeat.MONTH_WEEKDAY, interval=2, count=2)
    assert starts[1].date() == dt.date(2027, 2, 23)


def test_until_is_inclusive_and_weeks_repeat():
    starts = occurrences(
        first=dt.datetime(2026, 12, 21, 9), repeat=Repeat.WEEKS, interval=2, until=dt.date(2027, 1, 18)
    )
    assert [s.date() for s in starts] == [dt.date(2026, 12, 21), dt.date(2027, 1, 4), dt.date(2027, 1, 18)]


def test_a_time_in_the_spring_forward_gap_moves_on_by_the_gap():
    # Oslo skips 02:00-03:00 on 29 March 2026.
    value = localize(dt.datetime(2026, 3, 29, 2, 30), "Europe/Oslo")
    assert (value.hour, value.minute, value.utcoffset()) == (3, 30, dt.timedelta(hours=2))


def test_next_one_repeats_the_last_gap_in_months():
    assert next_after(dt.datetime(2027, 1, 15, 10), dt.datetime(2026, 9, 15, 10)) == dt.datetime(
        2027, 5, 15, 10
    )
    assert next_after(dt.datetime(2027, 1, 15, 10), None) == dt.datetime(2027, 4, 15, 10)


@pytest.mark.django_db
def test_schedule_run_keeps_local_time_across_summer_time_in_both_directions():
    series = SeriesFactory()
    workshops = scheduling_services.schedule_run(
        series=series,
        starts_at=dt.datetime(2026, 3, 10, 9, 30),
        ends_at=dt.datetime(2026, 3, 11, 17, 0),
        timezone_name="Europe/Oslo",
        repeat=Repeat.MONTHS,
        interval=4,
        count=3,
        by=None,
        now=BEFORE_2026,
    )
    # March before the clocks go forward (CET, +1), July (CEST, +2), November after they go back (CET, +1).
    local = [(w.starts_at.astimezone(OSLO), w.ends_at.astimezone(OSLO)) for w in workshops]
    assert [(s.date(), s.hour, s.minute) for s, _ in local] == [
        (dt.date(2026, 3, 10), 9, 30),
        (dt.date(2026, 7, 10), 9, 30),
        (dt.date(2026, 11, 10), 9, 30),
    ]
    assert [s.utcoffset().total_seconds() / 3600 for s, _ in local] == [1, 2, 1]
    assert all(
        (e.replace(tzinfo=None) - s.replace(tzinfo=None)) == dt.timedelta(hours=31, minutes=30)
        for s, e in local
    )
    assert [w.number for w in workshops] == [1, 2, 3]
    # The UTC instants differ by the summer-time hour: the wall clock is what was kept.
    assert (
        workshops[1].starts_at.astimezone(dt.UTC).hour == 7
        and workshops[0].starts_at.astimezone(dt.UTC).hour == 8
    )


@pytest.mark.django_db
def test_a_workshop_spanning_the_autumn_change_keeps_its_wall_clock_end():
    series = SeriesFactory()
    [workshop] = scheduling_services.schedule_run(
        series=series,
        starts_at=dt.datetime(2026, 10, 24, 9),
        ends_at=dt.datetime(2026, 10, 25, 17),
        timezone_name="Europe/Oslo",
        by=None,
        now=BEFORE_2026,
    )
    assert workshop.ends_at.astimezone(OSLO).hour == 17
    # 32 hours on the wall clock, 33 in fact: the night of 24-25 October had 25 hours.
    assert workshop.ends_at.astimezone(dt.UTC) - workshop.starts_at.astimezone(dt.UTC) == dt.timedelta(
        hours=33
    )


@pytest.mark.django_db
def test_schedule_run_refuses_an_endless_or_oversized_run():
    series = SeriesFactory()
    common = {
        "series": series,
        "starts_at": dt.datetime(2026, 1, 5, 9),
        "ends_at": dt.datetime(2026, 1, 5, 17),
    }
    with pytest.raises(Exception, match="how many workshops"):
        scheduling_services.schedule_run(**common, timezone_name="UTC", repeat=Repeat.WEEKS, by=None)
    with pytest.raises(Exception, match="more than 24"):
        scheduling_services.schedule_run(
            **common, timezone_name="UTC", repeat=Repeat.WEEKS, until=dt.date(2030, 1, 1), by=None
        )
    assert not series.workshops.exists()
