"""The composition page of a dialogue and the CSV of each of its tables."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dialogues.http import DOWNLOAD, GET
from dialogues.insight import services
from dialogues.insight.composition import composition, composition_charts, readings
from dialogues.insight.views.common import insight_dialogue, refuse_table
from trackii.charts.export import csv_response, in_source_language


@login_required
@require_http_methods(GET)
def insight_composition(request, dialogue_id: int):
    dialogue = insight_dialogue(request, dialogue_id)
    data = composition(dialogue=dialogue)
    charts = composition_charts(data)
    context = {
        "dialogue": dialogue,
        "data": data,
        "readings": readings(data),
        "side_charts": [chart for key, chart in charts.items() if key.startswith("side-")],
        "balance": charts.get("balance"),
        "roster": charts["roster"],
    }
    return render(request, "dialogues/insight/composition.html", context)


@login_required
@require_http_methods(DOWNLOAD)
@in_source_language
def insight_composition_csv(request, dialogue_id: int, table: str):
    dialogue = insight_dialogue(request, dialogue_id)
    chart = composition_charts(composition(dialogue=dialogue)).get(table)
    if chart is None:
        refuse_table(request, table)
    services.record_export(by=request.user, dialogue=dialogue, table=table)
    return csv_response(chart.table, filename=f"{dialogue.codename}-composition-{table}.csv")
