"""What the demo programme is made of: the specifications the builders read, the shorthand for
statuses and roles, and the time zones, venues and agenda pieces several dialogues share."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from dialogues.enums import InvitationStatus
from funding.enums import ConditionRuling
from participants.enums import FacilitatorRole, MemberRole, Risk

DEMO_PASSWORD = "demo-trackii-2026"  # noqa: S105 - printed on purpose: demo data only, never in production

INVITED, ACCEPTED, DECLINED = InvitationStatus.INVITED, InvitationStatus.ACCEPTED, InvitationStatus.DECLINED
ATTENDED, ABSENT = InvitationStatus.ATTENDED, InvitationStatus.ABSENT
CONVENOR, FACILITATOR, RAPPORTEUR = (
    FacilitatorRole.CONVENOR,
    FacilitatorRole.FACILITATOR,
    FacilitatorRole.RAPPORTEUR,
)
PARTICIPANT, OBSERVER, RESOURCE = MemberRole.PARTICIPANT, MemberRole.OBSERVER, MemberRole.RESOURCE_PERSON


# --- Specifications ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    email: str
    role: str
    can: str  # what the login shows, for the table printed by seed_demo
    pseudonym: str
    staff: bool = False
    superuser: bool = False


@dataclass(frozen=True)
class PersonSpec:
    pseudonym: str
    name: str
    proximity: str
    affiliation: str
    risk: str = Risk.NORMAL
    languages: tuple[str, ...] = ("en",)
    email: str | None = None  # a demo login's e-mail; everyone else gets an address of their own below
    other_names: tuple[str, ...] = ()  # the name in other scripts or transliterations (PersonName rows)

    @property
    def contact_email(self) -> str:
        return self.email or f"{self.pseudonym.lower().replace('-', '')}@example.org"


@dataclass(frozen=True)
class SummarySpec:
    status: str  # draft, in_review or sealed (sealed through the real pipeline, run in the seeding process)
    body: str
    # (author pseudonym, section, comment, suggested text, status, facilitators' response[, the passage of
    # the draft the suggested text replaces word for word: a correction the facilitators apply in one step])
    comments: tuple[tuple[str, ...], ...] = ()
    # Parallel versions in other languages (issue 22): (language code, Markdown), sealed with the summary.
    versions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class WorkshopSpec:
    number: int
    title: str
    days_from_today: int  # negative: already held
    days: int  # how many days it runs
    timezone: str
    venue: str
    format: str
    agenda: tuple[tuple[str, int, bool], ...]  # (title, minutes, facilitators only)
    invitations: dict[str, str]  # pseudonym → final invitation status
    summary: SummarySpec | None = None


@dataclass(frozen=True)
class SeriesSpec:
    title: str
    description: str
    workshops: tuple[WorkshopSpec, ...]


@dataclass(frozen=True)
class OutcomeSpec:
    title: str
    kind: str
    stage: str
    description: str
    workshop: tuple[str, int] | None = None  # (series title, workshop number)
    transfer_to: str = ""
    transfer_via: str = ""
    transferred_days_ago: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class DialogueSpec:
    codename: str
    title: str
    track: str
    objective: str
    sensitivity: str
    status: str
    conflict: str
    sides: tuple[str, ...]
    facilitators: tuple[tuple[str, str], ...]  # (pseudonym, role)
    members: tuple[tuple[str, str | None, str], ...]  # (pseudonym, side or None, role)
    series: tuple[SeriesSpec, ...]
    outcomes: tuple[OutcomeSpec, ...] = ()
    summary_author: str = "convenor@example.org"  # the login that drafts the summaries
    objections: frozenset[str] = frozenset()  # members who object to the funding arrangements
    undecided: frozenset[str] = frozenset()  # members who have not answered yet (nor accepted the rules)


@dataclass(frozen=True)
class ConditionSpec:
    kind: str
    text: str
    ruling: str = ConditionRuling.PENDING  # the final ruling; PENDING means nobody has ruled yet
    rationale: str = ""
    ruled_by: str = "convenor@example.org"
    confirmed_by: str | None = None  # a second convenor, for an accepted flagged condition


@dataclass(frozen=True)
class GrantSpec:
    reference: str
    funder: str
    dialogue: str | None  # None: the Third Party's core budget
    amount: Decimal
    currency: str
    starts_days_from_today: int
    months: int
    purpose: str
    status: str
    conditions: tuple[ConditionSpec, ...] = ()
    expenses: tuple[tuple[str, Decimal, int, str], ...] = ()  # (category, amount, days ago, description)


@dataclass(frozen=True)
class FunderSpec:
    name: str
    kind: str
    country: str
    officers: tuple[str, ...]  # pseudonyms


@dataclass
class SeedReport:
    """What seeding found or made, for the command to print."""

    created: dict[str, int] = field(default_factory=dict)

    def count(self, label: str, created: bool) -> None:
        self.created[label] = self.created.get(label, 0) + int(created)


def days_after(today: dt.date, offset: int) -> dt.date:
    return today + dt.timedelta(days=offset)


# --- Shared places and agenda pieces ---------------------------------------------------------------------

OSLO, SINGAPORE, NAIROBI, MONTEVIDEO = "Europe/Oslo", "Asia/Singapore", "Africa/Nairobi", "America/Montevideo"
FJORDHAVEN = "Fjordhaven Conference House, room 3"
MARROWBAY = "Marrowbay Harbour Hotel, Lantern Suite"
KIJANI = "Kijani Retreat Centre, Cedar Hall"
GARZAS = "Quinta Las Garzas, the library"
ONLINE = "Secure video room (link sent to those invited)"

OPENING = ("Welcome, ground rules and introductions", 60, False)
FACILITATION_HUDDLE = ("Facilitation team: debrief and adjustments", 45, True)
