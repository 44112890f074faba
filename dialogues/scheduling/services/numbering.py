"""Workshop numbers within a series (decision 0018). A workshop people were told of ("workshop 3": someone is
invited, it has a summary, it was held or cancelled) keeps its number for good; the others are numbered in
date order with the numbers the announced ones leave free, and renumbered when a workshop is added or moved.
Lists order by date. Called inside the caller's transaction, which writes the audit row."""

from itertools import count

from django.db.models import Exists, Max, OuterRef, Q

from dialogues.enums import WorkshopStatus
from dialogues.models import Invitation, Notification, Summary, Workshop, WorkshopSeries


def lock_series(*, series_id: int) -> None:
    """Take the series' lock. Every step that renumbers a series takes it first, before locking or writing any
    of its workshops: two facilitators publishing, adding or moving workshops of one series at once then wait
    for each other instead of deadlocking."""
    WorkshopSeries.objects.select_for_update().only("pk").get(pk=series_id)


def free_number(*, series: WorkshopSeries) -> int:
    """A number nobody in the series holds, with the series locked so that two people adding at once never
    take the same one. `settle_numbers` then gives the workshop its real number."""
    lock_series(series_id=series.pk)
    return (series.workshops.aggregate(highest=Max("number"))["highest"] or 0) + 1


def settle_numbers(*, series: WorkshopSeries, publishing: Workshop | None = None) -> None:
    """Number the workshops of `series` that nobody has been told of yet in date order, around the numbers
    that are fixed: an announced workshop keeps its number for good. `publishing` (a workshop being added or
    published right now) is numbered with the unannounced ones, by its date, even if it is announced from
    this moment (a workshop recorded as held, with who attended). The unique constraint holds at every step:
    numbers that change go first to free numbers above all of them, then to their own."""
    rows = list(
        Workshop.objects.select_for_update()
        .filter(series_id=series.pk)
        .annotate(announced=announced())
        .order_by("starts_at", "id")
        .only("id", "number", "status", "starts_at")
    )
    publishing_id = publishing.pk if publishing is not None else None
    fixed = {w.number for w in rows if w.announced and w.pk != publishing_id}
    free = (number for number in count(1) if number not in fixed)
    wanted = {w.pk: next(free) for w in rows if not w.announced or w.pk == publishing_id}
    moving = {pk: number for pk, number in wanted.items() if number != _number_of(rows, pk)}
    if moving:
        spare = max([w.number for w in rows] + list(moving.values())) + 1
        for offset, pk in enumerate(moving):
            Workshop.objects.filter(pk=pk).update(number=spare + offset)
        for pk, number in moving.items():
            Workshop.objects.filter(pk=pk).update(number=number)
    if publishing is not None:
        publishing.number = wanted[publishing_id]


def announced():
    """Whether people outside the facilitation team may have been told of a workshop by its number: someone
    is invited to it, an e-mail about it was ever queued (a withdrawn invitation's e-mail named the number
    too), it has a summary, or it was held or cancelled."""
    return (
        Q(status__in=(WorkshopStatus.HELD, WorkshopStatus.CANCELLED))
        | Exists(Invitation.objects.filter(workshop=OuterRef("pk")))
        | Exists(Notification.objects.filter(workshop=OuterRef("pk")))
        | Exists(Summary.objects.filter(workshop=OuterRef("pk")))
    )


def _number_of(rows: list[Workshop], pk: int) -> int:
    return next(w.number for w in rows if w.pk == pk)
