"""The demo's ripeness logs (issue 21): what the official process of each fictional conflict did around the
dialogue's workshops, as its facilitators would note it. Fiction, like the rest of the demo.

Loaded through the ripeness service; a dialogue has at most one demo entry of each kind, which is how a
second run finds it again. On a later day of seeding its date follows, as the workshops' do, without an
audit row: the demo moving its own calendar is not anyone changing the log."""

import datetime as dt
from dataclasses import dataclass

from dialogues.enums import RipenessKind
from dialogues.insight.ripeness import services as ripeness_services
from dialogues.models import Dialogue
from trackii.accounts.models import User
from trackii.demo.specs import SeedReport, days_after


@dataclass(frozen=True)
class RipenessSpec:
    days_from_today: int
    kind: str
    text: str
    author: str = "facilitator@example.org"


RIPENESS: dict[str, tuple[RipenessSpec, ...]] = {
    "tidewater": (
        RipenessSpec(
            -200,
            RipenessKind.TALKS_OPENED,
            "Veloria and the Kessarine Federation opened official talks on the Serran Strait at the regional "
            "maritime forum. Incidents between coast guards were left off the agenda.",
        ),
        RipenessSpec(
            -120,
            RipenessKind.ESCALATION,
            "A Velorian trawler and a Kessarine patrol boat collided near the Corvel Banks; both navies sent "
            "ships. Two participants asked whether the next workshop should wait.",
        ),
        RipenessSpec(
            -75,
            RipenessKind.CEASEFIRE,
            "The two coast guards agreed a ninety-day standstill on boarding fishing vessels in the disputed "
            "waters: the hotline idea from workshop 1 was mentioned in the announcement.",
        ),
        RipenessSpec(
            90,
            RipenessKind.ELECTION,
            "Parliamentary elections in Veloria. The fisheries minister will not stand again; both main "
            "parties promise a deal on the banks.",
            author="convenor@example.org",
        ),
    ),
    "riverstone": (
        RipenessSpec(
            -160,
            RipenessKind.TALKS_BROKE_DOWN,
            "Ministerial talks at the Tamsa basin commission broke down after Dravenia refused to share the "
            "Upper Tamsa dam's release schedule.",
        ),
        RipenessSpec(
            -45,
            RipenessKind.GOVERNMENT_CHANGED,
            "A new coalition government took office in Lunmark. Its water minister has spoken in favour of a "
            "joint monitoring body for the dry season.",
        ),
        RipenessSpec(
            -10,
            RipenessKind.TALKS_OPENED,
            "Technical talks resumed at the basin commission, between experts rather than ministers: a "
            "first opening since the breakdown.",
        ),
    ),
    "lanternfield": (
        RipenessSpec(
            -130,
            RipenessKind.ELECTION,
            "Island council elections in the Ostmark Isles. The southern communities dispute the count in "
            "two districts.",
            author="convenor@example.org",
        ),
        RipenessSpec(
            -95,
            RipenessKind.ESCALATION,
            "The ferry strikes cut the northern islands off for eleven days; leaders on both sides traded "
            "accusations on local radio.",
            author="convenor@example.org",
        ),
        RipenessSpec(
            -30,
            RipenessKind.AGREEMENT_SIGNED,
            "The regional authority and both community councils signed an agreement restoring the ferry "
            "timetable, with a joint committee to review it in six months.",
            author="convenor@example.org",
        ),
    ),
}


def seed_ripeness(*, report: SeedReport, users: dict[str, User], today: dt.date) -> None:
    for codename, specs in RIPENESS.items():
        dialogue = Dialogue.objects.get(codename=codename)
        existing = {entry.kind: entry for entry in dialogue.ripeness_entries.all()}
        for spec in specs:
            day = days_after(today, spec.days_from_today)
            entry = existing.get(spec.kind)
            if entry is None:
                ripeness_services.add_ripeness_entry(
                    dialogue=dialogue, occurred_on=day, kind=spec.kind, text=spec.text, by=users[spec.author]
                )
            elif entry.occurred_on != day:
                entry.occurred_on = day
                entry.save(update_fields=["occurred_on", "updated_at"])
            report.count("ripeness entries", entry is None)
