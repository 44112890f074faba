"""Time-zone pickers: current zones only, the zones already in use first, an old stored name kept working,
and an unknown zone refused in words."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dialogues.enums import DialogueRole
from dialogues.models import PersonalCalendar, Workshop
from dialogues.selectors import timezones_in_use
from dialogues.validators import canonical_timezones, validate_timezone
from tests.dialogues.helpers import member
from tests.factories import DialogueFactory, SeriesFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

OLD_NAMES = (
    "Africa/Asmera",
    "Asia/Calcutta",
    "US/Eastern",
    "Etc/GMT+3",
    "Europe/Belfast",
    "America/Buenos_Aires",
)


def _options(body: str, group: str | None = None) -> list[str]:
    select = re.search(r'<select name="timezone".*?</select>', body, re.S)[0]
    if group is not None:
        select = re.search(rf'<optgroup label="{group}">(.*?)</optgroup>', select, re.S)[1]
    return re.findall(r'<option value="([^"]*)"', select)


def _selected(body: str) -> str:
    select = re.search(r'<select name="timezone".*?</select>', body, re.S)[0]
    return re.search(r'<option value="([^"]*)"[^>]*selected', select)[1]


def test_only_current_zones_are_offered_with_utc():
    zones = canonical_timezones()
    assert list(zones) == sorted(zones) and "UTC" in zones
    assert {"Europe/Oslo", "Asia/Kolkata", "Africa/Asmara", "America/Argentina/Buenos_Aires"} <= set(zones)
    assert not set(OLD_NAMES) & set(zones)
    assert 350 < len(zones) < 450


def test_the_validator_keeps_old_names_and_refuses_unknown_zones_in_words():
    for name in ("Europe/Oslo", "UTC", "Africa/Asmera"):  # an old name stored years ago still saves
        validate_timezone(name)
    for name in ("Mars/Olympus_Mons", "", "europe/oslo", "Europe/Oslo\x00", None):
        with pytest.raises(ValidationError, match="Trackii does not know the time zone"):
            validate_timezone(name)


def test_zones_in_use_are_those_of_workshops_the_user_sees_most_used_first():
    dialogue = DialogueFactory()
    series = SeriesFactory(dialogue=dialogue)
    for zone in ("Asia/Singapore", "Asia/Singapore", "Europe/Oslo"):
        WorkshopFactory(series=series, timezone=zone)
    WorkshopFactory(timezone="Asia/Kabul")  # another dialogue: its venue's zone must not show
    facilitator = member(dialogue, role=DialogueRole.FACILITATOR)
    assert timezones_in_use(user=facilitator.user) == ["Asia/Singapore", "Europe/Oslo"]


def test_schedule_form_offers_the_zones_in_use_first_then_the_rest(client):
    dialogue = DialogueFactory()
    series = SeriesFactory(dialogue=dialogue)
    for zone in ("Asia/Singapore", "Asia/Singapore", "Europe/Oslo"):
        WorkshopFactory(series=series, timezone=zone)
    WorkshopFactory(timezone="Asia/Kabul")
    client.force_login(member(dialogue, role=DialogueRole.FACILITATOR).user)

    body = client.get(reverse("dialogues:series_detail", args=[dialogue.pk, series.pk])).content.decode()

    assert _options(body, "In use") == ["Asia/Singapore", "Europe/Oslo"]
    rest = _options(body, "All time zones")
    assert rest == [zone for zone in canonical_timezones() if zone not in {"Asia/Singapore", "Europe/Oslo"}]
    assert "Asia/Kabul" in rest  # offered like any zone, not as one "in use"
    assert not set(OLD_NAMES) & set(_options(body))
    assert _selected(body) == "Asia/Singapore"  # a new workshop starts where this team meets most
    assert ">America/New York</option>" in body  # read as words, sent as the zone's name


def test_a_workshop_stored_with_an_old_zone_name_shows_it_and_saves_unchanged(client):
    workshop = WorkshopFactory(timezone="Africa/Asmera", venue="Old venue")
    dialogue = workshop.series.dialogue
    client.force_login(member(dialogue, role=DialogueRole.CONVENOR).user)
    url = reverse("dialogues:workshop_edit", args=[dialogue.pk, workshop.pk])

    body = client.get(url).content.decode()
    assert _selected(body) == "Africa/Asmera" and "Africa/Asmera" in _options(body, "In use")

    local = workshop.local_starts_at
    form = {
        "title": "",
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": workshop.local_ends_at.strftime("%Y-%m-%dT%H:%M"),
        "timezone": "Africa/Asmera",
        "venue": "New venue",
        "format": "in_person",
        "scope": "one",
    }
    assert client.post(url, form).status_code == 302
    workshop.refresh_from_db()
    assert (workshop.timezone, workshop.venue) == ("Africa/Asmera", "New venue")


def test_an_unknown_or_old_zone_not_offered_is_refused_next_to_the_field_and_nothing_saved(client):
    workshop = WorkshopFactory(timezone="Europe/Oslo", venue="Fjordhaven")
    dialogue = workshop.series.dialogue
    client.force_login(member(dialogue, role=DialogueRole.CONVENOR).user)
    url = reverse("dialogues:workshop_edit", args=[dialogue.pk, workshop.pk])
    for zone in ("Mars/Olympus_Mons", "Asia/Calcutta"):
        response = client.post(
            url,
            {
                "starts_at": "2030-03-12T09:30",
                "ends_at": "2030-03-13T17:00",
                "timezone": zone,
                "venue": "Somewhere else",
                "format": "in_person",
                "scope": "one",
            },
        )
        body = html.unescape(response.content.decode())
        assert response.status_code == 400
        assert f"Choose a time zone from the list, such as Europe/Oslo or Asia/Singapore: “{zone}”" in body
        assert 'value="2030-03-12T09:30"' in body and "Somewhere else" in body
    assert Workshop.objects.get().venue == "Fjordhaven"


def test_calendar_settings_keep_an_old_zone_and_offer_the_zones_of_ones_workshops_first(client):
    dialogue = DialogueFactory()
    person = member(dialogue)
    PersonalCalendar.objects.create(user=person.user, timezone="Asia/Calcutta")
    WorkshopFactory(series__dialogue=dialogue, timezone="Asia/Kolkata")
    from dialogues.scheduling import services as scheduling_services

    scheduling_services.invite_people(workshop=Workshop.objects.get(), people=[person], by=None)
    client.force_login(person.user)
    url = reverse("dialogues:calendar_settings")

    body = client.get(url).content.decode()
    assert _options(body, "In use") == ["Asia/Kolkata", "Asia/Calcutta"]
    assert _selected(body) == "Asia/Calcutta"
    assert client.post(url, {"action": "save", "timezone": "Asia/Calcutta"}).status_code == 302
    response = client.post(url, {"action": "save", "timezone": "Africa/Asmera"})
    assert response.status_code == 400 and "Choose a time zone from the list" in html.unescape(
        response.content.decode()
    )
    assert client.post(url, {"action": "save", "timezone": "Asia/Kolkata"}).status_code == 302
    assert PersonalCalendar.objects.get(user=person.user).timezone == "Asia/Kolkata"
