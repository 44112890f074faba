"""Tidewater: the demo's maritime dialogue (fiction)."""

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
    FJORDHAVEN,
    INVITED,
    KIJANI,
    MARROWBAY,
    NAIROBI,
    OBSERVER,
    ONLINE,
    OPENING,
    OSLO,
    PARTICIPANT,
    RAPPORTEUR,
    RESOURCE,
    SINGAPORE,
    DialogueSpec,
    OutcomeSpec,
    SeriesSpec,
    SummarySpec,
    WorkshopSpec,
)

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
        ("P-46", None, OBSERVER),
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
                                "Participants agreed that many incidents began with a misread signal",
                                ReviewCommentStatus.ACCEPTED,
                                "Changed as suggested.",
                                # The exact passage: "Apply to the draft" once the review is closed.
                                "Participants agreed that most incidents began with a misread signal",
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
                        "P-46": ATTENDED,
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
                        "P-46": ACCEPTED,
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
