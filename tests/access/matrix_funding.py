"""Access-matrix rows for the funding pages (grants, conditions, expenses, funders, the accountant's CSV and a
participant's answer on funding). Same format as tests/access/matrix.py.

Changing anything needs `manage_funding` on the grant's dialogue: A's convenor ("facilitator") for A's grant,
B's convenor for B's. Break-glass reads a grant but never changes one. A funder's page opens for the
convenor who manages one of its grants, so each place's funder is "A B -" like its grant. A's grant is still
proposed, so an expense cannot be removed (a redirect with the reason) and an empty form comes back (400).
The answer page is a participant's own: the members of each dialogue, nobody else (break-glass included).
"""

from tests.access.common import ANON, NOT_FOUND
from tests.access.matrix_scheduling import NOT_ALLOWED, facilitators

# Pages without an object: for anyone who manages some dialogue's funding (both convenors do).
FUNDING_MANAGERS = {"anonymous": "302", "facilitator": "200", "facilitator_other": "200", "*": "404"}


def funding_managers(status: str) -> dict:
    return {"anonymous": "302", "facilitator": status, "facilitator_other": status, "*": "404"}


FUNDING_MATRIX: dict = {
    "funding:grant_export": {"GET": FUNDING_MANAGERS, "POST": {"anonymous": "302", "*": "405"}},
    "funding:grant_create": {"GET": FUNDING_MANAGERS, "POST": funding_managers("400")},
    "funding:grant_edit": {"GET": facilitators("200"), "POST": facilitators("400")},
    "funding:grant_status": {"GET": NOT_ALLOWED, "POST": facilitators("302")},
    "funding:condition_add": {"GET": NOT_ALLOWED, "POST": facilitators("400")},
    "funding:condition_rule": {"GET": NOT_ALLOWED, "POST": facilitators("400")},
    # Nobody proposed an acceptance yet: the convenor is sent back with the reason.
    "funding:condition_confirm": {"GET": NOT_ALLOWED, "POST": facilitators("302")},
    "funding:expense_add": {"GET": NOT_ALLOWED, "POST": facilitators("400")},
    "funding:expense_remove": {"GET": NOT_ALLOWED, "POST": facilitators("302")},
    "funding:funder_list": {"GET": FUNDING_MANAGERS, "POST": {"anonymous": "302", "*": "405"}},
    "funding:funder_create": {"GET": FUNDING_MANAGERS, "POST": funding_managers("400")},
    "funding:funder_detail": {"GET": facilitators("200"), "POST": facilitators("400")},
    "funding:officer_add": {"GET": NOT_ALLOWED, "POST": facilitators("400")},
    "funding:officer_remove": {"GET": NOT_ALLOWED, "POST": facilitators("302")},
    # Disclosure reports: the grant's convenors and its funder's officers; generating is the convenors'. A's
    # grant is still proposed, so asking for a report sends the convenor back with the reason.
    "funding:disclosures": {
        "GET": {**facilitators("200"), "funder": "200 404 404", "funder_other": "404 200 404"},
        "POST": facilitators("302"),
    },
    "funding:disclosure_download": {
        "GET": {**facilitators("200"), "funder": "200 404 404", "funder_other": "404 200 404"},
        "POST": NOT_ALLOWED,
    },
    "funding:approval": {
        "GET": {
            "anonymous": ANON,
            "participant_attended": "200 404 404",
            "participant_absent": "200 404 404",
            "participant_other": "404 200 404",
            "*": NOT_FOUND,
        },
        # An empty answer: the participant gets the form back with the reason.
        "POST": {
            "anonymous": ANON,
            "participant_attended": "400 404 404",
            "participant_absent": "400 404 404",
            "participant_other": "404 400 404",
            "*": NOT_FOUND,
        },
    },
}

FUNDING_OBJECTS: dict = {
    "funding:grant_edit": lambda p: {"grant_id": p.grant.pk},
    "funding:grant_status": lambda p: {"grant_id": p.grant.pk},
    "funding:condition_add": lambda p: {"grant_id": p.grant.pk},
    "funding:condition_rule": lambda p: {"grant_id": p.grant.pk, "condition_id": p.condition.pk},
    "funding:condition_confirm": lambda p: {"grant_id": p.grant.pk, "condition_id": p.condition.pk},
    "funding:expense_add": lambda p: {"grant_id": p.grant.pk},
    "funding:expense_remove": lambda p: {"grant_id": p.grant.pk, "expense_id": p.expense.pk},
    "funding:funder_detail": lambda p: {"funder_id": p.grant.funder_id},
    "funding:officer_add": lambda p: {"funder_id": p.grant.funder_id},
    "funding:officer_remove": lambda p: {
        "funder_id": p.grant.funder_id,
        "person_id": p.grant.funder.officers.get().pk,
    },
    "funding:approval": lambda p: {"dialogue_id": p.dialogue.pk},
    "funding:disclosures": lambda p: {"grant_id": p.grant.pk},
    "funding:disclosure_download": lambda p: {"grant_id": p.grant.pk, "disclosure_id": p.disclosure.pk},
}
