"""Recording outcomes and the stages they reach (dialogues/outcomes/services.py): in order, dated in order,
carried by members, audited; the database holds the order too."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dialogues.enums import OutcomeKind, OutcomeStage
from dialogues.models import OutcomeStep
from dialogues.outcomes import services
from tests.dialogues.insight.transfers_helpers import TODAY, build_road, travel
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def road():
    return build_road()


def _next(road, outcome, stage, *, days=10, **kwargs):
    values = {
        "outcome": outcome,
        "stage": stage,
        "reached_on": TODAY - dt.timedelta(days=days),
        "by": road.convenor.user,
        "today": TODAY,
    }
    return services.record_outcome_stage(**values | kwargs)


def test_record_outcome_writes_its_first_step_and_one_audit_row(road):
    outcome = services.record_outcome(
        dialogue=road.dialogue,
        kind=OutcomeKind.TRANSFER,
        title="Coast-guard hotline",
        transfer_to="Ministry of the Sea",
        transfer_via="a former official",
        reached_on=TODAY - dt.timedelta(days=30),
        carriers=[road.carrier],
        by=road.convenor.user,
        today=TODAY,
    )

    step = outcome.steps.get()
    assert (step.stage, step.position, step.reached_on) == ("idea", 1, TODAY - dt.timedelta(days=30))
    assert step.channel == "a former official"  # through whom, by default
    assert list(step.carriers.all()) == [road.carrier]
    row = AuditEvent.objects.get(action=Action.OUTCOME_RECORDED, target_id=str(outcome.pk))
    assert row.detail == {"kind": "transfer", "stage": "idea", "step": step.pk}


def test_record_outcome_stage_moves_the_outcome_on_and_audits_pseudonyms_only(road):
    outcome = travel(road, "Hotline", stages=2, start=TODAY - dt.timedelta(days=200))

    step = _next(
        road, outcome, OutcomeStage.SHARED, channel="briefing to the foreign ministry", note="Secret"
    )

    outcome.refresh_from_db()
    assert outcome.stage == OutcomeStage.SHARED
    assert outcome.transferred_on == step.reached_on  # shared with officials: the day it was transferred
    row = AuditEvent.objects.filter(action=Action.OUTCOME_STAGE_RECORDED).latest("id")
    assert row.target_id == str(outcome.pk) and row.actor_id == road.convenor.user.pk
    assert row.detail == {"stage": "shared", "step": step.pk, "carriers": []}
    assert "Secret" not in str(row.detail) and "briefing" not in str(row.detail)


def test_record_outcome_stage_twice_records_one_step(road):
    outcome = travel(road, "Hotline", stages=1, start=TODAY - dt.timedelta(days=50))
    first = _next(road, outcome, OutcomeStage.DEVELOPED)
    rows = AuditEvent.objects.count()

    again = _next(road, outcome, OutcomeStage.DEVELOPED, days=5, channel="another")

    assert again.pk == first.pk and outcome.steps.count() == 2
    assert AuditEvent.objects.count() == rows


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        (OutcomeStage.SHARED, "record “written up” first"),
        (OutcomeStage.REFLECTED, "record “written up” first"),
        ("nonsense", "Choose one of the stages"),
    ],
)
def test_record_outcome_stage_refuses_a_stage_out_of_order(road, stage, message):
    outcome = travel(road, "Hotline", stages=1, start=TODAY - dt.timedelta(days=50))

    with pytest.raises(ValidationError, match=message):
        _next(road, outcome, stage)
    assert outcome.steps.count() == 1


def test_record_outcome_stage_refuses_a_stage_already_passed(road):
    outcome = travel(road, "Hotline", stages=3, start=TODAY - dt.timedelta(days=200))

    with pytest.raises(ValidationError, match="already gone further"):
        _next(road, outcome, OutcomeStage.DEVELOPED)


def test_record_outcome_stage_refuses_a_day_before_the_stage_before_or_ahead(road):
    outcome = travel(road, "Hotline", stages=1, start=TODAY - dt.timedelta(days=20))

    with pytest.raises(ValidationError, match="or later: the outcome was idea raised that day"):
        _next(road, outcome, OutcomeStage.DEVELOPED, days=21)
    with pytest.raises(ValidationError, match="already come"):
        _next(road, outcome, OutcomeStage.DEVELOPED, days=-1)
    assert (
        _next(road, outcome, OutcomeStage.DEVELOPED, days=20).reached_on == outcome.steps.first().reached_on
    )


def test_record_outcome_stage_refuses_carriers_who_are_not_members_now(road):
    outcome = travel(road, "Hotline", stages=1, start=TODAY - dt.timedelta(days=20))
    stranger = road.secret.steps.get().carriers.get()  # a member of the other dialogue

    with pytest.raises(ValidationError, match="current members"):
        _next(road, outcome, OutcomeStage.DEVELOPED, carriers=[road.carrier, stranger])
    assert outcome.steps.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("channel", "x" * 201, "at most 200"),
        ("channel", "briefing \u202eexe.gol", "invisible control characters"),
        ("channel", "brief\x00ing", "invisible control characters"),
        ("channel", "brief\ning", "invisible control characters"),
        ("note", "a\u202eb", "invisible control characters"),
        ("note", "n" * 2001, "at most 2000"),
    ],
)
def test_record_outcome_stage_refuses_hostile_text(road, field, value, message):
    outcome = travel(road, "Hotline", stages=1, start=TODAY - dt.timedelta(days=20))

    with pytest.raises(ValidationError, match=message) as refused:
        _next(road, outcome, OutcomeStage.DEVELOPED, **{field: value})
    assert field in refused.value.message_dict
    assert outcome.steps.count() == 1


def test_record_outcome_refuses_hostile_titles_and_a_recipient_missing(road):
    with pytest.raises(ValidationError, match="invisible control characters"):
        services.record_outcome(
            dialogue=road.dialogue, kind=OutcomeKind.NETWORK, title="Hot\u202eline", by=None, today=TODAY
        )
    with pytest.raises(ValidationError, match="to whom"):
        services.record_outcome(dialogue=road.dialogue, kind=OutcomeKind.TRANSFER, title="x", by=None)
    assert not road.dialogue.outcomes.exists()


def test_texts_keep_persian_joiners_markup_and_formulas_as_typed(road):
    # Persian "mi-khaham" (I want) needs the zero-width non-joiner (U+200C); markup and a formula start are
    # stored as typed: pages escape them and every CSV defuses a formula (trackii.charts.export.csv_safe).
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    outcome = services.record_outcome(
        dialogue=road.dialogue,
        kind=OutcomeKind.NETWORK,
        title=f"  {persian}  ",
        channel="<b>=1+1</b>",
        note=f"{persian}\r\nsecond line",
        by=None,
        today=TODAY,
    )
    step = outcome.steps.get()
    assert (outcome.title, step.channel, step.note) == (persian, "<b>=1+1</b>", f"{persian}\nsecond line")


def test_the_database_keeps_one_step_per_stage_and_the_days_in_order(road):
    outcome = travel(road, "Hotline", stages=3, start=TODAY - dt.timedelta(days=200))
    written_up = outcome.steps.get(stage=OutcomeStage.DEVELOPED)

    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeStep.objects.create(outcome=outcome, stage=OutcomeStage.DEVELOPED, reached_on=TODAY)
    with pytest.raises(IntegrityError, match="reached in order"), transaction.atomic():
        OutcomeStep.objects.filter(pk=written_up.pk).update(reached_on=TODAY)  # after "shared"
    with pytest.raises(IntegrityError, match="reached in order"), transaction.atomic():
        OutcomeStep.objects.create(
            outcome=outcome, stage=OutcomeStage.TAKEN_UP, reached_on=TODAY - dt.timedelta(days=300)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeStep.objects.filter(pk=written_up.pk).update(position=5)  # a position that is not its stage's
