"""The programme-wide insight page (/insight/) and its CSVs, for a Third Party's convenors and facilitators:
figures over every dialogue whose insight the viewer may see (dialogues.permissions.insight_dialogues), and
only those. Someone who may see no dialogue's insight gets the ordinary 404.

Each figure is one or two queries (dialogues/insight/programme.py) whatever the number of dialogues; this
module turns them into charts with a plain-language reading (trackii.charts) and tables."""

import dataclasses

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from dialogues.http import DOWNLOAD, GET
from dialogues.insight import programme as figures
from dialogues.insight.forms import ProgrammeFilterForm
from dialogues.insight.quarters import NOTE, YEAR_NOTE, quarter_label
from dialogues.insight.services import PROGRAMME, record_programme_export, record_programme_view
from dialogues.permissions import dialogue_access, insight_dialogues
from trackii.charts import Series, Table, bar_chart, funnel_chart, line_chart
from trackii.charts.export import csv_response, in_source_language
from trackii.permissions import refuse

QUARTERS_SHOWN = 12  # more quarters than this and the usual-suspects trend is shown per year
PSEUDONYMS_SHOWN = 100  # on the page; the CSV has them all
SIDES_CHARTED = 20  # bars in the officials chart; its table has every side


# The band the officials chart counts, in the composition page's words.
def _officials() -> str:
    return gettext("%(band)s (parliamentarians included)") % {
        "band": str(figures.OFFICIALS_BAND.label).lower()
    }


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else gettext("no")


# A literal "%" stays out of the translated words: msgfmt would read "% o" as a format.
TEN_PERCENT = {"share": "10 %"}
PERCENT = {"percent": "%"}
NO_SEATS = gettext_lazy("No attended seats are recorded yet at the held workshops of these dialogues.")


def usual_suspects_chart(dialogue_ids):
    found = figures.usual_suspects(dialogue_ids=dialogue_ids)
    by_quarter = len(found.by_quarter) <= QUARTERS_SHOWN
    shares = found.by_quarter if by_quarter else found.by_year
    labels = [quarter_label(s.period) if by_quarter else str(s.period.year) for s in shares]
    overall = found.overall
    if overall is None:
        reading = str(NO_SEATS)
    else:
        reading = gettext(
            "Over all held workshops, the most frequent %(top)s of %(people)s people held %(top_seats)s of "
            "%(seats)s attended seats (%(percent)s %%). Were seats spread evenly, they would hold about "
            "10 %%."
        ) % {
            "top": overall.top_people,
            "people": overall.people,
            "top_seats": overall.top_seats,
            "seats": overall.seats,
            "percent": f"{overall.percent:.0f}",
        }
        if len(shares) > 1:
            went = {
                "from": f"{shares[0].percent:.0f}",
                "first": labels[0],
                "to": f"{shares[-1].percent:.0f}",
                "last": labels[-1],
            }
            if by_quarter:
                reading += (
                    " "
                    + gettext(
                        "Per quarter, the share went from %(from)s %% in %(first)s to %(to)s %% in %(last)s."
                    )
                    % went
                )
            else:
                reading += (
                    " "
                    + gettext(
                        "Per year, the share went from %(from)s %% in %(first)s to %(to)s %% in %(last)s."
                    )
                    % went
                )
        reading += f" {NOTE if by_quarter else YEAR_NOTE}"
    chart = line_chart(
        key="usual-suspects",
        title=gettext("“Usual suspects”: seats held by the most frequent %(share)s of people") % TEN_PERCENT,
        description=reading,
        categories=labels,
        series=[
            Series(
                gettext("Share held by the most frequent %(share)s") % TEN_PERCENT,
                tuple(s.percent for s in shares),
            )
        ],
        unit=gettext("%(percent)s of attended seats") % PERCENT,
        maximum=100,
        category_label=gettext("Quarter") if by_quarter else gettext("Year"),
    )
    rows = tuple(
        (label, s.people, s.seats, s.top_people, s.top_seats, s.percent)
        for label, s in zip(labels, shares, strict=True)
    )
    if overall is not None:
        rows += (
            (
                gettext("All time"),
                overall.people,
                overall.seats,
                overall.top_people,
                overall.top_seats,
                overall.percent,
            ),
        )
    table = Table(
        caption=chart.table.caption,
        columns=(
            chart.table.columns[0],
            gettext("People attending"),
            gettext("Attended seats"),
            gettext("Most frequent %(share)s (people)") % TEN_PERCENT,
            gettext("Their seats"),
            gettext("Their share (%)"),
        ),
        rows=rows,
    )
    return dataclasses.replace(chart, table=table)


