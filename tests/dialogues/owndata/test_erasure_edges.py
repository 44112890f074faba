"""Erasure where the ordinary path meets the rest of issue 23: a person who wrote in a dialogue since
destroyed, whose only dialogues are destroyed, who left a note with their funding answer, and what a
convenor may still try to write about a person once they are erased."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from dialogues import services as dialogue_services
from dialogues.destruction import services as destruction
from dialogues.enums import DialogueRole, DialogueStatus
from dialogues.models import Invitation, ReviewComment
from dialogues.owndata import selectors
from dialogues.removal import services as removal
from funding.approval import services as approval
from funding.models import FundingNote
from participants import services as participant_services
from participants.enums import ErasureOutcome, FundingConsent
from participants.models import CutOff, ErasureRequest, Membership, Person
from tests.dialogues.destruction.conftest import convenor_of
from tests.dialogues.owndata.conftest import client_of
from tests.factories import UserFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.crypto import Shredded
from trackii.staff.roles import GROUPS, Role

pytestmark = pytest.mark.django_db
ERASED = "This person&#x27;s record was erased."


def _destroy(dialogue, first, capture) -> None:
    """Destroyed as in production, by two of its convenors: the key's file goes when this commits."""
    second = convenor_of(dialogue)
    dialogue_services.change_dialogue_status(
        dialogue=dialogue, status=DialogueStatus.CONCLUDED, by=first.user
    )
    row = destruction.request_destruction(dialogue=dialogue, reason="Programme ended.", by=first.user)
    with capture(execute=True):
        destruction.confirm_destruction(destruction=row, by=second.user)


def _request(person) -> ErasureRequest:
    return ErasureRequest.objects.create(person=person, requested_at=person.created_at, message="Erase me")


def _raw(table: str, column: str, pk: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (names are ours)
        return bytes(cursor.fetchone()[0])


def _administrator() -> Client:
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=GROUPS[Role.ADMINISTRATOR]))
    client = Client()
    client.force_login(user)
    return client


