"""Workshops that took place, with who attended: what the insight tests stand on."""

import datetime as dt

from django.utils import timezone

from dialogues.enums import InvitationStatus, WorkshopStatus
from tests.factories import InvitationFactory, WorkshopFactory


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
