"""The transfer pipeline's figures for one dialogue: the funnel (how many outcomes reached each stage), the
stages reached per quarter, and the table of every step with its channel and carriers by pseudonym. Counted
in SQL by dialogues.outcomes.selectors (four queries in all); drawn by trackii.charts. Pseudonyms only: no
name, note or venue is read."""

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from dialogues.enums import OUTCOME_STAGES, OutcomeStage
from dialogues.insight.quarters import NOTE, quarter_label, quarters_between
from dialogues.models import Dialogue
from dialogues.outcomes import selectors
from trackii.charts import Chart, Series, Table, bar_chart, funnel_chart

TABLES = ("funnel", "quarters", "steps")  # the CSV names, …/insight/transfers/<table>.csv


@dataclass(frozen=True)
class TransferFigures:
    funnel: Chart
    quarters: Chart
    steps: Table

    def table(self, name: str) -> Table:
        return {"funnel": self.funnel.table, "quarters": self.quarters.table, "steps": self.steps}[name]


def _labels() -> list[str]:
    return [OutcomeStage(stage).label for stage in OUTCOME_STAGES]


def _funnel(dialogue: Dialogue) -> Chart:
    counts = selectors.transfer_funnel(dialogue=dialogue)
    total, shared, reflected = counts[0], counts[2], counts[-1]
    if total:
        outcomes = ngettext("%(n)s outcome", "%(n)s outcomes", total) % {"n": total}
        reading = ngettext(
            "Of %(outcomes)s raised, %(shared)s reached officials and %(n)s was reflected in an official "
            "outcome.",
            "Of %(outcomes)s raised, %(shared)s reached officials and %(n)s were reflected in an official "
            "outcome.",
            reflected,
        ) % {"outcomes": outcomes, "shared": shared, "n": reflected}
    else:
        reading = gettext("No outcome has been recorded yet.")
    return funnel_chart(
        key="transfer-funnel",
        title=gettext("How far outcomes travelled"),
        description=reading
        + " "
        + gettext("An outcome counts at every stage up to the furthest it reached."),
        stages=_labels(),
        counts=counts,
        unit=gettext("outcomes"),
    )


def _by_quarter(dialogue: Dialogue) -> Chart:
    reached = selectors.stages_by_quarter(dialogue=dialogue)
    quarters = quarters_between(min(reached), max(reached)) if reached else []
    series = [
        Series(OutcomeStage(stage).label, tuple(reached.get(q, {}).get(stage, 0) for q in quarters))
        for stage in OUTCOME_STAGES
    ]
    busiest = max(quarters, key=lambda q: sum(reached.get(q, {}).values()), default=None)
    reading = (
        ngettext(
            "Steps were recorded in %(n)s of %(total)s quarter; the busiest was %(busiest)s.",
            "Steps were recorded in %(n)s of %(total)s quarters; the busiest was %(busiest)s.",
            len(quarters),
        )
        % {"n": len(reached), "total": len(quarters), "busiest": quarter_label(busiest)}
        if busiest
        else gettext("No stage has been recorded yet.")
    )
    each_bar = gettext("Each bar counts the outcomes that reached that stage in that quarter.")
    return bar_chart(
        key="transfer-quarters",
        title=gettext("Stages reached per quarter"),
        description=f"{reading} {each_bar} {NOTE}",
        categories=[quarter_label(q) for q in quarters],
        series=series,
        unit=gettext("outcomes"),
        stacked=True,
        category_label=gettext("Quarter"),
    )


def _steps(dialogue: Dialogue) -> Table:
    rows = tuple(
        (
            step.outcome.title,
            step.get_stage_display(),
            step.reached_on,
            step.channel,
            ", ".join(person.shown for person in step.carriers.all()),
        )
        for step in selectors.transfer_steps(dialogue=dialogue)
    )
    return Table(
        caption=gettext("Every stage recorded, outcome by outcome"),
        columns=(
            gettext("Outcome"),
            gettext("Stage"),
            gettext("Reached on"),
            gettext("Channel"),
            gettext("Carried by"),
        ),
        rows=rows,
    )


def transfer_figures(*, dialogue: Dialogue) -> TransferFigures:
    return TransferFigures(funnel=_funnel(dialogue), quarters=_by_quarter(dialogue), steps=_steps(dialogue))
