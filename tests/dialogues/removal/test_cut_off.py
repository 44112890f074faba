"""The emergency cut-off of one person across every dialogue (issue 16 §1): a convenor of a dialogue the
person belongs to confirms it with a reason; it ends their sessions and feed, withdraws their login and
workshop invitations, drops their unsent e-mails and refuses their login (after every factor, through a
password reset too) until a convenor concerned restores them. Everything is audited and every convenor
concerned sees it; a convenor of another dialogue gets the missing page and learns nothing."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus, NotificationKind, WorkshopStatus
from dialogues.models import Invitation, Notification, PersonalCalendar
from dialogues.personal import services as personal_services
from dialogues.removal.services import cut_off_person
from dialogues.scheduling import services as scheduling
from dialogues.scheduling.notifications import deliver_notifications, queue_notifications
from participants.models import CutOff
from tests.accounts.helpers import enrol_totp, fresh_totp_code
from tests.factories import (
    DialogueFactory,
    InvitationFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.accounts import selectors as account_selectors
from trackii.accounts import services as account_services
from trackii.accounts.models import AccountInvitation
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase-42"
NEW_PASSWORD = "another-long-passphrase-77"
REASON = "Her phone was taken at the border crossing on Tuesday."
CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def _client(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


@pytest.fixture
def world():
    """Two dialogues, each with its convenor. Amira belongs to both (a login, a feed, a workshop attended, one
    ahead in each), Sami to B only, Nadia to A without a login yet (an open invitation link)."""
    now = timezone.now()
    a, b = DialogueFactory(codename="tidewater"), DialogueFactory(codename="lanternfield")
    convenor_a = PersonFactory(name="Ingrid Alvestad", user=UserFactory())
    convenor_b = PersonFactory(name="Bashir Okonjo", user=UserFactory())
    amira = PersonFactory(name="Amira Haddad", user=UserFactory(email="amira@example.org"))
    sami = PersonFactory(name="Sami Brekke", user=UserFactory())
    nadia = PersonFactory(name="Nadia Eriksen", email="nadia@example.org")
    for dialogue, convenor, members in ((a, convenor_a, [amira, nadia]), (b, convenor_b, [amira, sami])):
        side = SideFactory(dialogue=dialogue)
        services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
        for person in members:
            services.assign_role(
                dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
            )
    held = WorkshopFactory(
        series=SeriesFactory(dialogue=a),
        starts_at=now - dt.timedelta(days=9),
        ends_at=now - dt.timedelta(days=8),
        status=WorkshopStatus.HELD,
    )
    InvitationFactory(workshop=held, person=amira, status=InvitationStatus.ATTENDED)
    ahead_a = WorkshopFactory(series=held.series, starts_at=now + dt.timedelta(days=5))
    ahead_b = WorkshopFactory(series=SeriesFactory(dialogue=b), starts_at=now + dt.timedelta(days=6))
    for workshop in (ahead_a, ahead_b):
        scheduling.invite_people(workshop=workshop, people=[amira], by=None)  # queues unsent e-mails
    link = account_services.invite_person(
        dialogue=a, person=nadia, by=convenor_a.user, base_url="https://trackii.test"
    )
    return SimpleNamespace(
        a=a,
        b=b,
        convenor_a=convenor_a,
        convenor_b=convenor_b,
        amira=amira,
        sami=sami,
        nadia=nadia,
        held=held,
        ahead_a=ahead_a,
        ahead_b=ahead_b,
        link=link,
        feed=personal_services.issue_feed_token(by=amira.user),
    )


def _cut_off_url(dialogue, person) -> str:
    return reverse("dialogues:person_cut_off", args=[dialogue.pk, person.pk])


def _restore_url(dialogue, person) -> str:
    return reverse("dialogues:person_restore", args=[dialogue.pk, person.pk])


def _roster(client, dialogue) -> str:
    return client.get(reverse("dialogues:members", args=[dialogue.pk])).content.decode()


def _login(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_cut_off_ends_everything_at_once_in_every_dialogue(world):
    w = world
    amira = _client(w.amira)  # a session opened before
    feed = reverse("dialogues:calendar_feed", args=[w.feed])
    assert amira.get(reverse("home")).status_code == 200 and amira.get(feed).status_code == 200
    convenor = _client(w.convenor_a)

    confirm = convenor.get(_cut_off_url(w.a, w.amira))
    assert confirm.status_code == 200 and "in every dialogue" in confirm.content.decode()
    assert not CutOff.objects.exists()  # the page is only the confirmation
    response = convenor.post(_cut_off_url(w.a, w.amira), {"reason": REASON})

    assert response.status_code == 302
    # The same session, and the feed, on their next request.
    gone = amira.get(reverse("home"))
    assert gone.status_code == 302 and gone["Location"].startswith(reverse("account_login"))
    assert amira.get(feed).status_code == 404
    assert PersonalCalendar.objects.get(user=w.amira.user).feed_token_hash is None
    # Invitations to workshops ahead are withdrawn in both dialogues, without an e-mail; attendance stays.
    assert list(Invitation.objects.filter(person=w.amira).values_list("workshop", flat=True)) == [w.held.pk]
    assert not Notification.objects.filter(person=w.amira, sent_at__isnull=True).exists()
    # Audited: the cut-off by whom, and each thing it ended, in its own dialogue's history.
    cut = AuditEvent.objects.get(action=Action.CUT_OFF)
    assert cut.actor_id == w.convenor_a.user.pk and cut.dialogue_id == w.a.pk
    assert cut.detail == {
        "person": w.amira.pseudonym,
        "login_invitations": 0,
        "workshop_invitations": 2,
        "notifications_dropped": 2,
    }
    withdrawn = AuditEvent.objects.filter(action=Action.INVITATION_WITHDRAWN)
    assert sorted(withdrawn.values_list("dialogue_id", flat=True)) == sorted([w.a.pk, w.b.pk])
    assert all(event.detail["with"] == "cut_off" for event in withdrawn)
    for action in (Action.SESSIONS_ENDED, Action.FEED_REVOKED):
        assert AuditEvent.objects.get(action=action).actor_id == w.convenor_a.user.pk, action
    # The reason is kept encrypted, like every other confidential text.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM participants_cutoff")
        (stored,) = cursor.fetchone()
    assert b"border" not in bytes(stored)
    assert CutOff.objects.get().reason == REASON


def test_login_is_refused_clearly_and_without_saying_why_until_restored(world):
    w = world
    cut_off_person(person=w.amira, dialogue=w.a, reason=REASON, by=w.convenor_a.user)
    client = Client()

    wrong = _login(client, "amira@example.org", "not-the-password-at-all")
    refused = _login(client, "amira@example.org")

    assert "paused" not in wrong.content.decode()  # a wrong password reads as it always does
    body = refused.content.decode()
    assert refused.status_code == 403 and "You cannot sign in at the moment" in body
    assert "_auth_user_id" not in client.session
    for secret in ("tidewater", "lanternfield", "border", "Ingrid", "Bashir", "cut off"):
        assert secret not in body, secret
    event = AuditEvent.objects.get(action=Action.LOGIN_REFUSED)
    assert event.actor_id == w.amira.user.pk and event.outcome == "denied"
    assert not AuditEvent.objects.filter(action=Action.LOGIN, actor_id=w.amira.user.pk).exists()

    # A convenor of the other dialogue restores her, from the roster.
    response = _client(w.convenor_b).post(_restore_url(w.b, w.amira))
    assert response.status_code == 302
    restored = AuditEvent.objects.get(action=Action.CUT_OFF_RESTORED)
    assert restored.actor_id == w.convenor_b.user.pk and restored.dialogue_id == w.b.pk
    assert CutOff.objects.get().restored_by == w.convenor_b.user
    back = _login(Client(), "amira@example.org")
    assert back.status_code == 302 and back["Location"] == reverse("home")


def test_the_cut_off_survives_a_password_reset_and_a_second_factor(world):
    w = world
    secret = enrol_totp(w.amira.user)
    cut_off_person(person=w.amira, dialogue=w.b, reason=REASON, by=w.convenor_b.user)
    mail.outbox.clear()
    Client().post(reverse("account_reset_password"), {"email": "amira@example.org"})
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", message.body).group(1)
    resetting = Client()
    form_page = resetting.get(link, follow=True)
    resetting.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    w.amira.user.refresh_from_db()
    assert w.amira.user.check_password(NEW_PASSWORD)

    client = Client()
    asked = _login(client, "amira@example.org", NEW_PASSWORD)
    assert asked.status_code == 302 and asked["Location"] == reverse("mfa_authenticate")
    refused = client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(secret, set())})

    assert refused.status_code == 403 and "You cannot sign in at the moment" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_someone_without_a_login_loses_their_link_and_cannot_be_invited_again(world):
    w = world
    token = account_selectors.invitation_token(invitation=w.link)
    cut_off_person(person=w.nadia, dialogue=w.a, reason=REASON, by=w.convenor_a.user)

    assert AccountInvitation.objects.get(pk=w.link.pk).revoked_at is not None
    assert AuditEvent.objects.get(action=Action.ACCOUNT_INVITATION_REVOKED).actor_id == w.convenor_a.user.pk
    assert Client().get(reverse("accounts:welcome", args=[token])).status_code == 410
    assert w.nadia not in account_selectors.invitable_members(dialogue=w.a)
    with pytest.raises(Exception, match="cut off"):
        account_services.invite_person(
            dialogue=w.a, person=w.nadia, by=w.convenor_a.user, base_url="https://x"
        )
    # A link that slipped through still opens nothing.
    AccountInvitation.objects.filter(pk=w.link.pk).update(revoked_at=None)
    with pytest.raises(account_services.InvitationUnusable):
        account_services.accept_invitation(token=token, password=NEW_PASSWORD, accept_ground_rules=True)


def test_nothing_is_sent_to_someone_cut_off(world):
    w = world
    cut_off_person(person=w.amira, dialogue=w.a, reason=REASON, by=w.convenor_a.user)
    # Queued after the cut-off (a request to review the summary of a workshop she attended, say).
    queue_notifications(
        workshop=w.held,
        people=[w.amira],
        kind=NotificationKind.REVIEW,
        now=timezone.now() - dt.timedelta(hours=1),
    )
    mail.outbox.clear()
    deliver_notifications()
    assert mail.outbox == []
    assert not Notification.objects.filter(person=w.amira, sent_at__isnull=True).exists()


def test_a_convenor_can_neither_cut_off_nor_learn_about_someone_outside_their_dialogues(world):
    """Sami is in B only: to A's convenor he is a missing person, whatever the method and whichever door."""
    w = world
    convenor = _client(w.convenor_a)
    missing = reverse("dialogues:person_cut_off", args=[w.a.pk, 999999])
    for method, url, data in (
        ("get", _cut_off_url(w.a, w.sami), {}),
        ("post", _cut_off_url(w.a, w.sami), {"reason": REASON}),
        ("post", _restore_url(w.a, w.sami), {}),
        # Through his own dialogue: not convened by A's convenor.
        ("get", _cut_off_url(w.b, w.sami), {}),
        ("post", _cut_off_url(w.b, w.sami), {"reason": REASON}),
    ):
        response = getattr(convenor, method)(url, data)
        assert response.status_code == 404, (method, url)
        assert CSRF.sub(rb"\1", response.content) == CSRF.sub(rb"\1", convenor.get(missing).content)
    assert not CutOff.objects.exists()
    cut_off_person(person=w.sami, dialogue=w.b, reason=REASON, by=w.convenor_b.user)
    roster = _roster(convenor, w.a)
    assert w.sami.pseudonym not in roster and "Sami" not in roster and "badge--flagged" not in roster
    with pytest.raises(Exception, match="belongs to this dialogue"):
        cut_off_person(person=w.sami, dialogue=w.a, reason=REASON, by=w.convenor_a.user)


