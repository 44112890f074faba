"""Scale data for the benchmarks: many dialogues, people and workshops, written in bulk."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dialogues.enums import (
    DialogueStatus,
    Objective,
    Sensitivity,
    Track,
    WorkshopFormat,
    WorkshopStatus,
)
from dialogues.models import (
    AgendaItem,
    Dialogue,
    Invitation,
    Side,
    Workshop,
    WorkshopSeries,
)
from participants.enums import FundingConsent, Proximity, Risk
from participants.models import EMAIL_INDEX_PURPOSE, Facilitator, Membership, Person, ThirdParty
from trackii.crypto import blind_index
from trackii.demo.specs import (
    ABSENT,
    ACCEPTED,
    ATTENDED,
    CONVENOR,
    DECLINED,
    INVITED,
    MONTEVIDEO,
    NAIROBI,
    OSLO,
    PARTICIPANT,
    SINGAPORE,
    days_after,
)

# --- Scale data for benchmarks ----------------------------------------------------------------------------

SCALE_THIRD_PARTY = "Scale Test Third Party"
SCALE_PEOPLE_PER_DIALOGUE = 20  # the first is the dialogue's convenor, the others its participants
SCALE_SHARED_PEOPLE = 2  # participants of the previous dialogue who take part in the next one too
SCALE_WORKSHOPS_PER_DIALOGUE = 10  # one series of 10 (even dialogues) or two of 5 (odd ones)
SCALE_AGENDA_ITEMS_PER_WORKSHOP = 3
SCALE_INVITATIONS_PER_WORKSHOP = 8
SCALE_BATCH_SIZE = 5000
SCALE_DIALOGUES_PER_TRANSACTION = 250  # bounds the memory a run holds and what an interruption loses
SCALE_ZONES = (OSLO, SINGAPORE, NAIROBI, MONTEVIDEO, "Europe/Vienna", "Asia/Tokyo")
SCALE_PAST_STATUSES = (ATTENDED, ATTENDED, ATTENDED, ABSENT, ATTENDED, DECLINED, ATTENDED, ATTENDED)
SCALE_FUTURE_STATUSES = (ACCEPTED, INVITED, ACCEPTED, DECLINED, INVITED, ACCEPTED, ACCEPTED, INVITED)
SCALE_PREFIX_MAX_LENGTH = 22  # pseudonyms are "<prefix>-p0000001" in 32 characters


def scale_counts(dialogues: int) -> dict[str, int]:
    """The rows seed_scale adds for this many dialogues."""
    workshops = dialogues * SCALE_WORKSHOPS_PER_DIALOGUE
    return {
        "dialogues": dialogues,
        "sides": sum(3 if i % 3 == 0 else 2 for i in range(1, dialogues + 1)),
        "people": dialogues * SCALE_PEOPLE_PER_DIALOGUE,
        "facilitators": dialogues,
        "memberships": dialogues * (SCALE_PEOPLE_PER_DIALOGUE - 1)
        + max(dialogues - 1, 0) * SCALE_SHARED_PEOPLE,
        "series": sum(1 if i % 2 == 0 else 2 for i in range(1, dialogues + 1)),
        "workshops": workshops,
        "agenda items": workshops * SCALE_AGENDA_ITEMS_PER_WORKSHOP,
        "invitations": workshops * SCALE_INVITATIONS_PER_WORKSHOP,
    }


def _scale_chunk(
    numbers: range,
    *,
    prefix: str,
    third_party: ThirdParty,
    previous_people: list[Person],
    now: dt.datetime,
) -> tuple[dict[str, int], list[Person]]:
    counts: dict[str, int] = {}
    tracks, sensitivities, proximities = list(Track), list(Sensitivity), list(Proximity)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)

    def create(label: str, model, rows: list) -> list:
        model.objects.bulk_create(rows, batch_size=SCALE_BATCH_SIZE)
        counts[label] = counts.get(label, 0) + len(rows)
        return rows

    dialogues = create(
        "dialogues",
        Dialogue,
        [
            Dialogue(
                title=f"Scale dialogue {i}",
                codename=f"{prefix}-{i:05d}",
                track=tracks[i % len(tracks)],
                objective=Objective.MIXED,
                sensitivity=sensitivities[i % len(sensitivities)],
                status=DialogueStatus.ACTIVE,
                conflict=f"Generated for benchmarks ({prefix}).",
                third_party=third_party,
            )
            for i in numbers
        ],
    )
    sides = {
        i: [Side(dialogue=dialogue, name=f"Side {letter}") for letter in "ABC"[: 3 if i % 3 == 0 else 2]]
        for i, dialogue in zip(numbers, dialogues, strict=True)
    }
    create("sides", Side, [side for group in sides.values() for side in group])

    people: dict[int, list[Person]] = {}
    for i in numbers:
        people[i] = []
        for k in range(SCALE_PEOPLE_PER_DIALOGUE):
            n = (i - 1) * SCALE_PEOPLE_PER_DIALOGUE + k + 1
            pseudonym = f"{prefix}-p{n:07d}"
            email = f"{pseudonym}@scale.example.org"
            people[i].append(
                Person(
                    pseudonym=pseudonym,
                    name=f"Scale Person {n}",
                    email=email,
                    # bulk_create skips Person.save(), which would set the blind index.
                    email_index=blind_index(email, purpose=EMAIL_INDEX_PURPOSE),
                    affiliation=f"Scale organisation {n % 97}",
                    proximity=proximities[n % len(proximities)],
                    risk=Risk.ELEVATED if n % 10 == 0 else Risk.NORMAL,
                    languages=["en"],
                )
            )
    create("people", Person, [person for group in people.values() for person in group])
    create(
        "facilitators",
        Facilitator,
        [
            Facilitator(person=people[i][0], dialogue=dialogue, role=CONVENOR)
            for i, dialogue in zip(numbers, dialogues, strict=True)
        ],
    )

    joined_on = days_after(now.date(), -400)
    members: dict[int, list[Person]] = {}
    memberships = []
    for i, dialogue in zip(numbers, dialogues, strict=True):
        own = people[i][1:]
        shared = previous_people[1 : 1 + SCALE_SHARED_PEOPLE] if previous_people else []
        members[i] = own + shared
        for k, person in enumerate(members[i]):
            memberships.append(
                Membership(
                    person=person,
                    dialogue=dialogue,
                    side=sides[i][k % len(sides[i])],
                    role=PARTICIPANT,
                    joined_on=joined_on,
                    ground_rules_accepted_at=midnight - dt.timedelta(days=390),
                    funding_consent=FundingConsent.APPROVED if k % 7 else FundingConsent.PENDING,
                )
            )
        previous_people = people[i]
    create("memberships", Membership, memberships)

    series = {}
    for i, dialogue in zip(numbers, dialogues, strict=True):
        titles = ["Main series"] if i % 2 == 0 else ["Series A", "Series B"]
        series[i] = [
            WorkshopSeries(dialogue=dialogue, title=t, position=p) for p, t in enumerate(titles, start=1)
        ]
    create("series", WorkshopSeries, [s for group in series.values() for s in group])

    workshops = {}
    for i in numbers:
        workshops[i] = []
        per_series = SCALE_WORKSHOPS_PER_DIALOGUE // len(series[i])
        for k in range(SCALE_WORKSHOPS_PER_DIALOGUE):
            # Spread over about a year and a half, most of it past: a few upcoming workshops per dialogue.
            starts_at = midnight + dt.timedelta(days=-300 + (i % 60) + 40 * k, hours=7 + i % 5)
            workshops[i].append(
                Workshop(
                    series=series[i][k // per_series],
                    number=k % per_series + 1,
                    title=f"Workshop {k + 1}",
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(days=1, hours=8),
                    timezone=SCALE_ZONES[(i + k) % len(SCALE_ZONES)],
                    venue=f"Scale venue {k + 1}, room {i % 7 + 1}",
                    format=list(WorkshopFormat)[k % 3],
                    status=WorkshopStatus.HELD if starts_at < now else WorkshopStatus.SCHEDULED,
                )
            )
    create("workshops", Workshop, [w for group in workshops.values() for w in group])

    agenda, invitations = [], []
    for i in numbers:
        for k, workshop in enumerate(workshops[i]):
            agenda.extend(
                AgendaItem(
                    workshop=workshop,
                    position=p,
                    title=f"Agenda item {p}",
                    duration_minutes=60 + 30 * p,
                    facilitators_only=p == SCALE_AGENDA_ITEMS_PER_WORKSHOP,
                )
                for p in range(1, SCALE_AGENDA_ITEMS_PER_WORKSHOP + 1)
            )
            statuses = SCALE_PAST_STATUSES if workshop.starts_at < now else SCALE_FUTURE_STATUSES
            for j in range(SCALE_INVITATIONS_PER_WORKSHOP):
                status = statuses[(i + k + j) % len(statuses)]
                invitations.append(
                    Invitation(
                        workshop=workshop,
                        person=members[i][(3 * k + j) % len(members[i])],
                        status=status,
                        responded_at=None
                        if status == INVITED
                        else workshop.starts_at - dt.timedelta(days=10),
                    )
                )
    create("agenda items", AgendaItem, agenda)
    create("invitations", Invitation, invitations)
    return counts, previous_people


def seed_scale(
    *, dialogues: int, prefix: str = "scale", now: dt.datetime | None = None, progress=None
) -> dict:
    """Add ``dialogues`` generated dialogues with their people, workshops and invitations, in bulk.

    Codenames are ``<prefix>-00001``...; a prefix already used is refused, so a second run needs another
    prefix. Each block of SCALE_DIALOGUES_PER_TRANSACTION dialogues is one transaction. Returns the counts.
    """
    if dialogues < 0:
        raise ValidationError("The number of dialogues cannot be negative.")
    if slugify(prefix) != prefix or not prefix or len(prefix) > SCALE_PREFIX_MAX_LENGTH:
        raise ValidationError(
            f"The prefix must be a lower-case slug of at most {SCALE_PREFIX_MAX_LENGTH} characters, "
            "e.g. 'scale2'."
        )
    if (
        Dialogue.objects.filter(codename__startswith=f"{prefix}-").exists()
        or Person.objects.filter(pseudonym__startswith=f"{prefix}-p").exists()
    ):
        raise ValidationError(f"Scale data with the prefix “{prefix}” exists already: choose another prefix.")
    now = now or timezone.now()
    third_party, _ = ThirdParty.objects.get_or_create(name=SCALE_THIRD_PARTY)
    totals: dict[str, int] = {}
    previous_people: list[Person] = []
    for start in range(1, dialogues + 1, SCALE_DIALOGUES_PER_TRANSACTION):
        numbers = range(start, min(start + SCALE_DIALOGUES_PER_TRANSACTION, dialogues + 1))
        with transaction.atomic():
            counts, previous_people = _scale_chunk(
                numbers, prefix=prefix, third_party=third_party, previous_people=previous_people, now=now
            )
        for label, count in counts.items():
            totals[label] = totals.get(label, 0) + count
        if progress:
            progress(numbers[-1], dialogues)
    return totals
