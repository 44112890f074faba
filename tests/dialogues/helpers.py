"""People and dialogues that several dialogues tests set up the same way."""

import re

from dialogues import services
from dialogues.enums import DialogueRole
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory


def member(dialogue, side=None, role=DialogueRole.PARTICIPANT, **person):
    person = PersonFactory(user=UserFactory(), **person)
    if side is None and role == DialogueRole.PARTICIPANT:
        side = dialogue.sides.first() or SideFactory(dialogue=dialogue)
    services.assign_role(dialogue=dialogue, person=person, role=role, side=side, by=None)
    return person


def pseudonym_in(dialogue, person) -> str:
    """What the dialogue's pages call a member (decision 0026): their membership's pseudonym there, which
    is not their account pseudonym (`person.pseudonym`, the auditors')."""
    return person.memberships.get(dialogue=dialogue).pseudonym


def shows(page: str, label: str) -> bool:
    """The label stands on the page as a whole word: "T-3" is not in "T-37" (the factories' account
    pseudonyms and the team's labels "T-<id>" share a prefix)."""
    return re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", page) is not None


def two_sided():
    dialogue = DialogueFactory(codename="tidewater", title="Serran Strait talks")
    return (
        dialogue,
        SideFactory(dialogue=dialogue, name="North"),
        SideFactory(dialogue=dialogue, name="South"),
    )
