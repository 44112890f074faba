"""What insight writes: nothing but the audit row of an export."""

from django.db import transaction

from dialogues.models import Dialogue
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event


@transaction.atomic
def record_export(*, by: User, dialogue: Dialogue, table: str) -> None:
    """An insight table downloaded as CSV: who, which dialogue, which table (its key, never its content)."""
    record_event(actor=by, action=Action.INSIGHT_EXPORTED, target=dialogue, detail={"table": table})