def test_every_convenor_concerned_sees_it_and_may_restore_the_reason_only_where_it_was_given(world):
    """Amira is in A and B and is cut off from A: both rosters show it; who did it and why only in A, where
    it was done. B's convenor may lift it."""
    w = world
    _client(w.convenor_a).post(_cut_off_url(w.a, w.amira), {"reason": REASON})
    day = timezone.localdate().strftime("%-d %b %Y")

    here = _roster(_client(w.convenor_a), w.a)
    there = _roster(_client(w.convenor_b), w.b)

    assert f"</span> on {day} by Ingrid Alvestad" in here and "border crossing" in here
    assert f"</span> on {day} by a convenor of another dialogue" in there
    assert "border crossing" not in there and "Ingrid" not in there
    assert _restore_url(w.a, w.amira) in here and _restore_url(w.b, w.amira) in there
    assert _client(w.convenor_b).post(_restore_url(w.b, w.amira)).status_code == 302
    assert not CutOff.objects.filter(restored_at__isnull=True).exists()
    assert "badge--flagged" not in _roster(_client(w.convenor_a), w.a)


def test_a_dialogue_someone_has_left_is_not_concerned_by_their_cut_off(world):
    """Amira has left B and is cut off from A: B's roster does not tell its convenors she is in another
    dialogue, and they cannot lift a cut-off made by people they do not know: not found, as for anyone."""
    w = world
    services.revoke_role(dialogue=w.b, person=w.amira, role=DialogueRole.PARTICIPANT, by=None)
    _client(w.convenor_a).post(_cut_off_url(w.a, w.amira), {"reason": REASON})
    convenor_b = _client(w.convenor_b)

    there = _roster(convenor_b, w.b)
    assert "badge--flagged" not in there and "another dialogue" not in there
    assert _restore_url(w.b, w.amira) not in there
    missing = _restore_url(w.b, w.amira).replace(f"/{w.amira.pk}/", "/999999/")
    refused, not_there = convenor_b.post(_restore_url(w.b, w.amira)), convenor_b.post(missing)
    assert refused.status_code == not_there.status_code == 404
    assert CSRF.sub(rb"\1", refused.content) == CSRF.sub(rb"\1", not_there.content)
    assert CutOff.objects.filter(restored_at__isnull=True).count() == 1


