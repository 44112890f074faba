"""A dialogue with a convenor, a facilitator, a rapporteur, a participant and a funder officer, and one of
another dialogue: what the ripeness log tests stand on."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, WorkshopStatus
from dialogues.models import Dialogue
from participants.models import Person
from tests.factories import (
    DialogueFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)

# Seeded where it could leak and asserted absent: a participant's name, a venue, a series' title.
NAME = "Ysolde Marrakand-Vey"
VENUE = "Harrowgate Lodge, room 7"
SERIES_TITLE = "Phase two: the Corvel Banks"


@dataclass
class Team:
    dialogue: Dialogue
    convenor: Person
    facilitator: Person
    rapporteur: Person
    participant: Person
    funder: Person
    other_convenor: Person
    other: Dialogue


def _person(dialogue, role, **fields) -> Person:
    person = PersonFactory(user=UserFactory(), **fields)
    side = SideFactory(dialogue=dialogue) if role == DialogueRole.PARTICIPANT else None
    services.assign_role(dialogue=dialogue, person=person, role=role, side=side, by=None)
    return person


def team() -> Team:
    dialogue = DialogueFactory(codename="tidewater")
    other = DialogueFactory(codename="riverstone")
    series = SeriesFactory(dialogue=dialogue, title=SERIES_TITLE, position=1)
    now = timezone.now()
    # Numbered here, not by the factory's sequence: the page's marks name them ("series 1 · workshop 1")
    # whichever tests ran before.
    for number, days, status in ((1, -60, WorkshopStatus.HELD), (2, 30, WorkshopStatus.SCHEDULED)):
        WorkshopFactory(
            series=series,
            number=number,
            venue=VENUE,
            starts_at=now + dt.timedelta(days=days),
            ends_at=now + dt.timedelta(days=days, hours=6),
            status=status,
        )
    WorkshopFactory(series=series, number=3, venue=VENUE, status=WorkshopStatus.CANCELLED)
    return Team(
        dialogue=dialogue,
        convenor=_person(dialogue, DialogueRole.CONVENOR),
        facilitator=_person(dialogue, DialogueRole.FACILITATOR),
        rapporteur=_person(dialogue, DialogueRole.RAPPORTEUR),
        participant=_person(dialogue, DialogueRole.PARTICIPANT, name=NAME),
        funder=_person(dialogue, DialogueRole.FUNDER),
        other_convenor=_person(other, DialogueRole.CONVENOR),
        other=other,
    )
