"""Workshops that already happened, through the pages (issue 18): the series page records a past workshop
only when asked to, "Mark as held" records attendance, and nobody else reaches either."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues.enums import DialogueRole, InvitationStatus, WorkshopStatus
from dialogues.models import Invitation, Notification, Summary, Workshop
from dialogues.scheduling import services as scheduling_services
from tests.dialogues.helpers import member as _member
from tests.dialogues.helpers import two_sided as _two_sided
from tests.factories import DialogueFactory, SeriesFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _setting():
    dialogue, north, south = _two_sided()
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    return (
        dialogue,
        SeriesFactory(dialogue=dialogue),
        convenor,
        _member(dialogue, north),
        _member(dialogue, south),
    )


def _form(days: int, **extra) -> dict:
    start = (NOW + dt.timedelta(days=days)).replace(microsecond=0)
    return {
        "title": "Before Trackii",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "timezone": "UTC",
        "format": "in_person",
        "repeat": "none",
        "interval": "1",
        **extra,
    }


def _ended(series, **fields):
    return WorkshopFactory(
        series=series, starts_at=NOW - dt.timedelta(days=3), ends_at=NOW - dt.timedelta(days=2), **fields
    )


def test_the_series_page_refuses_a_past_date_unless_told_it_already_took_place(client):
    dialogue, series, convenor, north, south = _setting()
    client.force_login(convenor.user)
    url = reverse("dialogues:series_detail", args=[dialogue.pk, series.pk])

    refused = client.post(url, _form(-30))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "This date is in the past. To record a workshop that already happened, choose" in page
    assert 'value="Before Trackii"' in page, "what was typed is kept"
    ticked_only = client.post(url, _form(-30, attended=[str(north.pk)]))
    assert ticked_only.status_code == 400
    assert (
        "Attendance is recorded only for a workshop that already took place" in ticked_only.content.decode()
    )
    assert not Workshop.objects.exists()

    recorded = client.post(url, _form(-30, already_held="on", attended=[str(north.pk), str(south.pk)]))
    workshop = Workshop.objects.get()
    assert recorded.status_code == 302
    assert recorded["Location"] == reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk])
    assert workshop.status == WorkshopStatus.HELD
    assert set(workshop.invitations.values_list("status", flat=True)) == {InvitationStatus.ATTENDED}
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"already_held": "on"}, "Tick at least one person who attended"),
        ({"already_held": "on", "attended": ["outsider"]}, "can no longer be recorded"),
        ({"already_held": "on", "repeat": "weeks", "count": "3"}, "one at a time"),
    ],
)
def test_recording_a_past_workshop_refuses_bad_input_on_the_page(client, extra, message):
    dialogue, series, convenor, _north, _south = _setting()
    outsider = _member(DialogueFactory())
    extra = {
        **extra,
        "attended": [str(outsider.pk) if a == "outsider" else a for a in extra.get("attended", [])],
    }
    client.force_login(convenor.user)
    response = client.post(
        reverse("dialogues:series_detail", args=[dialogue.pk, series.pk]), _form(-30, **extra)
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Workshop.objects.exists() and not Invitation.objects.exists()


def test_mark_as_held_records_attendance_from_the_workshop_page(client):
    dialogue, series, convenor, north, south = _setting()
    workshop = _ended(series)
    Invitation.objects.create(workshop=workshop, person=north, status=InvitationStatus.ACCEPTED)
    Invitation.objects.create(workshop=workshop, person=south, status=InvitationStatus.INVITED)
    client.force_login(convenor.user)
    detail = client.get(
        reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk])
    ).content.decode()
    url = reverse("dialogues:workshop_held", args=[dialogue.pk, workshop.pk])
    assert f'href="{url}">Mark as held<' in detail
    assert "Record attendance first" in detail

    page = client.get(url).content.decode()
    # Who accepted is ticked to begin with; the other is offered.
    assert re.search(rf'value="{north.pk}"[^>]*checked', page)
    assert re.search(rf'value="{south.pk}"[^>]*>', page) and not re.search(
        rf'value="{south.pk}"[^>]*checked', page
    )
    assert client.post(url, {"attended": [str(north.pk)]}).status_code == 302
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.HELD
    assert dict(workshop.invitations.values_list("person_id", "status")) == {
        north.pk: InvitationStatus.ATTENDED,
        south.pk: InvitationStatus.ABSENT,
    }
    detail = client.get(
        reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk])
    ).content.decode()
    assert "Write the summary" in detail and "Correct the attendance" in detail


def test_mark_as_held_refuses_a_workshop_that_has_not_ended(client):
    dialogue, series, convenor, north, _south = _setting()
    workshop = WorkshopFactory(series=series)
    Invitation.objects.create(workshop=workshop, person=north)
    client.force_login(convenor.user)
    url = reverse("dialogues:workshop_held", args=[dialogue.pk, workshop.pk])
    assert "has not ended yet" in client.get(url).content.decode()
    response = client.post(url, {"attended": [str(north.pk)]})
    assert response.status_code == 400 and "has not ended yet" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.SCHEDULED
    assert workshop.invitations.get().status == InvitationStatus.INVITED


def test_mark_as_held_is_not_found_for_participants_outsiders_and_other_facilitators(client):
    dialogue, series, _convenor, north, _south = _setting()
    workshop = _ended(series)
    Invitation.objects.create(workshop=workshop, person=north, status=InvitationStatus.ACCEPTED)
    elsewhere = _member(DialogueFactory(), role=DialogueRole.CONVENOR)
    url = reverse("dialogues:workshop_held", args=[dialogue.pk, workshop.pk])
    for user in (north.user, elsewhere.user, UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"attended": [str(north.pk)]}).status_code == 404
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.SCHEDULED


def test_the_invitations_page_of_a_workshop_that_is_over_suggests_no_inviting(client):
    dialogue, series, convenor, _north, _south = _setting()
    workshop = _ended(series)
    client.force_login(convenor.user)
    page = client.get(reverse("dialogues:invitations", args=[dialogue.pk, workshop.pk])).content.decode()
    assert "Invite members of" not in page and "Send invitations" not in page
    assert "Mark it as held and record who attended" in page


def test_the_summary_button_refuses_a_workshop_without_attendees_with_a_message(client):
    dialogue, series, convenor, north, _south = _setting()
    workshop = _ended(series, status=WorkshopStatus.HELD)
    Invitation.objects.create(workshop=workshop, person=north, status=InvitationStatus.ABSENT)
    client.force_login(convenor.user)
    response = client.post(reverse("dialogues:summary_start", args=[dialogue.pk, workshop.pk]), follow=True)
    assert "Record attendance first" in response.content.decode()
    assert not Summary.objects.exists()


def test_recorded_past_workshop_then_mark_held_keeps_one_invitation_each(client):
    dialogue, series, convenor, north, south = _setting()
    workshop = scheduling_services.record_held_workshop(
        series=series,
        starts_at=NOW - dt.timedelta(days=40),
        ends_at=NOW - dt.timedelta(days=39),
        timezone_name="UTC",
        attended=[north],
        by=convenor.user,
    )
    client.force_login(convenor.user)
    url = reverse("dialogues:workshop_held", args=[dialogue.pk, workshop.pk])
    assert client.post(url, {"attended": [str(north.pk), str(south.pk)]}).status_code == 302
    assert workshop.invitations.filter(status=InvitationStatus.ATTENDED).count() == 2
