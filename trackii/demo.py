"""Trackii's demo programme: three dialogues of an invented Third Party, and the builders that load it.

Everything here is fiction: the countries, the conflicts, the organisations, the venues and the people. No
real person, organisation or place of a real conflict may be added (the time zones are real, the venues in
them are not). Loading is idempotent: every row has a stable natural key (codename, series title, workshop
number, pseudonym, funder name, grant reference...), and state changes go through the services, which do
nothing for a state an object is already in. Dates are relative to the day of seeding, so the demo always
has past workshops to review and upcoming ones to RSVP to.

Sealed (and superseded) summaries are not in the demo yet: a sealed summary needs a real signed PDF and its
SHA-256: they come with the sealing issue (trackii/sealing/), which will seal the in-review summaries here.
"""

import datetime as dt
import zoneinfo
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dialogues import services as dialogue_services
from dialogues.enums import (
    DialogueRole,
    DialogueStatus,
    InvitationStatus,
    Objective,
    OutcomeKind,
    OutcomeStage,
    ReviewCommentStatus,
    Sensitivity,
    SummaryStatus,
    Track,
    WorkshopFormat,
    WorkshopStatus,
)
from dialogues.models import (
    AgendaItem,
    Dialogue,
    Invitation,
    Outcome,
    ReviewComment,
    Side,
    Summary,
    Workshop,
    WorkshopSeries,
)
from dialogues.permissions import role_group_name
from dialogues.scheduling import services as scheduling_services
from dialogues.summaries import services as summary_services
from funding import services as funding_services
from funding.enums import ConditionKind, ConditionRuling, ExpenseCategory, FunderKind, GrantStatus
from funding.models import Condition, Expense, Funder, Grant
from participants import services as participant_services
from participants.enums import FacilitatorRole, FundingConsent, MemberRole, Proximity, Risk
from participants.models import EMAIL_INDEX_PURPOSE, Facilitator, Membership, Person, ThirdParty
from trackii.accounts.models import User
from trackii.audit.apps import AUDITORS_GROUP
from trackii.crypto import blind_index
from trackii.sealing.services import run_seal_job

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

    @property
    def contact_email(self) -> str:
        return self.email or f"{self.pseudonym.lower().replace('-', '')}@example.org"


@dataclass(frozen=True)
class SummarySpec:
    status: str  # draft, in_review or sealed (sealed through the real pipeline, run in the seeding process)
    body: str
    # (author pseudonym, section, comment, suggested text, status, facilitators' response)
    comments: tuple[tuple[str, str, str, str, str, str], ...] = ()


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


# --- The programme ----------------------------------------------------------------------------------------

THIRD_PARTY = {"name": "Halden Centre for Dialogue", "short_name": "Halden Centre", "country": "Aldria"}

LOGINS = (
    Login("convenor@example.org", "convenor", "convenes tidewater, riverstone and lanternfield", "P-1"),
    Login(
        "convenor2@example.org",
        "convenor",
        "second convenor of tidewater and riverstone: confirms flagged funder conditions",
        "P-2",
    ),
    Login("facilitator@example.org", "facilitator", "facilitates tidewater and riverstone", "P-3"),
    Login("rapporteur@example.org", "rapporteur", "drafts the tidewater summaries", "P-4"),
    Login(
        "participant@example.org",
        "participant",
        "tidewater (Veloria): attended tidewater workshop 1, whose summary is in review",
        "P-5",
    ),
    Login(
        "participant2@example.org",
        "participant",
        "tidewater (Kessarine): declined workshop 1, attended workshop 2, whose summary is sealed",
        "P-6",
    ),
    Login("participant3@example.org", "participant", "riverstone only (Lunmark)", "P-7"),
    Login(
        "funder@example.org",
        "funder officer",
        "Aldmere Peace Foundation (funds tidewater): disclosure reports only",
        "P-8",
    ),
    Login("auditor@example.org", "auditor", "staff: audit log, no dialogue role", "P-9", staff=True),
    Login(
        "admin@example.org",
        "administrator",
        "superuser: accounts and audit, no dialogue content",
        "P-10",
        staff=True,
        superuser=True,
    ),
)

