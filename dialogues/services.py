"""State changes of dialogues and their workshops. Keyword-only, one transaction each, safe to repeat:
calling a service for a state the object is already in changes nothing. Refusals raise ValidationError
with a message a facilitator can act on."""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dialogues.enums import (
    DialogueRole,
    DialogueStatus,
    InvitationStatus,
    NotificationKind,
    OutcomeKind,
    OutcomeStage,
    Repeat,
    SummaryStatus,
    WorkshopFormat,
    WorkshopStatus,
)
from dialogues.models import (
    AgendaItem,
    BreakGlassGrant,
    Dialogue,
    Invitation,
    Outcome,
    PersonalCalendar,
    Side,
    Summary,
    Unavailability,
    Workshop,
    WorkshopSeries,
    validate_timezone,
)
from dialogues.notifications import queue_notifications
from dialogues.permissions import (
    BREAK_GLASS_PERMISSIONS,
    FACILITATION_ROLES,
    MEMBER_ROLES,
    ROLE_PERMISSIONS,
    role_group_name,
)
from dialogues.recurrence import MAX_OCCURRENCES, localize, next_after, occurrences, wall_clock
from participants.enums import FacilitatorRole, MemberRole
from participants.models import Membership, Person
from participants.services import add_member, assign_facilitator
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
    # Someone who never replied may still turn up (or not): attendance is recorded as it happened.
    InvitationStatus.INVITED: {
        InvitationStatus.ACCEPTED,
        InvitationStatus.DECLINED,
        InvitationStatus.ATTENDED,
        InvitationStatus.ABSENT,
    },
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
    return localize(value, tz_name)


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


# --- Facilitator workspace: dialogues ---------------------------------------------------------------------


@transaction.atomic
def open_dialogue(*, by, third_party, title: str, codename: str, sides: list[str], request=None, **fields):
    """Create a dialogue for a Third Party and make its creator the convenor (docs/decisions/0004). The
    creator must be a person on file (a convenor's account always is)."""
    person = Person.objects.filter(user=by).first() if by is not None else None
    if person is None:
        raise ValidationError("Only a person on file can convene a dialogue.")
    names = [name.strip() for name in sides if name.strip()]
    if len(names) < MIN_SIDES_TO_BE_ACTIVE:
        raise ValidationError(
            {
                "sides": f"Name at least {MIN_SIDES_TO_BE_ACTIVE} sides, one per line: "
                "the parties to the conflict."
            }
        )
    dialogue = create_dialogue(title=title, codename=codename, third_party=third_party, sides=names, **fields)
    assign_role(dialogue=dialogue, person=person, role=DialogueRole.CONVENOR, by=by, request=request)
    return dialogue


DIALOGUE_EDITABLE = ("title", "codename", "track", "objective", "sensitivity", "conflict", "ground_rules")


@transaction.atomic
def update_dialogue(*, dialogue: Dialogue, **fields) -> Dialogue:
    unknown = set(fields) - set(DIALOGUE_EDITABLE)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    if "codename" in fields:
        fields["codename"] = fields["codename"].strip().lower()
        if Dialogue.objects.filter(codename=fields["codename"]).exclude(pk=dialogue.pk).exists():
            raise ValidationError(
                {"codename": f"The codename “{fields['codename']}” is already taken. Choose another."}
            )
    for name, value in fields.items():
        setattr(dialogue, name, value)
    dialogue.full_clean()
    dialogue.save(update_fields=list(fields))
    return dialogue


# --- Facilitator workspace: workshops ---------------------------------------------------------------------


