"""Access-matrix rows for a person's own data and erasure requests (dialogues/owndata/, issue 23). Same
format as tests/access/matrix.py. "Your data" is the signed-in user's own person, whoever they are: every
login with a person on file reads theirs, a login without one (the superusers here) gets the missing page. A
request is answered only by a convenor of a dialogue its person is or was in: the convenor of B gets the
missing page for A's participant's request. Every request runs in a transaction rolled back."""

from tests.access.common import ANON, NOT_FOUND

NO_PERSON = {"superuser": "404", "superuser_break_glass": "404"}
STAFF_ONLY = dict.fromkeys(["administrator", "superuser", "superuser_break_glass"], "200 200 404")

OWNDATA_MATRIX: dict = {
    "dialogues:own_data": {
        "GET": {"anonymous": "302", **NO_PERSON, "*": "200"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    # The JSON download answers GET only (an audited download).
    "dialogues:own_data_export": {
        "GET": {"anonymous": "302", **NO_PERSON, "*": "200"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    # The confirmation page, for a GET and for a POST without the confirmation field.
    "dialogues:erasure_request": {
        "GET": {"anonymous": "302", **NO_PERSON, "*": "200"},
        "POST": {"anonymous": "302", **NO_PERSON, "*": "200"},
    },
    # Nothing to take back is a message on the data page: a redirect either way.
    "dialogues:erasure_withdraw": {
        "GET": {"anonymous": "302", "*": "405"},
        "POST": {"anonymous": "302", **NO_PERSON, "*": "302"},
    },
    # The request as its convenor reads it; an empty POST is the decline form refused (400).
    "dialogues:erasure_answer": {
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
    # The confirmation page, for a GET and for a POST without the confirmation field.
    "dialogues:erasure_erase": {
        "GET": {
            "anonymous": ANON,
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "*": NOT_FOUND,
        },
        "POST": {
            "anonymous": ANON,
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "*": NOT_FOUND,
        },
    },
    # Requests of people in no dialogue (here each place's funder officer): administrators only, and
    # superusers, who hold every permission; for everyone else the missing page.
    "dialogues:staff_erasure_requests": {
        "GET": {"anonymous": "302", "administrator": "200", **dict.fromkeys(NO_PERSON, "200"), "*": "404"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    "dialogues:staff_erasure_answer": {
        "GET": {"anonymous": ANON, **STAFF_ONLY, "*": NOT_FOUND},
        "POST": {
            "anonymous": ANON,
            **{role: "400 400 404" for role in STAFF_ONLY},
            "*": NOT_FOUND,
        },
    },
    "dialogues:staff_erasure_erase": {
        "GET": {"anonymous": ANON, **STAFF_ONLY, "*": NOT_FOUND},
        "POST": {"anonymous": ANON, **STAFF_ONLY, "*": NOT_FOUND},
    },
}

OWNDATA_OBJECTS = {
    "dialogues:staff_erasure_answer": lambda p: {"request_id": p.unplaced_erasure_request.pk},
    "dialogues:staff_erasure_erase": lambda p: {"request_id": p.unplaced_erasure_request.pk},
    "dialogues:erasure_answer": lambda p: {"dialogue_id": p.dialogue.pk, "request_id": p.erasure_request.pk},
    "dialogues:erasure_erase": lambda p: {"dialogue_id": p.dialogue.pk, "request_id": p.erasure_request.pk},
}
