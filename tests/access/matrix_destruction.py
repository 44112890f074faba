"""Access-matrix rows for destroying a dialogue (dialogues/destruction/, issue 23). Same format as
tests/access/matrix.py. Only a dialogue's convenors reach its destruction page; the world's dialogues are not
concluded, so an (empty) request is refused with the form (400), and there is no request to confirm or
withdraw: those are the missing page for everyone. Pages of a destroyed dialogue are walked in
tests/dialogues/destruction/test_pages.py."""

from tests.access.common import ANON, NOT_FOUND

DESTRUCTION_MATRIX: dict = {
    "dialogues:destruction": {
        "GET": {
            "anonymous": ANON,
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "*": NOT_FOUND,
        },
        "POST": {
            "anonymous": ANON,
            "facilitator": "400 404 404",
            "facilitator_other": "404 400 404",
            "*": NOT_FOUND,
        },
    },
    # The confirmation page of an open request: none in the world.
    "dialogues:destruction_confirm": {
        "GET": {"anonymous": ANON, "*": NOT_FOUND},
        "POST": {"anonymous": ANON, "*": NOT_FOUND},
    },
    "dialogues:destruction_withdraw": {
        "GET": {"anonymous": ANON, "*": "405 405 405"},
        "POST": {"anonymous": ANON, "*": NOT_FOUND},
    },
}

DESTRUCTION_OBJECTS = {
    "dialogues:destruction": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:destruction_confirm": lambda p: {"dialogue_id": p.dialogue.pk},
    "dialogues:destruction_withdraw": lambda p: {"dialogue_id": p.dialogue.pk},
}
