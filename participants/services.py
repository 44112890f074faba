"""State changes of people and memberships. Keyword-only, atomic, safe to repeat.

Recording a person is audited here (`person_recorded`). The other functions are steps of an action one
floor up, which audits them as a whole: `add_member` and `assign_facilitator` inside
`dialogues.services.assign_role` (`role_granted`, `role_changed`), `mark_ground_rules_accepted` inside the
reader's acceptance in dialogues and an invitation's acceptance in accounts (`ground_rules_accepted`),
`set_funding_consent` inside `funding.approval.services.answer_funding` (`funding_answered`).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from participants.enums import FacilitatorRole, FundingConsent, MemberRole
from participants.models import Facilitator, Membership, Person
from participants.selectors import next_pseudonym
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event


@transaction.atomic
def create_person(
    *, name: str, email: str | None = None, pseudonym: str | None = None, by: User | None, **fields
) -> Person:
    """Record a person (audited, without their name). An e-mail already on file is refused, since it would be
    the same person twice. `by` None: the system (the demo programme)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": gettext("A person needs a name (it is stored encrypted).")})
    if email:
        email = email.strip()
        if Person.objects.filter(Person.email_lookup(email)).exists():
            raise ValidationError(
                {"email": gettext("Somebody with this e-mail address is already recorded.")}
            )
    person = Person(name=name, email=email or None, pseudonym=pseudonym or next_pseudonym(), **fields)
    person.full_clean(exclude=["email_index"])
    person.save()
    record_event(actor=by, action=Action.PERSON_RECORDED, target=person)
    return person


@transaction.atomic
def add_member(
    *,
    dialogue,
    person: Person,
    side=None,
    role: str = MemberRole.PARTICIPANT,
    joined_on: dt.date | None = None,
) -> Membership:
    """Add a person to a dialogue, or update their side and role if they are already a member."""
    if side is not None and side.dialogue_id != dialogue.pk:
        raise ValidationError({"side": gettext("That side belongs to another dialogue.")})
    if role == MemberRole.PARTICIPANT and side is None:
        raise ValidationError({"side": gettext("A participant speaks for a side: choose one.")})
    membership, created = Membership.objects.get_or_create(
        person=person,
        dialogue=dialogue,
        defaults={"side": side, "role": role, "joined_on": joined_on or timezone.localdate()},
    )
    if not created and (membership.side_id, membership.role) != (getattr(side, "pk", None), role):
        membership.side, membership.role = side, role
        membership.save(update_fields=["side", "role"])
    return membership


@transaction.atomic
def mark_ground_rules_accepted(*, membership: Membership) -> Membership:
    if membership.ground_rules_accepted_at is None:
        membership.ground_rules_accepted_at = timezone.now()
        membership.save(update_fields=["ground_rules_accepted_at"])
    return membership


@transaction.atomic
def set_funding_consent(*, membership: Membership, consent: str) -> Membership:
    if consent == FundingConsent.PENDING:
        raise ValidationError(gettext("Choose whether you approve of or object to the funding arrangements."))
    if membership.funding_consent != consent:
        membership.funding_consent = consent
        membership.funding_consent_at = timezone.now()
        membership.save(update_fields=["funding_consent", "funding_consent_at"])
    return membership


@transaction.atomic
def assign_facilitator(*, dialogue, person: Person, role: str = FacilitatorRole.FACILITATOR) -> Facilitator:
    facilitator, _ = Facilitator.objects.get_or_create(dialogue=dialogue, person=person, role=role)
    return facilitator
