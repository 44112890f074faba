"""What the scale data is made of: its sizes, the heavy logins the HTTP benchmark logs in as, how many rows a
run writes (scale_counts), and what every block of dialogues shares."""

import datetime as dt
from dataclasses import dataclass, field

from funding.models import Funder
from participants.models import Person, ThirdParty
from trackii.demo.specs import (
    ABSENT,
    ACCEPTED,
    ATTENDED,
    DECLINED,
    INVITED,
    MONTEVIDEO,
    NAIROBI,
    OSLO,
    SINGAPORE,
)

# --- Scale data for benchmarks ----------------------------------------------------------------------------

SCALE_THIRD_PARTY = "Scale Test Third Party"
SCALE_PEOPLE_PER_DIALOGUE = 20  # the first is the dialogue's convenor, the others its participants
# Participants k = 1..19 of each dialogue: those with k % 3 == 0 have no login (not yet invited to make one);
# the others, like every convenor, have one. A participant with a login also takes part in the next
# k % 4 dialogues, so most are in 2-4 dialogues and a dialogue has about 38 members.
SCALE_NO_LOGIN_EVERY = 3
SCALE_REACH_CYCLE = 4
SCALE_WORKSHOPS_PER_DIALOGUE = 10  # one series of 10 (even dialogues) or two of 5 (odd ones)
SCALE_AGENDA_ITEMS_PER_WORKSHOP = 3
SCALE_INVITATIONS_PER_WORKSHOP = 8
SCALE_UNSEALED_EVERY = 3  # of the held workshops before the last, every third has no summary yet
SCALE_FUNDERS = 4  # each dialogue has one grant from one of them (round robin)
SCALE_OFFICERS_PER_FUNDER = 2
SCALE_BATCH_SIZE = 5000
SCALE_DIALOGUES_PER_TRANSACTION = 250  # bounds the memory a run holds and what an interruption loses
SCALE_ZONES = (OSLO, SINGAPORE, NAIROBI, MONTEVIDEO, "Europe/Vienna", "Asia/Tokyo")
SCALE_PAST_STATUSES = (ATTENDED, ATTENDED, ATTENDED, ABSENT, ATTENDED, DECLINED, ATTENDED, ATTENDED)
SCALE_FUTURE_STATUSES = (ACCEPTED, INVITED, ACCEPTED, DECLINED, INVITED, ACCEPTED, ACCEPTED, INVITED)
SCALE_PREFIX_MAX_LENGTH = 22  # pseudonyms are "<prefix>-p0000001" in 32 characters
# Scale logins cannot log in: an unusable password (Django's "!" prefix), written as is, since hashing one
# per row would take most of the run. Only the heavy logins below have a real password.
SCALE_UNUSABLE_PASSWORD = "!scale-login-without-password"  # noqa: S105 (not a password: unusable)

# The worst cases the HTTP benchmark logs in as (make bench): fixed e-mails, a real password.
HEAVY_CONVENOR = "heavy-convenor@bench.trackii.test"
HEAVY_PARTICIPANT = "heavy-participant@bench.trackii.test"
HEAVY_FUNDER = "heavy-funder@bench.trackii.test"
HEAVY_CONVENES = 200  # dialogues, spread over the run
HEAVY_TAKES_PART = 30
HEAVY_FUNDED = 200
BENCH_PASSWORD = "trackii-bench-password"  # noqa: S105 (fictional benchmark logins)


def has_login(k: int) -> bool:
    return k == 0 or k % SCALE_NO_LOGIN_EVERY != 0


def reach(k: int) -> int:
    """How many dialogues after their own a participant with a login also takes part in."""
    return k % SCALE_REACH_CYCLE if k and has_login(k) else 0


def spread(dialogues: int, count: int) -> frozenset[int]:
    """`count` dialogue numbers out of 1..dialogues, evenly spread (all of them if there are fewer)."""
    step = max(1, dialogues // count) if count else 1
    return frozenset(range(1, dialogues + 1, step)[:count])


def scale_counts(dialogues: int, *, heavy: bool = True) -> dict[str, int]:
    """The rows seed_scale adds for this many dialogues (`heavy`: the heavy logins are new, as on a fresh
    database). The grant rows depend on attendance and are counted by the run itself."""
    n, workshops = dialogues, dialogues * SCALE_WORKSHOPS_PER_DIALOGUE
    members = SCALE_PEOPLE_PER_DIALOGUE - 1
    travelling = sum(
        min(reach(k), n - i) for i in range(1, n + 1) for k in range(1, SCALE_PEOPLE_PER_DIALOGUE)
    )
    logins_per_dialogue = sum(has_login(k) for k in range(SCALE_PEOPLE_PER_DIALOGUE))
    officers = SCALE_FUNDERS * SCALE_OFFICERS_PER_FUNDER
    takes_part = len(spread(n, HEAVY_TAKES_PART)) if heavy else 0
    return {
        "dialogues": n,
        "sides": sum(3 if i % 3 == 0 else 2 for i in range(1, n + 1)),
        "people": n * SCALE_PEOPLE_PER_DIALOGUE + officers + (3 if heavy else 0),
        "logins": n * logins_per_dialogue + officers + (3 if heavy else 0),
        "facilitators": n + (len(spread(n, HEAVY_CONVENES)) if heavy else 0),
        "memberships": n * members + travelling + takes_part,
        "series": sum(1 if i % 2 == 0 else 2 for i in range(1, n + 1)),
        "workshops": workshops,
        "agenda items": workshops * SCALE_AGENDA_ITEMS_PER_WORKSHOP,
        "invitations": workshops * SCALE_INVITATIONS_PER_WORKSHOP + takes_part * SCALE_WORKSHOPS_PER_DIALOGUE,
        "funders": SCALE_FUNDERS + (1 if heavy else 0),
        "grants": n + (len(spread(n, HEAVY_FUNDED)) if heavy else 0),
    }


@dataclass
class Heavy:
    """The heavy logins' people, and where they hold their roles (nothing if they existed already)."""

    convenor: Person | None = None
    participant: Person | None = None
    officer: Person | None = None
    funder: Funder | None = None
    convenes: frozenset[int] = frozenset()
    takes_part: frozenset[int] = frozenset()
    funded: frozenset[int] = frozenset()


@dataclass
class Run:
    """What every block of dialogues shares."""

    prefix: str
    third_party: ThirdParty
    now: dt.datetime
    heavy: Heavy
    funders: list[Funder]
    # Funder id → the users of its officers (its group's members) and its group.
    officer_users: dict[int, list[int]]
    funder_groups: dict[int, int]
    # (model, codename) → Permission id.
    perms: dict[tuple[type, str], int]
    # Participants with a login still taking part in later dialogues: (person, last dialogue number).
    travellers: list[tuple[Person, int]] = field(default_factory=list)
