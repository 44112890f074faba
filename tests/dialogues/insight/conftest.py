"""A two-sided dialogue with held workshops, and another dialogue whose seats must never count here."""

import pytest

from dialogues.enums import DialogueRole, WorkshopStatus
from participants.enums import Proximity
from tests.dialogues.helpers import member, two_sided
from tests.dialogues.insight.helpers import held_workshop
from tests.factories import DialogueFactory, SeriesFactory, SideFactory


@pytest.fixture
def composed(db):
    """North: 3 serving officials and a civil-society member; South: an academic and a former official; an
    observer outside the sides; a convenor; a series of workshops in another dialogue that could leak."""
    dialogue, north, south = two_sided()
    official = [member(dialogue, north, proximity=Proximity.SERVING_OFFICIAL) for _ in range(2)]
    official.append(member(dialogue, north, proximity=Proximity.PARLIAMENTARIAN))
    activist = member(dialogue, north, proximity=Proximity.CIVIL_SOCIETY)
    academic = member(dialogue, south, proximity=Proximity.ACADEMIC)
    former = member(dialogue, south, proximity=Proximity.FORMER_OFFICIAL)
    observer = member(dialogue, role=DialogueRole.OBSERVER, proximity=Proximity.JOURNALIST)
    convenor = member(dialogue, role=DialogueRole.CONVENOR)
    series = SeriesFactory(dialogue=dialogue, title="Listening circles")
    first = held_workshop(series, 1, attended=[*official, activist, academic, observer], absent=[former])
    second = held_workshop(series, 2, attended=[official[0], academic, former])
    # What must not count: a scheduled workshop without attendance, a cancelled one, another dialogue.
    held_workshop(series, 3, status=WorkshopStatus.SCHEDULED, days_ago=-10)
    held_workshop(series, 4, status=WorkshopStatus.CANCELLED, attended=[*official])
    other = DialogueFactory(codename="lanternfield")
    elsewhere = SideFactory(dialogue=other, name="East")
    stranger = member(other, elsewhere, proximity=Proximity.FORMER_OFFICIAL)
    held_workshop(SeriesFactory(dialogue=other), 1, attended=[stranger, official[0]])
    return {
        "dialogue": dialogue,
        "north": north,
        "south": south,
        "convenor": convenor,
        "workshops": (first, second),
        "other": other,
    }
