# ruff: noqa: RUF001 - the Russian version of a summary is Cyrillic on purpose
"""Lanternfield: the demo's third dialogue (fiction)."""

from dialogues.enums import (
    DialogueStatus,
    Objective,
    OutcomeKind,
    OutcomeStage,
    Sensitivity,
    SummaryStatus,
    Track,
    WorkshopFormat,
)
from trackii.demo.specs import (
    ABSENT,
    ACCEPTED,
    ATTENDED,
    CONVENOR,
    DECLINED,
    INVITED,
    MARROWBAY,
    OBSERVER,
    ONLINE,
    OPENING,
    PARTICIPANT,
    RESOURCE,
    SINGAPORE,
    DialogueSpec,
    OutcomeSpec,
    SeriesSpec,
    SummarySpec,
    WorkshopSpec,
)

LISTENING_CIRCLE_EN = """## Opening

The facilitators recalled the ground rules: what is said here may be used, but never who said it.

## Listening circle: one story from each participant

Each participant told one story from the strikes. Several stories were about the ferry: for three weeks the
two halves of the isles could not reach each other, and families missed funerals and hospital visits. Others
were about the radio, which each half heard as speaking only to the other.

Two themes came back in almost every story:

- **Fear of being forgotten.** People on both halves said the strikes were reported elsewhere as a dispute
  between unions, not as something that happened to families.
- **Trust in local voices.** Participants trusted what they heard from neighbours more than any broadcast.

The group agreed that the next workshop should ask whether young people from both halves could make a
programme for the island radio together.
"""

LISTENING_CIRCLE_RU = """## Открытие

Ведущие напомнили о правилах встречи: сказанное здесь можно использовать, но нельзя называть, кто это сказал.

## Круг слушания: по одной истории от каждого участника

Каждый участник рассказал одну историю времён забастовок. Многие истории были о пароме: три недели две части
островов не могли добраться друг до друга, и семьи пропускали похороны и поездки в больницу. Другие истории
были о радио, которое каждая сторона воспринимала как обращённое только к другой.

Почти в каждой истории повторялись две темы:

- **Страх быть забытыми.** Жители обеих частей говорили, что за пределами островов о забастовках сообщали как
  о споре профсоюзов, а не как о том, что случилось с семьями.
- **Доверие к местным голосам.** Участники больше доверяли тому, что слышали от соседей, чем любым передачам.

Группа согласилась, что на следующем семинаре стоит обсудить, могут ли молодые люди из обеих частей вместе
подготовить программу для островного радио.
"""


LANTERNFIELD = DialogueSpec(
    codename="lanternfield",
    title="Ostmark Isles civil-society dialogue",
    track=Track.TRACK_3,
    objective=Objective.TRANSFORMATION,
    sensitivity=Sensitivity.RESTRICTED,
    status=DialogueStatus.ACTIVE,
    conflict=(
        "Mistrust between the northern and southern communities of the Ostmark Isles after the ferry strikes "
        "and the disputed island council elections."
    ),
    sides=("Northern Ostmark communities", "Southern Ostmark communities"),
    facilitators=(("P-1", CONVENOR),),
    members=(
        ("P-32", "Northern Ostmark communities", PARTICIPANT),
        ("P-33", "Northern Ostmark communities", PARTICIPANT),
        ("P-34", "Northern Ostmark communities", PARTICIPANT),
        ("P-35", "Northern Ostmark communities", PARTICIPANT),
        ("P-36", "Northern Ostmark communities", PARTICIPANT),
        ("P-37", "Southern Ostmark communities", PARTICIPANT),
        ("P-38", "Southern Ostmark communities", PARTICIPANT),
        ("P-39", "Southern Ostmark communities", PARTICIPANT),
        ("P-40", "Southern Ostmark communities", PARTICIPANT),
        ("P-41", "Southern Ostmark communities", PARTICIPANT),
        ("P-42", None, OBSERVER),
        ("P-22", None, RESOURCE),
        ("P-46", None, OBSERVER),
    ),
    undecided=frozenset({"P-41"}),
    series=(
        SeriesSpec(
            title="Listening circles",
            description="Community leaders, youth and media from both halves of the isles.",
            workshops=(
                WorkshopSpec(
                    number=1,
                    title="What the strikes meant to us",
                    days_from_today=-80,
                    days=1,
                    timezone=SINGAPORE,
                    venue=MARROWBAY,
                    format=WorkshopFormat.IN_PERSON,
                    agenda=(
                        OPENING,
                        ("Listening circle: one story from each participant", 180, False),
                        ("Facilitators: watch for tension between P-34 and P-38", 10, True),
                    ),
                    invitations={
                        "P-32": ATTENDED,
                        "P-33": ATTENDED,
                        "P-34": ATTENDED,
                        "P-35": ABSENT,
                        "P-37": ATTENDED,
                        "P-38": ATTENDED,
                        "P-39": DECLINED,
                        "P-40": ATTENDED,
                        "P-42": ATTENDED,
                        "P-46": ATTENDED,
                    },
                    # Sealed in English with a Russian version (issue 22): what was said, never who said it.
                    summary=SummarySpec(
                        status=SummaryStatus.SEALED,
                        body=LISTENING_CIRCLE_EN,
                        versions=(("ru", LISTENING_CIRCLE_RU),),
                    ),
                ),
                WorkshopSpec(
                    number=2,
                    title="Young people and the island radio",
                    days_from_today=15,
                    days=1,
                    timezone=SINGAPORE,
                    venue=ONLINE,
                    format=WorkshopFormat.ONLINE,
                    agenda=(OPENING, ("A shared programme on the island radio?", 120, False)),
                    invitations={
                        "P-32": ACCEPTED,
                        "P-34": INVITED,
                        "P-35": ACCEPTED,
                        "P-37": DECLINED,
                        "P-40": ACCEPTED,
                        "P-41": INVITED,
                    },
                ),
            ),
        ),
    ),
    outcomes=(
        OutcomeSpec(
            title="Joint youth radio programme",
            kind=OutcomeKind.NEW_CHANNEL,
            stage=OutcomeStage.IDEA,
            description="Youth participants from both halves propose a weekly programme on the island radio.",
        ),
    ),
)
