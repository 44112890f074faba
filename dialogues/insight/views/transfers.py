"""The transfer pipeline of one dialogue, for its convenors and facilitators (`insight_dialogue`): the funnel,
the stages reached per quarter and every step with its channel and carriers by pseudonym; each table as CSV
(audited). Anyone else gets the ordinary 404, audited as denied."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dialogues.http import DOWNLOAD, GET
from dialogues.insight.services import record_export
from dialogues.insight.transfers import TABLES, transfer_figures
from dialogues.insight.views.common import insight_dialogue, refuse_table
from trackii.charts.export import csv_response, in_source_language


@login_required
@require_http_methods(GET)
def insight_transfers(request, dialogue_id: int):
    dialogue = insight_dialogue(request, dialogue_id)
    context = {"dialogue": dialogue, "figures": transfer_figures(dialogue=dialogue)}
    return render(request, "dialogues/insight/transfers.html", context)


@login_required
@require_http_methods(DOWNLOAD)
@in_source_language
def insight_transfers_csv(request, dialogue_id: int, table: str):
    dialogue = insight_dialogue(request, dialogue_id)
    if table not in TABLES:
        refuse_table(request, table)
    figures = transfer_figures(dialogue=dialogue)
    record_export(by=request.user, dialogue=dialogue, table=f"transfers-{table}")
    return csv_response(figures.table(table), filename=f"{dialogue.codename}-transfers-{table}.csv")
