"""State changes of people and memberships. Keyword-only, atomic, safe to repeat.

Recording a person is audited here (`person_recorded`), and so are the other forms of their name
(`person_name_added`, `person_name_removed`: ids only, never the name). The other functions are steps
of an action one floor up, which audits them as a whole: `add_member` and `assign_facilitator` inside
`dialogues.services.assign_role` (`role_granted`, `role_changed`), `mark_ground_rules_accepted` inside the
reader's acceptance in dialogues and an invitation's acceptance in accounts (`ground_rules_accepted`),
`set_funding_consent` inside `funding.approval.services.answer_funding` (`funding_answered`).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.enums import FacilitatorRole, FundingConsent, MemberRole
from participants.models import Facilitator, Membership, Person, PersonName
from participants.selectors import free_dialogue_pseudonym, next_pseudonym, same_name
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.models import DataKey
from trackii.scripts import clean_name, dominant_script, name_key


def check_not_erased(*, person: Person) -> None:
    """Refuse to write about an erased person (decision 0028): their data key is destroyed, so nothing can be
    encrypted under it any more, and a role, a cut-off or a form of their name would bring back what the
    erasure ended. Someone returning is recorded anew."""
    if (
        person.data_key_id is not None
        and DataKey.objects.filter(pk=person.data_key_id, destroyed_at__isnull=False).exists()
    ):
        raise ValidationError(_("This person's record was erased."))


@transaction.atomic
def create_person(
    *, name: str, email: str | None = None, pseudonym: str | None = None, by: User | None, **fields
) -> Person:
    """Record a person (audited, without their name). An e-mail already on file is refused, since it would be
    the same person twice. `by` None: the system (the demo programme)."""
    try:
        name = clean_name(name or "")
    except ValidationError as error:
        raise ValidationError({"name": error.error_list}) from error
    # A "name" that reads as nothing (combining marks alone) is no name: the guard could never find it.
    if not name_key(name):
        raise ValidationError({"name": _("A person needs a name (it is stored encrypted).")})
    if email:
        email = email.strip()
        if Person.objects.filter(Person.email_lookup(email)).exists():
            raise ValidationError({"email": _("Somebody with this e-mail address is already recorded.")})
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
    """Add a person to a dialogue, or update their side and role if they are already a member (someone who
    left and comes back keeps their row, so their pseudonym there). A new member gets a random pseudonym
    nobody in the dialogue holds (decision 0026); the rare clash with one drawn at the same moment by
    another request is drawn again."""
    if side is not None and side.dialogue_id != dialogue.pk:
        raise ValidationError({"side": _("That side belongs to another dialogue.")})
    if role == MemberRole.PARTICIPANT and side is None:
        raise ValidationError({"side": _("A participant speaks for a side: choose one.")})
    defaults = {"side": side, "role": role, "joined_on": joined_on or timezone.localdate()}
    for attempt in range(5):
        try:
            with transaction.atomic():
                membership, created = Membership.objects.get_or_create(
                    person=person,
                    dialogue=dialogue,
                    defaults={**defaults, "pseudonym": free_dialogue_pseudonym(dialogue_id=dialogue.pk)},
                )
            break
        except IntegrityError:
            if attempt == 4:
                raise
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
        raise ValidationError(_("Choose whether you approve of or object to the funding arrangements."))
    if membership.funding_consent != consent:
        membership.funding_consent = consent
        membership.funding_consent_at = timezone.now()
        membership.save(update_fields=["funding_consent", "funding_consent_at"])
    return membership


@transaction.atomic
def assign_facilitator(*, dialogue, person: Person, role: str = FacilitatorRole.FACILITATOR) -> Facilitator:
    facilitator, _ = Facilitator.objects.get_or_create(dialogue=dialogue, person=person, role=role)
    return facilitator


@transaction.atomic
def add_name_form(*, person: Person, name: str, by: User | None, dialogue_id: int) -> PersonName:
    """Record the person's name in another script or transliteration, as a convenor of the dialogue
    `dialogue_id` (whose names page alone lists and removes it). A form that reads the same as the main name
    or one this dialogue already holds, once case, width, diacritics and invisible characters are set aside,
    is refused: the guard would gain nothing from it. `by` None: the system (the demo programme)."""
    try:
        name = clean_name(name)
    except ValidationError as error:
        raise ValidationError({"name": error.error_list}) from error
    if not name_key(name):
        raise ValidationError({"name": _("Type the name as it is written in the other script.")})
    check_not_erased(person=person)
    if same_name(person=person, name=name, dialogue_id=dialogue_id):
        raise ValidationError({"name": _("This person already has this form of their name on file.")})
    form = PersonName.objects.create(
        person=person, name=name, script=dominant_script(name), recorded_in_id=dialogue_id
    )
    record_event(
        actor=by,
        action=Action.PERSON_NAME_ADDED,
        target=person,
        dialogue_id=dialogue_id,
        detail={"name_form": form.pk, "script": form.script},
    )
    return form


@transaction.atomic
def remove_name_form(*, name_form: PersonName, by: User) -> None:
    """Remove another form of a person's name (the view lets a convenor remove only what their dialogue
    recorded; the audit row names that dialogue). Removing one already gone changes nothing."""
    person, pk = name_form.person, name_form.pk
    deleted, _rows = PersonName.objects.filter(pk=pk).delete()
    if deleted:
        record_event(
            actor=by,
            action=Action.PERSON_NAME_REMOVED,
            target=person,
            dialogue_id=name_form.recorded_in_id,
            detail={"name_form": pk},
        )
