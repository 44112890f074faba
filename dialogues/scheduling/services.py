"""State changes of workshops: series, scheduling (one workshop or a recurring run), rescheduling,
cancelling and cloning, agendas, invitations and attendance. Keyword-only, one transaction each, safe to
repeat. Refusals raise ValidationError with a message a facilitator can act on. Whoever is told about a
change is told through dialogues/scheduling/notifications.py, in the same transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dialogues.enums import InvitationStatus, NotificationKind, Repeat, WorkshopFormat, WorkshopStatus
from dialogues.models import AgendaItem, Dialogue, Invitation, Workshop, WorkshopSeries, validate_timezone
from dialogues.scheduling.notifications import queue_notifications
from dialogues.scheduling.recurrence import MAX_OCCURRENCES, localize, next_after, occurrences, wall_clock
from dialogues.scheduling.selectors import expected_people
from participants.models import Person
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.db import next_number
from trackii.permissions import grant, revoke

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


@transaction.atomic
def create_series(*, dialogue: Dialogue, title: str, by: User, description: str = "") -> WorkshopSeries:
    position = next_number(parent=dialogue, children=dialogue.series, field="position")
    series, created = WorkshopSeries.objects.get_or_create(
        dialogue=dialogue, title=title.strip(), defaults={"description": description, "position": position}
    )
    if created:
        record_event(actor=by, action=Action.SERIES_CREATED, target=series)
    return series


def _aware(value: dt.datetime, tz_name: str) -> dt.datetime:
    """A time typed in the venue's time zone becomes an aware datetime; aware values pass through."""
    if timezone.is_aware(value):
        return value
    return localize(value, tz_name)


def _add_workshop(
    *,
    series: WorkshopSeries,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    venue: str | None,
    format: str,
    title: str,
    status: str = WorkshopStatus.SCHEDULED,
) -> Workshop:
    """The series' next workshop, checked and numbered; each caller writes its own audit row."""
    try:
        validate_timezone(timezone_name)
    except ValidationError as error:
        raise ValidationError({"timezone": error.messages}) from None
    starts_at, ends_at = _aware(starts_at, timezone_name), _aware(ends_at, timezone_name)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The workshop must end after it starts."})
    number = next_number(parent=series, children=series.workshops, field="number")
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
def schedule_workshop(
    *,
    series: WorkshopSeries,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    by: User,
    venue: str | None = None,
    format: str = WorkshopFormat.IN_PERSON,
    title: str = "",
    status: str = WorkshopStatus.SCHEDULED,
) -> Workshop:
    """Add the next workshop to a series. Naive times are read in the venue's time zone."""
    workshop = _add_workshop(
        series=series,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone_name=timezone_name,
        venue=venue,
        format=format,
        title=title,
        status=status,
    )
    record_event(actor=by, action=Action.WORKSHOP_SCHEDULED, target=workshop)
    return workshop


@transaction.atomic
def invite(*, workshop: Workshop, person: Person, by: User) -> Invitation:
    """Invite a person; inviting them again leaves the existing invitation as it is."""
    if workshop.status == WorkshopStatus.CANCELLED:
        raise ValidationError("This workshop is cancelled; nobody can be invited to it.")
    if not person.memberships.filter(dialogue_id=workshop.series.dialogue_id).exists():
        raise ValidationError("Only members of this dialogue can be invited to its workshops.")
    invitation, created = Invitation.objects.get_or_create(workshop=workshop, person=person)
    if person.user_id:
        grant("dialogues.view_workshop", person.user, workshop)
    if created:
        record_event(
            actor=by,
            action=Action.WORKSHOP_INVITED,
            target=invitation,
            detail={"workshop": workshop.pk, "person": person.pk},
        )
    return invitation


def _move_invitation(invitation: Invitation, status: str, now: dt.datetime | None) -> tuple[Invitation, str]:
    """Move a locked invitation to `status` if the transitions and the clock allow it. Returns it with the
    status it had before (the same as `status` when nothing changed); the callers write the audit row."""
    invitation = Invitation.objects.select_for_update().select_related("workshop").get(pk=invitation.pk)
    previous = invitation.status
    if previous == status:
        return invitation, previous
    if status not in INVITATION_TRANSITIONS[InvitationStatus(invitation.status)]:
        raise ValidationError(
            f"An invitation that is {InvitationStatus(invitation.status).label.lower()} cannot become "
            f"{InvitationStatus(status).label.lower()}."
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
    return invitation, previous


def _record_move(action: Action, invitation: Invitation, previous: str, *, by: User, **detail) -> None:
    record_event(
        actor=by,
        action=action,
        target=invitation,
        detail={"from": previous, "to": str(invitation.status), **detail},
    )


@transaction.atomic
def set_invitation_status(
    *, invitation: Invitation, status: str, by: User, now: dt.datetime | None = None
) -> Invitation:
    """Any allowed move of an invitation (the demo and tests walk them); pages use the services below."""
    invitation, previous = _move_invitation(invitation, status, now)
    if previous != invitation.status:
        _record_move(Action.INVITATION_STATUS_CHANGED, invitation, previous, by=by)
    return invitation


@transaction.atomic
def schedule_run(
    *,
    series: WorkshopSeries,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    by: User,
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
            by=by,
        )
        for start in starts
    ]


