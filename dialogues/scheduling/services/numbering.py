"""Workshop numbers within a series (decision 0018). A published workshop (scheduled, held or cancelled:
people were told "workshop 3") keeps its number for good; a new one published takes the next number after
the published ones; drafts are numbered after them, provisionally, in date order. Lists order by date, never
by number. Called inside the caller's transaction, which writes the audit row."""

from django.db.models import Max

from dialogues.enums import WorkshopStatus
from dialogues.models import Workshop, WorkshopSeries


def free_number(*, series: WorkshopSeries) -> int:
    """A number nobody in the series holds, with the series locked so that two people adding at once never
    take the same one. `settle_numbers` then gives the workshop its real number."""
    WorkshopSeries.objects.select_for_update().only("pk").get(pk=series.pk)
    return (series.workshops.aggregate(highest=Max("number"))["highest"] or 0) + 1


def settle_numbers(*, series: WorkshopSeries, publishing: Workshop | None = None) -> None:
    """Number the drafts of `series` in date order after its published workshops; `publishing` (a workshop
    being published right now) first takes the number after the published ones. The unique constraint holds
    at every step: numbers that change go first to free numbers above all of them, then to their own."""
    rows = list(
        Workshop.objects.select_for_update()
        .filter(series_id=series.pk)
        .order_by("starts_at", "id")
        .only("id", "number", "status", "starts_at")
    )
    publishing_id = publishing.pk if publishing is not None else None
    fixed = [w.number for w in rows if w.status != WorkshopStatus.DRAFT and w.pk != publishing_id]
    top = max(fixed, default=0)
    wanted: dict[int, int] = {}
    if publishing_id is not None:
        top += 1
        wanted[publishing_id] = top
    for workshop in rows:
        if workshop.status == WorkshopStatus.DRAFT and workshop.pk != publishing_id:
            top += 1
            wanted[workshop.pk] = top
    moving = {pk: number for pk, number in wanted.items() if number != _number_of(rows, pk)}
    if not moving:
        return
    spare = max([w.number for w in rows] + list(moving.values())) + 1
    for offset, pk in enumerate(moving):
        Workshop.objects.filter(pk=pk).update(number=spare + offset)
    for pk, number in moving.items():
        Workshop.objects.filter(pk=pk).update(number=number)
    if publishing is not None:
        publishing.number = wanted[publishing_id]


def _number_of(rows: list[Workshop], pk: int) -> int:
    return next(w.number for w in rows if w.pk == pk)