_P = Proximity
PEOPLE = (
    # The Third Party's staff and the funders' officers (with logins, except P-43 and P-44).
    PersonSpec(
        "P-1",
        "Maren Holtvik",
        _P.OTHER,
        "Halden Centre for Dialogue, director of programmes",
        languages=("en", "no"),
        email="convenor@example.org",
    ),
    PersonSpec(
        "P-2",
        "Tobias Erlenmark",
        _P.FORMER_OFFICIAL,
        "Halden Centre for Dialogue, senior adviser",
        languages=("en", "de"),
        email="convenor2@example.org",
    ),
    PersonSpec(
        "P-3",
        "Ayla Deverin",
        _P.ACADEMIC,
        "Halden Centre for Dialogue, facilitator",
        languages=("en", "fr"),
        email="facilitator@example.org",
    ),
    PersonSpec(
        "P-4",
        "Jonah Paskett",
        _P.OTHER,
        "Halden Centre for Dialogue, rapporteur",
        email="rapporteur@example.org",
    ),
    PersonSpec(
        "P-5",
        "Corvin Asteli",
        _P.FORMER_OFFICIAL,
        "formerly Velorian Ministry of Maritime Affairs",
        languages=("en", "vl"),
        email="participant@example.org",
    ),
    PersonSpec(
        "P-6",
        "Nadira Kessov",
        _P.SECURITY_SECTOR,
        "Kessarine Naval Staff College",
        risk=Risk.ELEVATED,
        languages=("en", "ks"),
        email="participant2@example.org",
    ),
    PersonSpec(
        "P-7",
        "Esmé Vantobel",
        _P.CIVIL_SOCIETY,
        "Lunmark Riverkeepers Association",
        languages=("en", "fr"),
        email="participant3@example.org",
    ),
    PersonSpec(
        "P-8",
        "Rupert Quillane",
        _P.OTHER,
        "Aldmere Peace Foundation, programme officer",
        email="funder@example.org",
    ),
    PersonSpec(
        "P-9",
        "Hedda Lornquist",
        _P.OTHER,
        "Halden Centre for Dialogue, compliance",
        email="auditor@example.org",
    ),
    PersonSpec(
        "P-10", "Samir Oberlauf", _P.OTHER, "Halden Centre for Dialogue, IT", email="admin@example.org"
    ),
    # tidewater: Veloria
    PersonSpec(
        "P-11", "Ilario Penrath", _P.ADVISER, "Office of the Velorian Prime Minister", languages=("vl",)
    ),
    PersonSpec("P-12", "Saskia Morlaine", _P.PARLIAMENTARIAN, "Velorian Assembly, foreign affairs committee"),
    PersonSpec("P-13", "Benedek Sorrow", _P.BUSINESS, "Corvel Fishing Cooperative", languages=("vl", "en")),
    PersonSpec("P-14", "Yusra Tallent", _P.ACADEMIC, "University of Port Aster, law of the sea"),
    PersonSpec("P-15", "Oren Valcourt", _P.SERVING_OFFICIAL, "Velorian Coast Guard", risk=Risk.ELEVATED),
    # tidewater: Kessarine Federation
    PersonSpec(
        "P-16",
        "Dmitra Ostrova",
        _P.FORMER_OFFICIAL,
        "formerly Kessarine Foreign Ministry",
        languages=("ks", "en"),
    ),
    PersonSpec("P-17", "Halvor Brisk", _P.JOURNALIST, "Kessarine Maritime Review", risk=Risk.ELEVATED),
    PersonSpec("P-18", "Leontyne Faro", _P.BUSINESS, "Southern Kessarine Trawler Owners"),
    PersonSpec("P-19", "Amadou Reisz", _P.RELIGIOUS_LEADER, "Council of Coastal Parishes"),
    PersonSpec(
        "P-20", "Kaspar Lindqvel", _P.ADVISER, "Kessarine Presidential Administration", risk=Risk.ELEVATED
    ),
    # tidewater: observer and a resource person (who also serves riverstone and lanternfield)
    PersonSpec("P-21", "Fenna Aldous", _P.FORMER_OFFICIAL, "formerly Aldrian Ministry of Foreign Affairs"),
    PersonSpec(
        "P-22",
        "Theo Marchetti-Blum",
        _P.ACADEMIC,
        "Institute for Shared Waters, Aldria",
        languages=("en", "fr", "de"),
    ),
    # riverstone: Dravenia, Kessarine Federation, Lunmark
    PersonSpec(
        "P-23", "Vesna Draganova", _P.SERVING_OFFICIAL, "Dravenian Water Authority", risk=Risk.ELEVATED
    ),
    PersonSpec("P-24", "Rostam Ilyenko", _P.PARLIAMENTARIAN, "Dravenian National Council"),
    PersonSpec("P-25", "Margit Selloway", _P.CIVIL_SOCIETY, "Upper Tamsa Farmers' Union"),
    PersonSpec("P-26", "Cyprian Ostler", _P.ADVISER, "Kessarine Ministry of Agriculture"),
    PersonSpec("P-27", "Lena Vaskovic", _P.ACADEMIC, "Kessarine Institute of Hydrology"),
    PersonSpec("P-28", "Anselm Korrigan", _P.SERVING_OFFICIAL, "Lunmark Foreign Office", risk=Risk.ELEVATED),
    PersonSpec("P-29", "Priya Dalmont", _P.BUSINESS, "Lunmark Hydropower Company"),
    PersonSpec("P-30", "Jorun Talavera", _P.JOURNALIST, "Tamsa Valley Courier"),
    PersonSpec("P-31", "Emeric Solano", _P.FORMER_OFFICIAL, "formerly Dravenian Ministry of Energy"),
    # lanternfield: northern and southern Ostmark communities
    PersonSpec("P-32", "Ailsa Brennock", _P.CIVIL_SOCIETY, "North Isles Women's Network"),
    PersonSpec("P-33", "Tomasz Wyre", _P.RELIGIOUS_LEADER, "Harbour Chapel, Eastreach"),
    PersonSpec("P-34", "Kenji Arrowood", _P.JOURNALIST, "Ostmark Free Radio", risk=Risk.ELEVATED),
    PersonSpec("P-35", "Rhiannon Quaid", _P.CIVIL_SOCIETY, "Northern Youth Assembly"),
    PersonSpec("P-36", "Basil Okonkwo-Thorne", _P.ACADEMIC, "Ostmark College of the Isles"),
    PersonSpec("P-37", "Mirela Castaneve", _P.CIVIL_SOCIETY, "Southern Fishers' Mutual"),
    PersonSpec(
        "P-38", "Idris Vennholm", _P.RELIGIOUS_LEADER, "South Isles Council of Elders", risk=Risk.ELEVATED
    ),
    PersonSpec("P-39", "Clementine Roux-Adair", _P.BUSINESS, "Southreach Ferries"),
    PersonSpec("P-40", "Gideon Marrable", _P.CIVIL_SOCIETY, "Southern Youth Forum"),
    PersonSpec("P-41", "Sunniva Hale", _P.PARLIAMENTARIAN, "Ostmark Island Council"),
    PersonSpec("P-42", "Lukas Ferrante", _P.OTHER, "Isles Community Radio Trust"),
    # Officers of the other two funders (no logins).
    PersonSpec(
        "P-43", "Annika Brennholt", _P.SERVING_OFFICIAL, "Grand Duchy of Brenn, Ministry of External Affairs"
    ),
    PersonSpec("P-44", "Oswin Calder", _P.OTHER, "Concord Fund for Regional Stability"),
)

OSLO, SINGAPORE, NAIROBI, MONTEVIDEO = "Europe/Oslo", "Asia/Singapore", "Africa/Nairobi", "America/Montevideo"
FJORDHAVEN = "Fjordhaven Conference House, room 3"
MARROWBAY = "Marrowbay Harbour Hotel, Lantern Suite"
KIJANI = "Kijani Retreat Centre, Cedar Hall"
GARZAS = "Quinta Las Garzas, the library"
ONLINE = "Secure video room (link sent to those invited)"

OPENING = ("Welcome, ground rules and introductions", 60, False)
FACILITATION_HUDDLE = ("Facilitation team: debrief and adjustments", 45, True)