@transaction.atomic
def reschedule_workshop(
    *,
    workshop: Workshop,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    venue: str | None,
    format: str,
    by: User,
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
    fields = ["starts_at", "ends_at", "timezone", "venue", "format", "title"]
    # What the people invited hear about: the title is the facilitators' own label.
    told = fields[:-1]
    changed = []
    for target in targets:
        start = (
            starts_at if target.pk == workshop.pk else wall_clock(target.starts_at, target.timezone) + shift
        )
        before = {field: getattr(target, field) for field in fields}
        target.starts_at = localize(start, timezone_name)
        target.ends_at = localize(start + length, timezone_name)
        target.timezone, target.venue, target.format = timezone_name, venue or None, format
        if target.pk == workshop.pk and title is not None:
            target.title = title
        target.save(update_fields=fields)
        different = [field for field in fields if getattr(target, field) != before[field]]
        if different:
            record_event(
                actor=by, action=Action.WORKSHOP_RESCHEDULED, target=target, detail={"fields": different}
            )
        if any(field in told for field in different):
            queue_notifications(
                workshop=target, people=expected_people(workshop=target), kind=NotificationKind.CHANGED
            )
            changed.append(target)
    return changed


@transaction.atomic
def cancel_workshop(*, workshop: Workshop, by: User) -> Workshop:
    """Cancel a workshop; everyone still expected hears of it. Safe to repeat."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status == WorkshopStatus.CANCELLED:
        return workshop
    if workshop.status == WorkshopStatus.HELD:
        raise ValidationError("This workshop has been held; it cannot be cancelled.")
    queue_notifications(
        workshop=workshop, people=expected_people(workshop=workshop), kind=NotificationKind.CANCELLED
    )
    workshop.status = WorkshopStatus.CANCELLED
    workshop.save(update_fields=["status"])
    record_event(actor=by, action=Action.WORKSHOP_CANCELLED, target=workshop)
    return workshop


@transaction.atomic
def clone_next_workshop(*, workshop: Workshop, by: User) -> Workshop:
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
    new = _add_workshop(
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
    record_event(actor=by, action=Action.WORKSHOP_CLONED, target=new, detail={"from_workshop": workshop.pk})
    invite_people(workshop=new, people=people, by=by)
    return new


def _renumber(workshop: Workshop, ordered: list[AgendaItem]) -> None:
    for position, item in enumerate(ordered, start=1):
        item.position = position
    AgendaItem.objects.bulk_update(ordered, ["position"])


def _record_agenda(action: Action, item: AgendaItem, *, by: User, **detail) -> None:
    # An agenda item carries no dialogue of its own: the row takes its workshop's.
    record_event(
        actor=by,
        action=action,
        target=item,
        dialogue_id=item.workshop.audit_dialogue_id,
        detail={"workshop": item.workshop_id, **detail},
    )


@transaction.atomic
def add_agenda_item(
    *,
    workshop: Workshop,
    title: str,
    by: User,
    description: str = "",
    duration_minutes: int | None = None,
    facilitators_only: bool = False,
) -> AgendaItem:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "An agenda item needs a title."})
    position = next_number(parent=workshop, children=workshop.agenda_items, field="position")
    item = AgendaItem.objects.create(
        workshop=workshop,
        position=position,
        title=title,
        description=description,
        duration_minutes=duration_minutes,
        facilitators_only=facilitators_only,
    )
    _record_agenda(Action.AGENDA_ITEM_ADDED, item, by=by, facilitators_only=facilitators_only)
    return item


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, steps: int, by: User) -> AgendaItem:
    """Move an item up (steps=-1) or down (steps=+1); at either end nothing moves. Positions stay 1..n."""
    Workshop.objects.select_for_update().get(pk=item.workshop_id)
    ordered = list(AgendaItem.objects.filter(workshop_id=item.workshop_id).order_by("position", "id"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index + steps
    moved = target != index and 0 <= target < len(ordered)
    if moved:
        ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(item.workshop, ordered)
    if moved:
        _record_agenda(Action.AGENDA_ITEM_MOVED, item, by=by, position=target + 1)
    return item


@transaction.atomic
def set_agenda_item_facilitators_only(*, item: AgendaItem, facilitators_only: bool, by: User) -> AgendaItem:
    if item.facilitators_only != facilitators_only:
        item.facilitators_only = facilitators_only
        item.save(update_fields=["facilitators_only"])
        _record_agenda(Action.AGENDA_ITEM_CHANGED, item, by=by, facilitators_only=facilitators_only)
    return item


@transaction.atomic
def remove_agenda_item(*, item: AgendaItem, by: User) -> None:
    workshop = item.workshop
    _record_agenda(Action.AGENDA_ITEM_REMOVED, item, by=by)
    item.delete()
    _renumber(workshop, list(workshop.agenda_items.order_by("position", "id")))


@transaction.atomic
def invite_people(
    *, workshop: Workshop, people, by: User, now: dt.datetime | None = None
) -> list[Invitation]:
    """Invite people (members of the dialogue) who are not invited yet, and notify them. Returns the new
    invitations; people already invited are left as they are."""
    if workshop.ends_at < (now or timezone.now()):
        raise ValidationError("This workshop is over; nobody can be invited to it any more.")
    already = set(workshop.invitations.values_list("person_id", flat=True))
    created = [invite(workshop=workshop, person=p, by=by) for p in people if p.pk not in already]
    queue_notifications(workshop=workshop, people=[i.person for i in created], kind=NotificationKind.INVITED)
    return created


@transaction.atomic
def withdraw_workshop_invitation(*, invitation: Invitation, by: User, now: dt.datetime | None = None) -> None:
    """Take an invitation back: the person no longer sees the workshop and is told so."""
    workshop, person = invitation.workshop, invitation.person
    if invitation.status in ATTENDANCE or workshop.ends_at < (now or timezone.now()):
        raise ValidationError("This workshop is over; record attendance instead of withdrawing.")
    record_event(
        actor=by,
        action=Action.INVITATION_WITHDRAWN,
        target=invitation,
        detail={"workshop": workshop.pk, "person": person.pk},
    )
    invitation.delete()
    if person.user_id:
        revoke("dialogues.view_workshop", person.user, workshop)
    if workshop.status != WorkshopStatus.CANCELLED:
        queue_notifications(workshop=workshop, people=[person], kind=NotificationKind.WITHDRAWN)


@transaction.atomic
def reinvite(*, invitation: Invitation, by: User, now: dt.datetime | None = None) -> Invitation:
    """Ask someone who declined again: their answer is reset and they are notified."""
    if invitation.status != InvitationStatus.DECLINED:
        raise ValidationError("Only someone who declined can be invited again.")
    invitation, previous = _move_invitation(invitation, InvitationStatus.INVITED, now)
    _record_move(Action.INVITATION_RENEWED, invitation, previous, by=by)
    queue_notifications(
        workshop=invitation.workshop, people=[invitation.person], kind=NotificationKind.REINVITED
    )
    return invitation


@transaction.atomic
def respond_to_invitation(
    *,
    invitation: Invitation,
    status: str,
    by: User,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> Invitation:
    """A participant's one-click answer, with an optional note on their availability."""
    if status not in {InvitationStatus.ACCEPTED, InvitationStatus.DECLINED}:
        raise ValidationError("Answer with accept or decline.")
    if invitation.workshop.status == WorkshopStatus.CANCELLED:
        raise ValidationError("This workshop is cancelled; there is nothing to answer.")
    invitation, previous = _move_invitation(invitation, status, now)
    changed = ["status"] if previous != invitation.status else []
    if note is not None and (note.strip() or None) != invitation.availability_note:
        invitation.availability_note = note.strip() or None
        invitation.save(update_fields=["availability_note"])
        changed.append("availability_note")
    if changed:
        # The note is the participant's own words: the row names the field, never the text.
        _record_move(Action.INVITATION_ANSWERED, invitation, previous, by=by, fields=changed)
    return invitation


@transaction.atomic
def record_attendance(
    *, invitation: Invitation, status: str, by: User, now: dt.datetime | None = None
) -> Invitation:
    """Mark someone attended or absent once the workshop has started; the workshop counts as held."""
    if status not in ATTENDANCE:
        raise ValidationError("Attendance is either attended or absent.")
    invitation, previous = _move_invitation(invitation, status, now)
    if previous != invitation.status:
        _record_move(Action.ATTENDANCE_RECORDED, invitation, previous, by=by)
    Workshop.objects.filter(pk=invitation.workshop_id, status=WorkshopStatus.SCHEDULED).update(
        status=WorkshopStatus.HELD
    )
    return invitation
