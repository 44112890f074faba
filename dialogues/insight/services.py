"""Programme insight's one write: downloading a table as CSV is audited, naming the table and the dialogue."""

from dialogues.models import Dialogue
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event


def record_export(*, by: User, dialogue: Dialogue, table: str) -> None:
    record_event(actor=by, action=Action.INSIGHT_EXPORTED, target=dialogue, detail={"table": table})
