"""Reading the ripeness log and the workshops it is set beside: two queries whatever their number."""

import datetime as dt
import zoneinfo

from django.db.models import QuerySet

from dialogues.enums import WorkshopStatus
from dialogues.models import Dialogue, RipenessEntry, Workshop
from participants.selectors import called_in


def ripeness_entries(*, dialogue: Dialogue) -> QuerySet[RipenessEntry]:
    """The dialogue's entries, newest first, each with `writer`: the pseudonym of whoever last wrote it (the
    person's other columns are neither read nor decrypted)."""
    return (
        RipenessEntry.objects.filter(dialogue=dialogue)
        .annotate(writer=called_in(dialogue_ref="dialogue", person_ref="written_by__person"))
        .order_by("-occurred_on", "-id")
    )


def workshop_days(*, dialogue: Dialogue) -> list[tuple[dt.date, int, int]]:
    """(day on the venue's clock, series position, workshop number) of every workshop of the dialogue that
    is not cancelled, in order: the series' timeline, by numbers only (never a title or a venue)."""
    rows = (
        Workshop.objects.filter(series__dialogue=dialogue)
        .exclude(status=WorkshopStatus.CANCELLED)
        .order_by("starts_at", "id")
        .values_list("starts_at", "timezone", "series__position", "number")
    )
    return [
        (starts_at.astimezone(zoneinfo.ZoneInfo(zone)).date(), position, number)
        for starts_at, zone, position, number in rows
    ]