@transaction.atomic
def schedule_run(
    *,
    series: WorkshopSeries,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    repeat: str = Repeat.NONE,
    interval: int = 1,
    count: int | None = None,
    until: dt.date | None = None,
    venue: str | None = None,
    format: str = WorkshopFormat.IN_PERSON,
    title: str = "",
) -> list[Workshop]:
    """Add one workshop, or a run of them by recurrence, to a series. `starts_at` and `ends_at` are the
    first workshop's naive times on the venue's clock; every later one keeps the same clock times (so
    summer time changes nothing) and the same length."""
    if timezone.is_aware(starts_at) or timezone.is_aware(ends_at):
        raise ValueError("schedule_run takes wall-clock (naive) times in the venue's time zone.")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The workshop must end after it starts."})
    if repeat != Repeat.NONE and count is None and until is None:
        raise ValidationError({"count": "Say how many workshops, or until which date they repeat."})
    if until is not None and until < starts_at.date():
        raise ValidationError({"until": "The end date must be on or after the first workshop."})
    starts = occurrences(
        first=starts_at, repeat=repeat, interval=interval, count=count, until=until, limit=MAX_OCCURRENCES + 1
    )
    if len(starts) > MAX_OCCURRENCES:
        raise ValidationError(
            {"until": f"That makes more than {MAX_OCCURRENCES} workshops. Choose an earlier end date."}
        )
    length = ends_at - starts_at
    return [
        schedule_workshop(
            series=series,
            starts_at=start,
            ends_at=start + length,
            timezone_name=timezone_name,
            venue=venue,
            format=format,
            title=title,
        )
        for start in starts
    ]


def _invitees(workshop: Workshop):
    """People expecting to come (or still to answer): the ones who must hear about a change."""
    return Person.objects.filter(
        invitations__workshop=workshop,
        invitations__status__in=[InvitationStatus.INVITED, InvitationStatus.ACCEPTED],
        memberships__dialogue_id=workshop.series.dialogue_id,
        memberships__left_on__isnull=True,
    )


@transaction.atomic
def reschedule_workshop(
    *,
    workshop: Workshop,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    venue: str | None,
    format: str,
    title: str | None = None,
    following: bool = False,
) -> list[Workshop]:
    """Change a workshop's times (naive, on the venue's clock), zone, venue and format, and with
    `following` every later workshop of its series too: they move by the same wall-clock shift and take the
    new length, zone, venue and format. People invited hear of it. Returns the workshops changed."""
    if workshop.status == WorkshopStatus.CANCELLED:
        raise ValidationError("A cancelled workshop cannot be changed. Schedule a new one instead.")
    try:
        validate_timezone(timezone_name)
    except ValidationError as error:
        raise ValidationError({"timezone": error.messages}) from None
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The workshop must end after it starts."})
    shift = starts_at - wall_clock(workshop.starts_at, workshop.timezone)
    length = ends_at - starts_at
    targets = [workshop]
    if following:
        targets += list(
            Workshop.objects.select_for_update()
            .filter(series_id=workshop.series_id, starts_at__gt=workshop.starts_at)
            .exclude(status=WorkshopStatus.CANCELLED)
            .order_by("starts_at")
        )
    changed = []
    for target in targets:
        start = (
            starts_at if target.pk == workshop.pk else wall_clock(target.starts_at, target.timezone) + shift
        )
        before = (target.starts_at, target.ends_at, target.timezone, target.venue, target.format)
        target.starts_at = localize(start, timezone_name)
        target.ends_at = localize(start + length, timezone_name)
        target.timezone, target.venue, target.format = timezone_name, venue or None, format
        if target.pk == workshop.pk and title is not None:
            target.title = title
        target.save(update_fields=["starts_at", "ends_at", "timezone", "venue", "format", "title"])
        if before != (target.starts_at, target.ends_at, target.timezone, target.venue, target.format):
            queue_notifications(workshop=target, people=_invitees(target), kind=NotificationKind.CHANGED)
            changed.append(target)
    return changed


