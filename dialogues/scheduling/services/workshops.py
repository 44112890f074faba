"""Workshops: series, scheduling one workshop or a recurring run, rescheduling, cancelling and cloning."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.enums import NotificationKind, Repeat, WorkshopFormat, WorkshopStatus
from dialogues.models import AgendaItem, Dialogue, Workshop, WorkshopSeries, validate_timezone
from dialogues.scheduling.notifications import queue_notifications
from dialogues.scheduling.recurrence import MAX_OCCURRENCES, localize, next_after, occurrences, wall_clock
from dialogues.scheduling.selectors import expected_people
from dialogues.scheduling.services.invitations import invite_people
from dialogues.scheduling.services.numbering import free_number, lock_series, settle_numbers
from participants.models import Person
from participants.selectors import is_cut_off
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.db import next_number
from trackii.inputs import RANGE_MESSAGE, in_range

PAST_DATE = (
    "This date is in the past. To record a workshop that already happened, choose “This workshop already "
    "took place” and tick who attended."
)


@transaction.atomic
def create_series(*, dialogue: Dialogue, title: str, by: User, description: str = "") -> WorkshopSeries:
    """The dialogue's series of that title: a new one at the end, or the one it already has (titles are
    unique in a dialogue). Titles are encrypted, so they are compared here, with the dialogue locked, not
    by a constraint."""
    position = next_number(parent=dialogue, children=dialogue.series, field="position")  # locks the dialogue
    title = title.strip()
    existing = next((one for one in dialogue.series.all() if one.title == title), None)
    if existing is not None:
        return existing
    series = WorkshopSeries.objects.create(
        dialogue=dialogue, title=title, description=description, position=position
    )
    record_event(actor=by, action=Action.SERIES_CREATED, target=series)
    return series


def _aware(value: dt.datetime, tz_name: str) -> dt.datetime:
    """A time typed in the venue's time zone becomes an aware datetime; aware values pass through."""
    if timezone.is_aware(value):
        return value
    return localize(value, tz_name)


def _check_range(**times: dt.datetime) -> None:
    """Every workshop lies in the years Trackii keeps (trackii.inputs). The forms ask this too; here it also
    holds for a clone one gap after the last and for following workshops shifted with the first, and keeps a
    zone's offset from carrying a time past the years Python can hold."""
    for field, value in times.items():
        if not in_range(value):
            raise ValidationError({field: RANGE_MESSAGE})


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
    now: dt.datetime | None = None,
) -> Workshop:
    """The series' next workshop, checked and numbered (decision 0018); each caller writes its own audit
    row. Only a workshop recorded as held may start in the past."""
    try:
        validate_timezone(timezone_name)
    except ValidationError as error:
        raise ValidationError({"timezone": error.messages}) from None
    _check_range(starts_at=starts_at, ends_at=ends_at)
    starts_at, ends_at = _aware(starts_at, timezone_name), _aware(ends_at, timezone_name)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The workshop must end after it starts.")})
    if status != WorkshopStatus.HELD and starts_at < (now or timezone.now()):
        raise ValidationError({"starts_at": PAST_DATE})
    workshop = Workshop.objects.create(
        series=series,
        number=free_number(series=series),
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone_name,
        venue=venue,
        format=format,
        status=status,
    )
    settle_numbers(series=series, publishing=workshop)
    return workshop


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
    now: dt.datetime | None = None,
) -> Workshop:
    """Add a workshop to a series, scheduled (published) or as a draft. Naive times are read in the venue's
    time zone. A start in the past is refused: a workshop that already took place is recorded with
    `record_held_workshop`, with who attended."""
    if status not in {WorkshopStatus.DRAFT, WorkshopStatus.SCHEDULED}:
        raise ValueError("schedule_workshop adds a draft or a scheduled workshop.")
    workshop = _add_workshop(
        series=series,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone_name=timezone_name,
        venue=venue,
        format=format,
        title=title,
        status=status,
        now=now,
    )
    record_event(actor=by, action=Action.WORKSHOP_SCHEDULED, target=workshop)
    return workshop


