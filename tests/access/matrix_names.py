"""Access-matrix rows for a person's names page (dialogues/names/, issue 22). Same format as
tests/access/matrix.py. Only a dialogue's convenor reaches it, and only for someone of that dialogue: the
convenor of B gets the missing page for A's participant, so nobody learns a name, or whether a person has
other forms of it, outside the dialogues they convene. Every request runs in a transaction rolled back."""

from tests.access.common import ANON, NOT_FOUND

NAMES_MATRIX: dict = {
    # The page; an empty POST is the form refused (400).
    "dialogues:person_names": {
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
    "dialogues:person_name_remove": {
        "GET": {"anonymous": ANON, "*": "405 405 405"},
        "POST": {
            "anonymous": ANON,
            "facilitator": "302 404 404",
            "facilitator_other": "404 302 404",
            "*": NOT_FOUND,
        },
    },
}

NAMES_OBJECTS = {
    "dialogues:person_names": lambda p: {"dialogue_id": p.dialogue.pk, "person_id": p.membership.person_id},
    "dialogues:person_name_remove": lambda p: {
        "dialogue_id": p.dialogue.pk,
        "person_id": p.membership.person_id,
        "name_id": p.person_name.pk,
    },
}
