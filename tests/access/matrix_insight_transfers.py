"""Access-matrix rows for outcomes and the transfer pipeline (issue 21; dialogues/outcomes/ and
dialogues/insight/views/transfers.py). Same format as tests/access/matrix.py. Outcomes are read by the
facilitation team and a break-glass reader (`view_outcomes`) and recorded by convenors and facilitators
(`manage_dialogue`); the pipeline's charts are for the dialogue's convenors and facilitators only
(`can_view_insight`: not a break-glass reader, not a funder). A's convenor gets the missing page for B's."""

from tests.access.common import ANON, NOT_FOUND

NO_POST = {"anonymous": ANON, "*": "405 405 405"}
CONVENORS = {
    "anonymous": ANON,
    "facilitator": "200 404 404",
    "facilitator_other": "404 200 404",
    "*": NOT_FOUND,
}
READERS = CONVENORS | {"superuser_break_glass": "200 404 404"}
# An empty form is refused with its messages (400); a break-glass reader may read but not record.
REFUSED_FORM = {
    "anonymous": ANON,
    "facilitator": "400 404 404",
    "facilitator_other": "404 400 404",
    "*": NOT_FOUND,
}

INSIGHT_TRANSFERS_MATRIX: dict = {
    "dialogues:outcome_list": {"GET": READERS, "POST": NO_POST},
    "dialogues:outcome_create": {"GET": CONVENORS, "POST": REFUSED_FORM},
    "dialogues:outcome_detail": {"GET": READERS, "POST": REFUSED_FORM},
    "dialogues:insight_transfers": {"GET": CONVENORS, "POST": NO_POST},
    "dialogues:insight_transfers_csv": {"GET": CONVENORS, "POST": NO_POST},
}

INSIGHT_TRANSFERS_OBJECTS = {
    "dialogues:outcome_list": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:outcome_create": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:outcome_detail": lambda p: {"dialogue_id": p.dialogue.pk, "outcome_id": p.outcome.pk},
    "dialogues:insight_transfers": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:insight_transfers_csv": lambda p: {"dialogue_id": p.dialogue.pk, "table": "steps"},
}
