"""People and dialogues that several dialogues tests set up the same way."""

from dialogues import services
from dialogues.enums import DialogueRole
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory


def member(dialogue, side=None, role=DialogueRole.PARTICIPANT, **person):
    person = PersonFactory(user=UserFactory(), **person)
    if side is None and role == DialogueRole.PARTICIPANT:
        side = dialogue.sides.first() or SideFactory(dialogue=dialogue)
    services.assign_role(dialogue=dialogue, person=person, role=role, side=side, by=None)
    return person


def two_sided():
    dialogue = DialogueFactory(codename="tidewater", title="Serran Strait talks")
    return (
        dialogue,
        SideFactory(dialogue=dialogue, name="North"),
        SideFactory(dialogue=dialogue, name="South"),
    )