def test_the_dialogue_a_cut_off_was_made_from_may_lift_it_after_removing_them(world):
    w = world
    convenor = _client(w.convenor_a)
    convenor.post(_cut_off_url(w.a, w.amira), {"reason": REASON})
    services.revoke_role(dialogue=w.a, person=w.amira, role=DialogueRole.PARTICIPANT, by=w.convenor_a.user)

    assert _restore_url(w.a, w.amira) in _roster(convenor, w.a)  # among the former members
    assert convenor.get(_cut_off_url(w.a, w.amira)).status_code == 404  # she no longer belongs
    assert convenor.post(_restore_url(w.a, w.amira)).status_code == 302
    assert not CutOff.objects.filter(restored_at__isnull=True).exists()


def test_the_confirmation_needs_a_reason_refuses_oneself_and_cuts_off_once(world):
    w = world
    convenor = _client(w.convenor_a)
    empty = convenor.post(_cut_off_url(w.a, w.amira), {"reason": "   "})
    assert empty.status_code == 400 and "Say why" in empty.content.decode()
    assert not CutOff.objects.exists()

    self_page = convenor.get(_cut_off_url(w.a, w.convenor_a))
    assert "You cannot cut yourself off" in self_page.content.decode()
    refused = convenor.post(_cut_off_url(w.a, w.convenor_a), {"reason": REASON})
    assert refused.status_code == 400 and "You cannot cut yourself off" in refused.content.decode()
    assert not CutOff.objects.exists()

    for _ in range(2):
        convenor.post(_cut_off_url(w.a, w.amira), {"reason": REASON})
    assert CutOff.objects.count() == 1 and AuditEvent.objects.filter(action=Action.CUT_OFF).count() == 1
    assert "has been cut off since" in convenor.get(_cut_off_url(w.a, w.amira)).content.decode()