def newcomers_chart(dialogue_ids):
    quarters = figures.newcomers_by_quarter(dialogue_ids=dialogue_ids)
    labels = [quarter_label(q.quarter) for q in quarters]
    if not quarters:
        reading = str(NO_SEATS)
    else:
        last = quarters[-1]
        reading = gettext(
            "In %(quarter)s, %(new)s of the %(people)s people who attended (%(percent)s) had never attended "
            "a workshop of these dialogues before."
        ) % {
            "quarter": labels[-1],
            "new": last.newcomers,
            "people": last.people,
            "percent": _percent(last.newcomers, last.people),
        }
        if len(quarters) > 1:
            before = quarters[-2]
            reading += " " + gettext("In %(quarter)s: %(new)s of %(people)s (%(percent)s).") % {
                "quarter": labels[-2],
                "new": before.newcomers,
                "people": before.people,
                "percent": _percent(before.newcomers, before.people),
            }
        reading += f" {NOTE}"
    return bar_chart(
        key="newcomers",
        title=gettext("Newcomers per quarter"),
        description=reading,
        categories=labels,
        series=[
            Series(gettext("Newcomers"), tuple(q.newcomers for q in quarters)),
            Series(gettext("Attended before"), tuple(q.people - q.newcomers for q in quarters)),
        ],
        unit=gettext("people attending"),
        stacked=True,
        category_label=gettext("Quarter"),
    )


def spread_chart(dialogue_ids, spread=None):
    spread = spread or figures.dialogue_spread(dialogue_ids=dialogue_ids)
    top = figures.DIALOGUE_BUCKETS[-1]
    labels = [
        gettext("%(n)s or more dialogues") % {"n": n}
        if n == top
        else ngettext("%(n)s dialogue", "%(n)s dialogues", n) % {"n": n}
        for n in figures.DIALOGUE_BUCKETS
    ]
    total = sum(spread.counts.values())
    many = sum(n for bucket, n in spread.counts.items() if bucket >= figures.MANY_DIALOGUES)
    reading = (
        gettext(
            "Of the %(total)s current members of these dialogues, %(many)s (%(percent)s) are members of "
            "%(n)s or more of them."
        )
        % {"total": total, "many": many, "percent": _percent(many, total), "n": figures.MANY_DIALOGUES}
        if total
        else gettext("These dialogues have no current members.")
    )
    return bar_chart(
        key="dialogue-spread",
        title=gettext("People in many dialogues"),
        description=reading,
        categories=labels,
        series=[Series(gettext("People"), tuple(spread.counts[n] for n in figures.DIALOGUE_BUCKETS))],
        unit=gettext("current members"),
        category_label=gettext("Member of"),
    )


def people_in_many_table(dialogue_ids, spread=None, convened_ids=()) -> Table:
    spread = spread or figures.dialogue_spread(dialogue_ids=dialogue_ids, convened_ids=convened_ids)
    return Table(
        caption=gettext("People in %(n)s or more dialogues (by pseudonym)") % {"n": figures.MANY_DIALOGUES},
        columns=(gettext("Pseudonym"), gettext("Dialogues")),
        rows=spread.in_many,
    )


def officials_chart(dialogue_ids):
    sides = figures.sides_mostly_officials(dialogue_ids=dialogue_ids)
    officials = _officials()
    if sides:
        reading = ngettext(
            "%(n)s side had more than half of their attended seats held by %(officials)s; the most: %(side)s "
            "in %(codename)s (%(percent)s %%). Close to officialdom helps ideas travel, but may leave less "
            "room to think outside the box.",
            "%(n)s sides had more than half of their attended seats held by %(officials)s; the most: "
            "%(side)s in %(codename)s (%(percent)s %%). Close to officialdom helps ideas travel, but may "
            "leave less room to think outside the box.",
            len(sides),
        ) % {
            "n": len(sides),
            "officials": officials,
            "side": sides[0].side,
            "codename": sides[0].codename,
            "percent": f"{sides[0].percent:.0f}",
        }
    else:
        reading = gettext("No side had more than half of its attended seats held by %(officials)s.") % {
            "officials": officials
        }
    charted = sides[:SIDES_CHARTED]
    chart = bar_chart(
        key="official-sides",
        title=gettext("Sides whose seats are mostly held by %(officials)s") % {"officials": officials},
        description=reading,
        categories=[f"{s.codename} · {s.side}" for s in charted],
        series=[
            Series(
                gettext("Seats held by %(officials)s") % {"officials": officials},
                tuple(s.percent for s in charted),
            )
        ],
        unit=gettext("%(percent)s of the side's attended seats") % PERCENT,
        category_label=gettext("Dialogue · side"),
    )
    table = Table(
        caption=chart.table.caption,
        columns=(
            gettext("Dialogue"),
            gettext("Side"),
            gettext("Attended seats"),
            gettext("Held by %(officials)s") % {"officials": officials},
            gettext("Share (%)"),
        ),
        rows=tuple((s.codename, s.side, s.seats, s.officials, s.percent) for s in sides),
    )
    return dataclasses.replace(chart, table=table)


