"""State changes of a dialogue itself: opening and editing it, its sides and status, the roles people hold
in it with their grants, break-glass (its outcomes are in dialogues/outcomes/). Keyword-only, one transaction
each, safe to repeat: calling a service for a state the object is already in changes nothing. Refusals raise
ValidationError with a message a facilitator can act on."""

import datetime as dt

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues import selectors
from dialogues.enums import (
    DialogueRole,
    DialogueStatus,
    InvitationStatus,
    SummaryStatus,
)
from dialogues.models import (
    BreakGlassGrant,
    Dialogue,
    Invitation,
    Notification,
    Side,
    Summary,
    Workshop,
)
from dialogues.permissions import (
    BREAK_GLASS_PERMISSIONS,
    FACILITATION_ROLES,
    MEMBER_ROLES,
    ROLE_PERMISSIONS,
    role_group_name,
)
from participants.enums import FacilitatorRole, MemberRole
from participants.models import Membership, Person
from participants.services import add_member, assign_facilitator, check_not_erased, create_person
from trackii.accounts.models import AccountInvitation, User
from trackii.accounts.services import revoke_invitation
from trackii.audit.enums import Action
from trackii.audit.enums import Outcome as AuditOutcome
from trackii.audit.services import record_event
from trackii.permissions import grant, revoke

MIN_SIDES_TO_BE_ACTIVE = 2
BREAK_GLASS_MAX_MINUTES = 4 * 60

DIALOGUE_TRANSITIONS = {
    DialogueStatus.SCOPING: {DialogueStatus.CONVENING, DialogueStatus.CONCLUDED},
    DialogueStatus.CONVENING: {DialogueStatus.SCOPING, DialogueStatus.ACTIVE, DialogueStatus.CONCLUDED},
    DialogueStatus.ACTIVE: {DialogueStatus.DORMANT, DialogueStatus.CONCLUDED},
    DialogueStatus.DORMANT: {DialogueStatus.ACTIVE, DialogueStatus.CONCLUDED},
    DialogueStatus.CONCLUDED: set(),
}


def side_names(*, lines: list[str], at_least: int = 0) -> list[str]:
    """The rule for a dialogue's sides, one name a line: blank lines dropped, no name twice, at least
    `at_least` of them. The new-dialogue form asks it too, so its mistakes show with the form's others."""
    names = [name.strip() for name in lines if name.strip()]
    if len(names) < at_least:
        raise ValidationError(_("Name at least two sides, one per line."))
    if len({n.casefold() for n in names}) != len(names):
        raise ValidationError(_("Two sides have the same name. Give each side its own name."))
    return names


@transaction.atomic
def create_dialogue(
    *,
    title: str,
    codename: str,
    third_party,
    by: User,
    sides: list[str] = (),
    **fields,
) -> Dialogue:
    """Create a dialogue with its sides. Codenames are unique: a clash is a clear error, not a crash."""
    codename = codename.strip().lower()
    if Dialogue.objects.filter(codename=codename).exists():
        raise ValidationError(
            {
                "codename": _("The codename “%(codename)s” is already taken. Choose another.")
                % {"codename": codename}
            }
        )
    try:
        names = side_names(lines=sides)
    except ValidationError as error:
        raise ValidationError({"sides": error.messages}) from None
    dialogue = Dialogue(title=title.strip(), codename=codename, third_party=third_party, **fields)
    dialogue.full_clean()
    dialogue.save()
    Side.objects.bulk_create([Side(dialogue=dialogue, name=name) for name in names])
    record_event(actor=by, action=Action.DIALOGUE_CREATED, target=dialogue, detail={"sides": len(names)})
    return dialogue


@transaction.atomic
def add_side(*, dialogue: Dialogue, name: str, by: User, description: str = "") -> Side:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A side needs a name.")})
    side, created = Side.objects.get_or_create(
        dialogue=dialogue, name=name, defaults={"description": description}
    )
    if created:
        record_event(actor=by, action=Action.SIDE_ADDED, target=side)
    return side


