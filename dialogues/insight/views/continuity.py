"""The continuity page of a dialogue and the CSV of each of its tables (dialogues/insight/continuity.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.http import GET
from dialogues.insight import continuity as selectors
from dialogues.insight import services
from dialogues.models import Dialogue
from dialogues.permissions import can_view_insight, dialogue_access
from trackii.charts.export import csv_response
from trackii.permissions import fetch_or_404, refuse


def _dialogue(request, dialogue_id: int, attempted: str) -> Dialogue:
    """The dialogue, for its convenors and facilitators only (`can_view_insight`); anyone else, and a missing
    dialogue, get the ordinary 404, audited as denied. The read itself is audited as a view."""
    if not can_view_insight(dialogue_access(request.user), dialogue_id):
        refuse(request, target_type="dialogues.dialogue", target_id=str(dialogue_id), attempted=attempted)
    return fetch_or_404(
        request,
        dialogue_selectors.dialogues_for_user(user=request.user, codename="view_aggregates"),
        pk=dialogue_id,
    )


@login_required
@require_http_methods(GET)
def continuity(request, dialogue_id: int):
    dialogue = _dialogue(request, dialogue_id, "insight_continuity")
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
@require_http_methods(GET)
def continuity_csv(request, dialogue_id: int, table: str):
    dialogue = _dialogue(request, dialogue_id, "insight_continuity_csv")
    if table not in selectors.TABLES:
        refuse(
            request,
            target_type="dialogues.dialogue",
            target_id=str(dialogue_id),
            attempted="insight_continuity_csv",
        )
    rows = selectors.table(selectors.continuity(dialogue=dialogue), table)
    if rows is None:
        refuse(
            request,
            target_type="dialogues.dialogue",
            target_id=str(dialogue_id),
            attempted="insight_continuity_csv",
        )
    services.record_export(by=request.user, dialogue=dialogue, table=f"continuity-{table}")
    return csv_response(rows, filename=f"{dialogue.codename}-continuity-{table}.csv")