@transaction.atomic
def cancel_workshop(*, workshop: Workshop) -> Workshop:
    """Cancel a workshop; everyone still expected hears of it. Safe to repeat."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status == WorkshopStatus.CANCELLED:
        return workshop
    if workshop.status == WorkshopStatus.HELD:
        raise ValidationError("This workshop has been held; it cannot be cancelled.")
    queue_notifications(workshop=workshop, people=_invitees(workshop), kind=NotificationKind.CANCELLED)
    workshop.status = WorkshopStatus.CANCELLED
    workshop.save(update_fields=["status"])
    return workshop


@transaction.atomic
def clone_next_workshop(*, workshop: Workshop) -> Workshop:
    """ "The next one": a new workshop at the end of the series, one gap after the last (the gap between the
    last two, or three months), with this workshop's length, zone, venue, format, agenda skeleton and
    invitations (to people who are still members; they are notified as for any invitation)."""
    recent = list(
        Workshop.objects.filter(series_id=workshop.series_id)
        .exclude(status=WorkshopStatus.CANCELLED)
        .order_by("-starts_at")[:2]
    )
    latest, previous = [*recent, None, None][:2]
    latest = latest or workshop
    tz = workshop.timezone
    start = next_after(
        wall_clock(latest.starts_at, tz), wall_clock(previous.starts_at, tz) if previous else None
    )
    length = wall_clock(workshop.ends_at, tz) - wall_clock(workshop.starts_at, tz)
    new = schedule_workshop(
        series=workshop.series,
        starts_at=start,
        ends_at=start + length,
        timezone_name=tz,
        venue=workshop.venue,
        format=workshop.format,
        title=workshop.title,
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                workshop=new,
                position=item.position,
                title=item.title,
                description=item.description,
                duration_minutes=item.duration_minutes,
                facilitators_only=item.facilitators_only,
            )
            for item in workshop.agenda_items.order_by("position", "id")
        ]
    )
    people = Person.objects.filter(
        invitations__workshop=workshop,
        memberships__dialogue_id=workshop.series.dialogue_id,
        memberships__left_on__isnull=True,
    ).select_related("user")
    invite_people(workshop=new, people=people)
    return new


# --- Agenda -----------------------------------------------------------------------------------------------


def _renumber(workshop: Workshop, ordered: list[AgendaItem]) -> None:
    for position, item in enumerate(ordered, start=1):
        item.position = position
    AgendaItem.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def add_agenda_item(
    *,
    workshop: Workshop,
    title: str,
    description: str = "",
    duration_minutes: int | None = None,
    facilitators_only: bool = False,
) -> AgendaItem:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "An agenda item needs a title."})
    Workshop.objects.select_for_update().get(pk=workshop.pk)
    position = (workshop.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
    return AgendaItem.objects.create(
        workshop=workshop,
        position=position,
        title=title,
        description=description,
        duration_minutes=duration_minutes,
        facilitators_only=facilitators_only,
    )


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, by: int) -> AgendaItem:
    """Move an item up (by=-1) or down (by=+1); at either end nothing moves. Positions stay 1..n."""
    Workshop.objects.select_for_update().get(pk=item.workshop_id)
    ordered = list(AgendaItem.objects.filter(workshop_id=item.workshop_id).order_by("position", "id"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index + by
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(item.workshop, ordered)
    return item


@transaction.atomic
def set_agenda_item_facilitators_only(*, item: AgendaItem, facilitators_only: bool) -> AgendaItem:
    if item.facilitators_only != facilitators_only:
        item.facilitators_only = facilitators_only
        item.save(update_fields=["facilitators_only"])
    return item


@transaction.atomic
def remove_agenda_item(*, item: AgendaItem) -> None:
    workshop = item.workshop
    item.delete()
    _renumber(workshop, list(workshop.agenda_items.order_by("position", "id")))


# --- Invitations ------------------------------------------------------------------------------------------


@transaction.atomic
def invite_people(*, workshop: Workshop, people, now: dt.datetime | None = None) -> list[Invitation]:
    """Invite people (members of the dialogue) who are not invited yet, and notify them. Returns the new
    invitations; people already invited are left as they are."""
    if workshop.ends_at < (now or timezone.now()):
        raise ValidationError("This workshop is over; nobody can be invited to it any more.")
    already = set(workshop.invitations.values_list("person_id", flat=True))
    created = [invite(workshop=workshop, person=p) for p in people if p.pk not in already]
    queue_notifications(workshop=workshop, people=[i.person for i in created], kind=NotificationKind.INVITED)
    return created


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, now: dt.datetime | None = None) -> None:
    """Take an invitation back: the person no longer sees the workshop and is told so."""
    workshop, person = invitation.workshop, invitation.person
    if invitation.status in ATTENDANCE or workshop.ends_at < (now or timezone.now()):
        raise ValidationError("This workshop is over; record attendance instead of withdrawing.")
    invitation.delete()
    if person.user_id:
        revoke("dialogues.view_workshop", person.user, workshop)
    if workshop.status != WorkshopStatus.CANCELLED:
        queue_notifications(workshop=workshop, people=[person], kind=NotificationKind.WITHDRAWN)


@transaction.atomic
def reinvite(*, invitation: Invitation, now: dt.datetime | None = None) -> Invitation:
    """Ask someone who declined again: their answer is reset and they are notified."""
    if invitation.status != InvitationStatus.DECLINED:
        raise ValidationError("Only someone who declined can be invited again.")
    invitation = set_invitation_status(invitation=invitation, status=InvitationStatus.INVITED, now=now)
    queue_notifications(
        workshop=invitation.workshop, people=[invitation.person], kind=NotificationKind.REINVITED
    )
    return invitation


@transaction.atomic
def respond_to_invitation(
    *, invitation: Invitation, status: str, note: str | None = None, now: dt.datetime | None = None
) -> Invitation:
    """A participant's one-click answer, with an optional note on their availability."""
    if status not in {InvitationStatus.ACCEPTED, InvitationStatus.DECLINED}:
        raise ValidationError("Answer with accept or decline.")
    if invitation.workshop.status == WorkshopStatus.CANCELLED:
        raise ValidationError("This workshop is cancelled; there is nothing to answer.")
    invitation = set_invitation_status(invitation=invitation, status=status, now=now)
    if note is not None and (note.strip() or None) != invitation.availability_note:
        invitation.availability_note = note.strip() or None
        invitation.save(update_fields=["availability_note"])
    return invitation