@transaction.atomic
def change_dialogue_status(*, dialogue: Dialogue, status: str, by: User) -> Dialogue:
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    if dialogue.status == status:
        return dialogue
    if status not in DIALOGUE_TRANSITIONS[DialogueStatus(dialogue.status)]:
        raise ValidationError(
            _("A dialogue that is %(current)s cannot become %(wanted)s.")
            % {
                "current": DialogueStatus(dialogue.status).label.lower(),
                "wanted": DialogueStatus(status).label.lower(),
            }
        )
    if status == DialogueStatus.ACTIVE and dialogue.sides.count() < MIN_SIDES_TO_BE_ACTIVE:
        raise ValidationError(
            _("A dialogue needs at least %(count)d sides before it can become active. Add the sides first.")
            % {"count": MIN_SIDES_TO_BE_ACTIVE}
        )
    previous = dialogue.status
    dialogue.status = status
    if status == DialogueStatus.CONCLUDED:
        dialogue.concluded_at = timezone.now()
    dialogue.save(update_fields=["status", "concluded_at"])
    record_event(
        actor=by,
        action=Action.DIALOGUE_STATUS_CHANGED,
        target=dialogue,
        detail={"from": previous, "to": str(status)},
    )
    return dialogue


def _role_group(dialogue: Dialogue, role: str) -> Group:
    """The dialogue's group for a role, holding that role's bundle of dialogue-wide permissions."""
    group, created = Group.objects.get_or_create(name=role_group_name(dialogue.pk, role))
    if created:
        for codename in sorted(ROLE_PERMISSIONS[role]):
            grant(f"dialogues.{codename}", group, dialogue)
    return group


def _facilitation_role(role: str) -> str:
    return {
        DialogueRole.CONVENOR: FacilitatorRole.CONVENOR,
        DialogueRole.FACILITATOR: FacilitatorRole.FACILITATOR,
        DialogueRole.RAPPORTEUR: FacilitatorRole.RAPPORTEUR,
    }[role]


@transaction.atomic
def sync_person_grants(*, person: Person) -> None:
    """Bring the grants of a person's account in line with their roles and invitations (for a person who
    gets an account after being added, invited or asked to review). Safe to repeat."""
    if not person.user_id:
        return
    user = person.user
    for membership in person.memberships.filter(left_on__isnull=True).select_related("dialogue"):
        if membership.role in MEMBER_ROLES:
            user.groups.add(_role_group(membership.dialogue, DialogueRole(membership.role)))
    for facilitator in person.facilitator_roles.select_related("dialogue"):
        user.groups.add(_role_group(facilitator.dialogue, DialogueRole(facilitator.role)))
    # Only invitations to dialogues the person still belongs to: leaving a dialogue ends its workshops too.
    current = Membership.objects.filter(person=person, left_on__isnull=True).values("dialogue_id")
    for invitation in person.invitations.filter(workshop__series__dialogue__in=current).select_related(
        "workshop"
    ):
        grant("dialogues.view_workshop", user, invitation.workshop)
    for summary in Summary.objects.filter(
        status=SummaryStatus.IN_REVIEW,
        workshop__series__dialogue__in=current,
        workshop__invitations__person=person,
        workshop__invitations__status=InvitationStatus.ATTENDED,
    ):
        grant("dialogues.review_summary", user, summary)
    # A sealed summary's frozen audience is people, so someone who had no login when it was sealed gets it
    # with their login.
    for summary in Summary.objects.filter(copies__holder=person, copies__audience=True):
        grant("dialogues.view_summary", user, summary)


@transaction.atomic
def assign_role(*, dialogue: Dialogue, person: Person, role: str, by: User, side: Side | None = None) -> None:
    """Give a person a role in a dialogue: the record (membership or facilitator role), the role group's
    grants for their account, and the audit row, together or not at all. Safe to repeat. An erased person is
    refused: someone returning is recorded anew."""
    role = DialogueRole(role)
    check_not_erased(person=person)
    action = Action.ROLE_GRANTED
    if role in MEMBER_ROLES:
        before = Membership.objects.filter(dialogue=dialogue, person=person, left_on__isnull=True).first()
        if before is not None and before.role != role:
            action = Action.ROLE_CHANGED
        membership = add_member(dialogue=dialogue, person=person, side=side, role=MemberRole(role))
        if membership.left_on is not None:
            membership.left_on, membership.keeps_sealed_summaries = None, False
            membership.save(update_fields=["left_on", "keeps_sealed_summaries"])
        # One member role at a time: a participant who becomes an observer leaves the participant group.
        if person.user_id:
            person.user.groups.remove(
                *Group.objects.filter(
                    name__in=[role_group_name(dialogue.pk, r) for r in MEMBER_ROLES - {role}]
                )
            )
    elif role in FACILITATION_ROLES:
        assign_facilitator(dialogue=dialogue, person=person, role=_facilitation_role(role))
    if person.user_id:
        person.user.groups.add(_role_group(dialogue, role))
    record_event(
        actor=by,
        action=action,
        target=dialogue,
        detail={"role": str(role), "person": person.pseudonym},
    )