def funnel(dialogue_ids):
    stages = figures.transfer_funnel(dialogue_ids=dialogue_ids)
    first, last = stages[0], stages[-1]
    reading = (
        ngettext(
            "Of %(n)s outcome recorded, %(reached)s reached “%(stage)s”.",
            "Of %(n)s outcomes recorded, %(reached)s reached “%(stage)s”.",
            first[1],
        )
        % {"n": first[1], "reached": last[1], "stage": last[0]}
        if first[1]
        else gettext("No outcomes are recorded in these dialogues yet.")
    )
    return funnel_chart(
        key="transfer-funnel",
        title=gettext("The road to Track One: outcomes by the furthest stage reached"),
        description=reading,
        stages=[label for label, _ in stages],
        counts=[count for _, count in stages],
        unit=gettext("outcomes"),
    )


# Each table the page offers as CSV, by the name in its URL: what builds it from the dialogue ids.
TABLES = {
    "usual-suspects": lambda ids, convened: usual_suspects_chart(ids).table,
    "newcomers": lambda ids, convened: newcomers_chart(ids).table,
    "dialogue-spread": lambda ids, convened: spread_chart(ids).table,
    "people-in-many": lambda ids, convened: people_in_many_table(ids, convened_ids=convened),
    "official-sides": lambda ids, convened: officials_chart(ids).table,
    "transfer-funnel": lambda ids, convened: funnel(ids).table,
}


def _convened(request, dialogue_ids) -> list[int]:
    """Of the dialogues counted, those the viewer convenes (the roster's `manage_members`; break-glass never
    reaches this page, decision 0017): where a person's pseudonyms may be shown side by side."""
    access = dialogue_access(request.user)
    return [pk for pk in dialogue_ids if access.has(pk, "manage_members")]


def _scope(request) -> tuple[list[int], ProgrammeFilterForm | None, str]:
    """The dialogues the figures count over, the Third Party filter (when there is a choice) and its query
    string; someone who may see no dialogue's insight is refused with the ordinary 404."""
    dialogue_ids = insight_dialogues(dialogue_access(request.user))
    if not dialogue_ids:
        refuse(request, target_type=PROGRAMME, attempted=request.resolver_match.view_name)
    parties = figures.third_parties(dialogue_ids=dialogue_ids)
    if len(parties) < 2:
        return dialogue_ids, None, ""
    form = ProgrammeFilterForm(request.GET or None, third_parties=parties)
    if form.is_bound and form.is_valid() and form.cleaned_data["third_party"] is not None:
        chosen = form.cleaned_data["third_party"]
        return (
            figures.of_third_party(dialogue_ids=dialogue_ids, third_party_id=chosen),
            form,
            f"?third_party={chosen}",
        )
    return dialogue_ids, form, ""


@login_required
@require_http_methods(GET)
def programme_insight(request):
    dialogue_ids, form, query = _scope(request)
    record_programme_view(by=request.user, dialogue_ids=dialogue_ids)
    spread = figures.dialogue_spread(dialogue_ids=dialogue_ids, convened_ids=_convened(request, dialogue_ids))
    in_many = people_in_many_table(dialogue_ids, spread)
    charts = [
        usual_suspects_chart(dialogue_ids),
        newcomers_chart(dialogue_ids),
        spread_chart(dialogue_ids, spread),
        officials_chart(dialogue_ids),
        funnel(dialogue_ids),
    ]
    csv = {key: reverse("dialogues:programme_insight_csv", args=[key]) + query for key in TABLES}
    context = {
        "form": form,
        "n_dialogues": len(dialogue_ids),
        "figures": [(chart, csv[chart.key]) for chart in charts],
        "in_many": in_many,
        "in_many_shown": in_many.rows[:PSEUDONYMS_SHOWN],
        "in_many_csv": csv["people-in-many"],
        "many": figures.MANY_DIALOGUES,
    }
    return render(request, "dialogues/insight/programme.html", context)


@login_required
@require_http_methods(DOWNLOAD)
@in_source_language
def programme_insight_csv(request, table: str):
    dialogue_ids, _, _ = _scope(request)
    if table not in TABLES:
        refuse(request, target_type=PROGRAMME, target_id=table, attempted=request.resolver_match.view_name)
    record_programme_export(by=request.user, table=table, dialogue_ids=dialogue_ids)
    return csv_response(
        TABLES[table](dialogue_ids, _convened(request, dialogue_ids)), filename=f"programme-{table}.csv"
    )
