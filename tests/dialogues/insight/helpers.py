"""Workshops that took place, with who attended: what the insight tests stand on."""

import datetime as dt

from django.utils import timezone

from dialogues.enums import InvitationStatus, WorkshopStatus
from tests.factories import InvitationFactory, PersonFactory, WorkshopFactory

NOW = timezone.now()


def held_workshop(series, number, *, attended=(), absent=(), status=WorkshopStatus.HELD, days_ago=None):
    starts = timezone.now() - dt.timedelta(days=days_ago if days_ago is not None else 100 - number)
    workshop = WorkshopFactory(
        series=series, number=number, status=status, starts_at=starts, ends_at=starts + dt.timedelta(days=1)
    )
    for person in attended:
        InvitationFactory(workshop=workshop, person=person, status=InvitationStatus.ATTENDED)
    for person in absent:
        InvitationFactory(workshop=workshop, person=person, status=InvitationStatus.ABSENT)
    return workshop


def held(series, days_ago: int, attended=(), *, number: int, absent=(), declined=()):
    """A workshop of `series` held `days_ago`, with these people attending (and others absent or declined)."""
    start = NOW - dt.timedelta(days=days_ago)
    workshop = WorkshopFactory(
        series=series,
        number=number,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        status=WorkshopStatus.HELD,
    )
    for people_, status in (
        (attended, InvitationStatus.ATTENDED),
        (absent, InvitationStatus.ABSENT),
        (declined, InvitationStatus.DECLINED),
    ):
        for person in people_:
            InvitationFactory(workshop=workshop, person=person, status=status)
    return workshop


def people(n: int, start: int = 1):
    return [PersonFactory(pseudonym=f"P-{k}", name=f"Secretname Number{k}") for k in range(start, start + n)]
