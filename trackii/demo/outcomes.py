"""The demo's outcomes and the road one of them travelled to Track One (issue 21, the transfer pipeline),
loaded through the outcome services, idempotently: each dialogue's `OutcomeSpec`s as they stand, and the
transfers below with a step for every stage they reached, dated from the day of seeding, each with its
channel and the members who carried it. Seeding again moves the dates with the day and adds nothing."""

import datetime as dt
from dataclasses import dataclass

from dialogues.enums import OutcomeKind, OutcomeStage
from dialogues.models import Dialogue, Outcome, OutcomeStep
from dialogues.outcomes import services as outcome_services
from participants.models import Person
from trackii.accounts.models import User
from trackii.demo.specs import OutcomeSpec, days_after


@dataclass(frozen=True)
class StepSpec:
    stage: str
    days_ago: int
    channel: str
    carriers: tuple[str, ...] = ()  # pseudonyms of members of the dialogue
    note: str = ""


@dataclass(frozen=True)
class TransferSpec:
    codename: str
    title: str
    description: str
    transfer_to: str
    transfer_via: str
    evidence: str
    workshop: tuple[str, int]  # (series title, workshop number) where it was raised
    steps: tuple[StepSpec, ...]  # one per stage, in order, from the idea raised on


TRANSFERS = (
    TransferSpec(
        codename="tidewater",
        title="Common incident-reporting form for the Corvel Banks",
        description="One form both coast guards fill in after an incident at sea, so that each side reads "
        "the same facts before anyone speaks of provocation.",
        transfer_to="Velorian and Kessarine coast-guard commands",
        transfer_via="a former official and a naval educator among the participants, by private briefings",
        evidence="Annex 2 of the coast-guard memorandum of understanding reproduces the form.",
        workshop=("Phase one: the Corvel Banks", 1),
        steps=(
            StepSpec(OutcomeStage.IDEA, 149, "working session on incidents at sea", ("P-5", "P-6")),
            StepSpec(
                OutcomeStage.DEVELOPED,
                128,
                "two-page draft by a drafting pair between workshops",
                ("P-5", "P-16"),
                note="Both sides' duty officers commented on the draft through the rapporteur.",
            ),
            StepSpec(
                OutcomeStage.SHARED,
                101,
                "private briefings to both foreign ministries' maritime desks",
                ("P-5", "P-6"),
            ),
            StepSpec(
                OutcomeStage.TAKEN_UP,
                58,
                "tabled by the Kessarine delegation in the bilateral fisheries talks",
                ("P-6",),
            ),
            StepSpec(
                OutcomeStage.REFLECTED,
                21,
                "annex 2 of the coast-guard memorandum of understanding, signed by both commands",
                ("P-5", "P-6"),
                note="The annex reproduces the form almost word for word; neither side cites its source.",
            ),
        ),
    ),
)


def seed_outcome(dialogue: Dialogue, spec: OutcomeSpec, *, workshops, by: User, today: dt.date) -> Outcome:
    """One of a dialogue's `OutcomeSpec`s: recorded at its stage the first time, brought up to date after."""
    fields = {
        "description": spec.description,
        "workshop": workshops[spec.workshop] if spec.workshop else None,
        "transfer_to": spec.transfer_to,
        "transfer_via": spec.transfer_via,
        "transferred_on": days_after(today, -spec.transferred_days_ago)
        if spec.transferred_days_ago
        else None,
        "evidence": spec.evidence,
    }
    outcome = _titled(dialogue.outcomes.all(), spec.title)
    if outcome is None:
        return outcome_services.record_outcome(
            dialogue=dialogue,
            kind=spec.kind,
            title=spec.title,
            stage=spec.stage,
            by=by,
            today=today,
            **fields,
        )
    values = {"kind": spec.kind, "stage": spec.stage, **fields}
    changed = [name for name, value in values.items() if getattr(outcome, name) != value]
    for name in changed:
        setattr(outcome, name, values[name])
    if changed:
        outcome.save(update_fields=changed)
    _move_steps(outcome, {spec.stage: fields["transferred_on"] or outcome.created_at.date()})
    return outcome


def _titled(rows, title: str):
    """The first of ``rows`` with that title: titles are encrypted, so compared here, not in SQL."""
    return next((row for row in rows if row.title == title), None)


def _move_steps(outcome: Outcome, dates: dict[str, dt.date]) -> None:
    """The recorded steps moved to their days, in an order that never puts two steps out of order on the
    way (latest stage first when moving later, earliest first when moving earlier)."""
    steps = [
        s for s in outcome.steps.order_by("position") if s.stage in dates and s.reached_on != dates[s.stage]
    ]
    if steps and dates[steps[0].stage] > steps[0].reached_on:
        steps.reverse()
    for step in steps:
        OutcomeStep.objects.filter(pk=step.pk).update(reached_on=dates[step.stage])


def seed_transfers(*, people: dict[str, Person], by: User, today: dt.date) -> None:
    for spec in TRANSFERS:
        dialogue = Dialogue.objects.get(codename=spec.codename)
        workshop = _titled(dialogue.series.all(), spec.workshop[0]).workshops.get(number=spec.workshop[1])
        dates = {step.stage: days_after(today, -step.days_ago) for step in spec.steps}
        outcome = _titled(dialogue.outcomes.all(), spec.title)
        if outcome is not None:
            _move_steps(outcome, dates)
            recorded = set(outcome.steps.values_list("stage", flat=True))
        else:
            recorded = set()
        for step in spec.steps:
            if step.stage in recorded:
                continue
            values = {
                "reached_on": dates[step.stage],
                "channel": step.channel,
                "carriers": [people[p] for p in step.carriers],
                "note": step.note,
                "by": by,
                "today": today,
            }
            if outcome is None:
                outcome = outcome_services.record_outcome(
                    dialogue=dialogue,
                    kind=OutcomeKind.TRANSFER,
                    title=spec.title,
                    description=spec.description,
                    transfer_to=spec.transfer_to,
                    transfer_via=spec.transfer_via,
                    evidence=spec.evidence,
                    workshop=workshop,
                    stage=step.stage,
                    **values,
                )
            else:
                outcome_services.record_outcome_stage(outcome=outcome, stage=step.stage, **values)
