"""Access-matrix rows for a dialogue's insight hub and its composition page with their CSVs
(dialogues/insight/). Same format as tests/access/matrix.py. Insight is for a dialogue's convenors and
facilitators (dialogues.permissions.can_view_insight): A's convenor sees A's, B's convenor B's, and everyone
else gets the missing page, the superuser holding a break-glass grant on A included (break-glass reads the
dialogue's records, not its insight). No POST: every signed-in
visitor gets 405, as on every read-only page."""

from tests.access.common import ANON, NOT_FOUND

INSIGHT_READ = {
    "GET": {
        "anonymous": ANON,
        "facilitator": "200 404 404",
        "facilitator_other": "404 200 404",
        "*": NOT_FOUND,
    },
    "POST": {"anonymous": ANON, "*": "405 405 405"},
}

INSIGHT_COMPOSITION_MATRIX: dict = {
    "dialogues:insight": INSIGHT_READ,
    "dialogues:insight_composition": INSIGHT_READ,
    # The roster's table exists in every dialogue, with or without a held workshop.
    "dialogues:insight_composition_csv": INSIGHT_READ,
}

INSIGHT_COMPOSITION_OBJECTS = {
    "dialogues:insight": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:insight_composition": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:insight_composition_csv": lambda p: {"dialogue_id": p.dialogue.pk, "table": "roster"},
}
