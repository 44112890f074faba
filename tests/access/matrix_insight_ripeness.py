"""Access-matrix rows for the ripeness log (dialogues/insight/views/ripeness.py, issue 21). Same format as
tests/access/matrix.py. Only the dialogue's convenors and facilitators (in the world: its convenor) reach
them, and only for their own dialogue: everyone else (its participants, the funder's officer, the auditor, a
running break-glass) gets the missing page, and so does an entry of another dialogue."""

from tests.access.common import ANON, NOT_FOUND


def _team(answer: str) -> dict:
    """`answer` for the convenor of A on A and of B on B; the missing page for everyone else."""
    return {
        "anonymous": ANON,
        "facilitator": f"{answer} 404 404",
        "facilitator_other": f"404 {answer} 404",
        "*": NOT_FOUND,
    }


NO_POST = {"anonymous": ANON, "*": "405 405 405"}

INSIGHT_RIPENESS_MATRIX: dict = {
    "dialogues:insight_ripeness": {"GET": _team("200"), "POST": NO_POST},
    # The form lives on the log's page: a GET leads there; an empty POST is refused with the form's messages.
    "dialogues:insight_ripeness_new": {"GET": _team("302"), "POST": _team("400")},
    "dialogues:insight_ripeness_edit": {"GET": _team("200"), "POST": _team("400")},
    # The confirmation page, for a GET and for a POST without the confirmation field.
    "dialogues:insight_ripeness_delete": {"GET": _team("200"), "POST": _team("200")},
    "dialogues:insight_ripeness_csv": {"GET": _team("200"), "POST": NO_POST},
}


def _entry(place) -> dict:
    return {"dialogue_id": place.dialogue.pk, "entry_id": place.ripeness_entry.pk}


INSIGHT_RIPENESS_OBJECTS = {
    "dialogues:insight_ripeness": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:insight_ripeness_new": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:insight_ripeness_edit": _entry,
    "dialogues:insight_ripeness_delete": _entry,
    "dialogues:insight_ripeness_csv": lambda p: {"dialogue_id": p.dialogue.pk},
}
