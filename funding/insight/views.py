"""The CSV of each activity chart on a grant's page. The grant comes through the same selector as its page,
narrowed to the viewers who see its activity (the funder's officers, the convenors and the facilitation
team: everyone but a member): anyone else, and a table that does not exist, get the ordinary 404."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods

from dialogues.http import DOWNLOAD
from funding.grants.selectors import grants_for_user
from funding.insight import services
from funding.insight.selectors import TABLES
from trackii.charts.export import csv_response, in_source_language
from trackii.permissions import fetch_or_404, refuse


@login_required
@require_http_methods(DOWNLOAD)
@in_source_language
def activity_csv(request, grant_id: int, table: str):
    if table not in TABLES:
        refuse(request, target_type="funding.grant", target_id=str(grant_id), attempted=f"activity/{table}")
    grants = grants_for_user(user=request.user).filter(sees_budget=True, dialogue__isnull=False)
    grant = fetch_or_404(request, grants, pk=grant_id)
    chart_table = services.export_activity_table(grant=grant, table=table, by=request.user)
    return csv_response(chart_table, filename=f"grant-{grant.pk}-{table}.csv")
