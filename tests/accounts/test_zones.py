"""Times shown in the viewer's zone, with the zone named: read once at login, kept in the session, and
changed with the calendar setting."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from dialogues.models import PersonalCalendar
from tests.factories import UserFactory
from trackii.accounts import zones

pytestmark = pytest.mark.django_db

ZONED = Template('{% load trackii_pages %}{% zoned when %}|{% zoned when "H:i" %}')
WHEN = dt.datetime(2027, 1, 15, 17, 27, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Europe/Oslo", "15 Jan 2027, 18:27 CET|18:27 CET"),
        ("America/New_York", "15 Jan 2027, 12:27 EST|12:27 EST"),
        ("Asia/Dubai", "15 Jan 2027, 21:27 UTC+04|21:27 UTC+04"),  # a zone without letters for itself
        ("UTC", "15 Jan 2027, 17:27 UTC|17:27 UTC"),
    ],
)
def test_a_time_is_shown_on_the_viewers_clock_with_the_zone_named(zone, shown):
    html = ZONED.render(Context({"when": WHEN, "viewer_tz": zone}))
    assert re.sub(r"<[^>]+>", "", html) == shown
    assert 'datetime="2027-01-15T17:27:00+00:00"' in html and f'title="{zone}"' in html


def test_an_iso_string_and_a_missing_time_are_shown_too():
    html = ZONED.render(Context({"when": "2027-01-15T17:27:00+00:00", "viewer_tz": "Europe/Oslo"}))
    assert "18:27 CET" in html
    assert ZONED.render(Context({"when": None})) == "|"


def test_the_zone_is_read_at_login_and_follows_the_calendar_setting(client):
    user = UserFactory()
    PersonalCalendar.objects.create(user=user, timezone="Asia/Tokyo")
    client.force_login(user)
    assert client.session[zones.SESSION_KEY] == "Asia/Tokyo"
    settings_url = reverse("dialogues:calendar_settings")
    client.post(settings_url, {"action": "issue"})
    assert " JST</time>" in client.get(settings_url).content.decode()  # "active since …"

    client.post(settings_url, {"action": "save", "timezone": "America/New_York"})
    assert client.session[zones.SESSION_KEY] == "America/New_York"
    assert re.search(r" E[SD]T</time>", client.get(settings_url).content.decode())


def test_a_session_from_before_is_given_the_zone_on_its_next_page(client):
    user = UserFactory()
    PersonalCalendar.objects.create(user=user, timezone="Asia/Tokyo")
    client.force_login(user)
    session = client.session
    del session[zones.SESSION_KEY]
    session.save()
    client.post(reverse("dialogues:calendar_settings"), {"action": "issue"})
    assert " JST</time>" in client.get(reverse("dialogues:calendar_settings")).content.decode()
    assert client.session[zones.SESSION_KEY] == "Asia/Tokyo"
