"""The dialogue pages as each kind of user sees them."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.models import BreakGlassGrant
from dialogues.owndata.services import request_erasure
from dialogues.removal.services import cut_off_person
from dialogues.scheduling import services as scheduling_services
from participants.models import Membership
from tests.dialogues.helpers import member, two_sided
from tests.factories import (
    AgendaItemFactory,
    DialogueFactory,
    PersonFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.helpers import submitted_values
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _member(dialogue, role=DialogueRole.PARTICIPANT, **person):
    person = PersonFactory(user=UserFactory(), **person)
    side = dialogue.sides.first() or SideFactory(dialogue=dialogue)
    services.assign_role(dialogue=dialogue, person=person, role=role, side=side, by=None)
    return person


@pytest.mark.parametrize("count", [1, 10])
@pytest.mark.parametrize("role", [DialogueRole.OBSERVER, DialogueRole.CONVENOR])
def test_home_lists_the_users_dialogues_in_constant_queries(client, django_assert_num_queries, count, role):
    # The convenor's list also says, in the same query, which dialogues they convene.
    person = PersonFactory(user=UserFactory())
    for _ in range(count):
        dialogue = DialogueFactory()
        services.assign_role(dialogue=dialogue, person=person, role=role, by=None)
    DialogueFactory(title="Not theirs")
    client.force_login(person.user)
    # session, user, what the user holds (one query), whether they are a funder's officer (trackii.standing),
    # their dialogues (filtered by those ids)
    client.get(reverse("home"))  # warm per-process caches (content types)
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))
    body = response.content.decode()
    assert body.count('class="card"') == count
    assert "Not theirs" not in body


def test_superuser_without_grant_sees_no_dialogue(client):
    DialogueFactory(title="Secret maritime talks")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    body = client.get(reverse("home")).content.decode()
    assert "Secret maritime" not in body and "break-glass access" in body


def test_participant_sees_pseudonyms_unless_named_and_facilitator_sees_names(client):
    dialogue = DialogueFactory()
    viewer = _member(dialogue)
    _member(dialogue, name="Hidden Person", pseudonym="P-901")
    _member(dialogue, name="Named Person", pseudonym="P-902")
    Membership.objects.filter(person__pseudonym="P-902").update(named_in_dialogue=True)
    client.force_login(viewer.user)
    body = client.get(reverse("dialogues:dialogue_detail", args=[dialogue.pk])).content.decode()
    hidden = Membership.objects.get(dialogue=dialogue, person__pseudonym="P-901").pseudonym
    # By their pseudonym in this dialogue, never the account's (decision 0026).
    assert hidden in body and "P-901" not in body
    assert "Hidden Person" not in body and "Named Person" in body
    facilitator = _member(dialogue, role=DialogueRole.FACILITATOR)
    client.force_login(facilitator.user)
    assert (
        "Hidden Person"
        in client.get(reverse("dialogues:dialogue_detail", args=[dialogue.pk])).content.decode()
    )


def test_participant_does_not_see_facilitators_only_agenda_items(client):
    workshop = WorkshopFactory()
    dialogue = workshop.series.dialogue
    AgendaItemFactory(workshop=workshop, title="Opening round")
    AgendaItemFactory(workshop=workshop, title="Team debrief on P-3", facilitators_only=True)
    participant = _member(dialogue)
    scheduling_services.invite(workshop=workshop, person=participant, by=None)
    url = reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk])
    client.force_login(participant.user)
    body = client.get(url).content.decode()
    assert "Opening round" in body and "Team debrief" not in body
    client.force_login(_member(dialogue, role=DialogueRole.RAPPORTEUR).user)
    assert "Team debrief" in client.get(url).content.decode()


def test_revoked_member_loses_access_on_the_very_next_request(client):
    dialogue = DialogueFactory()
    person = _member(dialogue)
    client.force_login(person.user)
    url = reverse("dialogues:dialogue_detail", args=[dialogue.pk])
    assert client.get(url).status_code == 200
    services.revoke_role(dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, by=None)
    assert client.get(url).status_code == 404  # same open session


def test_break_glass_opens_a_dialogue_until_it_expires_and_convenors_see_it(client):
    dialogue = DialogueFactory()
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("dialogues:dialogue_detail", args=[dialogue.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("dialogues:break_glass"),
        {
            "dialogue": dialogue.pk,
            "reason": "A participant reported a threat; checking who was invited.",
            "minutes": 30,
        },
    )
    assert response.status_code == 302
    assert client.get(url).status_code == 200
    client.force_login(convenor.user)
    assert "Break-glass access is active" in client.get(url).content.decode()
    # Expired: access ends at the expiry time itself, before the tidy-up task runs.
    BreakGlassGrant.objects.update(
        expires_at=timezone.now() - dt.timedelta(seconds=1),
        granted_at=timezone.now() - dt.timedelta(minutes=31),
    )
    client.force_login(admin)
    assert client.get(url).status_code == 404
    assert services.end_expired_break_glass() == 1


def test_break_glass_needs_a_reason_and_an_administrator(client):
    dialogue = DialogueFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("dialogues:break_glass"), {"dialogue": dialogue.pk, "reason": "because", "minutes": 30}
    )
    assert response.status_code == 400 and "at least 20 characters" in response.content.decode()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("dialogues:break_glass")).status_code == 404


def test_convenor_adds_a_new_person_changes_the_role_and_removes_them(client):
    dialogue = DialogueFactory()
    side = SideFactory(dialogue=dialogue, name="North")
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    client.force_login(convenor.user)
    url = reverse("dialogues:members", args=[dialogue.pk])
    response = client.post(
        url, {"name": "Orla Newcomer", "email": "orla@example.org", "role": "participant", "side": side.pk}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(
        dialogue=dialogue, person__email_index__isnull=False, side=side, role="participant"
    )
    assert "Orla Newcomer" in client.get(url).content.decode()
    client.post(
        reverse("dialogues:member_change", args=[dialogue.pk, membership.pk]),
        {"role": "observer", "side": ""},
    )
    membership.refresh_from_db()
    assert membership.role == "observer"
    client.post(reverse("dialogues:member_remove", args=[dialogue.pk, membership.pk]), {"confirmed": "yes"})
    membership.refresh_from_db()
    assert membership.left_on is not None


def test_the_dialogue_edit_page_saves_what_was_typed(client):
    # The page's ModelForm puts the typed values on the dialogue before the service compares them: the
    # service must compare with the stored row, or the edit is lost (issue 19's walk found it unaudited).
    dialogue = DialogueFactory(title="Serran Strait talks", codename="tidewater")
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    client.force_login(convenor.user)
    url = reverse("dialogues:dialogue_edit", args=[dialogue.pk])
    sent = submitted_values(client.get(url).content.decode(), action="")
    assert client.post(url, {**sent, "title": "Serran Strait talks, phase 2"}).status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.title == "Serran Strait talks, phase 2"
    row = AuditEvent.objects.get(action=Action.DIALOGUE_CHANGED, target_id=str(dialogue.pk))
    assert (row.actor_id, row.detail) == (convenor.user.pk, {"fields": ["title"]})


def test_add_member_form_keeps_input_and_explains_errors(client):
    dialogue = DialogueFactory()
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    client.force_login(convenor.user)
    response = client.post(
        reverse("dialogues:members", args=[dialogue.pk]), {"name": "Kept Name", "role": "participant"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "A participant speaks for a side" in body and 'value="Kept Name"' in body


def test_a_role_change_the_service_refuses_is_explained_and_changes_nothing(client):
    dialogue = DialogueFactory()
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    membership = Membership.objects.get(person=_member(dialogue, role=DialogueRole.OBSERVER))
    client.force_login(convenor.user)
    response = client.post(
        reverse("dialogues:member_change", args=[dialogue.pk, membership.pk]),
        {"role": "participant", "side": ""},
        follow=True,
    )
    assert "A participant speaks for a side: choose one." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "observer"


@pytest.mark.parametrize("count", [1, 10])
def test_dialogue_page_query_count_is_constant_in_members_and_workshops(
    client, django_assert_num_queries, count
):
    dialogue = DialogueFactory()
    viewer = _member(dialogue)
    for _ in range(count):
        member = _member(dialogue)
        workshop = WorkshopFactory(series__dialogue=dialogue)
        scheduling_services.invite(workshop=workshop, person=viewer, by=None)
        scheduling_services.invite(workshop=workshop, person=member, by=None)
    client.force_login(viewer.user)
    # session, user, dialogue (+ audit), access, workshops, members, sides
    url = reverse("dialogues:dialogue_detail", args=[dialogue.pk])
    client.get(url)  # warm per-process caches (content types)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count(f'href="/dialogues/{dialogue.pk}/workshops/') == count


@pytest.mark.parametrize("count", [1, 10])
def test_workshop_page_query_count_is_constant_in_agenda_items(client, django_assert_num_queries, count):
    workshop = WorkshopFactory()
    viewer = _member(workshop.series.dialogue)
    scheduling_services.invite(workshop=workshop, person=viewer, by=None)
    AgendaItemFactory.create_batch(count, workshop=workshop)
    client.force_login(viewer.user)
    # ... and the viewer's display time zone (times shown in theirs as well as the venue's)
    with django_assert_num_queries(7):
        response = client.get(
            reverse("dialogues:workshop_detail", args=[workshop.series.dialogue_id, workshop.pk])
        )
    assert response.content.decode().count("Agenda item") == count


@pytest.mark.parametrize("count", [1, 10])
def test_members_page_query_count_is_constant_in_members(client, django_assert_num_queries, count):
    dialogue = DialogueFactory()
    SideFactory.create_batch(2, dialogue=dialogue)
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    for _ in range(count):
        member = _member(dialogue)
        # A former member left their summaries, and someone cut off: each row's marks come with the lists.
        services.revoke_role(
            dialogue=dialogue,
            person=_member(dialogue),
            role=DialogueRole.PARTICIPANT,
            by=None,
            keep_sealed_summaries=True,
        )
        cut_off_person(person=_member(dialogue), dialogue=dialogue, reason="Phone seized", by=convenor.user)
        # And someone asking for their data to be erased (issue 23): the requests come in one list.
        request_erasure(person=member, message="Erase me", by=None)
    client.force_login(convenor.user)
    url = reverse("dialogues:members", args=[dialogue.pk])
    client.get(url)  # warm per-process caches (content types)
    # session, user, what the user holds, dialogue (+ audit), roster, facilitators, former members with what
    # they kept, the cut-offs of all of them, the open erasure requests, sides, the role form's side choices
    with django_assert_num_queries(12):
        response = client.get(url)
    body = response.content.decode()
    assert body.count("/remove/") == 2 * count and body.count("/erasure-requests/") == count
    assert body.count("/kept-summaries/withdraw/") == count and body.count("/restore/") == count
    # A search of the people on file: the people the convenor may look up (one query) and its audit row.
    with django_assert_num_queries(14):
        response = client.get(url, {"q": "testperson"})
    body = response.content.decode()
    # Everyone here matches: the convenor, and per round a member, a former member and someone cut off.
    assert body.count("Add to this dialogue<") + body.count("Already in this dialogue") == min(
        3 * count + 1, 20
    )


def test_workshop_times_are_shown_on_the_venue_clock(client):
    start = dt.datetime(2027, 3, 29, 7, 0, tzinfo=dt.UTC)  # 09:00 in Oslo (summer time)
    workshop = WorkshopFactory(starts_at=start, ends_at=start + dt.timedelta(hours=8), timezone="Europe/Oslo")
    viewer = _member(workshop.series.dialogue)
    scheduling_services.invite(workshop=workshop, person=viewer, by=None)
    client.force_login(viewer.user)
    body = client.get(
        reverse("dialogues:workshop_detail", args=[workshop.series.dialogue_id, workshop.pk])
    ).content
    assert "Monday 29 March 2027, 09:00" in body.decode() and "17:00" in body.decode()


def test_convenor_cannot_look_up_a_stranger_by_pseudonym(client):
    dialogue, elsewhere = DialogueFactory(), DialogueFactory()
    SideFactory(dialogue=dialogue, name="North")
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    _member(elsewhere, name="Hidden Stranger", pseudonym="P-777")
    client.force_login(convenor.user)
    response = client.post(
        reverse("dialogues:members", args=[dialogue.pk]),
        {"pseudonym": "P-777", "role": "observer"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Nobody on file has the pseudonym" in body
    assert "Hidden Stranger" not in body


def test_adding_a_new_person_with_a_strangers_email_names_nobody_and_is_audited(client):

    dialogue, elsewhere = DialogueFactory(), DialogueFactory()
    side = SideFactory(dialogue=dialogue)
    convenor = _member(dialogue, role=DialogueRole.CONVENOR)
    _member(elsewhere, name="Hidden Negotiator", pseudonym="P-888", email="negotiator@example.org")
    client.force_login(convenor.user)
    response = client.post(
        reverse("dialogues:members", args=[dialogue.pk]),
        {"name": "Typed Name", "email": "NEGOTIATOR@example.org", "role": "participant", "side": side.pk},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "cannot be added from here" in body
    assert "P-888" not in body and "Hidden Negotiator" not in body and "already has this address" not in body
    assert AuditEvent.objects.filter(action="denied", actor=convenor.user, dialogue_id=dialogue.pk).exists()


def test_removed_member_loses_future_invitations_and_a_later_login_does_not_restore_them(client):
    dialogue = DialogueFactory()
    workshop = WorkshopFactory(series__dialogue=dialogue)
    person = PersonFactory()  # no login yet
    services.assign_role(
        dialogue=dialogue,
        person=person,
        role=DialogueRole.PARTICIPANT,
        side=SideFactory(dialogue=dialogue),
        by=None,
    )
    scheduling_services.invite(workshop=workshop, person=person, by=None)
    services.revoke_role(dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, by=None)
    assert not person.invitations.exists()
    person.user = UserFactory()
    person.save(update_fields=["user"])
    services.sync_person_grants(person=person)
    client.force_login(person.user)
    url = reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk])
    assert client.get(url).status_code == 404


def _links_in_main(html: str) -> set[str]:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return {href for href in re.findall(r'href="(/[^"#?]*)', main) if not href.startswith("/static/")}


@pytest.mark.parametrize("role", [DialogueRole.CONVENOR, DialogueRole.FACILITATOR, DialogueRole.RAPPORTEUR])
def test_the_facilitation_teams_pages_link_only_to_pages_the_role_may_open(client, role):
    dialogue, _, _ = two_sided()
    workshop = WorkshopFactory(series__dialogue=dialogue)
    person = member(dialogue, role=role)
    client.force_login(person.user)
    pages = [
        reverse("dialogues:dialogue_detail", args=[dialogue.pk]),
        reverse("dialogues:dashboard", args=[dialogue.pk]),
        reverse("dialogues:series_detail", args=[dialogue.pk, workshop.series_id]),
        reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk]),
    ]
    links = set()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        links |= _links_in_main(response.content.decode())
    dead = sorted(href for href in links if client.get(href).status_code == 404)
    assert dead == [], f"{role} is shown links to pages it may not open"
    convenes = role == DialogueRole.CONVENOR
    assert (reverse("dialogues:members", args=[dialogue.pk]) in links) == convenes
    assert (reverse("dialogues:dialogue_create") in links) == convenes


def test_a_facilitator_who_convenes_another_dialogue_is_offered_to_open_one(client):
    dialogue, elsewhere = DialogueFactory(), DialogueFactory()
    person = member(dialogue, role=DialogueRole.FACILITATOR)
    services.assign_role(dialogue=elsewhere, person=person, role=DialogueRole.CONVENOR, by=None)
    client.force_login(person.user)
    page = client.get(reverse("dialogues:dashboard", args=[dialogue.pk])).content.decode()
    assert reverse("dialogues:dialogue_create") in page
    assert reverse("dialogues:members", args=[dialogue.pk]) not in page
