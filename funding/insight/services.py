"""Handing a funder (or the grant's convenors and facilitation team) the numbers behind an activity chart,
each download in the audit log."""

from django.db import transaction

from funding.insight.selectors import activity_chart
from funding.models import Grant
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.charts import Table


@transaction.atomic
def export_activity_table(*, grant: Grant, table: str, by: User) -> Table:
    """The table behind one of the grant's activity charts (`table`: one of selectors.TABLES), recorded as
    INSIGHT_EXPORTED on the grant. Aggregates only, with the same suppression as the page."""
    if grant.dialogue_id is None:
        raise ValueError("A core-budget grant has no dialogue activity to export.")
    chart = activity_chart(grant=grant, table=table)
    record_event(
        actor=by,
        action=Action.INSIGHT_EXPORTED,
        target=grant,
        dialogue_id=grant.dialogue_id,
        detail={"table": table},
    )
    return chart.table
