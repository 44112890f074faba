"""Reading outcomes and the road they travelled: a dialogue's outcomes with their first and latest steps,
one outcome's steps with their carriers, the members who may carry one, and the transfer pipeline's figures
for the insight page (the funnel, the stages reached per quarter, every step). Keyword-only; every figure is
counted in SQL, and each function runs a fixed number of queries whatever the number of outcomes."""

import datetime as dt

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.db.models.functions import Length

from dialogues.enums import OUTCOME_STAGES
from dialogues.insight.quarters import quarter_start
from dialogues.models import Dialogue, Outcome, OutcomeStep, Workshop
from dialogues.permissions import belongs_now, on_dialogue
from participants.models import Person
from participants.selectors import called_in


def outcomes_for_user(*, user, codename: str = "view_outcomes") -> QuerySet[Outcome]:
    """Outcomes of the dialogues in which the user holds `codename`."""
    return Outcome.objects.filter(on_dialogue(user, codename, ref="dialogue"))


def outcomes_of(*, dialogue: Dialogue) -> QuerySet[Outcome]:
    """The dialogue's outcomes, newest first, with the day each was raised and the day of its latest step."""
    return (
        dialogue.outcomes.select_related("workshop")
        .annotate(raised_on=Min("steps__reached_on"), moved_on=Max("steps__reached_on"))
        .order_by("-created_at", "-pk")
    )


def by_pseudonym(field: str = "pseudonym") -> tuple:
    """An order_by for pseudonyms in the order people count them, P-2 before P-11 (by length, then text);
    `field` is the path to the pseudonym ("person__pseudonym" from a membership)."""
    return (Length(field), field)


BY_PSEUDONYM = by_pseudonym()


def _carriers(dialogue_id: int) -> Prefetch:
    """Each carrier with `shown`: what the dialogue calls them (decision 0026), never the account's
    pseudonym (`only("pk")` leaves that unread)."""
    return Prefetch(
        "carriers",
        queryset=Person.objects.only("pk")
        .annotate(shown=called_in(dialogue_ref=dialogue_id, person_ref="pk"))
        .order_by(*by_pseudonym("shown")),
    )


def steps_of(*, outcome: Outcome) -> list[OutcomeStep]:
    """The outcome's steps in the order of the pipeline, with their carriers (two queries)."""
    return list(outcome.steps.prefetch_related(_carriers(outcome.dialogue_id)).order_by("position"))


def possible_carriers(*, dialogue: Dialogue) -> QuerySet[Person]:
    """Who may be named as carrying an outcome: the dialogue's members and facilitation team now, each with
    `shown`, what the dialogue calls them."""
    return (
        Person.objects.filter(belongs_now(dialogue))
        .only("pk")
        .annotate(shown=called_in(dialogue_ref=dialogue.pk, person_ref="pk"))
        .order_by(*by_pseudonym("shown"))
    )


def workshops_of(*, dialogue: Dialogue) -> QuerySet[Workshop]:
    """The workshops an outcome may have been raised at: the dialogue's, in date order."""
    return Workshop.objects.filter(series__dialogue=dialogue).order_by("starts_at")


def next_stage(outcome: Outcome) -> str | None:
    """The stage an outcome would reach next, or None once it is reflected in an official outcome."""
    position = OUTCOME_STAGES.index(outcome.stage)
    return OUTCOME_STAGES[position + 1] if position + 1 < len(OUTCOME_STAGES) else None


# The transfer pipeline, for the insight page (dialogues/insight/views/transfers.py).


def transfer_funnel(*, dialogue: Dialogue) -> list[int]:
    """How many of the dialogue's outcomes reached each stage, in pipeline order: an outcome counts at every
    stage up to the furthest it reached (one query)."""
    counts = dialogue.outcomes.aggregate(
        **{
            stage: Count("pk", filter=Q(stage__in=OUTCOME_STAGES[n:]))
            for n, stage in enumerate(OUTCOME_STAGES)
        }
    )
    return [counts[stage] for stage in OUTCOME_STAGES]


def stages_by_quarter(*, dialogue: Dialogue) -> dict[dt.date, dict[str, int]]:
    """For each quarter with a step (by its first day, in order), how many outcomes reached each stage in it
    (one query; one step per outcome and stage, so steps count outcomes)."""
    rows = (
        OutcomeStep.objects.filter(outcome__dialogue=dialogue)
        .annotate(quarter=quarter_start("reached_on", dated=True))
        .values("quarter", "stage")
        .annotate(n=Count("pk"))
        .order_by("quarter")
    )
    quarters: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        quarters.setdefault(row["quarter"], {})[row["stage"]] = row["n"]
    return quarters


def transfer_steps(*, dialogue: Dialogue) -> list[OutcomeStep]:
    """Every step of the dialogue's outcomes, outcome by outcome in pipeline order, with the outcome and the
    carriers' pseudonyms (two queries). The note is not read: it is for the outcome's own page."""
    return list(
        OutcomeStep.objects.filter(outcome__dialogue=dialogue)
        .select_related("outcome")
        .defer("note")
        .prefetch_related(_carriers(dialogue.pk))
        .order_by("-outcome__created_at", "outcome_id", "position")
    )