@transaction.atomic
def add_person_with_role(
    *,
    dialogue: Dialogue,
    role: str,
    by: User,
    person: Person | None = None,
    name: str = "",
    email: str = "",
    side: Side | None = None,
) -> Person:
    """Add someone on file (`person`), or a new person (`name`, `email`), to the dialogue with a role: the
    person, the role and its audit row are created together or not at all."""
    if person is None:
        person = create_person(name=name, email=email or None, by=by)
    assign_role(dialogue=dialogue, person=person, role=role, side=side, by=by)
    return person


def record_refused_person(*, target, attempted: str, by: User) -> None:
    """Audit a refusal to add someone on file by e-mail whom the user may not see. The page names nobody, so
    probing for who is on file shows up here instead."""
    record_event(
        actor=by,
        action=Action.DENIED,
        outcome=AuditOutcome.DENIED,
        target=target,
        detail={"attempted": attempted},
    )


def search_people(*, dialogue: Dialogue, query: str, by: User) -> tuple[list[Person], bool]:
    """A convenor's search of the people on file they may see, from the roster of `dialogue`
    (`selectors.search_people`), audited like the roster's read: who searched from where, and whom the page
    showed (pseudonyms; never what was typed, which may be a name). A read and one audit statement, as the
    auditors' looks: no transaction of its own, so the request's reading of what the user holds serves."""
    found, more = selectors.search_people(user=by, query=query)
    record_event(
        actor=by,
        action=Action.PEOPLE_SEARCHED,
        target=dialogue,
        detail={"shown": [person.pseudonym for person in found], "more": more},
    )
    return found, more


@transaction.atomic
def revoke_role(
    *, dialogue: Dialogue, person: Person, role: str, by: User, keep_sealed_summaries: bool = False
) -> None:
    """Take a role away. Access ends with the very next request: every check reads the grant tables. A member
    may be left, if the convenor chooses (`keep_sealed_summaries`), the sealed summaries of the workshops
    they attended, and nothing else (dialogues.permissions.DialogueAccess)."""
    role = DialogueRole(role)
    if role in MEMBER_ROLES:
        Membership.objects.filter(dialogue=dialogue, person=person, left_on__isnull=True).update(
            left_on=timezone.localdate(), keeps_sealed_summaries=keep_sealed_summaries
        )
        # Invitations to workshops still ahead go with the membership: no grant, no e-mail about changes, and
        # nothing for sync_person_grants to restore if the person gets a login later.
        ahead = Invitation.objects.filter(
            person=person, workshop__series__dialogue=dialogue, workshop__starts_at__gt=timezone.now()
        )
        if person.user_id:
            for workshop in Workshop.objects.filter(invitations__in=ahead):
                revoke("dialogues.view_workshop", person.user, workshop)
        ahead.delete()
    elif role in FACILITATION_ROLES:
        person.facilitator_roles.filter(dialogue=dialogue, role=_facilitation_role(role)).delete()
    if person.user_id:
        person.user.groups.remove(*Group.objects.filter(name=role_group_name(dialogue.pk, role)))
    detail = {"role": str(role), "person": person.pseudonym}
    if role in MEMBER_ROLES:
        detail["kept_sealed_summaries"] = keep_sealed_summaries
    still_in = (
        person.memberships.filter(dialogue=dialogue, left_on__isnull=True).exists()
        or person.facilitator_roles.filter(dialogue=dialogue).exists()
    )
    if not still_in:
        # E-mails not yet sent about this dialogue's workshops go too (delivery checks again at sending).
        dropped, _rows = Notification.objects.filter(
            person=person, workshop__series__dialogue=dialogue, sent_at__isnull=True
        ).delete()
        detail["notifications_dropped"] = dropped
        # So does a link to set up a login that this dialogue sent and nobody has used yet.
        for invitation in AccountInvitation.objects.filter(
            person=person, dialogue=dialogue, used_at__isnull=True, revoked_at__isnull=True
        ):
            revoke_invitation(invitation=invitation, by=by)
    record_event(actor=by, action=Action.ROLE_REVOKED, target=dialogue, detail=detail)