@transaction.atomic
def record_attendance(*, invitation: Invitation, status: str, now: dt.datetime | None = None) -> Invitation:
    """Mark someone attended or absent once the workshop has started; the workshop counts as held."""
    if status not in ATTENDANCE:
        raise ValidationError("Attendance is either attended or absent.")
    invitation = set_invitation_status(invitation=invitation, status=status, now=now)
    Workshop.objects.filter(pk=invitation.workshop_id, status=WorkshopStatus.SCHEDULED).update(
        status=WorkshopStatus.HELD
    )
    return invitation


# --- People's own settings --------------------------------------------------------------------------------


@transaction.atomic
def add_unavailability(*, person: Person, starts_on: dt.date, ends_on: dt.date) -> Unavailability:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The last day must be on or after the first."})
    row, _ = Unavailability.objects.get_or_create(person=person, starts_on=starts_on, ends_on=ends_on)
    return row


@transaction.atomic
def remove_unavailability(*, unavailability: Unavailability) -> None:
    unavailability.delete()


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _personal_calendar(user) -> PersonalCalendar:
    calendar, _ = PersonalCalendar.objects.select_for_update().get_or_create(user=user)
    return calendar


@transaction.atomic
def issue_feed_token(*, user, request=None) -> str:
    """A new private feed address for the user; any earlier one stops working. Only its hash is kept, so
    the token is returned once, to show once."""
    token = secrets.token_urlsafe(32)
    calendar = _personal_calendar(user)
    calendar.feed_token_hash = feed_token_hash(token)
    calendar.feed_created_at = timezone.now()
    calendar.save(update_fields=["feed_token_hash", "feed_created_at"])
    record_event(actor=user, action="feed_issued", target=calendar, request=request)
    return token


@transaction.atomic
def revoke_feed(*, user, request=None) -> None:
    calendar = _personal_calendar(user)
    if calendar.feed_token_hash is None:
        return
    calendar.feed_token_hash = None
    calendar.save(update_fields=["feed_token_hash"])
    record_event(actor=user, action="feed_revoked", target=calendar, request=request)


@transaction.atomic
def update_calendar_settings(*, user, timezone_name: str, feed_detail: bool) -> PersonalCalendar:
    try:
        validate_timezone(timezone_name)
    except ValidationError as error:
        raise ValidationError({"timezone": error.messages}) from None
    calendar = _personal_calendar(user)
    calendar.timezone, calendar.feed_detail = timezone_name, feed_detail
    calendar.save(update_fields=["timezone", "feed_detail"])
    return calendar
