"""A dialogue with outcomes on the road to Track One, the people around it, and another dialogue whose
outcomes must never show (the transfer pipeline's tests)."""

import datetime as dt
from dataclasses import dataclass

from dialogues import services
from dialogues.enums import DialogueRole, OutcomeKind, OutcomeStage
from dialogues.models import Dialogue, Outcome
from dialogues.outcomes import services as outcome_services
from participants.models import Person
from tests.dialogues.helpers import member, two_sided
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory

TODAY = dt.date(2026, 12, 1)


@dataclass
class Road:
    dialogue: Dialogue
    convenor: Person
    facilitator: Person
    rapporteur: Person
    carrier: Person  # a participant who carries ideas to officials
    quiet: Person  # a participant who carries nothing
    other: Dialogue  # another dialogue, with a secret outcome of its own
    other_convenor: Person
    secret: Outcome


def facilitation(dialogue, role):
    person = PersonFactory(user=UserFactory())
    services.assign_role(dialogue=dialogue, person=person, role=role, by=None)
    return person


def build_road() -> Road:
    dialogue, north, _south = two_sided()
    convenor = facilitation(dialogue, DialogueRole.CONVENOR)
    other = DialogueFactory(codename="riverstone", title="Tamsa basin talks")
    SideFactory(dialogue=other, name="Upstream")
    other_convenor = facilitation(other, DialogueRole.CONVENOR)
    outsider = member(other)
    secret = outcome_services.record_outcome(
        dialogue=other,
        kind=OutcomeKind.TRANSFER,
        title="Secret dam release formula",
        transfer_to="Basin secretariat",
        reached_on=TODAY - dt.timedelta(days=300),
        channel="Hidden channel",
        carriers=[outsider],
        by=other_convenor.user,
        today=TODAY,
    )
    return Road(
        dialogue=dialogue,
        convenor=convenor,
        facilitator=facilitation(dialogue, DialogueRole.FACILITATOR),
        rapporteur=facilitation(dialogue, DialogueRole.RAPPORTEUR),
        carrier=member(dialogue, side=north),
        quiet=member(dialogue, side=north),
        other=other,
        other_convenor=other_convenor,
        secret=secret,
    )


def travel(road: Road, title: str, *, stages: int, start: dt.date, gap: int = 40) -> Outcome:
    """An outcome raised on `start` that reached the first `stages` stages, one every `gap` days."""
    outcome = outcome_services.record_outcome(
        dialogue=road.dialogue,
        kind=OutcomeKind.NEW_OPTION,
        title=title,
        reached_on=start,
        channel="working session",
        by=road.convenor.user,
        today=TODAY,
    )
    for n, stage in enumerate(list(OutcomeStage)[1:stages], start=1):
        outcome_services.record_outcome_stage(
            outcome=outcome,
            stage=stage,
            reached_on=start + dt.timedelta(days=gap * n),
            channel=f"channel {n}",
            carriers=[road.carrier],
            by=road.convenor.user,
            today=TODAY,
        )
    outcome.refresh_from_db()
    return outcome