def test_someone_who_wrote_in_a_destroyed_dialogue_can_still_be_erased(
    world, django_capture_on_commit_callbacks
):
    """Her comment and availability note in A are under A's destroyed key: left as they are (they read as
    nothing already), while what is under live keys is emptied as before."""
    w = world
    comment = ReviewComment.objects.get(author=w.amira)
    note = Invitation.objects.get(person=w.amira, workshop=w.held)  # one ahead goes with her membership
    note.availability_note = "Amira was late because of the checkpoint"
    note.save(update_fields=["availability_note"])
    tokens = (
        _raw("dialogues_reviewcomment", "body", comment.pk),
        _raw("dialogues_invitation", "availability_note", note.pk),
    )
    _destroy(w.a, w.convenor_a, django_capture_on_commit_callbacks)
    row = _request(w.amira)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(w.convenor_b).post(
            reverse("dialogues:erasure_erase", args=[w.b.pk, row.pk]), {"confirmed": "yes"}
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.outcome == ErasureOutcome.ERASED
    assert Person.objects.get(pk=w.amira.pk).name == ""
    assert not Membership.objects.filter(person=w.amira, left_on__isnull=True).exists()
    again = ReviewComment.objects.get(pk=comment.pk)
    assert isinstance(again.body, Shredded) and again.body == ""
    assert _raw("dialogues_reviewcomment", "body", comment.pk) == tokens[0]
    assert _raw("dialogues_invitation", "availability_note", note.pk) == tokens[1]


def test_someone_whose_only_dialogues_are_destroyed_is_answered_by_an_administrator(
    world, django_capture_on_commit_callbacks
):
    w = world
    _destroy(w.a, w.convenor_a, django_capture_on_commit_callbacks)
    assert selectors.has_dialogue(person=w.amira)  # lanternfield's convenor still answers
    _destroy(w.b, w.convenor_b, django_capture_on_commit_callbacks)
    assert not selectors.has_dialogue(person=w.amira)
    page = client_of(w.amira).get(reverse("dialogues:own_data")).content.decode()
    assert "Every dialogue you were in was destroyed, so an administrator" in page
    row = _request(w.amira)
    assert row in selectors.unplaced_requests()
    admin = _administrator()
    assert (
        reverse("dialogues:staff_erasure_answer", args=[row.pk])
        in admin.get(reverse("dialogues:staff_erasure_requests")).content.decode()
    )
    erase = reverse("dialogues:staff_erasure_erase", args=[row.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(erase, {"confirmed": "yes"}).status_code == 302
    row.refresh_from_db()
    assert row.outcome == ErasureOutcome.ERASED
    assert AuditEvent.objects.filter(action=Action.PERSON_ERASED).count() == 1


def _funding_note(world, text="My ministry must not know I came."):
    membership = Membership.objects.get(person=world.amira, dialogue=world.a)
    approval.answer_funding(
        membership=membership, consent=FundingConsent.OBJECTED, note=text, by=world.amira.user
    )
    return membership


def test_the_funding_note_is_in_the_page_and_the_file(world):
    _funding_note(world)
    amira = client_of(world.amira)
    assert "My ministry must not know I came." in amira.get(reverse("dialogues:own_data")).content.decode()
    document = json.loads(amira.get(reverse("dialogues:own_data_export")).content)
    notes = {row["dialogue"]: row["funding_note"] for row in document["memberships"]}
    assert notes == {"tidewater": "My ministry must not know I came.", "lanternfield": ""}


def test_erasure_clears_the_funding_note_unless_its_dialogue_is_destroyed(
    world, django_capture_on_commit_callbacks
):
    w = world
    in_a = _funding_note(w)
    in_b = Membership.objects.get(person=w.amira, dialogue=w.b)
    approval.answer_funding(membership=in_b, consent=FundingConsent.APPROVED, note="Fine by me", by=None)
    _destroy(w.a, w.convenor_a, django_capture_on_commit_callbacks)
    kept = _raw("funding_fundingnote", "text", FundingNote.objects.get(membership=in_a).pk)
    row = _request(w.amira)
    with django_capture_on_commit_callbacks(execute=True):
        client_of(w.convenor_b).post(
            reverse("dialogues:erasure_erase", args=[w.b.pk, row.pk]), {"confirmed": "yes"}
        )
    row.refresh_from_db()
    assert row.outcome == ErasureOutcome.ERASED
    assert FundingNote.objects.get(membership=in_b).text is None
    assert _raw("funding_fundingnote", "text", FundingNote.objects.get(membership=in_a).pk) == kept


def _erase(world, capture):
    row = _request(world.amira)
    with capture(execute=True):
        client_of(world.convenor_b).post(
            reverse("dialogues:erasure_erase", args=[world.b.pk, row.pk]), {"confirmed": "yes"}
        )
    row.refresh_from_db()
    assert row.outcome == ErasureOutcome.ERASED


def test_an_erased_person_cannot_be_added_again_by_pseudonym(world, django_capture_on_commit_callbacks):
    w = world
    pseudonym = Membership.objects.get(person=w.amira, dialogue=w.a).pseudonym
    _erase(w, django_capture_on_commit_callbacks)
    side = w.a.sides.get()
    response = client_of(w.convenor_a).post(
        reverse("dialogues:members", args=[w.a.pk]),
        {"pseudonym": pseudonym, "role": DialogueRole.PARTICIPANT, "side": side.pk},
    )
    assert response.status_code == 400 and ERASED in response.content.decode()
    assert not Membership.objects.filter(person=w.amira, left_on__isnull=True).exists()


def test_an_erased_person_cannot_be_cut_off_or_given_a_name_form(world, django_capture_on_commit_callbacks):
    """The pages no longer list her (she belongs nowhere); the services refuse in words, not with a crash."""
    w = world
    _erase(w, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="record was erased"):
        removal.cut_off_person(person=w.amira, dialogue=w.a, reason="Phone seized", by=w.convenor_a.user)
    with pytest.raises(ValidationError, match="record was erased"):
        participant_services.add_name_form(
            person=w.amira, name="Амира", by=w.convenor_a.user, dialogue_id=w.a.pk
        )
    with pytest.raises(ValidationError, match="record was erased"):
        dialogue_services.assign_role(
            dialogue=w.b, person=w.amira, role=DialogueRole.OBSERVER, by=w.convenor_b.user
        )
    assert not CutOff.objects.filter(person=w.amira).exists()
    assert not Membership.objects.filter(person=w.amira, left_on__isnull=True).exists()


def test_every_text_says_what_earlier_backups_still_hold(world, django_capture_on_commit_callbacks):
    """The login address is under the key ring and what they wrote under dialogue keys: destroying the
    person's key does not shred those in a backup, and no page or e-mail may say it does."""
    w = world
    asking = client_of(w.amira).post(reverse("dialogues:erasure_request"), {"message": ""}).content.decode()
    assert "Backups made before the erasure still hold two things: your login e-mail address" in asking
    row = _request(w.amira)
    erase = reverse("dialogues:erasure_erase", args=[w.b.pk, row.pk])
    page = client_of(w.convenor_b).get(erase).content.decode()
    assert "so earlier backups cannot show them either" not in page
    assert "Earlier backups still hold their login e-mail address" in page
    assert "until those dialogues are destroyed" in page
    with django_capture_on_commit_callbacks(execute=True):
        client_of(w.convenor_b).post(erase, {"confirmed": "yes"})
    goodbye = mail.outbox[-1].body
    # In her language (Arabic): "what earlier backups keep: your login e-mail address … until each dialogue
    # is destroyed".
    assert "بريد تسجيل الدخول الخاص بك" in goodbye and "إلى أن يُتلف كل حوار" in goodbye
