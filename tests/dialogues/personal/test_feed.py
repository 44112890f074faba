"""The private calendar feed: what it carries, its token, and that it follows current access."""

import datetime as dt

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.models import PersonalCalendar
from dialogues.personal import services as personal_services
from dialogues.scheduling import services as scheduling_services
from tests.dialogues.helpers import member as _member
from tests.dialogues.helpers import two_sided as _two_sided
from tests.factories import PersonFactory, UserFactory, WorkshopFactory
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_feed_carries_only_codename_and_times_by_default_and_more_on_opt_in(client):
    dialogue, north, _ = _two_sided()
    person = _member(dialogue, north)
    workshop = WorkshopFactory(
        series__dialogue=dialogue, series__title="Phase 2: fisheries", venue="Fjordhaven House"
    )
    declined = WorkshopFactory(series__dialogue=dialogue)
    scheduling_services.invite_people(workshop=workshop, people=[person], by=None)
    [no] = scheduling_services.invite_people(workshop=declined, people=[person], by=None)
    scheduling_services.respond_to_invitation(invitation=no, status="declined", by=person.user)
    token = personal_services.issue_feed_token(by=person.user)
    url = reverse("dialogues:calendar_feed", args=[token])

    response = client.get(url)  # no login: calendar programs cannot log in
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    neutral = f"tidewater · series {workshop.series.position} · workshop {workshop.number}"
    assert body.count("BEGIN:VEVENT") == 1 and f"SUMMARY:{neutral}\r\n" in body
    assert f"DTSTART:{workshop.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" in body
    for secret in ("Fjordhaven", "Phase 2", "Serran", "North", person.name, person.pseudonym, "LOCATION"):
        assert secret not in body
    assert AuditEvent.objects.filter(action="feed", actor_id=person.user.pk).count() == 1

    personal_services.update_calendar_settings(by=person.user, timezone_name="Europe/Oslo", feed_detail=True)
    body = client.get(url).content.decode()
    assert "LOCATION:Fjordhaven House" in body
    assert f"SUMMARY:tidewater · Phase 2: fisheries · workshop {workshop.number}\r\n" in body


def test_feed_token_is_stored_hashed_and_revoking_or_replacing_it_ends_the_old_address(client):
    person = PersonFactory(user=UserFactory())
    token = personal_services.issue_feed_token(by=person.user)
    stored = PersonalCalendar.objects.get(user=person.user).feed_token_hash
    assert token not in stored and len(stored) == 64
    url = reverse("dialogues:calendar_feed", args=[token])
    assert client.get(url).status_code == 200
    new = personal_services.issue_feed_token(by=person.user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("dialogues:calendar_feed", args=[new])).status_code == 200
    personal_services.revoke_feed(by=person.user)
    assert client.get(reverse("dialogues:calendar_feed", args=[new])).status_code == 404
    assert token not in str(list(AuditEvent.objects.values_list("detail", "target_id")))


def test_feed_follows_current_access_a_member_who_leaves_loses_future_workshops(client):
    dialogue, north, _ = _two_sided()
    person = _member(dialogue, north)
    scheduling_services.invite_people(
        workshop=WorkshopFactory(series__dialogue=dialogue), people=[person], by=None
    )
    url = reverse("dialogues:calendar_feed", args=[personal_services.issue_feed_token(by=person.user)])
    assert client.get(url).content.decode().count("BEGIN:VEVENT") == 1
    services.revoke_role(dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, by=None)
    assert "BEGIN:VEVENT" not in client.get(url).content.decode()


def test_feed_tells_apart_workshops_that_share_a_number_without_naming_their_series(client):
    """Two series each have a workshop 1, and a third workshop follows: three events, three names, none
    carrying a series title (it can say what the dialogue is about)."""
    dialogue, north, _ = _two_sided()
    person = _member(dialogue, north)
    first = WorkshopFactory(series__dialogue=dialogue, series__title="Phase one: the Corvel Banks", number=1)
    other = WorkshopFactory(series__dialogue=dialogue, series__title="Fisheries working group", number=1)
    second = WorkshopFactory(series=first.series, number=2, starts_at=first.starts_at + dt.timedelta(days=40))
    scheduling_services.invite_people(workshop=first, people=[person], by=None)
    scheduling_services.invite_people(workshop=other, people=[person], by=None)
    scheduling_services.invite_people(workshop=second, people=[person], by=None)
    token = personal_services.issue_feed_token(by=person.user)

    body = client.get(reverse("dialogues:calendar_feed", args=[token])).content.decode()

    summaries = sorted(line for line in body.split("\r\n") if line.startswith("SUMMARY:"))
    assert summaries == [
        "SUMMARY:tidewater · series 1 · workshop 1",
        "SUMMARY:tidewater · series 1 · workshop 2",
        "SUMMARY:tidewater · series 2 · workshop 1",
    ]
    assert "Corvel" not in body and "Fisheries" not in body
