"""Recording outcomes and each stage they reach on the road to Track One (issue 21, the transfer pipeline).
Keyword-only, one transaction each, audited; refusals raise ValidationError naming the field to correct."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from dialogues.enums import OUTCOME_STAGES, OutcomeKind, OutcomeStage
from dialogues.models import Dialogue, Outcome, OutcomeStep
from dialogues.models.insight import RIPENESS_EARLIEST
from dialogues.outcomes.selectors import possible_carriers
from participants.models import Person
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.inputs import plain_text

# As in the ripeness log: a stage dated before this is a mistyped year, not an outcome of this programme.
EARLIEST_DAY = RIPENESS_EARLIEST


def _check_day(reached_on: dt.date, today: dt.date) -> None:
    if reached_on > today:
        raise ValidationError(
            {"reached_on": gettext("Give a day that has already come: a stage is recorded once reached.")}
        )
    if reached_on < EARLIEST_DAY:
        raise ValidationError(
            {"reached_on": gettext("Give a date from %(year)s onwards.") % {"year": EARLIEST_DAY.year}}
        )


def _label(stage: str) -> str:
    return OutcomeStage(stage).label.lower()


def _plain(field: str, value: str, *, multiline: bool = False) -> str:
    """The text as it will be stored (trackii.inputs.plain_text, as for the ripeness log), or the refusal
    named after its field."""
    try:
        return plain_text(value, multiline=multiline)
    except ValidationError as error:
        raise ValidationError({field: error.messages}, code="hidden_characters") from None


def _check_carriers(dialogue: Dialogue, carriers: Iterable[Person]) -> list[Person]:
    carriers = list(carriers)
    members = set(
        possible_carriers(dialogue=dialogue)
        .filter(pk__in=[p.pk for p in carriers])
        .values_list("pk", flat=True)
    )
    if any(person.pk not in members for person in carriers):
        raise ValidationError(
            {"carriers": gettext("Choose the carriers among the dialogue's current members.")}
        )
    return carriers


def _add_step(
    *,
    outcome: Outcome,
    stage: str,
    reached_on: dt.date,
    channel: str,
    carriers: list[Person],
    note: str,
    by: User | None,
) -> OutcomeStep:
    step = OutcomeStep(
        outcome=outcome,
        stage=stage,
        reached_on=reached_on,
        channel=_plain("channel", channel),
        note=_plain("note", note, multiline=True),
        recorded_by=by,
    )
    step.position = OUTCOME_STAGES.index(stage) + 1
    step.full_clean(exclude=["outcome"])
    step.save()
    step.carriers.set(carriers)
    return step


@transaction.atomic
def record_outcome(
    *,
    dialogue: Dialogue,
    kind: str,
    title: str,
    by: User | None,
    stage: str = OutcomeStage.IDEA,
    reached_on: dt.date | None = None,
    channel: str = "",
    carriers: Iterable[Person] = (),
    note: str = "",
    today: dt.date | None = None,
    **fields,
) -> Outcome:
    """A new outcome and its first step: the stage it has reached (an idea raised, usually), on `reached_on`
    (the day it was transferred if known, else today), through `channel` (by default: through whom)."""
    today = today or timezone.localdate()
    if kind == OutcomeKind.TRANSFER and not fields.get("transfer_to", "").strip():
        raise ValidationError(
            {"transfer_to": gettext("A transfer must say to whom in official diplomacy it went.")}
        )
    workshop = fields.get("workshop")
    if workshop is not None and workshop.series.dialogue_id != dialogue.pk:
        raise ValidationError({"workshop": gettext("That workshop belongs to another dialogue.")})
    title = _plain("title", title)
    for name in ("transfer_to", "transfer_via"):
        if name in fields:
            fields[name] = _plain(name, fields[name])
    reached_on = reached_on or fields.get("transferred_on") or today
    channel = channel or fields.get("transfer_via", "")
    _check_day(reached_on, today)
    carriers = _check_carriers(dialogue, carriers)
    outcome = Outcome(dialogue=dialogue, kind=kind, title=title, stage=stage, recorded_by=by, **fields)
    outcome.full_clean()
    outcome.save()
    step = _add_step(
        outcome=outcome,
        stage=stage,
        reached_on=reached_on,
        channel=channel,
        carriers=carriers,
        note=note,
        by=by,
    )
    record_event(
        actor=by,
        action=Action.OUTCOME_RECORDED,
        target=outcome,
        detail={"kind": str(kind), "stage": str(stage), "step": step.pk},
    )
    return outcome


@transaction.atomic
def record_outcome_stage(
    *,
    outcome: Outcome,
    stage: str,
    reached_on: dt.date,
    by: User | None,
    channel: str = "",
    carriers: Iterable[Person] = (),
    note: str = "",
    today: dt.date | None = None,
) -> OutcomeStep:
    """The next stage the outcome reached, when, through which channel and carried by whom. Stages are reached
    one after the other, never dated before the stage before. Recording the stage it has already reached
    again changes nothing and returns that step."""
    today = today or timezone.localdate()
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    if stage not in OUTCOME_STAGES:
        raise ValidationError({"stage": gettext("Choose one of the stages of the pipeline.")})
    position, reached = OUTCOME_STAGES.index(stage), OUTCOME_STAGES.index(outcome.stage)
    if position == reached and (step := outcome.steps.filter(stage=stage).first()) is not None:
        return step
    if position <= reached:
        raise ValidationError(
            {
                "stage": gettext("This outcome has already gone further: it was %(stage)s.")
                % {"stage": _label(outcome.stage)}
            }
        )
    if position > reached + 1:
        expected = OUTCOME_STAGES[reached + 1]
        raise ValidationError(
            {
                "stage": gettext("Stages are reached one after another: record “%(stage)s” first.")
                % {"stage": _label(expected)}
            }
        )
    _check_day(reached_on, today)
    previous = outcome.steps.order_by("-position").only("reached_on", "stage").first()
    if previous is not None and reached_on < previous.reached_on:
        raise ValidationError(
            {
                "reached_on": gettext("Give %(day)s or later: the outcome was %(stage)s that day.")
                % {"day": date_format(previous.reached_on, "j F Y"), "stage": _label(previous.stage)}
            }
        )
    carriers = _check_carriers(outcome.dialogue, carriers)
    step = _add_step(
        outcome=outcome,
        stage=stage,
        reached_on=reached_on,
        channel=channel,
        carriers=carriers,
        note=note,
        by=by,
    )
    outcome.stage = stage
    changed = ["stage"]
    if stage == OutcomeStage.SHARED and outcome.transferred_on is None:
        outcome.transferred_on = reached_on
        changed.append("transferred_on")
    outcome.save(update_fields=changed)
    record_event(
        actor=by,
        action=Action.OUTCOME_STAGE_RECORDED,
        target=outcome,
        detail={"stage": stage, "step": step.pk, "carriers": sorted(p.pseudonym for p in carriers)},
    )
    return step
