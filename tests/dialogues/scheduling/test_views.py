"""The workspace pages through the test client: who may open a dialogue, forms that keep input, htmx
partials, one-click answers, and query counts that do not grow with workshops or invitations."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus
from dialogues.models import Dialogue, Invitation
from dialogues.personal import services as personal_services
from dialogues.scheduling import services as scheduling_services
from participants.models import Facilitator
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _member(dialogue, side=None, role=DialogueRole.PARTICIPANT):
    person = PersonFactory(user=UserFactory())
    if role == DialogueRole.PARTICIPANT and side is None:
        side = dialogue.sides.first() or SideFactory(dialogue=dialogue)
    services.assign_role(dialogue=dialogue, person=person, role=role, side=side, by=None)
    return person


NEW_DIALOGUE = {
    "title": "Isles reconciliation",
    "codename": "saltmarsh",
    "track": "track_2",
    "objective": "transformation",
    "sensitivity": "confidential",
    "conflict": "",
    "sides": "Northern communities\nSouthern communities",
}


def test_a_convenor_opens_a_dialogue_for_their_third_party_and_becomes_its_convenor(client):
    convenor = _member(DialogueFactory(), role=DialogueRole.CONVENOR)
    client.force_login(convenor.user)
    third_party = Dialogue.objects.get().third_party
    response = client.post(
        reverse("dialogues:dialogue_create"), {**NEW_DIALOGUE, "third_party": third_party.pk}
    )
    created = Dialogue.objects.get(codename="saltmarsh")
    assert response.status_code == 302 and response["Location"] == reverse(
        "dialogues:dashboard", args=[created.pk]
    )
    assert sorted(created.sides.values_list("name", flat=True)) == [
        "Northern communities",
        "Southern communities",
    ]
    assert Facilitator.objects.filter(dialogue=created, person=convenor, role="convenor").exists()
    assert client.get(reverse("dialogues:dashboard", args=[created.pk])).status_code == 200


def test_nobody_else_may_open_a_dialogue_not_even_a_superuser_or_a_facilitator(client):
    dialogue = DialogueFactory()
    for user in (
        UserFactory(is_staff=True, is_superuser=True),
        _member(dialogue, role=DialogueRole.FACILITATOR).user,
        _member(dialogue).user,
    ):
        client.force_login(user)
        assert client.get(reverse("dialogues:dialogue_create")).status_code == 404
        assert client.get(reverse("home")).content.decode().count("Open a new dialogue") == 0


def test_new_dialogue_form_explains_errors_and_keeps_what_was_typed(client):
    DialogueFactory(codename="saltmarsh")
    convenor = _member(DialogueFactory(), role=DialogueRole.CONVENOR)
    client.force_login(convenor.user)
    third_party = Dialogue.objects.first().third_party
    response = client.post(
        reverse("dialogues:dialogue_create"),
        {**NEW_DIALOGUE, "sides": "Only one", "third_party": third_party.pk},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Name at least two sides" in body
    assert 'value="Isles reconciliation"' in body and "Only one</textarea>" in body
    response = client.post(
        reverse("dialogues:dialogue_create"), {**NEW_DIALOGUE, "third_party": third_party.pk}
    )
    assert response.status_code == 400 and "already taken" in response.content.decode()


def test_schedule_form_creates_a_recurring_run_and_keeps_input_on_error(client):
    dialogue = DialogueFactory()
    series = scheduling_services.create_series(dialogue=dialogue, title="Phase 1", by=None)
    client.force_login(_member(dialogue, role=DialogueRole.FACILITATOR).user)
    url = reverse("dialogues:series_detail", args=[dialogue.pk, series.pk])
    form = {
        "title": "",
        "starts_at": "2030-03-12T09:30",
        "ends_at": "2030-03-13T17:00",
        "timezone": "Europe/Oslo",
        "venue": "Fjordhaven",
        "format": "in_person",
        "repeat": "month_weekday",
        "interval": "3",
        "count": "",
        "until": "",
    }
    response = client.post(url, form)
    body = response.content.decode()
    assert (
        response.status_code == 400
        and "Say how many workshops" in body
        and 'value="2030-03-12T09:30"' in body
    )
    assert client.post(url, {**form, "count": "3"}).status_code == 302
    days = [w.local_starts_at.date() for w in series.workshops.order_by("number")]
    # The second Tuesday, every quarter.
    assert days == [dt.date(2030, 3, 12), dt.date(2030, 6, 11), dt.date(2030, 9, 10)]


def test_schedule_form_shows_the_services_refusal_of_reversed_times_next_to_the_field(client):
    dialogue = DialogueFactory()
    series = scheduling_services.create_series(dialogue=dialogue, title="Phase 1", by=None)
    client.force_login(_member(dialogue, role=DialogueRole.FACILITATOR).user)
    response = client.post(
        reverse("dialogues:series_detail", args=[dialogue.pk, series.pk]),
        {
            "starts_at": "2030-03-12T17:00",
            "ends_at": "2030-03-12T09:00",
            "timezone": "Europe/Oslo",
            "format": "in_person",
            "repeat": "none",
            "interval": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "The workshop must end after it starts." in body
    assert 'value="2030-03-12T17:00"' in body and not series.workshops.exists()


def test_agenda_reorders_in_place_with_htmx_and_without(client):
    workshop = WorkshopFactory()
    dialogue = workshop.series.dialogue
    client.force_login(_member(dialogue, role=DialogueRole.FACILITATOR).user)
    url = reverse("dialogues:agenda", args=[dialogue.pk, workshop.pk])
    for title in ("Opening", "Fisheries", "Huddle"):
        client.post(url, {"title": title})
    last = next(i for i in workshop.agenda_items.all() if i.title == "Huddle")
    item_url = reverse("dialogues:agenda_item", args=[dialogue.pk, workshop.pk, last.pk])
    response = client.post(item_url, {"action": "up"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="agenda-builder"' in body
    assert body.index("Huddle") < body.index("Fisheries")
    assert client.post(item_url, {"action": "toggle"}).status_code == 302
    last.refresh_from_db()
    assert last.facilitators_only and last.position == 2
    response = client.post(url, {"title": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "This field is required" in response.content.decode()


def test_invite_a_whole_side_then_the_participant_accepts_in_one_click_and_attendance_is_marked(client):
    dialogue = DialogueFactory()
    north, south = SideFactory(dialogue=dialogue, name="North"), SideFactory(dialogue=dialogue, name="South")
    facilitator = _member(dialogue, role=DialogueRole.FACILITATOR)
    northerners = [_member(dialogue, north) for _ in range(2)]
    southerner = _member(dialogue, south)
    workshop = WorkshopFactory(series__dialogue=dialogue)
    client.force_login(facilitator.user)
    url = reverse("dialogues:invitations", args=[dialogue.pk, workshop.pk])
    assert client.post(url, {"side": north.pk, "people": [str(southerner.pk)]}).status_code == 302
    assert set(workshop.invitations.values_list("person", flat=True)) == {
        p.pk for p in [*northerners, southerner]
    }

    client.force_login(southerner.user)
    invitation = Invitation.objects.get(person=southerner)
    page = client.get(reverse("dialogues:my_workshops")).content.decode()
    assert f'action="{reverse("dialogues:rsvp", args=[invitation.pk])}"' in page
    response = client.post(
        reverse("dialogues:rsvp", args=[invitation.pk]), {"answer": "accepted", "note": "Arriving day two"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (
        invitation.status == InvitationStatus.ACCEPTED and invitation.availability_note == "Arriving day two"
    )
    other = Invitation.objects.get(person=northerners[0])
    assert client.post(reverse("dialogues:rsvp", args=[other.pk]), {"answer": "accepted"}).status_code == 404

    type(workshop).objects.filter(pk=workshop.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() + dt.timedelta(hours=6)
    )
    client.force_login(facilitator.user)
    action = reverse("dialogues:invitation_action", args=[dialogue.pk, workshop.pk, invitation.pk])
    assert client.post(action, {"action": "attended"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ATTENDED


def _world(count: int):
    dialogue = DialogueFactory()
    north, south = SideFactory(dialogue=dialogue, name="North"), SideFactory(dialogue=dialogue, name="South")
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    participant = _member(dialogue, north)
    series = scheduling_services.create_series(dialogue=dialogue, title="Phase 1", by=None)
    for k in range(count):
        workshop = WorkshopFactory(series=series, number=k + 1)
        scheduling_services.add_agenda_item(workshop=workshop, title=f"Item {k}", by=None)
        people = [participant, _member(dialogue, north), _member(dialogue, south)]
        scheduling_services.invite_people(workshop=workshop, people=people, by=None)
    personal_services.issue_feed_token(by=participant.user)
    return dialogue, series, convenor, participant


@pytest.mark.parametrize("count", [1, 10])
def test_workspace_pages_query_counts_do_not_grow_with_workshops_or_invitations(
    client, django_assert_num_queries, count
):
    dialogue, series, convenor, participant = _world(count)
    first = series.workshops.order_by("number").first()
    client.force_login(convenor.user)
    # Warm the per-process caches (content types) so that the order of tests does not change the counts.
    client.get(reverse("dialogues:dashboard", args=[dialogue.pk]))
    # session, user, object, audit (one statement), access, workshops, sides and series (one union), warnings
    # (one union), drafts, outcomes, break-glass, time zone
    with django_assert_num_queries(12):
        assert client.get(reverse("dialogues:dashboard", args=[dialogue.pk])).status_code == 200
    # ... the zones in use, offered first in the schedule form's picker, and the members a workshop that
    # already took place may list as attendees (issue 18: 7 → 9)
    with django_assert_num_queries(9):
        assert (
            client.get(reverse("dialogues:series_detail", args=[dialogue.pk, series.pk])).status_code == 200
        )
    # ... and the clashes of the team, the invitees and the members one might invite (one union): the
    # workshops of the world all fall on the same days, so there are more of them with more workshops.
    with django_assert_num_queries(11):
        response = client.get(reverse("dialogues:invitations", args=[dialogue.pk, first.pk]))
    assert response.status_code == 200 and ("is booked at workshop" in response.content.decode()) == (
        count > 1
    )
    detail = reverse("dialogues:workshop_detail", args=[dialogue.pk, first.pk])
    # session, user, workshop (+ audit), access, agenda, time zone, clashes (one union)
    with django_assert_num_queries(8):
        assert client.get(detail).status_code == 200
    client.force_login(participant.user)
    with django_assert_num_queries(8):  # what the participant holds: one more query, read once
        response = client.get(reverse("dialogues:my_workshops"))
    assert response.content.decode().count('class="invitation-card"') == count
    # session, user, what the participant holds, the time zone, the workshops
    with django_assert_num_queries(5):
        assert client.get(reverse("dialogues:calendar_agenda")).content.decode().count("workshop ") >= count
    with django_assert_num_queries(5):
        client.get(reverse("dialogues:calendar_month"))


def _title(response) -> str:
    return response.content.decode().split("<title>", 1)[1].split("</title>", 1)[0]


def test_workshops_with_the_same_number_in_two_series_have_different_titles(client):
    first = WorkshopFactory(number=2, series__title="Phase one: the banks")
    second = WorkshopFactory(
        number=2, series__dialogue=first.series.dialogue, series__title="Fisheries group"
    )
    convenor = _member(first.series.dialogue, role=DialogueRole.CONVENOR)
    client.force_login(convenor.user)
    dialogue_id = first.series.dialogue_id
    for name in ("workshop_detail", "agenda", "invitations", "workshop_edit"):
        titles = {
            _title(client.get(reverse(f"dialogues:{name}", args=[dialogue_id, w.pk])))
            for w in (first, second)
        }
        assert len(titles) == 2, (name, titles)
        # The page shows the series too: the title names nothing the page does not.
        page = client.get(reverse(f"dialogues:{name}", args=[dialogue_id, first.pk])).content.decode()
        assert page.count("Phase one: the banks") >= 2, name
