"""State changes of dialogues and their workshops. Keyword-only, one transaction each, safe to repeat:
calling a service for a state the object is already in changes nothing. Refusals raise ValidationError
with a message a facilitator can act on."""

import datetime as dt
import zoneinfo

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dialogues.enums import (
    DialogueRole,
    DialogueStatus,
    InvitationStatus,
    OutcomeKind,
    OutcomeStage,
    SummaryStatus,
    WorkshopFormat,
    WorkshopStatus,
)
from dialogues.models import (
    BreakGlassGrant,
    Dialogue,
    Invitation,
    Outcome,
    Side,
    Summary,
    Workshop,
    WorkshopSeries,
    validate_timezone,
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
from participants.services import add_member, assign_facilitator
from trackii.accounts.models import User
from trackii.audit.enums import Action
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

INVITATION_TRANSITIONS = {
    InvitationStatus.INVITED: {InvitationStatus.ACCEPTED, InvitationStatus.DECLINED},
    InvitationStatus.ACCEPTED: {
        InvitationStatus.DECLINED,
        InvitationStatus.ATTENDED,
        InvitationStatus.ABSENT,
    },
    InvitationStatus.DECLINED: {InvitationStatus.ACCEPTED, InvitationStatus.INVITED, InvitationStatus.ABSENT},
    # Attendance can be corrected either way.
    InvitationStatus.ATTENDED: {InvitationStatus.ABSENT},
    InvitationStatus.ABSENT: {InvitationStatus.ATTENDED},
}
ATTENDANCE = {InvitationStatus.ATTENDED, InvitationStatus.ABSENT}


def _label(choices, value) -> str:
    return choices(value).label


@transaction.atomic
def create_dialogue(
    *,
    title: str,
    codename: str,
    third_party,
    sides: list[str] = (),
    **fields,
) -> Dialogue:
    """Create a dialogue with its sides. Codenames are unique: a clash is a clear error, not a crash."""
    codename = codename.strip().lower()
    if Dialogue.objects.filter(codename=codename).exists():
        raise ValidationError({"codename": f"The codename “{codename}” is already taken. Choose another."})
    names = [name.strip() for name in sides if name.strip()]
    if len({n.casefold() for n in names}) != len(names):
        raise ValidationError({"sides": "Two sides have the same name. Give each side its own name."})
    dialogue = Dialogue(title=title.strip(), codename=codename, third_party=third_party, **fields)
    dialogue.full_clean()
    dialogue.save()
    Side.objects.bulk_create([Side(dialogue=dialogue, name=name) for name in names])
    return dialogue


@transaction.atomic
def add_side(*, dialogue: Dialogue, name: str, description: str = "") -> Side:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A side needs a name."})
    side, _ = Side.objects.get_or_create(dialogue=dialogue, name=name, defaults={"description": description})
    return side


@transaction.atomic
def change_dialogue_status(*, dialogue: Dialogue, status: str) -> Dialogue:
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    if dialogue.status == status:
        return dialogue
    if status not in DIALOGUE_TRANSITIONS[DialogueStatus(dialogue.status)]:
        raise ValidationError(
            f"A dialogue that is {_label(DialogueStatus, dialogue.status).lower()} cannot become "
            f"{_label(DialogueStatus, status).lower()}."
        )
    if status == DialogueStatus.ACTIVE and dialogue.sides.count() < MIN_SIDES_TO_BE_ACTIVE:
        raise ValidationError(
            f"A dialogue needs at least {MIN_SIDES_TO_BE_ACTIVE} sides before it can become active. "
            "Add the sides first."
        )
    dialogue.status = status
    dialogue.save(update_fields=["status"])
    return dialogue


@transaction.atomic
def create_series(*, dialogue: Dialogue, title: str, description: str = "") -> WorkshopSeries:
    position = (dialogue.series.aggregate(m=Max("position"))["m"] or 0) + 1
    series, _ = WorkshopSeries.objects.get_or_create(
        dialogue=dialogue, title=title.strip(), defaults={"description": description, "position": position}
    )
    return series


def _aware(value: dt.datetime, tz_name: str) -> dt.datetime:
    """A time typed in the venue's time zone becomes an aware datetime; aware values pass through."""
    if timezone.is_aware(value):
        return value
    return value.replace(tzinfo=zoneinfo.ZoneInfo(tz_name))


@transaction.atomic
def schedule_workshop(
    *,
    series: WorkshopSeries,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    venue: str | None = None,
    format: str = WorkshopFormat.IN_PERSON,
    title: str = "",
    status: str = WorkshopStatus.SCHEDULED,
) -> Workshop:
    """Add the next workshop to a series. Naive times are read in the venue's time zone."""
    try:
        validate_timezone(timezone_name)
    except ValidationError as error:
        raise ValidationError({"timezone": error.messages}) from None
    starts_at, ends_at = _aware(starts_at, timezone_name), _aware(ends_at, timezone_name)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The workshop must end after it starts."})
    # Lock the series so two facilitators scheduling at once do not both take the same number.
    WorkshopSeries.objects.select_for_update().get(pk=series.pk)
    number = (series.workshops.aggregate(m=Max("number"))["m"] or 0) + 1
    return Workshop.objects.create(
        series=series,
        number=number,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone_name,
        venue=venue,
        format=format,
        status=status,
    )


@transaction.atomic
def invite(*, workshop: Workshop, person) -> Invitation:
    """Invite a person; inviting them again leaves the existing invitation as it is."""
    if workshop.status == WorkshopStatus.CANCELLED:
        raise ValidationError("This workshop is cancelled; nobody can be invited to it.")
    if not person.memberships.filter(dialogue_id=workshop.series.dialogue_id).exists():
        raise ValidationError("Only members of this dialogue can be invited to its workshops.")
    invitation, _ = Invitation.objects.get_or_create(workshop=workshop, person=person)
    if person.user_id:
        grant("dialogues.view_workshop", person.user, workshop)
    return invitation


@transaction.atomic
def set_invitation_status(
    *, invitation: Invitation, status: str, now: dt.datetime | None = None
) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("workshop").get(pk=invitation.pk)
    if invitation.status == status:
        return invitation
    if status not in INVITATION_TRANSITIONS[InvitationStatus(invitation.status)]:
        raise ValidationError(
            f"An invitation that is {_label(InvitationStatus, invitation.status).lower()} cannot become "
            f"{_label(InvitationStatus, status).lower()}."
        )
    now = now or timezone.now()
    if status in ATTENDANCE and invitation.workshop.starts_at > now:
        raise ValidationError("Attendance can be recorded once the workshop has started.")
    if status not in ATTENDANCE and invitation.workshop.ends_at < now:
        raise ValidationError(
            "This workshop is over; replies can no longer change. Record attendance instead."
        )
    invitation.status = status
    if status in {InvitationStatus.ACCEPTED, InvitationStatus.DECLINED}:
        invitation.responded_at = now
    invitation.save(update_fields=["status", "responded_at"])
    return invitation


def _attendee_accounts(workshop: Workshop):
    return User.objects.filter(
        person__invitations__workshop=workshop, person__invitations__status=InvitationStatus.ATTENDED
    )


@transaction.atomic
def open_review(*, summary: Summary, deadline: dt.datetime, now: dt.datetime | None = None) -> Summary:
    """Open the participants' review round of a draft, until the deadline."""
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if summary.status == SummaryStatus.IN_REVIEW:
        return summary
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError("Only a draft can be sent for review.")
    if not summary.body.strip():
        raise ValidationError("The draft is empty. Write the summary before opening the review.")
    if deadline <= (now or timezone.now()):
        raise ValidationError({"review_deadline": "The review deadline must be in the future."})
    summary.status = SummaryStatus.IN_REVIEW
    summary.review_deadline = deadline
    summary.save(update_fields=["status", "review_deadline"])
    # Only the people who were in the room review the draft.
    for user in _attendee_accounts(summary.workshop):
        grant("dialogues.review_summary", user, summary)
    return summary


@transaction.atomic
def close_review(*, summary: Summary) -> Summary:
    """End the review round: the draft goes back to its authors to take in the corrections."""
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if summary.status == SummaryStatus.DRAFT:
        return summary
    if summary.status != SummaryStatus.IN_REVIEW:
        raise ValidationError("This summary is not in review.")
    summary.status = SummaryStatus.DRAFT
    summary.save(update_fields=["status"])
    for user in _attendee_accounts(summary.workshop):
        revoke("dialogues.review_summary", user, summary)
    return summary


@transaction.atomic
def freeze_audience(*, summary: Summary) -> int:
    """Grant the sealed summary to the people who attended its workshop, now: someone who joins the dialogue
    later never gains it (the facilitation team reads it through the dialogue's own grant). Returns how many
    accounts received it."""
    accounts = list(_attendee_accounts(summary.workshop))
    for user in accounts:
        grant("dialogues.view_summary", user, summary)
    return len(accounts)


@transaction.atomic
def record_outcome(
    *,
    dialogue: Dialogue,
    kind: str,
    title: str,
    stage: str = OutcomeStage.IDEA,
    by=None,
    **fields,
) -> Outcome:
    if kind == OutcomeKind.TRANSFER and not fields.get("transfer_to", "").strip():
        raise ValidationError({"transfer_to": "A transfer must say to whom in official diplomacy it went."})
    workshop = fields.get("workshop")
    if workshop is not None and workshop.series.dialogue_id != dialogue.pk:
        raise ValidationError({"workshop": "That workshop belongs to another dialogue."})
    outcome = Outcome(dialogue=dialogue, kind=kind, title=title, stage=stage, recorded_by=by, **fields)
    outcome.full_clean()
    outcome.save()
    return outcome


# --- Roles and grants -------------------------------------------------------------------------------------


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


def person_roles(*, dialogue: Dialogue, person: Person) -> set[str]:
    roles = {
        DialogueRole(r)
        for r in person.facilitator_roles.filter(dialogue=dialogue).values_list("role", flat=True)
    }
    roles |= {
        DialogueRole(r)
        for r in person.memberships.filter(dialogue=dialogue, left_on__isnull=True).values_list(
            "role", flat=True
        )
        if r in MEMBER_ROLES
    }
    if person.user_id:
        names = {role_group_name(dialogue.pk, r): r for r in (DialogueRole.FUNDER, DialogueRole.AUDITOR)}
        roles |= {names[n] for n in person.user.groups.filter(name__in=names).values_list("name", flat=True)}
    return roles


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
    for invitation in person.invitations.select_related("workshop"):
        grant("dialogues.view_workshop", user, invitation.workshop)
    for summary in Summary.objects.filter(
        status=SummaryStatus.IN_REVIEW,
        workshop__invitations__person=person,
        workshop__invitations__status=InvitationStatus.ATTENDED,
    ):
        grant("dialogues.review_summary", user, summary)


@transaction.atomic
def assign_role(
    *, dialogue: Dialogue, person: Person, role: str, by, side: Side | None = None, request=None
) -> None:
    """Give a person a role in a dialogue: the record (membership or facilitator role), the role group's
    grants for their account, and the audit row, together or not at all. Safe to repeat."""
    role = DialogueRole(role)
    action = Action.ROLE_GRANTED
    if role in MEMBER_ROLES:
        before = Membership.objects.filter(dialogue=dialogue, person=person, left_on__isnull=True).first()
        if before is not None and before.role != role:
            action = Action.ROLE_CHANGED
        membership = add_member(dialogue=dialogue, person=person, side=side, role=MemberRole(role))
        if membership.left_on is not None:
            membership.left_on = None
            membership.save(update_fields=["left_on"])
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
        request=request,
        detail={"role": str(role), "person": person.pseudonym},
    )


