"""Workshops that took place, with who attended: what the insight tests stand on."""

import datetime as dt

from django.utils import timezone

from dialogues.enums import InvitationStatus, WorkshopStatus
from participants.models import Membership
from tests.factories import InvitationFactory, MembershipFactory, PersonFactory, WorkshopFactory

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
    """A workshop of `series` held `days_ago`, with these people attending (and others absent or declined),
    each a member of the dialogue (with a random pseudonym there, as `add_member` draws: decision 0026)."""
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
            if not Membership.objects.filter(person=person, dialogue_id=series.dialogue_id).exists():
                MembershipFactory(person=person, dialogue=series.dialogue)
            InvitationFactory(workshop=workshop, person=person, status=status)
    return workshop


def called(dialogue, *persons) -> tuple[str, ...]:
    """What the dialogue's pages call these members (their pseudonyms there), sorted as the pages sort."""
    return tuple(sorted(person.memberships.get(dialogue=dialogue).pseudonym for person in persons))


def people(n: int, start: int = 1):
    return [PersonFactory(pseudonym=f"P-{k}", name=f"Secretname Number{k}") for k in range(start, start + n)]