TIDEWATER_1_SUMMARY = """## Context

Participants from both sides met for two days under the Chatham House Rule.

## Incidents at sea

Participants agreed that most incidents began with a misread signal rather than a deliberate act. Several
participants described coast-guard crews acting without clear instructions.

## Fishing claims

One view held that the Corvel Banks matter less for their fish than for what a concession would signal at
home. Another view stressed the livelihoods of coastal towns on both shores.

## Ideas for follow-up

- A hotline between the two coast guards
- A joint survey of the banks' fish stocks
"""

RIVERSTONE_1_SUMMARY = """## Context

Participants from the three riparian states compared the flow data each side relies on.

## Why the numbers differ

Most of the difference comes from where the flow is measured and in which months.

## Next steps

An independent hydrologist could reconcile the three series.
"""

TIDEWATER = DialogueSpec(
    codename="tidewater",
    title="Serran Strait maritime boundary dialogue",
    track=Track.TRACK_2,
    objective=Objective.MANAGEMENT,
    sensitivity=Sensitivity.STRICTLY_CONFIDENTIAL,
    status=DialogueStatus.ACTIVE,
    conflict=(
        "Overlapping claims of the Republic of Veloria and the Kessarine Federation to the Corvel Banks and "
        "the waters of the Serran Strait, with recurrent incidents between fishing fleets and coast guards."
    ),
    sides=("Republic of Veloria", "Kessarine Federation"),
    facilitators=(("P-1", CONVENOR), ("P-2", CONVENOR), ("P-3", FACILITATOR), ("P-4", RAPPORTEUR)),
    summary_author="rapporteur@example.org",
    members=(
        ("P-5", "Republic of Veloria", PARTICIPANT),
        ("P-11", "Republic of Veloria", PARTICIPANT),
        ("P-12", "Republic of Veloria", PARTICIPANT),
        ("P-13", "Republic of Veloria", PARTICIPANT),
        ("P-14", "Republic of Veloria", PARTICIPANT),
        ("P-15", "Republic of Veloria", PARTICIPANT),
        ("P-6", "Kessarine Federation", PARTICIPANT),
        ("P-16", "Kessarine Federation", PARTICIPANT),
        ("P-17", "Kessarine Federation", PARTICIPANT),
        ("P-18", "Kessarine Federation", PARTICIPANT),
        ("P-19", "Kessarine Federation", PARTICIPANT),
        ("P-20", "Kessarine Federation", PARTICIPANT),
        ("P-21", None, OBSERVER),
        ("P-22", None, RESOURCE),
    ),
    undecided=frozenset({"P-15", "P-20"}),
    objections=frozenset({"P-17"}),
    series=(
        SeriesSpec(
            title="Phase one: the Corvel Banks",
            description="Problem-solving workshops on incidents at sea and the disputed banks.",
            workshops=(
                WorkshopSpec(
                    number=1,
                    title="Incidents at sea: what each side fears",
                    days_from_today=-150,
                    days=2,
                    timezone=OSLO,
                    venue=FJORDHAVEN,
                    format=WorkshopFormat.IN_PERSON,
                    agenda=(
                        OPENING,
                        ("Each side's account of the last three incidents", 120, False),
                        ("Needs and fears behind the fishing claims", 120, False),
                        ("Seating plan and who should not share a table", 20, True),
                        FACILITATION_HUDDLE,
                    ),
                    invitations={
                        "P-5": ATTENDED,
                        "P-6": DECLINED,
                        "P-11": ATTENDED,
                        "P-12": ATTENDED,
                        "P-13": ABSENT,
                        "P-15": ATTENDED,
                        "P-16": ATTENDED,
                        "P-17": ATTENDED,
                        "P-21": ATTENDED,
                    },
                    summary=SummarySpec(
                        status=SummaryStatus.IN_REVIEW,
                        body=TIDEWATER_1_SUMMARY,
                        comments=(
                            (
                                "P-5",
                                "Incidents at sea",
                                "“Most incidents” overstates it: we said many.",
                                "Participants agreed that many incidents began with a misread signal.",
                                ReviewCommentStatus.ACCEPTED,
                                "Changed as suggested.",
                            ),
                            (
                                "P-11",
                                "Ideas for follow-up",
                                "The hotline idea should mention the radio channel proposal as well.",
                                "",
                                ReviewCommentStatus.OPEN,
                                "",
                            ),
                            (
                                "P-16",
                                "Fishing claims",
                                "Please remove the word “concession”: read at home it "
                                "would sound like a position.",
                                "what a compromise would signal at home",
                                ReviewCommentStatus.OPEN,
                                "",
                            ),
                        ),
                    ),
                ),
                WorkshopSpec(
                    number=2,
                    title="A hotline between coast guards",
                    days_from_today=-60,
                    days=2,
                    timezone=SINGAPORE,
                    venue=MARROWBAY,
                    format=WorkshopFormat.IN_PERSON,
                    agenda=(
                        OPENING,
                        ("How a hotline would work on a bad night", 150, False),
                        ("Who at home must hear about it first", 90, False),
                        FACILITATION_HUDDLE,
                    ),
                    invitations={
                        "P-5": ATTENDED,
                        "P-6": ATTENDED,
                        "P-11": ATTENDED,
                        "P-14": ATTENDED,
                        "P-16": ABSENT,
                        "P-18": ATTENDED,
                        "P-19": DECLINED,
                        "P-22": ATTENDED,
                    },
                    summary=SummarySpec(
                        status=SummaryStatus.SEALED,
                        body=(
                            "## Context\n\nThe second workshop took up the hotline idea from the first.\n\n"
                            "## A hotline on a bad night\n\nParticipants walked through an incident hour by "
                            "hour and found three points where a call would have helped.\n"
                        ),
                    ),
                ),
                WorkshopSpec(
                    number=3,
                    title="Joint survey of the banks: terms of reference",
                    days_from_today=25,
                    days=2,
                    timezone=OSLO,
                    venue=FJORDHAVEN,
                    format=WorkshopFormat.IN_PERSON,
                    agenda=(
                        OPENING,
                        ("Draft terms of reference for a joint fish-stock survey", 180, False),
                        ("How to brief the two foreign ministries without attribution", 90, False),
                        ("Risk check: travel arrangements for elevated-risk participants", 30, True),
                    ),
                    invitations={
                        "P-5": ACCEPTED,
                        "P-6": INVITED,
                        "P-11": ACCEPTED,
                        "P-12": DECLINED,
                        "P-17": INVITED,
                        "P-20": ACCEPTED,
                    },
                ),
            ),
        ),
        SeriesSpec(
            title="Fisheries working group",
            description="A smaller group of fishing-industry participants from both sides.",
            workshops=(
                WorkshopSpec(
                    number=1,
                    title="Quotas without borders",
                    days_from_today=-40,
                    days=1,
                    timezone=OSLO,
                    venue=ONLINE,
                    format=WorkshopFormat.ONLINE,
                    agenda=(
                        ("Introductions and ground rules", 20, False),
                        ("Catch data each side trusts", 90, False),
                        FACILITATION_HUDDLE,
                    ),
                    invitations={"P-13": ATTENDED, "P-14": ATTENDED, "P-18": ABSENT, "P-20": ATTENDED},
                    summary=SummarySpec(
                        status=SummaryStatus.DRAFT,
                        body="## Catch data\n\nParticipants listed the catch data each side trusts.\n",
                    ),
                ),
                WorkshopSpec(
                    number=2,
                    title="Seasonal closures",
                    days_from_today=55,
                    days=1,
                    timezone=NAIROBI,
                    venue=KIJANI,
                    format=WorkshopFormat.HYBRID,
                    agenda=(OPENING, ("Seasonal closures both fleets could live with", 150, False)),
                    invitations={"P-13": ACCEPTED, "P-14": INVITED, "P-18": INVITED, "P-20": DECLINED},
                ),
            ),
        ),
    ),
    outcomes=(
        OutcomeSpec(
            title="Coast-guard hotline proposal",
            kind=OutcomeKind.TRANSFER,
            stage=OutcomeStage.SHARED,
            description="A one-page proposal for a direct line between the two coast guards' duty officers.",
            workshop=("Phase one: the Corvel Banks", 2),
            transfer_to="Velorian Ministry of Foreign Affairs, maritime desk",
            transfer_via="a former official among the participants (P-5), in a private briefing",
            transferred_days_ago=30,
            evidence="The desk's reply asks for the technical annex and cites the proposal to cabinet.",
        ),
        OutcomeSpec(
            title="Participants see incidents as misread signals",
            kind=OutcomeKind.CHANGED_PERCEPTIONS,
            stage=OutcomeStage.DEVELOPED,
            description="Both sides now describe most incidents as misunderstandings, not provocations.",
            workshop=("Phase one: the Corvel Banks", 1),
        ),
        OutcomeSpec(
            title="Direct channel between the two fishing associations",
            kind=OutcomeKind.NEW_CHANNEL,
            stage=OutcomeStage.IDEA,
            description="Two participants of the fisheries working group now exchange weekly catch reports.",
            workshop=("Fisheries working group", 1),
        ),
    ),
)