@transaction.atomic
def grant_break_glass(*, by: User, dialogue: Dialogue, reason: str, minutes: int) -> BreakGlassGrant:
    """An administrator's emergency read access to one dialogue, ending by itself after `minutes`."""
    reason = reason.strip()
    if not by.is_superuser:
        raise ValidationError(_("Only an administrator can take a break-glass grant."))
    if len(reason) < 20:
        raise ValidationError(
            {"reason": _("Explain the emergency in a sentence or two (at least 20 characters).")}
        )
    if not 1 <= minutes <= BREAK_GLASS_MAX_MINUTES:
        raise ValidationError(
            {"minutes": _("Choose between 1 and %(max)d minutes.") % {"max": BREAK_GLASS_MAX_MINUTES}}
        )
    now = timezone.now()
    grant_row = BreakGlassGrant.objects.create(
        user=by,
        dialogue=dialogue,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
    )
    for codename in sorted(BREAK_GLASS_PERMISSIONS):
        grant(f"dialogues.{codename}", by, dialogue)
    record_event(
        actor=by,
        action=Action.BREAK_GLASS_GRANTED,
        target=grant_row,
        detail={"minutes": minutes, "break_glass": True},
    )
    return grant_row


@transaction.atomic
def end_expired_break_glass(*, now: dt.datetime | None = None) -> int:
    """Remove the grants of break-glass access that has run out (Celery beat). Access already ended at the
    expiry time itself, since every check compares it with the clock; this tidies the grant rows."""
    now = now or timezone.now()
    ended = 0
    for row in BreakGlassGrant.objects.select_for_update().filter(ended_at__isnull=True, expires_at__lte=now):
        still_running = BreakGlassGrant.objects.filter(
            user=row.user_id, dialogue=row.dialogue_id, ended_at__isnull=True, expires_at__gt=now
        ).exists()
        if not still_running:
            for codename in sorted(BREAK_GLASS_PERMISSIONS):
                revoke(f"dialogues.{codename}", row.user, row.dialogue)
        row.ended_at = now
        row.save(update_fields=["ended_at"])
        record_event(actor=None, action=Action.BREAK_GLASS_EXPIRED, target=row, detail={"break_glass": True})
        ended += 1
    return ended


@transaction.atomic
def open_dialogue(
    *, by: User, third_party, title: str, codename: str, sides: list[str], **fields
) -> Dialogue:
    """Create a dialogue for a Third Party and make its creator the convenor (docs/decisions/0004). The
    creator must be a person on file (a convenor's account always is)."""
    person = Person.objects.filter(user=by).first() if by is not None else None
    if person is None:
        raise ValidationError(_("Only a person on file can convene a dialogue."))
    try:
        names = side_names(lines=sides, at_least=MIN_SIDES_TO_BE_ACTIVE)
    except ValidationError as error:
        raise ValidationError({"sides": error.messages}) from None
    dialogue = create_dialogue(
        title=title, codename=codename, third_party=third_party, sides=names, by=by, **fields
    )
    assign_role(dialogue=dialogue, person=person, role=DialogueRole.CONVENOR, by=by)
    return dialogue


DIALOGUE_EDITABLE = ("title", "codename", "track", "objective", "sensitivity", "conflict", "ground_rules")


@transaction.atomic
def update_dialogue(*, dialogue: Dialogue, by: User, **fields) -> Dialogue:
    """Change the dialogue's own fields; the audit row names the fields that changed, never their values."""
    unknown = set(fields) - set(DIALOGUE_EDITABLE)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    if "codename" in fields:
        fields["codename"] = fields["codename"].strip().lower()
        if Dialogue.objects.filter(codename=fields["codename"]).exclude(pk=dialogue.pk).exists():
            raise ValidationError(
                {
                    "codename": _("The codename “%(codename)s” is already taken. Choose another.")
                    % {"codename": fields["codename"]}
                }
            )
    # Compared with the stored row, not the instance passed in: the edit page's ModelForm has already put the
    # typed values on that one, so nothing looked changed and nothing was saved (found by issue 19's walk).
    stored = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    for name in changed:
        setattr(stored, name, fields[name])
        setattr(dialogue, name, fields[name])
    stored.full_clean()
    if changed:
        stored.save(update_fields=changed)
        record_event(actor=by, action=Action.DIALOGUE_CHANGED, target=stored, detail={"fields": changed})
    return stored
