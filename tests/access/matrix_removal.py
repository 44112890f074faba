"""Access-matrix rows for removal and the emergency cut-off (dialogues/removal/). Same format as
tests/access/matrix.py. Only a dialogue's convenor reaches them, and only for someone of that dialogue: the
convenor of B gets the missing page for A's participant, so a convenor can neither cut off nor learn about
anyone outside the dialogues they convene. Every request runs in a transaction that is rolled back."""

from tests.access.common import ANON, NOT_FOUND

CONVENORS_ONLY_POST = {
    "GET": {"anonymous": ANON, "*": "405 405 405"},
    "POST": {
        "anonymous": ANON,
        "facilitator": "302 404 404",
        "facilitator_other": "404 302 404",
        "*": NOT_FOUND,
    },
}

REMOVAL_MATRIX: dict = {
    # A current member has nothing kept to withdraw: the roster again, with a message (no confirmation page).
    "dialogues:kept_summaries_withdraw": {
        "GET": CONVENORS_ONLY_POST["POST"],
        "POST": CONVENORS_ONLY_POST["POST"],
    },
    # The confirmation page; an empty reason is refused with the form's message.
    "dialogues:person_cut_off": {
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
    # Nobody in the world is cut off: the roster again, saying so.
    "dialogues:person_restore": CONVENORS_ONLY_POST,
}

REMOVAL_OBJECTS = {
    "dialogues:kept_summaries_withdraw": lambda p: {
        "dialogue_id": p.dialogue.pk,
        "membership_id": p.membership.pk,
    },
    "dialogues:person_cut_off": lambda p: {"dialogue_id": p.dialogue.pk, "person_id": p.membership.person_id},
    "dialogues:person_restore": lambda p: {"dialogue_id": p.dialogue.pk, "person_id": p.membership.person_id},
}