RIVERSTONE = DialogueSpec(
    codename="riverstone",
    title="Tamsa basin water-sharing dialogue",
    track=Track.TRACK_1_5,
    objective=Objective.MIXED,
    sensitivity=Sensitivity.CONFIDENTIAL,
    status=DialogueStatus.ACTIVE,
    conflict=(
        "Allocation of the Tamsa River's dry-season flow between upstream Dravenia, Lunmark and the "
        "downstream Kessarine Federation since the Upper Tamsa dam was filled."
    ),
    sides=("Dravenia", "Kessarine Federation", "Lunmark"),
    facilitators=(("P-1", CONVENOR), ("P-2", CONVENOR), ("P-3", FACILITATOR)),
    summary_author="facilitator@example.org",
    members=(
        ("P-23", "Dravenia", PARTICIPANT),
        ("P-24", "Dravenia", PARTICIPANT),
        ("P-25", "Dravenia", PARTICIPANT),
        ("P-31", "Dravenia", PARTICIPANT),
        ("P-16", "Kessarine Federation", PARTICIPANT),
        ("P-26", "Kessarine Federation", PARTICIPANT),
        ("P-27", "Kessarine Federation", PARTICIPANT),
        ("P-7", "Lunmark", PARTICIPANT),
        ("P-28", "Lunmark", PARTICIPANT),
        ("P-29", "Lunmark", PARTICIPANT),
        ("P-30", "Lunmark", PARTICIPANT),
        ("P-22", None, RESOURCE),
    ),
    undecided=frozenset({"P-30"}),
    series=(
        SeriesSpec(
            title="Basin commission track",
            description="Officials and experts from the three riparian states, in their personal capacity.",
            workshops=(
                WorkshopSpec(
                    number=1,
                    title="Dry-season flow: the numbers each side uses",
                    days_from_today=-100,
                    days=3,
                    timezone=MONTEVIDEO,
                    venue=GARZAS,
                    format=WorkshopFormat.IN_PERSON,
                    agenda=(
                        OPENING,
                        ("Three sets of flow data, side by side", 180, False),
                        ("Why the numbers differ", 120, False),
                        ("Interpreters' briefing on technical terms", 30, True),
                        FACILITATION_HUDDLE,
                    ),
                    invitations={
                        "P-7": ATTENDED,
                        "P-16": ATTENDED,
                        "P-23": ATTENDED,
                        "P-24": ABSENT,
                        "P-26": ATTENDED,
                        "P-27": ATTENDED,
                        "P-28": ATTENDED,
                        "P-29": DECLINED,
                        "P-22": ATTENDED,
                    },
                    summary=SummarySpec(
                        status=SummaryStatus.IN_REVIEW,
                        body=RIVERSTONE_1_SUMMARY,
                        comments=(
                            (
                                "P-7",
                                "Next steps",
                                "Lunmark participants asked for the reconciliation to be "
                                "public; please say so.",
                                "",
                                ReviewCommentStatus.OPEN,
                                "",
                            ),
                            (
                                "P-23",
                                "Why the numbers differ",
                                "Add that the upstream gauges are older.",
                                "Most of the difference comes from where (and with how old gauges) the "
                                "flow is measured.",
                                ReviewCommentStatus.ANSWERED,
                                "Kept general: naming the gauges would point to one participant.",
                            ),
                        ),
                    ),
                ),
                WorkshopSpec(
                    number=2,
                    title="Sharing a drought",
                    days_from_today=-20,
                    days=2,
                    timezone=NAIROBI,
                    venue=KIJANI,
                    format=WorkshopFormat.HYBRID,
                    agenda=(
                        OPENING,
                        ("Scenario: the third dry year", 180, False),
                        ("What each capital could accept", 120, False),
                        FACILITATION_HUDDLE,
                    ),
                    invitations={
                        "P-7": ATTENDED,
                        "P-16": ATTENDED,
                        "P-23": ATTENDED,
                        "P-25": ATTENDED,
                        "P-27": ABSENT,
                        "P-28": ATTENDED,
                        "P-30": ATTENDED,
                        "P-31": DECLINED,
                    },
                    summary=SummarySpec(
                        status=SummaryStatus.DRAFT,
                        body="## Scenario\n\nParticipants worked through a third consecutive dry year.\n",
                    ),
                ),
                WorkshopSpec(
                    number=3,
                    title="A drought protocol",
                    days_from_today=40,
                    days=2,
                    timezone=MONTEVIDEO,
                    venue=GARZAS,
                    format=WorkshopFormat.IN_PERSON,
                    agenda=(
                        OPENING,
                        ("Drafting a drought protocol", 240, False),
                        ("Handling the press if the meeting becomes known", 30, True),
                    ),
                    invitations={
                        "P-7": ACCEPTED,
                        "P-16": INVITED,
                        "P-23": ACCEPTED,
                        "P-24": DECLINED,
                        "P-26": INVITED,
                        "P-28": ACCEPTED,
                        "P-29": INVITED,
                    },
                ),
            ),
        ),
    ),
    outcomes=(
        OutcomeSpec(
            title="Independent reconciliation of the flow data",
            kind=OutcomeKind.TRANSFER,
            stage=OutcomeStage.TAKEN_UP,
            description="The proposal for one reconciled flow series was taken into the official talks.",
            workshop=("Basin commission track", 1),
            transfer_to="Tamsa Basin Commission secretariat",
            transfer_via="two participants who sit on their governments' delegations",
            transferred_days_ago=70,
            evidence="Item 4 of the commission's published agenda: 'reconciled hydrological baseline'.",
        ),
        OutcomeSpec(
            title="Network of basin hydrologists",
            kind=OutcomeKind.NETWORK,
            stage=OutcomeStage.DEVELOPED,
            description="Hydrologists of the three states now meet each quarter without the facilitators.",
        ),
        OutcomeSpec(
            title="Drought-sharing formula",
            kind=OutcomeKind.NEW_OPTION,
            stage=OutcomeStage.IDEA,
            description="A sliding formula for dry-year releases, to be developed at the next workshop.",
            workshop=("Basin commission track", 2),
        ),
    ),
)

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
                    },
                    summary=SummarySpec(
                        status=SummaryStatus.DRAFT,
                        body="## Listening circle\n\nEach participant told one story from the strikes.\n",
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

DIALOGUES = (TIDEWATER, RIVERSTONE, LANTERNFIELD)

FUNDERS = (
    FunderSpec("Aldmere Peace Foundation", FunderKind.FOUNDATION, "Aldria", officers=("P-8",)),
    FunderSpec(
        "Ministry of External Affairs of the Grand Duchy of Brenn",
        FunderKind.GOVERNMENT,
        "Brenn",
        officers=("P-43",),
    ),
    FunderSpec("Concord Fund for Regional Stability", FunderKind.MULTILATERAL, "", officers=("P-44",)),
)

GRANTS = (
    GrantSpec(
        reference="APF-2025-017",
        funder="Aldmere Peace Foundation",
        dialogue="tidewater",
        amount=Decimal("240000.00"),
        currency="EUR",
        starts_days_from_today=-200,
        months=24,
        purpose="Four workshops of the Serran Strait dialogue and the fisheries working group.",
        status=GrantStatus.ACTIVE,
        conditions=(
            ConditionSpec(
                ConditionKind.REPORTING,
                "A narrative and financial report every six months.",
                ConditionRuling.ACCEPTED,
                "Standard reporting; the narrative report describes activity only in aggregate.",
            ),
            ConditionSpec(
                ConditionKind.FUNDER_ATTENDANCE,
                "Foundation staff may attend workshops as observers.",
                ConditionRuling.REJECTED,
                "Participants from both sides would be exposed to an outside party they did not agree to "
                "meet; the foundation receives the disclosure report instead.",
            ),
        ),
        expenses=(
            (ExpenseCategory.TRAVEL, Decimal("18450.00"), 148, "Flights to workshop 1"),
            (ExpenseCategory.VENUE, Decimal("7200.00"), 150, "Conference house, two days"),
            (ExpenseCategory.ACCOMMODATION, Decimal("9840.00"), 149, "Rooms for workshop 1"),
            (ExpenseCategory.INTERPRETATION, Decimal("4600.00"), 150, "Two interpreters, workshop 1"),
            (ExpenseCategory.TRAVEL, Decimal("21300.00"), 58, "Flights to workshop 2"),
            (ExpenseCategory.VENUE, Decimal("8900.00"), 60, "Hotel meeting suite, two days"),
            (ExpenseCategory.STAFF, Decimal("15000.00"), 30, "Facilitation team, first half-year"),
        ),
    ),
    GrantSpec(
        reference="BRN-MEA-88",
        funder="Ministry of External Affairs of the Grand Duchy of Brenn",
        dialogue="riverstone",
        amount=Decimal("180000.00"),
        currency="USD",
        starts_days_from_today=-150,
        months=18,
        purpose="The Tamsa basin dialogue: three workshops and an independent hydrological review.",
        status=GrantStatus.ACTIVE,
        conditions=(
            ConditionSpec(
                ConditionKind.VISIBILITY,
                "The ministry's support is acknowledged in public reports.",
                ConditionRuling.NEGOTIATED,
                "Acknowledged in the Centre's annual report, never next to the dialogue's name.",
            ),
            ConditionSpec(
                ConditionKind.AGENDA,
                "The ministry may propose agenda items.",
                ConditionRuling.ACCEPTED,
                "Proposals are one input among many: the facilitation team keeps the final say, and "
                "participants are told which items a funder proposed.",
                confirmed_by="convenor2@example.org",
            ),
        ),
        expenses=(
            (ExpenseCategory.TRAVEL, Decimal("26750.00"), 98, "Flights to workshop 1"),
            (ExpenseCategory.VENUE, Decimal("5400.00"), 100, "Estate library, three days"),
            (ExpenseCategory.INTERPRETATION, Decimal("9100.00"), 100, "Three languages, workshop 1"),
            (ExpenseCategory.ACCOMMODATION, Decimal("11200.00"), 19, "Retreat centre, workshop 2"),
            (ExpenseCategory.OTHER, Decimal("2500.00"), 15, "Secure video licences"),
        ),
    ),
    GrantSpec(
        reference="CFRS-CORE-2025",
        funder="Concord Fund for Regional Stability",
        dialogue=None,
        amount=Decimal("500000.00"),
        currency="EUR",
        starts_days_from_today=-300,
        months=36,
        purpose="Core budget of the Halden Centre for Dialogue: staff, security and systems.",
        status=GrantStatus.ACTIVE,
        conditions=(
            ConditionSpec(
                ConditionKind.FINANCIAL,
                "An external audit of the Centre's accounts every year.",
                ConditionRuling.ACCEPTED,
                "We commission an annual audit anyway.",
            ),
        ),
        expenses=(
            (ExpenseCategory.STAFF, Decimal("96000.00"), 200, "Programme staff, first half-year"),
            (ExpenseCategory.STAFF, Decimal("96000.00"), 20, "Programme staff, second half-year"),
            (ExpenseCategory.OTHER, Decimal("14500.00"), 120, "Security review and encrypted devices"),
        ),
    ),
    GrantSpec(
        reference="APF-2026-004",
        funder="Aldmere Peace Foundation",
        dialogue="lanternfield",
        amount=Decimal("60000.00"),
        currency="EUR",
        starts_days_from_today=30,
        months=12,
        purpose="Two listening circles and a youth media workshop in the Ostmark Isles.",
        status=GrantStatus.PROPOSED,
        conditions=(
            ConditionSpec(
                ConditionKind.SUMMARY_ACCESS,
                "The foundation receives the workshop summaries.",
            ),
        ),
    ),
)


# --- Builders ---------------------------------------------------------------------------------------------


def _set_fields(obj, values: dict) -> bool:
    """Assign the values that differ and save them; True if anything changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def seed_users(report: SeedReport) -> dict[str, User]:
    users = {}
    for login in LOGINS:
        user, created = User.objects.get_or_create(email=login.email)
        report.count("users", created)
        user.is_staff, user.is_superuser, user.is_active = login.staff, login.superuser, True
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        users[login.email] = user
    # The demo auditor reads the audit log (and nothing else).
    Group.objects.get_or_create(name=AUDITORS_GROUP)[0].user_set.add(users["auditor@example.org"])
    return users


def seed_third_party(report: SeedReport) -> ThirdParty:
    third_party, created = ThirdParty.objects.get_or_create(
        name=THIRD_PARTY["name"], defaults={k: v for k, v in THIRD_PARTY.items() if k != "name"}
    )
    report.count("third parties", created)
    return third_party


def seed_people(report: SeedReport, users: dict[str, User]) -> dict[str, Person]:
    people = {
        person.pseudonym: person
        for person in Person.objects.filter(pseudonym__in=[p.pseudonym for p in PEOPLE])
    }
    for spec in PEOPLE:
        user = users.get(spec.email)
        values = {
            "proximity": spec.proximity,
            "risk": spec.risk,
            "languages": list(spec.languages),
            "affiliation": spec.affiliation,
            "user": user,
        }
        person = people.get(spec.pseudonym)
        if person is None:
            person = participant_services.create_person(
                name=spec.name, email=spec.contact_email, pseudonym=spec.pseudonym, **values
            )
            people[spec.pseudonym] = person
            report.count("people", True)
        else:
            # Encrypted values compare as plaintext: the model decrypts them on load.
            _set_fields(person, {"name": spec.name, "email": spec.contact_email, **values})
    return people


# The statuses an object passes through, from its initial one, to reach each target status.
DIALOGUE_STEPS = {
    DialogueStatus.SCOPING: (),
    DialogueStatus.CONVENING: (DialogueStatus.CONVENING,),
    DialogueStatus.ACTIVE: (DialogueStatus.CONVENING, DialogueStatus.ACTIVE),
    DialogueStatus.DORMANT: (DialogueStatus.CONVENING, DialogueStatus.ACTIVE, DialogueStatus.DORMANT),
    DialogueStatus.CONCLUDED: (DialogueStatus.CONVENING, DialogueStatus.ACTIVE, DialogueStatus.CONCLUDED),
}
FUNDED_STATUSES = {GrantStatus.ACCEPTED, GrantStatus.ACTIVE, GrantStatus.CLOSED}
GRANT_STEPS = {
    GrantStatus.PROPOSED: (),
    GrantStatus.ACCEPTED: (GrantStatus.ACCEPTED,),
    GrantStatus.DECLINED: (GrantStatus.DECLINED,),
    GrantStatus.ACTIVE: (GrantStatus.ACCEPTED, GrantStatus.ACTIVE),
    GrantStatus.CLOSED: (GrantStatus.ACCEPTED, GrantStatus.ACTIVE, GrantStatus.CLOSED),
}


def _remaining_steps(current: str, steps: tuple[str, ...]) -> tuple[str, ...]:
    """The steps still to take: none once the object is at (or past) its target, all from the start."""
    if current in steps:
        return steps[steps.index(current) + 1 :]
    return steps


def _days(today: dt.date, offset: int) -> dt.date:
    return today + dt.timedelta(days=offset)


def _workshop_times(spec: WorkshopSpec, today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """09:00 on the first day to 17:00 on the last, in the venue's time zone."""
    zone = zoneinfo.ZoneInfo(spec.timezone)
    first = _days(today, spec.days_from_today)
    last = _days(first, spec.days - 1)
    return (
        dt.datetime.combine(first, dt.time(9), tzinfo=zone),
        dt.datetime.combine(last, dt.time(17), tzinfo=zone),
    )


def _invitation_path(current: str, target: str) -> list[str]:
    """The shortest walk through the allowed invitation transitions from current to target."""
    transitions = scheduling_services.INVITATION_TRANSITIONS
    queue, previous = deque([current]), {current: None}
    while queue:
        state = queue.popleft()
        if state == target:
            break
        for following in transitions[InvitationStatus(state)]:
            if following not in previous:
                previous[following] = state
                queue.append(following)
    if target not in previous:
        raise RuntimeError(f"An invitation cannot go from {current} to {target}: reset the demo database.")
    path, state = [], target
    while state != current:
        path.append(state)
        state = previous[state]
    return path[::-1]


def _drive_invitation(invitation: Invitation, target: str, now: dt.datetime) -> Invitation:
    workshop = invitation.workshop
    for step in _invitation_path(invitation.status, target):
        if step in scheduling_services.ATTENDANCE:
            at = now
        elif workshop.ends_at < now:
            # The reply to a workshop that is now over was given before it: two weeks ahead.
            at = workshop.starts_at - dt.timedelta(days=14)
        else:
            at = now
        invitation = scheduling_services.set_invitation_status(invitation=invitation, status=step, now=at)
    return invitation


def seed_dialogue(
    spec: DialogueSpec,
    *,
    report: SeedReport,
    third_party: ThirdParty,
    people: dict[str, Person],
    users: dict[str, User],
    now: dt.datetime,
) -> Dialogue:
    today = now.date()
    fields = {
        "title": spec.title,
        "track": spec.track,
        "objective": spec.objective,
        "sensitivity": spec.sensitivity,
        "conflict": spec.conflict,
        "third_party": third_party,
    }
    dialogue = Dialogue.objects.filter(codename=spec.codename).first()
    if dialogue is None:
        dialogue = dialogue_services.create_dialogue(codename=spec.codename, sides=list(spec.sides), **fields)
        report.count("dialogues", True)
    else:
        _set_fields(dialogue, fields)
        for name in spec.sides:
            dialogue_services.add_side(dialogue=dialogue, name=name)
    sides = {side.name: side for side in dialogue.sides.all()}

    # assign_role records who gave the role in the audit log, so it runs only for a role not yet given;
    # a second run finds the roles and leaves the log alone.
    convenor = users["convenor@example.org"]
    for pseudonym, role in spec.facilitators:
        person = people[pseudonym]
        if not person.facilitator_roles.filter(dialogue=dialogue, role=role).exists():
            dialogue_services.assign_role(
                dialogue=dialogue, person=person, role=DialogueRole(role), by=convenor
            )

    joined_on = _days(today, -240)
    for pseudonym, side_name, role in spec.members:
        person, side = people[pseudonym], sides[side_name] if side_name else None
        is_new = not person.memberships.filter(dialogue=dialogue).exists()
        membership = participant_services.add_member(
            dialogue=dialogue, person=person, side=side, role=role, joined_on=joined_on
        )
        # Resource persons have no role bundle: they take part through their invitations only.
        if is_new and role in {PARTICIPANT, OBSERVER}:
            dialogue_services.assign_role(
                dialogue=dialogue, person=person, role=DialogueRole(role), side=side, by=convenor
            )
        if pseudonym in spec.undecided:
            continue
        participant_services.accept_ground_rules(membership=membership)
        consent = FundingConsent.OBJECTED if pseudonym in spec.objections else FundingConsent.APPROVED
        participant_services.set_funding_consent(membership=membership, consent=consent)

    # scoping → convening → active (→ dormant): the steps a convenor takes.
    for status in _remaining_steps(dialogue.status, DIALOGUE_STEPS[spec.status]):
        dialogue = dialogue_services.change_dialogue_status(dialogue=dialogue, status=status)

    summary_author = users[spec.summary_author]
    workshops = {}
    for series_spec in spec.series:
        series = scheduling_services.create_series(
            dialogue=dialogue, title=series_spec.title, description=series_spec.description
        )
        for workshop_spec in series_spec.workshops:
            workshop = _seed_workshop(series, workshop_spec, today=today, now=now, report=report)
            workshops[(series_spec.title, workshop_spec.number)] = workshop
            for pseudonym, status in workshop_spec.invitations.items():
                invitation = scheduling_services.invite(workshop=workshop, person=people[pseudonym])
                _drive_invitation(invitation, status, now)
            if workshop_spec.summary:
                _seed_summary(workshop, workshop_spec.summary, people=people, by=summary_author, now=now)

    for outcome_spec in spec.outcomes:
        _seed_outcome(
            dialogue, outcome_spec, workshops=workshops, by=users["convenor@example.org"], today=today
        )
    return dialogue


def _seed_workshop(
    series, spec: WorkshopSpec, *, today: dt.date, now: dt.datetime, report: SeedReport
) -> Workshop:
    starts_at, ends_at = _workshop_times(spec, today)
    status = WorkshopStatus.HELD if ends_at < now else WorkshopStatus.SCHEDULED
    values = {
        "title": spec.title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "timezone": spec.timezone,
        "venue": spec.venue,
        "format": spec.format,
        "status": status,
    }
    workshop = series.workshops.filter(number=spec.number).first()
    if workshop is None:
        # The service numbers workshops itself; the specs are listed in order, so the numbers agree.
        workshop = scheduling_services.schedule_workshop(
            series=series, timezone_name=spec.timezone, **{k: v for k, v in values.items() if k != "timezone"}
        )
        if workshop.number != spec.number:
            raise RuntimeError(f"Demo workshops of {series} are out of order: got {workshop.number}.")
        report.count("workshops", True)
    else:
        _set_fields(workshop, values)
    for position, (title, minutes, facilitators_only) in enumerate(spec.agenda, start=1):
        AgendaItem.objects.update_or_create(
            workshop=workshop,
            position=position,
            defaults={"title": title, "duration_minutes": minutes, "facilitators_only": facilitators_only},
        )
    workshop.agenda_items.filter(position__gt=len(spec.agenda)).delete()
    return workshop


def _seed_summary(workshop: Workshop, spec: SummarySpec, *, people, by: User, now: dt.datetime) -> Summary:
    summary, _ = Summary.objects.get_or_create(
        workshop=workshop, version=1, defaults={"body": spec.body, "created_by": by}
    )
    if summary.status == SummaryStatus.DRAFT:
        _set_fields(summary, {"body": spec.body})
    if spec.status == SummaryStatus.SEALED and summary.status == SummaryStatus.DRAFT:
        summary_services.request_seal(summary=summary, by=by)
        run_seal_job(job_id=summary_services.seal_job(summary).pk)
        summary.refresh_from_db()
    if spec.status == SummaryStatus.IN_REVIEW:
        summary = summary_services.open_review(summary=summary, deadline=now + dt.timedelta(days=14), now=now)
    for author, section, body, suggested, status, response in spec.comments:
        ReviewComment.objects.update_or_create(
            summary=summary,
            author=people[author],
            section=section,
            defaults={"body": body, "suggested_text": suggested, "status": status, "response": response},
        )
    return summary


def _seed_outcome(dialogue: Dialogue, spec: OutcomeSpec, *, workshops, by: User, today: dt.date) -> Outcome:
    fields = {
        "description": spec.description,
        "workshop": workshops[spec.workshop] if spec.workshop else None,
        "transfer_to": spec.transfer_to,
        "transfer_via": spec.transfer_via,
        "transferred_on": _days(today, -spec.transferred_days_ago) if spec.transferred_days_ago else None,
        "evidence": spec.evidence,
    }
    outcome = dialogue.outcomes.filter(title=spec.title).first()
    if outcome is None:
        return dialogue_services.record_outcome(
            dialogue=dialogue, kind=spec.kind, title=spec.title, stage=spec.stage, by=by, **fields
        )
    _set_fields(outcome, {"kind": spec.kind, "stage": spec.stage, **fields})
    return outcome


def seed_funding(
    *,
    report: SeedReport,
    third_party: ThirdParty,
    people: dict[str, Person],
    users: dict[str, User],
    today: dt.date,
) -> None:
    funders, convenor = {}, users["convenor@example.org"]
    for spec in FUNDERS:
        funder, created = Funder.objects.update_or_create(
            name=spec.name, defaults={"kind": spec.kind, "country": spec.country}
        )
        report.count("funders", created)
        funder.officers.add(*(people[p] for p in spec.officers))
        funders[spec.name] = funder

    for spec in GRANTS:
        starts_on = _days(today, spec.starts_days_from_today)
        grant, created = Grant.objects.update_or_create(
            funder=funders[spec.funder],
            reference=spec.reference,
            defaults={
                "dialogue": Dialogue.objects.get(codename=spec.dialogue) if spec.dialogue else None,
                "third_party": third_party,
                "amount": spec.amount,
                "currency": spec.currency,
                "starts_on": starts_on,
                "ends_on": _days(starts_on, round(spec.months * 30.4)),
                "purpose": spec.purpose,
            },
        )
        report.count("grants", created)
        for condition_spec in spec.conditions:
            condition, _ = Condition.objects.get_or_create(
                grant=grant, kind=condition_spec.kind, defaults={"text": condition_spec.text}
            )
            _set_fields(condition, {"text": condition_spec.text})
            if condition_spec.ruling == ConditionRuling.PENDING:
                continue
            condition = funding_services.rule_on_condition(
                condition=condition,
                ruling=condition_spec.ruling,
                rationale=condition_spec.rationale,
                by=users[condition_spec.ruled_by],
            )
            if condition_spec.confirmed_by:
                funding_services.confirm_condition(condition=condition, by=users[condition_spec.confirmed_by])
        for status in _remaining_steps(grant.status, GRANT_STEPS[spec.status]):
            grant = funding_services.change_grant_status(grant=grant, status=status)
        # The funder's officers with an account get the funder role (aggregates only) in a dialogue the
        # funder pays for.
        if grant.dialogue_id and grant.status in {
            GrantStatus.ACCEPTED,
            GrantStatus.ACTIVE,
            GrantStatus.CLOSED,
        }:
            group_name = role_group_name(grant.dialogue_id, DialogueRole.FUNDER)
            for officer in grant.funder.officers.exclude(user=None).exclude(user__groups__name=group_name):
                dialogue_services.assign_role(
                    dialogue=grant.dialogue, person=officer, role=DialogueRole.FUNDER, by=convenor
                )
        for category, amount, days_ago, description in spec.expenses:
            Expense.objects.update_or_create(
                grant=grant,
                category=category,
                description=description,
                defaults={"amount": amount, "spent_on": _days(today, -days_ago)},
            )
        # Every grant the funder already pays for has a sealed disclosure report, as a convenor would have
        # generated it (through the real pipeline, run here rather than by a worker).
        if grant.status in {GrantStatus.ACTIVE, GrantStatus.CLOSED} and not grant.disclosures.exists():
            disclosure = funding_services.request_disclosure(grant=grant, by=convenor)
            run_seal_job(job_id=funding_services.disclosure_job(disclosure).pk)
            report.count("disclosure reports", True)
    for funder in funders.values():
        funding_services.sync_funder_access(funder=funder)


@transaction.atomic
def seed_demo(*, now: dt.datetime | None = None) -> SeedReport:
    """Create or refresh the whole demo programme in one transaction; running it again changes nothing but
    the dates, which follow the day of seeding."""
    now = now or timezone.now()
    report = SeedReport()
    users = seed_users(report)
    third_party = seed_third_party(report)
    people = seed_people(report, users)
    for spec in DIALOGUES:
        seed_dialogue(spec, report=report, third_party=third_party, people=people, users=users, now=now)
    seed_funding(report=report, third_party=third_party, people=people, users=users, today=now.date())
    # Grants that follow from invitations and review rounds, for accounts that came after them.
    for person in people.values():
        if person.user_id:
            dialogue_services.sync_person_grants(person=person)
    return report


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

    joined_on = _days(now.date(), -400)
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
