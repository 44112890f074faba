"""Invitation-only onboarding: a convenor invites a person without a login; the link works once, expires,
can be withdrawn, and every unusable link gets the same page that names no dialogue."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole
from dialogues.selectors import dialogues_for_user
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory
from trackii.accounts import selectors, services
from trackii.accounts.models import AccountInvitation, User
from trackii.accounts.tasks import send_invitation_email
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
BASE = "https://trackii.example.org/"
PASSWORD = "quiet harbour lanterns 7"
CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def invite(dialogue, person, by, django_capture_on_commit_callbacks):
    """Invite through the service and run the e-mail task as the worker would, after commit."""
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = services.invite_person(dialogue=dialogue, person=person, by=by, base_url=BASE)
    assert len(callbacks) == 1
    assert send_invitation_email(invitation.pk, BASE) is True
    return invitation


def link_in(message) -> str:
    return re.search(r"https://\S+/welcome/\S+/", message.body).group(0).removeprefix(BASE.rstrip("/"))


def shows(page: str, label: str) -> bool:
    """The label stands on the page as a whole word ("T-3" is not in "T-37")."""
    return re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", page) is not None


def accept(client, path, **extra):
    data = {"password1": PASSWORD, "password2": PASSWORD, "accept_ground_rules": "on", **extra}
    return client.post(path, data)


def test_invitation_stores_only_a_hash_of_its_token(
    dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    invitation = invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    token = selectors.invitation_token(invitation=invitation)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_accountinvitation")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert token not in stored
    assert invitation.token_hash in stored
    assert token in mail.outbox[0].body


def test_invitation_email_names_no_dialogue(dialogue, newcomer, convenor, django_capture_on_commit_callbacks):
    invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["Amira.Haddad@example.org"]
    assert message.subject.endswith("Your Trackii invitation")
    for secret in (dialogue.title, dialogue.codename, "Riverside", "heron", "North"):
        assert secret.lower() not in (message.subject + message.body).lower()


def test_invitation_email_task_run_twice_sends_once(
    dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    invitation = invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    assert send_invitation_email(invitation.pk, BASE) is False
    assert len(mail.outbox) == 1


def test_accepting_invitation_creates_login_with_grants_and_ground_rules(
    client, dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    assert b"The Chatham House Rule." in page.content
    assert b"Riverside" not in page.content and b"heron" not in page.content

    response = accept(client, path)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    newcomer.refresh_from_db()
    user = newcomer.user
    assert user.email == "amira.haddad@example.org" and user.check_password(PASSWORD)
    assert newcomer.memberships.get(dialogue=dialogue).ground_rules_accepted_at is not None
    assert list(dialogues_for_user(user=user)) == [dialogue]
    assert client.get(reverse("home")).wsgi_request.user == user
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_CREATED, actor=user).count() == 1


def test_invitation_sent_and_ground_rules_accepted_on_the_way_in_are_audited(
    client, dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    invitation = invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    sent = AuditEvent.objects.get(action=Action.ACCOUNT_INVITATION_SENT)
    assert (sent.actor_label, sent.target_id) == ("system", str(invitation.pk))

    accept(client, link_in(mail.outbox[0]))

    newcomer.refresh_from_db()
    accepted = AuditEvent.objects.get(action=Action.GROUND_RULES_ACCEPTED)
    assert (accepted.actor, accepted.dialogue_id) == (newcomer.user, dialogue.pk)


def test_accepting_invitation_without_ground_rules_is_refused(
    client, dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    response = accept(client, link_in(mail.outbox[0]), accept_ground_rules="")
    assert response.status_code == 400
    assert "Please read and accept the ground rules" in response.content.decode()
    assert not User.objects.filter(email="amira.haddad@example.org").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "too short"), ("password12345", "too common"), ("123456789012345", "entirely numeric")],
)
def test_accepting_invitation_with_weak_password_is_refused(
    client, dialogue, newcomer, convenor, django_capture_on_commit_callbacks, password, message
):
    invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    response = accept(client, link_in(mail.outbox[0]), password1=password, password2=password)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email="amira.haddad@example.org").exists()


def _unusable_body(response) -> bytes:
    assert response.status_code == 410
    return CSRF.sub(rb"\1", response.content)


def test_every_unusable_link_gets_the_same_page(
    client, dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    used = link_in(mail.outbox[0])
    assert accept(client, used).status_code == 302
    client.logout()

    other = another_member(dialogue, convenor)
    expired = invite(dialogue, other, convenor, django_capture_on_commit_callbacks)
    AccountInvitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    third = another_member(dialogue, convenor)
    withdrawn = invite(dialogue, third, convenor, django_capture_on_commit_callbacks)
    services.revoke_invitation(invitation=withdrawn, by=convenor)

    bodies = {
        "used": _unusable_body(client.get(used)),
        "used, posted again": _unusable_body(accept(client, used)),
        "expired": _unusable_body(client.get(link_in(mail.outbox[1]))),
        "withdrawn": _unusable_body(client.get(link_in(mail.outbox[2]))),
        "garbage": _unusable_body(client.get(reverse("accounts:welcome", kwargs={"token": "x" * 64}))),
    }
    assert len(set(bodies.values())) == 1, bodies.keys()
    page = bodies["garbage"].decode()
    assert "cannot be used" in page
    for secret in ("Riverside", "heron", "North", "Amira"):
        assert secret not in page


def another_member(dialogue, convenor):
    person = PersonFactory()
    dialogue_services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.OBSERVER, by=convenor)
    return person


def test_expired_link_cannot_be_posted(
    client, dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    invitation = invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[0])
    assert client.get(path).status_code == 200
    AccountInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    assert accept(client, path).status_code == 410
    assert not User.objects.filter(email="amira.haddad@example.org").exists()


def test_inviting_again_withdraws_the_earlier_link(
    client, dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    first, second = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    assert first != second
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_convenor_invites_and_withdraws_from_the_logins_page(
    client, dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    client.force_login(convenor)
    page = reverse("accounts:invitations", kwargs={"dialogue_id": dialogue.pk})
    listing = client.get(page)
    assert listing.status_code == 200 and "Amira Haddad" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(page, {"person": newcomer.pk})
    assert response.status_code == 302 and len(callbacks) == 1
    invitation = AccountInvitation.objects.get(person=newcomer)
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_INVITED, target_id=str(invitation.pk)).exists()

    withdraw = reverse(
        "accounts:withdraw_invitation", kwargs={"dialogue_id": dialogue.pk, "invitation_id": invitation.pk}
    )
    assert client.post(withdraw).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(
        action=Action.ACCOUNT_INVITATION_REVOKED, target_id=str(invitation.pk)
    ).exists()


def test_logins_page_is_not_found_for_a_participant(client, dialogue, newcomer, convenor):
    from dialogues import services as dialogue_services
    from dialogues.enums import DialogueRole
    from tests.accounts.helpers import enrol_totp  # noqa: F401 - participants need no second factor
    from tests.factories import PersonFactory

    member = PersonFactory(user=UserFactory())
    side = dialogue.sides.first()
    dialogue_services.assign_role(
        dialogue=dialogue, person=member, role=DialogueRole.PARTICIPANT, side=side, by=convenor
    )
    client.force_login(member.user)
    page = reverse("accounts:invitations", kwargs={"dialogue_id": dialogue.pk})
    assert client.get(page).status_code == 404
    assert client.post(page, {"person": newcomer.pk}).status_code == 404
    assert not AccountInvitation.objects.exists()


def test_person_outside_the_dialogue_cannot_be_invited(dialogue, convenor):
    stranger = PersonFactory()
    with pytest.raises(ValidationError, match="belong to this dialogue"):
        services.invite_person(dialogue=dialogue, person=stranger, by=convenor, base_url=BASE)


def test_removal_withdraws_the_dialogues_unused_link(
    client, dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    # The link would still make a login (with nothing of the dialogue) and stay listed on the logins page.
    invitation = invite(dialogue, newcomer, convenor, django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[0])

    dialogue_services.revoke_role(
        dialogue=dialogue, person=newcomer, role=DialogueRole.PARTICIPANT, by=convenor
    )

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.get(path).status_code == 410
    assert accept(client, path).status_code == 410
    assert not User.objects.filter(email="amira.haddad@example.org").exists()
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_INVITATION_REVOKED).count() == 1


def test_logins_page_names_people_by_their_pseudonym_in_this_dialogue(
    client, dialogue, side, newcomer, convenor, django_capture_on_commit_callbacks
):
    """Decision 0026: the account pseudonym would tie this dialogue to the person's others; the page says
    what this dialogue calls them, and "T-<id>" for a facilitator who is no member."""
    from participants.models import Facilitator, Membership

    elsewhere = DialogueFactory()
    SideFactory(dialogue=elsewhere)
    dialogue_services.assign_role(
        dialogue=elsewhere,
        person=newcomer,
        role=DialogueRole.PARTICIPANT,
        side=elsewhere.sides.first(),
        by=None,
    )
    facilitator = PersonFactory(name="Basil Nour")
    dialogue_services.assign_role(
        dialogue=dialogue, person=facilitator, role=DialogueRole.FACILITATOR, by=None
    )
    here = Membership.objects.get(person=newcomer, dialogue=dialogue).pseudonym
    there = Membership.objects.get(person=newcomer, dialogue=elsewhere).pseudonym
    team = f"T-{Facilitator.objects.get(person=facilitator, dialogue=dialogue).pk}"

    client.force_login(convenor)
    page = reverse("accounts:invitations", kwargs={"dialogue_id": dialogue.pk})
    listing = client.get(page).content.decode()
    assert here in listing and team in listing
    for other in (newcomer.pseudonym, facilitator.pseudonym, there):
        assert not shows(listing, other)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(page, {"person": newcomer.pk}, follow=True)
    text = response.content.decode()
    assert f"An invitation is on its way to {here}." in text
    assert f"the invitation of {here}" in text  # the withdraw button, for screen readers
    assert not shows(text, newcomer.pseudonym) and not shows(text, there)
