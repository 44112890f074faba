"""Writes of the insight pages (issue 21). Reading a page is audited by `fetch_or_404`; downloading one of
its tables is audited here, one row per download."""

from django.db import transaction

from dialogues.models import Dialogue
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event


@transaction.atomic
def record_export(*, by: User, dialogue: Dialogue | None, table: str) -> None:
    """Audit one CSV download of an insight table: `table` is its key (``"balance"``, ``"side-12"``), never
    its content. `dialogue` is the target where the table belongs to one; None for programme-wide tables."""
    record_event(
        actor=by,
        action=Action.INSIGHT_EXPORTED,
        target=dialogue,
        target_type=None if dialogue is not None else "insight.programme",
        detail={"table": table},
    )
