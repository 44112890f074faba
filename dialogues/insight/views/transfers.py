"""The transfer pipeline of one dialogue, for its convenors and facilitators (`can_view_insight`): the funnel,
the stages reached per quarter and every step with its channel and carriers by pseudonym; each table as CSV
(audited). Anyone else gets the ordinary 404, audited as denied."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dialogues.http import GET
from dialogues.insight.services import record_export
from dialogues.insight.transfers import TABLES, transfer_figures
from dialogues.models import Dialogue
from dialogues.permissions import can_view_insight, dialogue_access
from dialogues.selectors import dialogues_for_user
from trackii.charts.export import csv_response
from trackii.permissions import fetch_or_404, refuse


def _insight_dialogue(request, dialogue_id: int, *, attempted: str) -> Dialogue:
    """The dialogue, read (and audited) only for those who may see its insight."""
    if not can_view_insight(dialogue_access(request.user), dialogue_id):
        refuse(request, target_type="dialogues.dialogue", target_id=str(dialogue_id), attempted=attempted)
    return fetch_or_404(
        request, dialogues_for_user(user=request.user, codename="view_aggregates"), pk=dialogue_id
    )


@login_required
@require_http_methods(GET)
def insight_transfers(request, dialogue_id: int):
    dialogue = _insight_dialogue(request, dialogue_id, attempted="insight_transfers")
    context = {"dialogue": dialogue, "figures": transfer_figures(dialogue=dialogue)}
    return render(request, "dialogues/insight/transfers.html", context)


@login_required
@require_http_methods(GET)
def insight_transfers_csv(request, dialogue_id: int, table: str):
    dialogue = _insight_dialogue(request, dialogue_id, attempted="insight_transfers_csv")
    if table not in TABLES:
        refuse(
            request, target_type="dialogues.dialogue", target_id=str(dialogue.pk), attempted="insight_table"
        )
    figures = transfer_figures(dialogue=dialogue)
    record_export(by=request.user, dialogue=dialogue, table=f"transfers-{table}")
    return csv_response(figures.table(table), filename=f"{dialogue.codename}-transfers-{table}.csv")
