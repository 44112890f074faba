"""Writes of the insight pages (issue 21). Reading a page is audited by `fetch_or_404`; downloading one of
its tables is audited here, one row per download."""

from django.db import transaction

from dialogues.models import Dialogue
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event

PROGRAMME = "dialogues.programme_insight"  # the audit target type of the programme-wide page


@transaction.atomic
def record_export(*, by: User, dialogue: Dialogue | None, table: str) -> None:
    """Audit one CSV download of an insight table: `table` is its key (``"balance"``, ``"side-12"``), never
    its content. `dialogue` is the target where the table belongs to one; None for programme-wide tables."""
    record_event(
        actor=by,
        action=Action.INSIGHT_EXPORTED,
        target=dialogue,
        target_type=None if dialogue is not None else PROGRAMME,
        detail={"table": table},
    )


def record_programme_view(*, by, dialogue_ids) -> None:
    """Reading the programme-wide page: no dialogue target, the number of dialogues it counted over."""
    record_event(actor=by, action=Action.VIEW, target_type=PROGRAMME, detail={"dialogues": len(dialogue_ids)})


def record_programme_export(*, by, table: str, dialogue_ids) -> None:
    """A CSV of one programme-wide table: no dialogue target, the table and the number of dialogues."""
    record_event(
        actor=by,
        action=Action.INSIGHT_EXPORTED,
        target_type=PROGRAMME,
        detail={"table": table, "dialogues": len(dialogue_ids)},
    )
