"""Held workshops with who attended, for the insight tests."""

import datetime as dt

from django.utils import timezone

from dialogues.enums import InvitationStatus, WorkshopStatus
from tests.factories import InvitationFactory, PersonFactory, WorkshopFactory

NOW = timezone.now()


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
    for people, status in (
        (attended, InvitationStatus.ATTENDED),
        (absent, InvitationStatus.ABSENT),
        (declined, InvitationStatus.DECLINED),
    ):
        for person in people:
            InvitationFactory(workshop=workshop, person=person, status=status)
    return workshop


def people(n: int, start: int = 1):
    return [PersonFactory(pseudonym=f"P-{k}", name=f"Secretname Number{k}") for k in range(start, start + n)]
