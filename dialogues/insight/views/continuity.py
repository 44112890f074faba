"""The continuity page of a dialogue and the CSV of each of its tables (dialogues/insight/continuity.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dialogues.http import DOWNLOAD, GET
from dialogues.insight import continuity as selectors
from dialogues.insight import services
from dialogues.insight.views.common import insight_dialogue, refuse_table
from trackii.charts.export import csv_response, in_source_language


@login_required
@require_http_methods(GET)
def continuity(request, dialogue_id: int):
    dialogue = insight_dialogue(request, dialogue_id)
    data = selectors.continuity(dialogue=dialogue)
    context = {
        "dialogue": dialogue,
        "data": data,
        "reading": selectors.reading(data),
        "retention": selectors.retention_chart(data),
        "newcomers": selectors.newcomers_chart(data),
    }
    return render(request, "dialogues/insight/continuity.html", context)


@login_required
@require_http_methods(DOWNLOAD)
@in_source_language
def continuity_csv(request, dialogue_id: int, table: str):
    dialogue = insight_dialogue(request, dialogue_id)
    known = table in selectors.TABLES
    rows = selectors.table(selectors.continuity(dialogue=dialogue), table) if known else None
    if rows is None:
        refuse_table(request, table)
    services.record_export(by=request.user, dialogue=dialogue, table=f"continuity-{table}")
    return csv_response(rows, filename=f"{dialogue.codename}-continuity-{table}.csv")
