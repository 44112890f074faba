"""Access-matrix rows for a dialogue's continuity page and its CSV (dialogues/insight/, issue 21). Same format
as tests/access/matrix.py. Insight is for the dialogue's convenors and facilitators only (`can_view_insight`):
A's convenor reads A's, B's convenor B's; a participant, a rapporteur, a funder, an auditor, staff and a
superuser under break-glass (roster only) get the missing page."""

from tests.access.common import ANON, NOT_FOUND

CONVENORS_ONLY_GET = {
    "GET": {
        "anonymous": ANON,
        "facilitator": "200 404 404",
        "facilitator_other": "404 200 404",
        "*": NOT_FOUND,
    },
    "POST": {"anonymous": ANON, "*": "405 405 405"},
}

INSIGHT_CONTINUITY_MATRIX: dict = {
    "dialogues:insight_continuity": CONVENORS_ONLY_GET,
    "dialogues:insight_continuity_csv": CONVENORS_ONLY_GET,
}

INSIGHT_CONTINUITY_OBJECTS = {
    "dialogues:insight_continuity": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:insight_continuity_csv": lambda p: {"dialogue_id": p.dialogue.pk, "table": "workshops"},
}
