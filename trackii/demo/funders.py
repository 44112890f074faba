"""The demo's funders and their grants, with conditions and spend (fiction)."""

from decimal import Decimal

from funding.enums import ConditionKind, ConditionRuling, ExpenseCategory, FunderKind, GrantStatus
from trackii.demo.specs import ConditionSpec, FunderSpec, GrantSpec

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
