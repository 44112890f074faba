"""Activity per day: rows and denials per day on the viewer's clock, one aggregate query over at most 366
days, drawn as SVG on the server with a table holding the same numbers; the look is itself recorded."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from trackii.accounts import zones
from trackii.audit import activity
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import bulk_append

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def auditor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    return user


def _at(day: str, time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}+00:00")


def test_days_are_counted_on_the_viewers_clock_with_denials_apart():
    bulk_append(
        events=[
            {"action": Action.VIEW, "occurred_at": _at("2026-11-02")},
            {
                "action": Action.DENIED,
                "outcome": "denied",
                "occurred_at": _at("2026-11-02", "23:30"),
            },  # 3rd in Berlin
            {"action": Action.VIEW, "occurred_at": _at("2026-11-03", "09:00")},
            {"action": Action.VIEW, "occurred_at": _at("2026-11-05", "23:30"), "target_type": "x.y"},
        ]
    )
    found = activity.per_day(
        filters={},
        since=dt.date(2026, 11, 2),
        until=dt.date(2026, 11, 5),
        zone=BERLIN,
        today=dt.date(2027, 1, 1),
    )
    assert [(d.day.day, d.rows, d.denied) for d in found.days] == [(2, 1, 0), (3, 2, 1), (4, 0, 0), (5, 0, 0)]
    assert (found.rows, found.denied, found.peak.day) == (3, 1, dt.date(2026, 11, 3)) and not found.clipped
    utc = activity.per_day(
        filters={"target_type": "x.y"},
        since=dt.date(2026, 11, 5),
        until=dt.date(2026, 11, 5),
        zone=zoneinfo.ZoneInfo("UTC"),
        today=dt.date(2027, 1, 1),
    )
    assert [(d.rows, d.denied) for d in utc.days] == [(1, 0)]


def test_the_range_is_the_last_30_days_by_default_and_never_more_than_366():
    today = dt.date(2026, 12, 7)
    assert activity.day_range(since=None, until=None, today=today) == (dt.date(2026, 11, 8), today, False)
    assert activity.day_range(since=None, until=dt.date(2026, 1, 30), today=today) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 30),
        False,
    )
    first, last, clipped = activity.day_range(
        since=dt.date(1900, 1, 1), until=dt.date(2200, 12, 31), today=today
    )
    assert (last - first).days + 1 == activity.MAX_DAYS and last == dt.date(2200, 12, 31) and clipped
    assert activity.day_range(since=dt.date(2030, 1, 1), until=None, today=today)[:2] == (
        dt.date(2030, 1, 1),
        dt.date(2030, 1, 1),
    )


def test_the_chart_stacks_the_denied_rows_on_the_allowed_ones():
    days = [
        activity.Day(dt.date(2026, 1, n), rows, denied)
        for n, (rows, denied) in enumerate([(4, 1), (0, 0), (2, 2)], 1)
    ]
    found = activity.Activity(first=days[0].day, last=days[-1].day, clipped=False, zone="UTC", days=days)
    chart = found.chart()
    assert chart.table.columns == ("Day", "Allowed", "Denied", "Total")
    assert chart.table.rows == (("1 Jan", 3, 1, 4), ("2 Jan", 0, 0, 0), ("3 Jan", 0, 2, 2))
    assert chart.svg.count("<g><title>") == 3  # allowed and denied on 1 Jan, denied on 3 Jan
    assert "The busiest day is 1 Jan 2026 with 4 rows." in chart.description


@pytest.mark.parametrize("count", [1, 40])
def test_the_page_is_one_aggregate_query_whatever_the_rows(client, auditor, django_assert_num_queries, count):
    now = dt.datetime.now(dt.UTC)
    bulk_append(
        events=[
            {
                "action": Action.DOWNLOAD,
                "outcome": "denied" if n % 2 else "allowed",
                "occurred_at": now - dt.timedelta(days=n % 20),
            }
            for n in range(count)
        ]
    )
    client.force_login(auditor)
    url = reverse("audit:activity")
    client.get(url)  # warm per-process caches
    # session, user, permissions (user's, groups'), the counts, audit (one statement)
    with django_assert_num_queries(6), CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"action": Action.DOWNLOAD})
    grouped = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1 and "audit_auditevent" in grouped[0]
    found = response.context["activity"]
    assert found.rows == count and len(found.days) == activity.DEFAULT_DAYS


def test_the_page_draws_the_chart_and_a_table_with_the_same_numbers_and_records_the_look(client, auditor):
    bulk_append(
        events=[
            {"action": Action.VIEW, "occurred_at": _at("2026-11-02", "23:30")},
            {"action": Action.DENIED, "outcome": "denied", "occurred_at": _at("2026-11-03", "08:00")},
        ]
    )
    client.force_login(auditor)
    session = client.session
    session[zones.SESSION_KEY] = "Europe/Berlin"
    session.save()
    response = client.get(reverse("audit:activity"), {"since": "2026-11-01", "until": "2026-11-04"})
    body = response.content.decode()
    assert response.status_code == 200
    svg = re.search(r'<svg class="chart".*?</svg>', body, re.S).group(0)
    assert 'role="img"' in svg and "http" not in svg.replace("http://www.w3.org", "")
    assert "<script" not in body.split("</header>", 1)[1]
    rows = re.findall(r'<time datetime="(2026-11-0\d)">[^<]*</time></th><td>(\d+)</td><td>(\d+)</td>', body)
    assert rows == [
        ("2026-11-01", "0", "0"),
        ("2026-11-02", "0", "0"),
        ("2026-11-03", "2", "1"),
        ("2026-11-04", "0", "0"),
    ]
    assert svg.count("<g><title>") == 2  # one day's allowed row and its denied one
    assert "3 Nov: Denied 1" in svg and body.count("<table") == 1  # the page's own table, not the figure's
    look = AuditEvent.objects.filter(target_type="audit.activity").get()
    assert look.actor == auditor and look.action == "view"
    assert look.detail["days"] == ["2026-11-01", "2026-11-04"] and look.detail["zone"] == "Europe/Berlin"


def test_a_search_with_a_mistake_draws_nothing_and_says_why(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit:activity"), {"since": "2026-11-05", "until": "2026-11-01"})
    assert response.status_code == 400 and "must not be before" in response.content.decode()
    assert not AuditEvent.objects.filter(target_type="audit.activity").exists()
    response = client.get(reverse("audit:activity"), {"since": "0001-01-01"})
    assert response.status_code == 400


def test_a_long_range_says_it_shows_the_last_366_days(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit:activity"), {"since": "2000-01-01", "until": "2026-12-31"})
    assert response.status_code == 200 and "Only the last 366 days" in response.content.decode()
    assert len(response.context["activity"].days) == 366
