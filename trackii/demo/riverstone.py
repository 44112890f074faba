"""Riverstone: the demo's dialogue over a shared river (fiction)."""

from dialogues.enums import (
    DialogueStatus,
    Objective,
    OutcomeKind,
    OutcomeStage,
    ReviewCommentStatus,
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
    FACILITATION_HUDDLE,
    FACILITATOR,
    GARZAS,
    INVITED,
    KIJANI,
    MONTEVIDEO,
    NAIROBI,
    OBSERVER,
    ONLINE,
    OPENING,
    PARTICIPANT,
    RESOURCE,
    DialogueSpec,
    OutcomeSpec,
    SeriesSpec,
    SummarySpec,
    WorkshopSpec,
)

RIVERSTONE_1_SUMMARY = """## Context

Participants from the three riparian states compared the flow data each side relies on.

## Why the numbers differ

Most of the difference comes from where the flow is measured and in which months.

## Next steps

An independent hydrologist could reconcile the three series.
"""


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
        ("P-46", None, OBSERVER),
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
                        "P-31": ATTENDED,
                        "P-46": ATTENDED,
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
                        "P-46": ATTENDED,
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
                        "P-46": ACCEPTED,
                    },
                ),
            ),
        ),
        # Between the commission's workshops, a smaller technical group: enough held workshops for the
        # continuity and composition charts (issue 21). P-31, a former official, comes to the first and then
        # stops attending.
        SeriesSpec(
            title="Hydrologists' working group",
            description="Hydrologists and water officials, online between the commission's rounds.",
            workshops=(
                WorkshopSpec(
                    number=1,
                    title="Reconciling the gauges",
                    days_from_today=-75,
                    days=1,
                    timezone=MONTEVIDEO,
                    venue=ONLINE,
                    format=WorkshopFormat.ONLINE,
                    agenda=(
                        ("Introductions and ground rules", 20, False),
                        ("Which gauges each side trusts, and why", 120, False),
                    ),
                    invitations={
                        "P-16": ATTENDED,
                        "P-22": ATTENDED,
                        "P-23": ATTENDED,
                        "P-27": ATTENDED,
                        "P-28": ATTENDED,
                        "P-29": ATTENDED,
                        "P-31": ATTENDED,
                        "P-46": ATTENDED,
                    },
                ),
                WorkshopSpec(
                    number=2,
                    title="A shared flow series",
                    days_from_today=-45,
                    days=1,
                    timezone=MONTEVIDEO,
                    venue=ONLINE,
                    format=WorkshopFormat.ONLINE,
                    agenda=(
                        ("Introductions and ground rules", 20, False),
                        ("One flow series for all three capitals", 120, False),
                    ),
                    invitations={
                        "P-16": ATTENDED,
                        "P-22": ATTENDED,
                        "P-23": ATTENDED,
                        "P-24": ATTENDED,
                        "P-26": ABSENT,
                        "P-27": ATTENDED,
                        "P-28": DECLINED,
                        "P-29": ATTENDED,
                        "P-31": ABSENT,
                        "P-46": ATTENDED,
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
