"""What a grant's page and its disclosure report show of the funded dialogue's activity: aggregates only, as
charts. Workshops held per quarter, and participants per side with small counts suppressed
(funding.permissions.suppressed_counts). No person, pseudonym, proximity to officialdom, name, venue or date
of a single workshop reaches these figures: the two queries below return counts per quarter and per side.

The workshops are not suppressed: a workshop is not a person, and the funder knows how many it paid for.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext

from dialogues.enums import WorkshopStatus
from dialogues.insight.quarters import NOTE, quarter_label, quarter_start, quarters_between
from dialogues.models import Side, Workshop
from funding.models import Grant
from funding.permissions import suppressed_counts
from participants.enums import MemberRole
from trackii.charts import Chart, Series, bar_chart

# The tables a funder may download (`…/activity/<table>.csv`); each is also its chart's key.
WORKSHOPS = "workshops-per-quarter"
SIDES = "participants-per-side"
TABLES = (WORKSHOPS, SIDES)


@dataclass(frozen=True)
class Activity:
    workshops_held: int
    workshops: Chart  # workshops held per quarter, from the first quarter with one to the last
    sides: Chart  # participants per side, None where withheld
    withheld: int  # how many sides' counts are withheld


def _workshops_chart(dialogue_id: int) -> tuple[int, Chart]:
    per_quarter = (
        Workshop.objects.filter(series__dialogue_id=dialogue_id, status=WorkshopStatus.HELD)
        .annotate(quarter=quarter_start("starts_at"))
        .order_by()
        .values("quarter")
        .annotate(held=Count("pk"))
        .values_list("quarter", "held")
    )
    held = dict(per_quarter)
    # Every quarter from the first to the last, so that a quarter without a workshop shows as a gap.
    quarters = quarters_between(min(held), max(held)) if held else []
    total = sum(held.values())
    if quarters:
        first, last = quarters[0], quarters[-1]
        reading = ngettext(
            "%(n)s workshop held from %(first)s to %(last)s.",
            "%(n)s workshops held from %(first)s to %(last)s.",
            total,
        ) % {"n": total, "first": quarter_label(first), "last": quarter_label(last)}
        reading = f"{reading} {NOTE}"
    else:
        reading = gettext("No workshop has been held yet.")
    chart = bar_chart(
        key=WORKSHOPS,
        title=gettext("Workshops held per quarter"),
        description=reading,
        categories=[quarter_label(q) for q in quarters],
        series=[Series(gettext("Workshops held"), tuple(held.get(q, 0) for q in quarters))],
        unit=gettext("workshops"),
        category_label=gettext("Quarter"),
    )
    return total, chart


def _sides_chart(dialogue_id: int) -> tuple[int, Chart]:
    sides = list(
        Side.objects.filter(dialogue_id=dialogue_id)
        .annotate(
            participants=Count(
                "memberships",
                filter=Q(memberships__role=MemberRole.PARTICIPANT, memberships__left_on__isnull=True),
            )
        )
        .order_by("name", "pk")
        .values_list("name", "participants")
    )
    names = [name for name, _ in sides]
    counts = suppressed_counts([count for _, count in sides])
    withheld = counts.count(None)
    threshold = settings.TRACKII_SMALL_COUNT_THRESHOLD
    each_side = ngettext(
        "Participants taking part now, on each of the %(n)s sides.",
        "Participants taking part now, on each of the %(n)s sides.",
        len(sides),
    ) % {"n": len(sides)}
    if not sides:
        reading = gettext("No sides are recorded yet.")
    elif withheld:
        why = ngettext(
            "%(n)s count is withheld: fewer than %(threshold)s, or one that would let a small count be "
            "worked out.",
            "%(n)s counts are withheld: fewer than %(threshold)s, or one that would let a small count be "
            "worked out.",
            withheld,
        ) % {"n": withheld, "threshold": threshold}
        reading = f"{each_side} {why}"
    else:
        reading = each_side
    chart = bar_chart(
        key=SIDES,
        title=gettext("Participants per side"),
        description=reading,
        categories=names,
        series=[Series(gettext("Participants"), tuple(counts))],
        unit=gettext("participants"),
        category_label=gettext("Side"),
    )
    return withheld, chart


def activity_of(*, grant: Grant) -> Activity | None:
    """The funded dialogue's activity in aggregate (two queries); None for a core-budget grant."""
    if grant.dialogue_id is None:
        return None
    held, workshops = _workshops_chart(grant.dialogue_id)
    withheld, sides = _sides_chart(grant.dialogue_id)
    return Activity(workshops_held=held, workshops=workshops, sides=sides, withheld=withheld)


def activity_chart(*, grant: Grant, table: str) -> Chart:
    """One of the activity charts (`table`: one of TABLES) of a grant with a dialogue, in one query."""
    build = {WORKSHOPS: _workshops_chart, SIDES: _sides_chart}[table]
    return build(grant.dialogue_id)[1]
