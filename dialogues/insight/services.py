"""Audit rows for reading and exporting insight."""

from trackii.audit.enums import Action
from trackii.audit.services import record_event

PROGRAMME = "dialogues.programme_insight"  # the audit target type of the programme-wide page


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
