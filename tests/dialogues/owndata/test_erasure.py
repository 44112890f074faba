"""Erasure on request (issue 23): the person asks (after a confirmation page), a convenor of a dialogue they
are or were in answers, erase or decline, through the views. Erasure ends everything at once in every
dialogue, overwrites what is left and keeps the audit rows and sealed summaries as they were."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.models import Invitation, Notification, PersonalCalendar, ReviewComment, Summary
from participants.enums import ErasureOutcome
from participants.models import ErasureRequest, Membership, Person, PersonName
from tests.dialogues.owndata.conftest import client_of
from tests.factories import DialogueFactory, PersonFactory, UserFactory
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.datakeys import key_path
from trackii.models import DataKey
from trackii.staff.roles import GROUPS, Role

pytestmark = pytest.mark.django_db
ASK = reverse("dialogues:erasure_request")
HOSTILE = "<script>alert('x')</script> ‮evil‬ Robert'); DROP TABLE participants_person;--"


def _ask(client, message="Please erase me: I have moved on.") -> ErasureRequest:
    confirm = client.post(ASK, {"message": message})
    assert confirm.status_code == 200 and not ErasureRequest.objects.exists()
    assert "What stays" in confirm.content.decode() and "audit log" in confirm.content.decode()
    done = client.post(ASK, {"message": message, "confirmed": "yes"})
    assert done.status_code == 302
    return ErasureRequest.objects.get()


def _answer_url(dialogue, row) -> str:
    return reverse("dialogues:erasure_answer", args=[dialogue.pk, row.pk])


def _erase_url(dialogue, row) -> str:
    return reverse("dialogues:erasure_erase", args=[dialogue.pk, row.pk])


def test_asking_shows_a_confirmation_then_records_the_request(world):
    amira = client_of(world.amira)
    assert "Ask for my data to be erased" in amira.get(reverse("dialogues:own_data")).content.decode()
    row = _ask(amira)
    assert row.person == world.amira and row.is_open and row.message == "Please erase me: I have moved on."
    event = AuditEvent.objects.get(action=Action.ERASURE_REQUESTED)
    assert event.detail == {"person": world.amira.pseudonym, "with_message": True}
    assert "moved on" not in str(event.detail)
    page = amira.get(reverse("dialogues:own_data")).content.decode()
    assert "has not answered yet" in page and "Take my request back" in page
    # Asking again adds nothing.
    amira.post(ASK, {"message": "again", "confirmed": "yes"})
    assert ErasureRequest.objects.count() == 1


def test_the_person_takes_the_request_back(world):
    amira = client_of(world.amira)
    _ask(amira)
    assert amira.post(reverse("dialogues:erasure_withdraw")).status_code == 302
    assert not ErasureRequest.objects.exists()
    assert AuditEvent.objects.filter(action=Action.ERASURE_WITHDRAWN).count() == 1


def test_both_convenors_see_the_open_request_on_their_roster(world):
    row = _ask(client_of(world.amira))
    for convenor, dialogue in ((world.convenor_a, world.a), (world.convenor_b, world.b)):
        roster = client_of(convenor).get(reverse("dialogues:members", args=[dialogue.pk])).content.decode()
        assert _answer_url(dialogue, row) in roster
        page = client_of(convenor).get(_answer_url(dialogue, row)).content.decode()
        assert "I have moved on" in page


def test_erasure_ends_everything_and_keeps_audit_and_sealed_records(
    world, django_capture_on_commit_callbacks
):
    w = world
    row = _ask(client_of(w.amira))
    amira_session = client_of(w.amira)
    feed = reverse("dialogues:calendar_feed", args=[w.feed])
    assert amira_session.get(feed).status_code == 200
    sealed_before = Summary.objects.filter(pk=w.sealed.pk).values_list("body", "sealed_sha256").get()
    events_before = AuditEvent.objects.count()
    convenor = client_of(w.convenor_a)

    confirm = convenor.get(_erase_url(w.a, row))
    assert confirm.status_code == 200 and "Amira Haddad" in confirm.content.decode()
    assert "lanternfield" not in confirm.content.decode()  # the other dialogue is not named
    with connection.cursor() as cursor:  # what a backup taken now holds of her name
        cursor.execute("SELECT name FROM participants_person WHERE id = %s", [w.amira.pk])
        (backed_up_name,) = cursor.fetchone()
    key_id = Person.objects.get(pk=w.amira.pk).data_key_id
    with django_capture_on_commit_callbacks(execute=True):
        response = convenor.post(_erase_url(w.a, row), {"confirmed": "yes"})
    assert response.status_code == 302
    # Her data key is destroyed: the name as the backup holds it reads as nothing any more.
    assert DataKey.objects.get(pk=key_id).destroyed_at is not None and not key_path(key_id).exists()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE participants_person SET name = %s WHERE id = %s", [backed_up_name, w.amira.pk])
    assert Person.objects.get(pk=w.amira.pk).name == ""

    row.refresh_from_db()
    assert row.outcome == ErasureOutcome.ERASED and row.handled_by == w.convenor_a.user and row.message == ""
    person = Person.objects.get(pk=w.amira.pk)
    assert person.name == ""  # overwritten with her pseudonym, then its key destroyed
    assert (person.email, person.phone, person.affiliation, person.notes) == (None, None, None, None)
    assert person.email_index is None and person.languages == []
    assert not PersonName.objects.filter(person=person).exists()
    # Every membership ended, in both dialogues; nothing ahead, nothing unsent.
    assert not Membership.objects.filter(person=person, left_on__isnull=True).exists()
    assert not Invitation.objects.filter(person=person, workshop=w.ahead).exists()
    assert not Notification.objects.filter(person=person, sent_at__isnull=True).exists()
    assert not Invitation.objects.filter(person=person).exclude(availability_note=None).exists()
    assert ReviewComment.objects.get(author=person).body == ""
    assert ReviewComment.objects.get(author=w.omar).body == "Omar's private remark"
    # The login: signed out, feed stopped, disabled, address replaced.
    user = User.objects.get(pk=w.amira.user_id)
    assert not user.is_active and user.email == f"erased-{user.pk}@erased.invalid"
    assert not user.has_usable_password()
    assert PersonalCalendar.objects.get(user=user).feed_token_hash is None
    assert amira_session.get(reverse("home")).status_code == 302
    assert amira_session.get(feed).status_code == 404
    assert not User.objects.filter(email="amira@example.org").exists()
    # Audit rows stay (more were added), the erasure's row names ids and the pseudonym only.
    assert AuditEvent.objects.count() > events_before
    erased = AuditEvent.objects.get(action=Action.PERSON_ERASED)
    assert erased.target_id == str(person.pk) and "Amira" not in str(erased.detail)
    assert erased.detail["memberships_ended"] == 2
    # Sealed summaries and the copies issued are as they were.
    assert Summary.objects.filter(pk=w.sealed.pk).values_list("body", "sealed_sha256").get() == sealed_before
    assert w.sealed.copies.filter(holder=person).exists()
    # One e-mail, to the address read before it was destroyed.
    assert [m.to for m in mail.outbox][-1] == ["amira@example.org"]
    assert "Amira" not in mail.outbox[-1].body
    # The roster names them by their pseudonym in this dialogue only, as a former member, and the request is
    # answered; the message says so with that pseudonym, not the account's (decision 0026).
    roster = convenor.get(reverse("dialogues:members", args=[w.a.pk])).content.decode()
    in_a = Membership.objects.get(person=person, dialogue=w.a).pseudonym
    assert "Amira" not in roster and f"{in_a}&#x27;s data was erased" in roster
    assert f"{person.pseudonym}&#x27;s data" not in roster
    assert _answer_url(w.a, row) not in roster


def test_each_convenor_reads_the_request_under_their_own_dialogues_pseudonym(world):
    """Amira is in both dialogues: the convenor of each reads her request, its confirmation and the roster's
    link under that dialogue's pseudonym only, never the account pseudonym nor the other dialogue's."""
    row = _ask(client_of(world.amira))
    called = {d: Membership.objects.get(person=world.amira, dialogue=d).pseudonym for d in (world.a, world.b)}
    pairs = ((world.a, world.convenor_a, world.b), (world.b, world.convenor_b, world.a))
    for dialogue, convenor, other in pairs:
        client = client_of(convenor)
        pages = [
            client.get(reverse("dialogues:members", args=[dialogue.pk])),
            client.get(_answer_url(dialogue, row)),
            client.get(_erase_url(dialogue, row)),
        ]
        for response in pages:
            page = response.content.decode()
            assert response.status_code == 200 and called[dialogue] in page, response.request["PATH_INFO"]
            assert called[other] not in page and f">{world.amira.pseudonym}<" not in page
            assert f"({world.amira.pseudonym})" not in page and f"{world.amira.pseudonym}&#x27;s" not in page


def test_erasing_twice_changes_nothing(world):
    row = _ask(client_of(world.amira))
    convenor = client_of(world.convenor_a)
    convenor.post(_erase_url(world.a, row), {"confirmed": "yes"})
    again = client_of(world.convenor_b).post(_erase_url(world.b, row), {"confirmed": "yes"})
    assert again.status_code == 302
    assert AuditEvent.objects.filter(action=Action.PERSON_ERASED).count() == 1


def test_declining_needs_a_reason_which_the_person_reads(world, django_capture_on_commit_callbacks):
    row = _ask(client_of(world.amira))
    convenor = client_of(world.convenor_b)
    refused = convenor.post(_answer_url(world.b, row), {"reason": "  "})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = convenor.post(_answer_url(world.b, row), {"reason": HOSTILE})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.outcome == ErasureOutcome.DECLINED and row.decline_reason == HOSTILE.strip()
    assert Person.objects.get(pk=world.amira.pk).name == "Amira Haddad"  # nothing erased
    page = client_of(world.amira).get(reverse("dialogues:own_data")).content.decode()
    assert "a convenor declined" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "DROP TABLE" not in mail.outbox[-1].body and mail.outbox[-1].to == ["amira@example.org"]
    assert AuditEvent.objects.get(action=Action.ERASURE_DECLINED).detail == {"person": world.amira.pseudonym}


def test_hostile_message_is_kept_as_text_or_refused(world):
    amira = client_of(world.amira)
    nul = amira.post(ASK, {"message": "a\x00b", "confirmed": "yes"})
    assert nul.status_code == 400 and not ErasureRequest.objects.exists()
    long = amira.post(ASK, {"message": "x" * 100_000, "confirmed": "yes"})
    assert long.status_code == 400 and not ErasureRequest.objects.exists()
    row = _ask(amira, HOSTILE)
    assert row.message == HOSTILE.strip()
    page = client_of(world.convenor_a).get(_answer_url(world.a, row)).content.decode()
    assert "&lt;script&gt;" in page and "<script>alert" not in page


def test_a_convenor_elsewhere_or_a_member_gets_the_missing_page(world):
    row = _ask(client_of(world.amira))
    elsewhere = DialogueFactory(codename="elsewhere")
    stranger = PersonFactory(user=UserFactory())
    services.assign_role(dialogue=elsewhere, person=stranger, role=DialogueRole.CONVENOR, by=None)
    for client, dialogue in (
        (client_of(stranger), elsewhere),  # convenes a dialogue Amira was never in
        (client_of(stranger), world.a),  # not a convenor of A
        (client_of(world.omar), world.a),  # a member of A
        (client_of(world.amira), world.a),  # the person herself
    ):
        for url in (_answer_url(dialogue, row), _erase_url(dialogue, row)):
            assert client.get(url).status_code == 404
            assert client.post(url, {"confirmed": "yes", "reason": "no"}).status_code == 404
    row.refresh_from_db()
    assert row.is_open
    assert Client().get(_answer_url(world.a, row)).status_code == 302


def test_a_convenor_does_not_answer_their_own_request(world):
    row = _ask(client_of(world.convenor_a))
    page = client_of(world.convenor_a).get(_answer_url(world.a, row))
    assert page.status_code == 200 and "another convenor" in page.content.decode()
    client_of(world.convenor_a).post(_erase_url(world.a, row), {"confirmed": "yes"})
    row.refresh_from_db()
    assert row.is_open


def test_someone_in_no_dialogue_is_answered_by_an_administrator(world):
    officer = PersonFactory(name="Olga Fundsworth", user=UserFactory(email="olga@example.org"))
    page = client_of(officer).get(reverse("dialogues:own_data")).content.decode()
    assert "an administrator of the Third Party answers" in page
    row = _ask(client_of(officer))
    administrator = UserFactory(is_staff=True)
    administrator.groups.add(Group.objects.get(name=GROUPS[Role.ADMINISTRATOR]))
    admin = Client()
    admin.force_login(administrator)
    listing = admin.get(reverse("dialogues:staff_erasure_requests")).content.decode()
    answer = reverse("dialogues:staff_erasure_answer", args=[row.pk])
    assert answer in listing and officer.pseudonym in listing
    read = admin.get(answer).content.decode()
    assert "Olga" not in read and "I have moved on" in read  # the pseudonym, never the name
    # Nobody else reaches it: a convenor, the officer, a member.
    for client in (client_of(world.convenor_a), client_of(officer), client_of(world.omar)):
        assert client.get(reverse("dialogues:staff_erasure_requests")).status_code == 404
        assert client.get(answer).status_code == 404
    erase = reverse("dialogues:staff_erasure_erase", args=[row.pk])
    assert admin.post(erase, {"confirmed": "yes"}).status_code == 302
    row.refresh_from_db()
    assert row.outcome == ErasureOutcome.ERASED and not User.objects.get(pk=officer.user_id).is_active


def test_a_placed_persons_request_is_not_on_the_staff_pages(world):
    ErasureRequest.objects.create(person=world.omar, requested_at=world.held.starts_at)
    row = ErasureRequest.objects.get(person=world.omar)
    administrator = UserFactory(is_staff=True)
    administrator.groups.add(Group.objects.get(name=GROUPS[Role.ADMINISTRATOR]))
    admin = Client()
    admin.force_login(administrator)
    assert admin.get(reverse("dialogues:staff_erasure_answer", args=[row.pk])).status_code == 404
