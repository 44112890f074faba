import pytest
from django.db import connection

from funding.approval import services as approval_services
from funding.models import FundingNote
from participants.enums import FundingConsent
from participants.models import Membership
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _events(action: str):
    return AuditEvent.objects.filter(action=action).order_by("id")


def test_a_participant_objects_with_a_note_stored_encrypted(place):
    membership = Membership.objects.get(person=place.participants[0], dialogue=place.dialogue)
    approval_services.answer_funding(
        membership=membership,
        consent=FundingConsent.OBJECTED,
        note="A ministry from one side pays for this.",
        by=place.participants[0].user,
    )
    membership.refresh_from_db()
    assert membership.funding_consent == FundingConsent.OBJECTED and membership.funding_consent_at
    assert FundingNote.objects.get(membership=membership).text == "A ministry from one side pays for this."
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM funding_fundingnote")
        stored = bytes(cursor.fetchone()[0])
    assert b"ministry" not in stored
    event = _events("funding_answered").get()
    assert event.detail == {"consent": "objected", "with_note": True}
    assert event.dialogue_id == place.dialogue.pk


def test_answering_again_the_same_way_changes_nothing_and_a_new_answer_replaces_the_note(place):
    membership = Membership.objects.get(person=place.participants[0], dialogue=place.dialogue)
    for _ in range(2):
        approval_services.answer_funding(
            membership=membership, consent=FundingConsent.OBJECTED, note="Why", by=None
        )
    approval_services.answer_funding(membership=membership, consent=FundingConsent.APPROVED, note="", by=None)
    membership.refresh_from_db()
    assert membership.funding_consent == FundingConsent.APPROVED
    assert FundingNote.objects.get(membership=membership).text is None
    assert _events("funding_answered").count() == 2