@transaction.atomic
def revoke_role(*, dialogue: Dialogue, person: Person, role: str, by, request=None) -> None:
    """Take a role away. Access ends with the very next request: every check reads the grant tables."""
    role = DialogueRole(role)
    if role in MEMBER_ROLES:
        Membership.objects.filter(dialogue=dialogue, person=person, left_on__isnull=True).update(
            left_on=timezone.localdate()
        )
        # Invitations to workshops still ahead are withdrawn with the membership.
        if person.user_id:
            for workshop in Workshop.objects.filter(
                series__dialogue=dialogue, invitations__person=person, starts_at__gt=timezone.now()
            ):
                revoke("dialogues.view_workshop", person.user, workshop)
    elif role in FACILITATION_ROLES:
        person.facilitator_roles.filter(dialogue=dialogue, role=_facilitation_role(role)).delete()
    if person.user_id:
        person.user.groups.remove(*Group.objects.filter(name=role_group_name(dialogue.pk, role)))
    record_event(
        actor=by,
        action=Action.ROLE_REVOKED,
        target=dialogue,
        request=request,
        detail={"role": str(role), "person": person.pseudonym},
    )


@transaction.atomic
def grant_break_glass(
    *, user, dialogue: Dialogue, reason: str, minutes: int, request=None
) -> BreakGlassGrant:
    """An administrator's emergency read access to one dialogue, ending by itself after `minutes`."""
    reason = reason.strip()
    if not user.is_superuser:
        raise ValidationError("Only an administrator can take a break-glass grant.")
    if len(reason) < 20:
        raise ValidationError(
            {"reason": "Explain the emergency in a sentence or two (at least 20 characters)."}
        )
    if not 1 <= minutes <= BREAK_GLASS_MAX_MINUTES:
        raise ValidationError({"minutes": f"Choose between 1 and {BREAK_GLASS_MAX_MINUTES} minutes."})
    now = timezone.now()
    grant_row = BreakGlassGrant.objects.create(
        user=user,
        dialogue=dialogue,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
    )
    for codename in sorted(BREAK_GLASS_PERMISSIONS):
        grant(f"dialogues.{codename}", user, dialogue)
    record_event(
        actor=user,
        action=Action.BREAK_GLASS_GRANTED,
        target=grant_row,
        request=request,
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
