"""A workshop's agenda: items added, changed, moved, hidden from participants and removed; positions stay
1..n in the agenda's order (day, time, position). The run sheet's PDF is read through here, audited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dialogues.models import AgendaItem, Workshop
from dialogues.scheduling.run_sheet import run_sheet_pdf
from dialogues.scheduling.timetable import workshop_days
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.db import next_number

MAX_MINUTES = 24 * 60


def _in_order(workshop_id: int) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(workshop_id=workshop_id).order_by(*AgendaItem._meta.ordering[1:]))


def _checked(workshop: Workshop, *, title: str, day: int, duration_minutes: int | None) -> str:
    """The title to store; refuses, naming each field, a missing title, a day the workshop does not have or a
    duration outside one minute to one day."""
    errors = {}
    title = title.strip()
    if not title:
        errors["title"] = _("An agenda item needs a title.")
    days = len(workshop_days(workshop))
    if not 1 <= day <= days:
        errors["day"] = (
            _("This workshop has only one day: choose day 1.")
            if days == 1
            else _("Choose a day of the workshop: 1 to %(days)d.") % {"days": days}
        )
    if duration_minutes is not None and not 1 <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = _("Give the length in minutes, from 1 to %(max)d (one day).") % {
            "max": MAX_MINUTES
        }
    if errors:
        raise ValidationError(errors)
    return title


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
    day: int = 1,
    starts_at_time: dt.time | None = None,
) -> AgendaItem:
    title = _checked(workshop, title=title, day=day, duration_minutes=duration_minutes)
    position = next_number(parent=workshop, children=workshop.agenda_items, field="position")
    item = AgendaItem.objects.create(
        workshop=workshop,
        position=position,
        title=title,
        description=description,
        duration_minutes=duration_minutes,
        facilitators_only=facilitators_only,
        day=day,
        starts_at_time=starts_at_time,
    )
    _renumber(workshop, _in_order(workshop.pk))
    _record_agenda(Action.AGENDA_ITEM_ADDED, item, by=by, facilitators_only=facilitators_only)
    return item


EDITABLE_AGENDA_FIELDS = (
    "title",
    "description",
    "duration_minutes",
    "day",
    "starts_at_time",
    "facilitators_only",
)


@transaction.atomic
def change_agenda_item(
    *,
    item: AgendaItem,
    by: User,
    title: str,
    description: str = "",
    duration_minutes: int | None = None,
    day: int = 1,
    starts_at_time: dt.time | None = None,
    facilitators_only: bool = False,
) -> AgendaItem:
    """Save what changed; the audit row names the fields, never their text. Nothing changed: nothing
    written."""
    Workshop.objects.select_for_update().get(pk=item.workshop_id)
    title = _checked(item.workshop, title=title, day=day, duration_minutes=duration_minutes)
    wanted = {
        "title": title,
        "description": description,
        "duration_minutes": duration_minutes,
        "day": day,
        "starts_at_time": starts_at_time,
        "facilitators_only": facilitators_only,
    }
    changed = [name for name in EDITABLE_AGENDA_FIELDS if getattr(item, name) != wanted[name]]
    if changed:
        for name in changed:
            setattr(item, name, wanted[name])
        item.save(update_fields=changed)
        _renumber(item.workshop, _in_order(item.workshop_id))
        _record_agenda(Action.AGENDA_ITEM_CHANGED, item, by=by, fields=changed)
    return item


def can_move(item: AgendaItem, neighbour: AgendaItem | None) -> bool:
    """Items change places only where the order is the facilitators' to give: the same day and the same start
    time (or neither with a time). Elsewhere the day and time decide the order."""
    return (
        neighbour is not None
        and neighbour.day == item.day
        and neighbour.starts_at_time == item.starts_at_time
    )


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, steps: int, by: User) -> AgendaItem:
    """Move an item up (steps=-1) or down (steps=+1) past its neighbour in the agenda's order, where
    `can_move` allows it; otherwise nothing moves. Positions stay 1..n."""
    Workshop.objects.select_for_update().get(pk=item.workshop_id)
    ordered = _in_order(item.workshop_id)
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index + steps
    moved = target != index and 0 <= target < len(ordered) and can_move(ordered[index], ordered[target])
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
    _renumber(workshop, _in_order(workshop.pk))


def download_run_sheet(*, workshop: Workshop, items: list[AgendaItem], by: User) -> bytes:
    """The run sheet's PDF for a member of the facilitation team, the download recorded in the audit log.
    `items` is the whole agenda, facilitators-only items included: the caller has checked who is asking."""
    pdf = run_sheet_pdf(workshop=workshop, items=items)
    record_event(
        actor=by,
        action=Action.DOWNLOAD,
        target=workshop,
        detail={"document": "run_sheet"},
    )
    return pdf
