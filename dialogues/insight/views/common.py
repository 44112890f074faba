"""What every insight page of a dialogue opens with: the dialogue, if the viewer may see its insight."""

from dialogues.models import Dialogue
from dialogues.permissions import dialogue_access, insight_dialogues
from trackii.permissions import fetch_or_404


def insight_dialogue(request, dialogue_id: int) -> Dialogue:
    """The dialogue, read and audited like any confidential page, if the viewer is one of its convenors or
    facilitators (dialogues.permissions.can_view_insight); otherwise the same 404 as a missing dialogue. A
    break-glass reader, a rapporteur, a funder or an auditor gets the 404: insight is not theirs to read."""
    allowed = insight_dialogues(dialogue_access(request.user))
    return fetch_or_404(request, Dialogue.objects.filter(pk__in=allowed), pk=dialogue_id)