@transaction.atomic
def publish_workshop(*, workshop: Workshop, by: User) -> Workshop:
    """A draft becomes scheduled; its number keeps following its date until someone is invited (decision
    0018). Safe to repeat."""
    lock_series(series_id=workshop.series_id)  # before the workshop's own lock, as every renumbering step
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status != WorkshopStatus.DRAFT:
        return workshop
    workshop.status = WorkshopStatus.SCHEDULED
    workshop.save(update_fields=["status"])
    settle_numbers(series=workshop.series, publishing=workshop)
    record_event(
        actor=by, action=Action.WORKSHOP_PUBLISHED, target=workshop, detail={"number": workshop.number}
    )
    return workshop


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
    now: dt.datetime | None = None,
) -> list[Workshop]:
    """Add one workshop, or a run of them by recurrence, to a series. `starts_at` and `ends_at` are the
    first workshop's naive times on the venue's clock; every later one keeps the same clock times (so
    summer time changes nothing) and the same length."""
    if timezone.is_aware(starts_at) or timezone.is_aware(ends_at):
        raise ValueError("schedule_run takes wall-clock (naive) times in the venue's time zone.")
    _check_range(starts_at=starts_at, ends_at=ends_at)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The workshop must end after it starts.")})
    if repeat != Repeat.NONE and count is None and until is None:
        raise ValidationError({"count": _("Say how many workshops, or until which date they repeat.")})
    if until is not None and not in_range(until):
        raise ValidationError({"until": RANGE_MESSAGE})
    if until is not None and until < starts_at.date():
        raise ValidationError({"until": _("The end date must be on or after the first workshop.")})
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
            now=now,
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
    now: dt.datetime | None = None,
) -> list[Workshop]:
    """Change a workshop's times (naive, on the venue's clock), zone, venue and format, and with
    `following` every later workshop of its series too: they move by the same wall-clock shift and take the
    new length, zone, venue and format. People invited hear of it. Returns the workshops changed."""
    if workshop.status == WorkshopStatus.CANCELLED:
        raise ValidationError(_("A cancelled workshop cannot be changed. Schedule a new one instead."))
    try:
        validate_timezone(timezone_name)
    except ValidationError as error:
        raise ValidationError({"timezone": error.messages}) from None
    _check_range(starts_at=starts_at, ends_at=ends_at)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The workshop must end after it starts.")})
    _refuse_past_move(workshop, localize(starts_at, timezone_name), localize(ends_at, timezone_name), now)
    # The series first, before any of its workshops is written: a move may renumber its drafts.
    lock_series(series_id=workshop.series_id)
    shift = starts_at - wall_clock(workshop.starts_at, workshop.timezone)
    length = ends_at - starts_at
    targets = [workshop]
    if following:
        targets += list(
            Workshop.objects.select_for_update()
            .filter(series_id=workshop.series_id, starts_at__gt=workshop.starts_at)
            # A held workshop stays where it happened; a cancelled one is not moved.
            .exclude(status__in=(WorkshopStatus.CANCELLED, WorkshopStatus.HELD))
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
        _check_range(starts_at=start, ends_at=start + length)
        if target.pk != workshop.pk and localize(start, timezone_name) < (now or timezone.now()):
            # Nothing is written: the transaction rolls back with the refusal.
            raise ValidationError(
                {
                    "starts_at": f"Moving the following workshops too would put workshop {target.number} in "
                    "the past. Move only this one, or choose a later date."
                }
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
    # A workshop nobody has been told of yet takes its number from its new date (decision 0018).
    settle_numbers(series=workshop.series)
    return changed


def _refuse_past_move(workshop: Workshop, starts_at: dt.datetime, ends_at: dt.datetime, now) -> None:
    """A workshop not held yet cannot be moved into the past (its start unchanged is fine: it may be under
    way); a held one stays in the past."""
    now = now or timezone.now()
    if workshop.status == WorkshopStatus.HELD:
        if ends_at > now:
            raise ValidationError(
                {"ends_at": "This workshop has been held, so it ended in the past. Give the time it ended."}
            )
    elif starts_at != workshop.starts_at and starts_at < now:
        raise ValidationError(
            {
                "starts_at": "This date is in the past. If the workshop already took place, mark it as held "
                "from its page and record who attended."
            }
        )


@transaction.atomic
def cancel_workshop(*, workshop: Workshop, by: User) -> Workshop:
    """Cancel a workshop; everyone still expected hears of it. Safe to repeat."""
    lock_series(series_id=workshop.series_id)  # cancelled fixes its number (decision 0018)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status == WorkshopStatus.CANCELLED:
        return workshop
    if workshop.status == WorkshopStatus.HELD:
        raise ValidationError(_("This workshop has been held; it cannot be cancelled."))
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
    if localize(start, tz) < timezone.now():
        raise ValidationError(
            _(
                "One gap after the last workshop of this series falls in the past. Schedule the next one "
                "from the series page, with its date."
            )
        )
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
                # The new workshop has the same length, so it has the same days.
                day=item.day,
                starts_at_time=item.starts_at_time,
            )
            for item in workshop.agenda_items.order_by("position", "id")
        ]
    )
    # Who was invited and may still be: a member, not cut off (invite_people refuses anyone else).
    people = (
        Person.objects.filter(
            invitations__workshop=workshop,
            memberships__dialogue_id=workshop.series.dialogue_id,
            memberships__left_on__isnull=True,
        )
        .exclude(is_cut_off())
        .select_related("user")
    )
    record_event(actor=by, action=Action.WORKSHOP_CLONED, target=new, detail={"from_workshop": workshop.pk})
    invite_people(workshop=new, people=people, by=by)
    return new
