"""People and places for the funding tests: a dialogue with two convenors and participants on two sides, a
funder with an officer who has a login, and a second dialogue that must not leak."""

from dataclasses import dataclass

import pytest

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole
from dialogues.models import Dialogue
from funding.funders.services import add_officer
from funding.models import Funder
from participants.models import Person
from tests.factories import DialogueFactory, FunderFactory, PersonFactory, SideFactory, UserFactory


@dataclass
class Place:
    dialogue: Dialogue
    convenor: Person
    second_convenor: Person
    participants: list[Person]
    funder: Funder
    officer: Person


def convene(dialogue: Dialogue, name: str) -> Person:
    person = PersonFactory(name=name, user=UserFactory())
    dialogue_services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.CONVENOR, by=None)
    return person


def participate(dialogue: Dialogue, side, name: str) -> Person:
    person = PersonFactory(name=name, user=UserFactory())
    dialogue_services.assign_role(
        dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
    )
    return person


def officer_of(funder: Funder, name: str = "Rupert Quillane") -> Person:
    person = PersonFactory(name=name, user=UserFactory())
    add_officer(funder=funder, person=person, by=None)
    return person


def make_place(tag: str) -> Place:
    dialogue = DialogueFactory(title=f"Secret {tag} talks", codename=f"secret-{tag}")
    north = SideFactory(dialogue=dialogue, name=f"North {tag}")
    south = SideFactory(dialogue=dialogue, name=f"South {tag}")
    funder = FunderFactory(name=f"Foundation {tag}")
    return Place(
        dialogue=dialogue,
        convenor=convene(dialogue, f"Convenor One {tag}"),
        second_convenor=convene(dialogue, f"Convenor Two {tag}"),
        participants=[
            participate(dialogue, north, f"Secret Participant {tag} North"),
            participate(dialogue, south, f"Secret Participant {tag} South"),
        ],
        funder=funder,
        officer=officer_of(funder, f"Officer {tag}"),
    )


@pytest.fixture
def place() -> Place:
    return make_place("a")


@pytest.fixture
def other_place() -> Place:
    return make_place("b")
