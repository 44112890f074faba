"""A small programme for the programme-wide insight tests: three dialogues the viewer convenes or
facilitates, with numbers worked out by hand, and a dialogue of the same Third Party the viewer only takes
part in, full of attendees, serving officials, shared members and outcomes that must change no figure."""

import datetime as dt
from dataclasses import dataclass

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus, OutcomeStage, WorkshopStatus
from participants.enums import Proximity
from tests.factories import (
    DialogueFactory,
    InvitationFactory,
    MembershipFactory,
    OutcomeFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)

ATTENDED, ABSENT = InvitationStatus.ATTENDED, InvitationStatus.ABSENT


def held(dialogue, day: dt.date, status=WorkshopStatus.HELD):
    starts = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
    return WorkshopFactory(
        series=SeriesFactory(dialogue=dialogue),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8),
        status=status,
    )


def seats(workshop, people, status=ATTENDED):
    for person in people:
        InvitationFactory(workshop=workshop, person=person, status=status)


@dataclass
class Programme:
    viewer: object  # the Person who convenes d1 and d3 and facilitates d2
    d1: object
    d2: object
    d3: object
    people: list


def programme() -> Programme:
    viewer = PersonFactory(user=UserFactory())
    d1 = DialogueFactory(codename="alpha")
    d2 = DialogueFactory(codename="bravo")
    d3 = DialogueFactory(codename="charlie")
    for dialogue, role in (
        (d1, DialogueRole.CONVENOR),
        (d2, DialogueRole.FACILITATOR),
        (d3, DialogueRole.CONVENOR),
    ):
        services.assign_role(dialogue=dialogue, person=viewer, role=role, by=None)
    p = [None] + [PersonFactory(pseudonym=f"P-{n:02d}") for n in range(1, 13)]  # p[1] .. p[12]
    for n in range(6, 11):
        p[n].proximity = Proximity.SERVING_OFFICIAL
        p[n].save()
    p[12].proximity = Proximity.SERVING_OFFICIAL
    p[12].save()
    north, south = SideFactory(dialogue=d1, name="North"), SideFactory(dialogue=d1, name="South")
    west = SideFactory(dialogue=d2, name="West")
    for n in range(1, 12):
        MembershipFactory(person=p[n], dialogue=d1, side=north if n <= 5 else south)
    MembershipFactory(person=p[1], dialogue=d2, side=west)
    MembershipFactory(person=p[12], dialogue=d2, side=west)
    MembershipFactory(person=p[1], dialogue=d3, side=SideFactory(dialogue=d3))
    gone = MembershipFactory(person=p[2], dialogue=d2, side=west, joined_on=dt.date(2025, 1, 1))
    gone.left_on = dt.date(2025, 6, 1)
    gone.save()
    # 2026 Q1: p1..p10 at w1. 2026 Q2: p1, p2, p11 at w2 and p1, p12 at w3. Not seats: p11 absent at w1,
    # p3 "attended" a cancelled workshop and a scheduled one.
    w1 = held(d1, dt.date(2026, 1, 15))
    seats(w1, p[1:11])
    seats(w1, [p[11]], status=ABSENT)
    seats(held(d1, dt.date(2026, 4, 15)), [p[1], p[2], p[11]])
    seats(held(d2, dt.date(2026, 4, 20)), [p[1], p[12]])
    seats(held(d1, dt.date(2026, 2, 1), status=WorkshopStatus.CANCELLED), [p[3]])
    seats(held(d1, dt.date(2026, 3, 1), status=WorkshopStatus.SCHEDULED), [p[3]])
    OutcomeFactory(dialogue=d1, stage=OutcomeStage.IDEA)
    OutcomeFactory(dialogue=d1, stage=OutcomeStage.SHARED)
    OutcomeFactory(dialogue=d2, stage=OutcomeStage.TAKEN_UP)
    return Programme(viewer=viewer, d1=d1, d2=d2, d3=d3, people=p)


def hidden_dialogue(world: Programme):
    """A dialogue of the same Third Party in which the viewer is only a participant: 30 serving officials who
    attended twice in 2026 Q2 and once in 2025, members of the viewer's dialogues among them, and outcomes."""
    hidden = DialogueFactory(codename="zulu-secret", third_party=world.d1.third_party)
    side = SideFactory(dialogue=hidden, name="Officials")
    services.assign_role(
        dialogue=hidden, person=world.viewer, role=DialogueRole.PARTICIPANT, side=side, by=None
    )
    crowd = [PersonFactory(proximity=Proximity.SERVING_OFFICIAL) for _ in range(30)]
    for person in [*crowd, world.people[1], world.people[2], world.people[12]]:
        MembershipFactory(person=person, dialogue=hidden, side=side)
    for day in (dt.date(2025, 11, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)):
        seats(held(hidden, day), [*crowd, world.people[1], world.people[11]])
    for stage in OutcomeStage:
        OutcomeFactory(dialogue=hidden, stage=stage)
    return hidden
