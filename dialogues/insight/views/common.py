"""How every insight page of a dialogue, and every CSV of one, opens its dialogue: `insight_dialogue`, the one
way, so that who may see insight and how a refusal reads in the audit log are decided in one place."""

from dialogues.models import Dialogue
from dialogues.permissions import dialogue_access, insight_dialogues
from trackii.permissions import fetch_or_404, refuse


def insight_dialogue(request, dialogue_id: int) -> Dialogue:
    """The dialogue, read and audited like any confidential page (trackii.permissions.fetch_or_404), if the
    viewer is one of its convenors or facilitators (dialogues.permissions.can_view_insight: they also keep
    the ripeness log, as insight asks for `manage_dialogue`). Anyone else, and a missing dialogue, get the
    same 404, audited as denied with target "dialogues.dialogue" and the id asked for. A break-glass reader,
    a rapporteur, a funder or an auditor gets the 404: insight is not theirs to read."""
    allowed = insight_dialogues(dialogue_access(request.user))
    return fetch_or_404(request, Dialogue.objects.filter(pk__in=allowed), pk=dialogue_id)


def refuse_table(request, table: str):
    """A CSV table the page does not offer: the ordinary 404, audited as denied with target "insight.table"
    and the name asked for, the same on every insight page."""
    refuse(request, target_type="insight.table", target_id=table, attempted="insight_exported")
