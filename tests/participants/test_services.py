import pytest
from django.core.exceptions import ValidationError

from participants import services
from participants.enums import FundingConsent, MemberRole
from participants.models import Person
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_person_gives_the_next_pseudonym_and_finds_by_email_any_case():
    PersonFactory(pseudonym="P-7")
    person = services.create_person(name="Mira Testowa", email="Mira@Example.org", by=None)
    assert person.pseudonym == "P-8"
    assert Person.objects.get(Person.email_lookup("mira@example.ORG")) == person


def test_create_person_refuses_a_known_email():
    services.create_person(name="A Person", email="same@example.org", by=None)
    with pytest.raises(ValidationError, match="already recorded"):
        services.create_person(name="Another", email="SAME@example.org", by=None)


def test_add_member_checks_the_side_and_updates_on_repeat():
    dialogue = DialogueFactory()
    side_a, side_b = SideFactory(dialogue=dialogue), SideFactory(dialogue=dialogue)
    person = PersonFactory()
    with pytest.raises(ValidationError, match="another dialogue"):
        services.add_member(dialogue=dialogue, person=person, side=SideFactory())
    with pytest.raises(ValidationError, match="choose one"):
        services.add_member(dialogue=dialogue, person=person, side=None)
    membership = services.add_member(dialogue=dialogue, person=person, side=side_a)
    again = services.add_member(dialogue=dialogue, person=person, side=side_b, role=MemberRole.OBSERVER)
    assert again.pk == membership.pk and again.side == side_b and again.role == MemberRole.OBSERVER


def test_funding_consent_needs_an_answer_and_records_when():
    dialogue = DialogueFactory()
    membership = services.add_member(
        dialogue=dialogue, person=PersonFactory(), side=SideFactory(dialogue=dialogue)
    )
    with pytest.raises(ValidationError):
        services.set_funding_consent(membership=membership, consent=FundingConsent.PENDING)
    membership = services.set_funding_consent(membership=membership, consent=FundingConsent.OBJECTED)
    assert membership.funding_consent_at is not None


def test_create_person_is_audited_without_their_name():
    convenor = UserFactory()
    person = services.create_person(name="Mira Testowa", email="mira@example.org", by=convenor)
    event = AuditEvent.objects.get(action=Action.PERSON_RECORDED)
    assert (event.actor, event.target_type, event.target_id) == (
        convenor,
        "participants.person",
        str(person.pk),
    )
    assert "Mira" not in str(event.detail) and "mira@" not in str(event.detail)
