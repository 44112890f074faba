"""What reading programme insight writes: the audit row of a downloaded table (issue 21)."""

from django.db import transaction

from dialogues.models import Dialogue
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event


@transaction.atomic
def record_export(*, by: User, dialogue: Dialogue, table: str) -> None:
    """Record that `by` downloaded the insight table `table` of `dialogue` as CSV, before a row is read."""
    record_event(actor=by, action=Action.INSIGHT_EXPORTED, target=dialogue, detail={"table": table})
