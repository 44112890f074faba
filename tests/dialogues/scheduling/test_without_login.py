"""Invited people without a login (issue 18): their invitation e-mail carries a link to set up a login instead
of "Sign in to Trackii", login invitations go to all of a workshop's invited people at once, and the
facilitators record the answers of those who answer them rather than Trackii."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus
from dialogues.models import Invitation
from dialogues.removal.services import cut_off_person
from dialogues.scheduling import notifications
from dialogues.scheduling import services as scheduling
from tests.dialogues.helpers import member, pseudonym_in, shows, two_sided
from tests.factories import PersonFactory, UserFactory, WorkshopFactory
from tests.helpers import refused_form
from trackii.accounts.models import AccountInvitation
from trackii.accounts.selectors import token_hash
from trackii.accounts.services import invite_person
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
BASE = "https://trackii.example.org/"
LINK = re.compile(r"https://trackii\.example\.org/welcome/([0-9a-f]+)/")


def without_login(dialogue, side, **person):
    person = PersonFactory(**person)
    services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None)
    return person


@pytest.fixture
def place():
    dialogue, north, south = two_sided()
    now = timezone.now()
    workshop = WorkshopFactory(
        series__dialogue=dialogue,
        number=4,
        venue="Marrowbay Harbour Hotel",
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=11),
    )
    return SimpleNamespace(
        dialogue=dialogue,
        north=north,
        south=south,
        workshop=workshop,
        convenor=member(dialogue, role=DialogueRole.CONVENOR),
        facilitator=member(dialogue, role=DialogueRole.FACILITATOR),
        with_login=member(dialogue, north, name="Veloria Anstruther"),
        nologin=without_login(dialogue, north, name="Ossian Marlowe", email="ossian@example.org"),
        no_email=without_login(dialogue, south, name="Petra Quill", email=None),
    )


def deliver(mailoutbox) -> dict:
    assert notifications.deliver_notifications(now=timezone.now() + dt.timedelta(minutes=3)) >= 1
    return {message.to[0]: message for message in mailoutbox}


def secrets_of(place) -> list[str]:
    return [
        "Serran",  # the dialogue's title
        "Marrowbay",  # the venue
        "North",
        "South",
        place.with_login.name,
        place.nologin.name,
        place.no_email.name,
    ]


# --- One e-mail: the workshop invitation and the login invitation -----------------------------------------


def test_invitation_e_mail_to_someone_without_a_login_carries_a_link_to_set_one_up(place, mailoutbox, client):
    people = [place.with_login, place.nologin, place.no_email]
    scheduling.invite_people(workshop=place.workshop, people=people, by=place.convenor.user, base_url=BASE)

    [login] = AccountInvitation.objects.all()
    assert (login.person, login.dialogue, login.invited_by) == (
        place.nologin,
        place.dialogue,
        place.convenor.user,
    )
    invited = AuditEvent.objects.get(action=Action.ACCOUNT_INVITED)
    assert invited.actor_id == place.convenor.user.pk and invited.detail == {"carried_by": "workshop_invited"}

    sent = deliver(mailoutbox)
    assert sorted(sent) == sorted([place.with_login.email, "ossian@example.org"])  # no address, no e-mail
    theirs, ours = sent["ossian@example.org"], sent[place.with_login.email]
    assert theirs.subject == ours.subject == "tidewater · series 1 · workshop 4: invitation"
    # A person with a login keeps today's e-mail.
    assert "Sign in to Trackii" in ours.body and "welcome" not in ours.body
    # A person without one gets the link instead, with the login invitation's token and expiry.
    assert "Sign in to Trackii" not in theirs.body
    token = LINK.search(theirs.body).group(1)
    assert token_hash(token=token) == login.token_hash
    assert "The link works once" in theirs.body
    for secret in secrets_of(place):
        assert secret not in theirs.subject + theirs.body
        assert secret not in ours.subject + ours.body
    login.refresh_from_db()
    assert login.sent_at is not None
    [row] = AuditEvent.objects.filter(action=Action.ACCOUNT_INVITATION_SENT)
    assert (row.actor_id, row.target_id) == (None, str(login.pk))
    # No second e-mail with the login invitation alone, and the link opens the welcome page.
    assert len(mailoutbox) == 2
    assert client.get(f"/welcome/{token}/").status_code == 200


def test_a_second_invitation_carries_the_same_link_while_it_has_time_left(place, mailoutbox):
    later = WorkshopFactory(
        series__dialogue=place.dialogue, number=5, starts_at=timezone.now() + dt.timedelta(days=20)
    )
    for workshop in (place.workshop, later):
        scheduling.invite_people(
            workshop=workshop, people=[place.nologin], by=place.convenor.user, base_url=BASE
        )
    assert AccountInvitation.objects.count() == 1
    [message] = deliver(mailoutbox).values()
    assert message.subject == "tidewater: 2 updates about your workshops"
    assert len(set(LINK.findall(message.body))) == 1


def test_without_a_usable_link_the_e_mail_asks_them_to_answer_the_facilitators(place, mailoutbox):
    # Invited by a script (no address to build a link from), or their link withdrawn since.
    scheduling.invite_people(workshop=place.workshop, people=[place.nologin], by=None)
    [message] = deliver(mailoutbox).values()
    assert "contact the facilitators who invited you" in message.body
    assert "Sign in to Trackii" not in message.body and "welcome" not in message.body


def test_a_link_withdrawn_before_delivery_is_not_sent(place, mailoutbox):
    scheduling.invite_people(
        workshop=place.workshop, people=[place.nologin], by=place.convenor.user, base_url=BASE
    )
    login = AccountInvitation.objects.get()
    login.revoked_at = timezone.now()
    login.save(update_fields=["revoked_at"])
    [message] = deliver(mailoutbox).values()
    assert not LINK.search(message.body)
    assert not AuditEvent.objects.filter(action=Action.ACCOUNT_INVITATION_SENT).exists()


def test_removal_or_cut_off_before_delivery_sends_nothing_and_withdraws_the_link(place, mailoutbox):
    other = without_login(place.dialogue, place.south, email="second@example.org")
    people = [place.nologin, other]
    scheduling.invite_people(workshop=place.workshop, people=people, by=place.convenor.user, base_url=BASE)
    services.revoke_role(
        dialogue=place.dialogue, person=place.nologin, role=DialogueRole.PARTICIPANT, by=place.convenor.user
    )
    cut_off_person(
        person=other, dialogue=place.dialogue, reason="Phone seized at the border.", by=place.convenor.user
    )
    assert notifications.deliver_notifications(now=timezone.now() + dt.timedelta(minutes=3)) == 0
    assert mailoutbox == []
    assert not AccountInvitation.objects.filter(revoked_at__isnull=True).exists()


# --- Login invitations to every invited person without a login --------------------------------------------


def _bulk(client, place, workshop=None):
    workshop = workshop or place.workshop
    return client.post(reverse("dialogues:invitation_logins", args=[place.dialogue.pk, workshop.pk]))


def last_message(response) -> str:
    return [str(message) for message in response.wsgi_request._messages][-1]


def test_login_invitations_go_to_everyone_invited_who_can_have_one_and_say_who_was_skipped(place, client):
    pending = without_login(place.dialogue, place.south, email="pending@example.org")
    ready = without_login(place.dialogue, place.south, email="ready@example.org")
    scheduling.invite_people(
        workshop=place.workshop,
        people=[place.with_login, place.nologin, place.no_email, pending, ready],
        by=place.convenor.user,
    )
    invite_person(dialogue=place.dialogue, person=pending, by=place.convenor.user, base_url=BASE)
    client.force_login(place.convenor.user)
    page = client.get(reverse("dialogues:invitations", args=[place.dialogue.pk, place.workshop.pk]))
    body = page.content.decode()
    assert "Send login invitations to the 2 invited people without a login" in body
    assert "no e-mail on file: record their answer yourself" in body

    before = AuditEvent.objects.filter(action=Action.ACCOUNT_INVITED).count()
    response = _bulk(client, place)
    assert response.status_code == 302
    sent = {place.nologin.pk, ready.pk}
    assert set(
        AccountInvitation.objects.filter(revoked_at__isnull=True).values_list("person", flat=True)
    ) == (sent | {pending.pk})
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_INVITED).count() == before + 2
    message = last_message(response)
    assert message.startswith("2 login invitations sent")
    called = {person: pseudonym_in(place.dialogue, person) for person in (place.no_email, pending)}
    assert f"{called[place.no_email]} (no e-mail on file)" in message
    assert f"{called[pending]} (already has an open login invitation)" in message
    assert pseudonym_in(place.dialogue, place.with_login) not in message
    assert not shows(message, place.no_email.pseudonym) and not shows(message, pending.pseudonym)
    for name in (place.nologin.name, ready.name, place.no_email.name):
        assert name not in message

    # Again: nothing new goes out, everyone is accounted for.
    again = _bulk(client, place)
    assert last_message(again).startswith("0 login invitations sent.")
    assert AccountInvitation.objects.count() == 3
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_INVITED).count() == before + 2
    body = client.get(reverse("dialogues:invitations", args=[place.dialogue.pk, place.workshop.pk])).content
    assert b"Send login invitations" not in body


def test_login_invitations_skip_whoever_left_or_is_cut_off_and_need_a_convenor(place, client):
    # Invitations to a workshop already held stay when people leave or are cut off (those ahead go).
    held = WorkshopFactory(
        series__dialogue=place.dialogue, number=2, starts_at=timezone.now() - dt.timedelta(days=30)
    )
    cut = without_login(place.dialogue, place.south, email="cut@example.org")
    for person in (place.nologin, cut):
        scheduling.invite(workshop=held, person=person, by=None)
    services.revoke_role(
        dialogue=place.dialogue, person=place.nologin, role=DialogueRole.PARTICIPANT, by=None
    )
    cut_off_person(
        person=cut, dialogue=place.dialogue, reason="Phone seized at the border.", by=place.convenor.user
    )
    # A facilitator schedules but does not manage members: no button, and the URL is not found.
    client.force_login(place.facilitator.user)
    page = client.get(reverse("dialogues:invitations", args=[place.dialogue.pk, held.pk]))
    assert page.status_code == 200 and b"People without a login" not in page.content
    assert _bulk(client, place, held).status_code == 404
    client.force_login(place.convenor.user)
    message = last_message(_bulk(client, place, held))
    assert message.startswith("0 login invitations sent.")
    assert f"{pseudonym_in(place.dialogue, place.nologin)} (no longer in the dialogue)" in message
    assert f"{pseudonym_in(place.dialogue, cut)} (cut off)" in message
    assert not shows(message, place.nologin.pseudonym) and not shows(message, cut.pseudonym)
    assert not AccountInvitation.objects.filter(revoked_at__isnull=True).exists()


# --- Answers recorded by the facilitators -----------------------------------------------------------------


def _answer_url(place, invitation):
    return reverse("dialogues:invitation_answer", args=[place.dialogue.pk, place.workshop.pk, invitation.pk])


@pytest.fixture
def invited(place):
    people = [place.with_login, place.nologin, place.no_email]
    scheduling.invite_people(workshop=place.workshop, people=people, by=None)
    return {i.person_id: i for i in Invitation.objects.filter(workshop=place.workshop)}


def test_a_facilitator_records_the_answer_of_someone_without_a_login(place, invited, client):
    invitation = invited[place.no_email.pk]
    client.force_login(place.facilitator.user)
    url = _answer_url(place, invitation)
    assert client.get(url).status_code == 200
    note = "Arrives on the second day, by ferry"
    response = client.post(url, {"answer": "accepted", "note": note})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.availability_note == note
    assert invitation.answer_recorded_by == place.facilitator.user
    with connection.cursor() as cursor:
        cursor.execute("SELECT availability_note FROM dialogues_invitation WHERE id = %s", [invitation.pk])
        assert "ferry" not in str(cursor.fetchone()[0])
    [row] = AuditEvent.objects.filter(action=Action.INVITATION_ANSWER_RECORDED)
    assert row.actor_id == place.facilitator.user.pk
    assert row.detail == {
        "from": "invited",
        "to": "accepted",
        "fields": ["status", "availability_note", "answer_recorded_by"],
    }
    assert "ferry" not in str(row.detail)
    # The same answer again changes nothing and writes nothing.
    assert client.post(url, {"answer": "accepted", "note": note}).status_code == 302
    assert AuditEvent.objects.filter(action=Action.INVITATION_ANSWER_RECORDED).count() == 1
    page = client.get(
        reverse("dialogues:invitations", args=[place.dialogue.pk, place.workshop.pk])
    ).content.decode()
    row_html = page.split(f'id="invitation-{invitation.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "recorded by the facilitators" in row_html


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "answer"),
        ({"answer": "maybe"}, "answer"),
        ({"answer": "attended"}, "answer"),
        ({"answer": "declined", "note": "x" * 1001}, "note"),
    ],
)
def test_a_bad_answer_is_refused_next_to_its_field_and_writes_nothing(place, invited, client, data, field):
    invitation = invited[place.nologin.pk]
    client.force_login(place.convenor.user)
    response = client.post(_answer_url(place, invitation), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    refused_form(response.content.decode())
    if "note" in data:
        assert data["note"] in response.content.decode()  # what was typed stays
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED and invitation.answer_recorded_by is None
    assert not AuditEvent.objects.filter(action=Action.INVITATION_ANSWER_RECORDED).exists()


def test_someone_with_a_login_answers_for_themselves(place, invited, client):
    invitation = invited[place.with_login.pk]
    client.force_login(place.convenor.user)
    page = client.get(_answer_url(place, invitation))
    assert b"answers for themselves" in page.content and b'name="answer"' not in page.content
    response = client.post(_answer_url(place, invitation), {"answer": "declined"})
    assert response.status_code == 400
    assert "answers for themselves" in " ".join(response.context["form"].non_field_errors())
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED
    # Their own answer clears any mark of a recorded one.
    Invitation.objects.filter(pk=invitation.pk).update(answer_recorded_by=place.convenor.user)
    scheduling.respond_to_invitation(
        invitation=invitation, status=InvitationStatus.ACCEPTED, by=place.with_login.user
    )
    invitation.refresh_from_db()
    assert invitation.answer_recorded_by is None


def test_nobody_outside_the_facilitation_team_records_an_answer(place, invited, client):
    invitation = invited[place.nologin.pk]
    other = two_sided_other()
    outsiders = [place.with_login.user, member(other, role=DialogueRole.CONVENOR).user]
    for user in outsiders:
        client.force_login(user)
        assert client.get(_answer_url(place, invitation)).status_code == 404
        assert client.post(_answer_url(place, invitation), {"answer": "accepted"}).status_code == 404
    # Another workshop's invitation through this workshop's URL: not found either.
    elsewhere = WorkshopFactory(series__dialogue=place.dialogue, number=9)
    stray = scheduling.invite(workshop=elsewhere, person=place.nologin, by=None)
    client.force_login(place.convenor.user)
    assert client.post(_answer_url(place, stray), {"answer": "accepted"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED


def two_sided_other():
    from tests.factories import DialogueFactory

    return DialogueFactory(codename="lanternfield")


# --- The invitations page stays constant in its queries ---------------------------------------------------


@pytest.mark.parametrize("count", [1, 8])
def test_invitations_page_query_count_does_not_grow_with_people_without_a_login(
    place, client, django_assert_num_queries, count
):
    people = [without_login(place.dialogue, place.north) for _ in range(count)]
    people += [without_login(place.dialogue, place.south, email=None) for _ in range(count)]
    people += [member(place.dialogue, place.south) for _ in range(count)]
    scheduling.invite_people(workshop=place.workshop, people=people, by=place.convenor.user, base_url=BASE)
    client.force_login(place.convenor.user)
    url = reverse("dialogues:invitations", args=[place.dialogue.pk, place.workshop.pk])
    client.get(url)
    # session, user, workshop, audit, access, members, workshop-invite form sides, invitations (with their
    # login state), warnings, clashes, time zone
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.content.decode().count("Record answer") == 2 * count


def test_a_recorded_answer_shows_on_the_persons_own_page_once_they_have_a_login(place, invited, client):
    invitation = invited[place.nologin.pk]
    scheduling.record_answer(invitation=invitation, answer="declined", by=place.convenor.user)
    place.nologin.user = UserFactory()
    place.nologin.save(update_fields=["user"])
    services.sync_person_grants(person=place.nologin)
    client.force_login(place.nologin.user)
    card = client.get(reverse("dialogues:my_workshops")).content.decode()
    card = card.split(f'id="invitation-{invitation.pk}"', 1)[1].split("</article>", 1)[0]
    assert "Declined" in card and "recorded by the facilitators" in card
