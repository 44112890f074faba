"""A workshop's agenda: items added, moved, hidden from participants and removed; positions stay 1..n."""

from django.core.exceptions import ValidationError
from django.db import transaction

from dialogues.models import AgendaItem, Workshop
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.db import next_number


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
