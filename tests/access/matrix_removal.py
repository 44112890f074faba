"""Access-matrix rows for removal (dialogues/removal/). Same format as tests/access/matrix.py. Only a
dialogue's convenor reaches them, and only for a membership of that dialogue. Every request runs in a
transaction that is rolled back."""

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
    # A current member has nothing kept to withdraw: the roster again, with a message.
    "dialogues:kept_summaries_withdraw": CONVENORS_ONLY_POST,
}

REMOVAL_OBJECTS = {
    "dialogues:kept_summaries_withdraw": lambda p: {
        "dialogue_id": p.dialogue.pk,
        "membership_id": p.membership.pk,
    },
}
