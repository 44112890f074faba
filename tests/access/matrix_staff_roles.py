"""Access-matrix rows for the staff requests (inviting staff, asking for and confirming staff changes). Same
format as tests/access/matrix.py.

Administrators act: the world's administrator and both superusers (a superuser holds every permission).
The auditor may read the list of requests and nothing else; everyone else gets the ordinary 404. A and B are
two requests alike (staff requests belong to no dialogue), asked by an administrator who is none of these,
so any of them may confirm them."""

from tests.access.common import ANON, NOT_FOUND

ADMINS = ("administrator", "superuser", "superuser_break_glass")
ADMINS_ACT = {
    "anonymous": ANON,
    "administrator": "200 200 404",
    "superuser": "200 200 404",
    "superuser_break_glass": "200 200 404",
    "*": NOT_FOUND,
}
ADMINS_POST = {
    "anonymous": ANON,
    "administrator": "302 302 404",
    "superuser": "302 302 404",
    "superuser_break_glass": "302 302 404",
    "*": NOT_FOUND,
}
ONLY_POST = {"anonymous": ANON, "*": "405 405 405"}

STAFF_ROLES_MATRIX: dict = {
    "staff:requests": {
        "GET": {
            "anonymous": "302",
            "auditor": "200",
            "administrator": "200",
            "superuser": "200",
            "superuser_break_glass": "200",
            "*": "404",
        },
        "POST": {"anonymous": "302", "*": "405"},
    },
    "staff:invite": {
        "GET": {"anonymous": "302", **dict.fromkeys(ADMINS, "200"), "*": "404"},
        # An empty form: administrators get it back with errors.
        "POST": {"anonymous": "302", **dict.fromkeys(ADMINS, "400"), "*": "404"},
    },
    "staff:request_new": {
        "GET": ADMINS_ACT,
        "POST": {**ADMINS_ACT, **dict.fromkeys(ADMINS, "400 400 404")},
    },
    # GET, and a POST without the confirmation field, show the question; nothing is written.
    "staff:request_confirm": {"GET": ADMINS_ACT, "POST": ADMINS_ACT},
    "staff:request_decline": {"GET": ONLY_POST, "POST": ADMINS_POST},
    # Not theirs to cancel: the refusal is a message on the list they are sent back to.
    "staff:request_cancel": {"GET": ONLY_POST, "POST": ADMINS_POST},
    # A confirmed invitation's link is for whoever holds it, signed in or not; "-" is garbage.
    "staff:welcome": {"GET": {"*": "200 200 410"}, "POST": {"*": "400 400 410"}},
}


def _staff_request(place):
    """A pending request to make someone an auditor, asked by a (non-superuser) administrator."""
    if not hasattr(place, "staff_request"):
        from tests.factories import UserFactory
        from tests.staff.helpers import staff
        from trackii.staff.requests.services import request_change

        place.staff_request = request_change(
            account=UserFactory(), kind="grant_role", role="auditor", by=staff()
        )
    return place.staff_request


def _staff_token(place) -> str:
    """A confirmed staff invitation's token (the e-mail is never sent: nothing commits in the matrix)."""
    if not hasattr(place, "staff_token"):
        from tests.staff.helpers import staff
        from trackii.staff.requests.selectors import invitation_token
        from trackii.staff.requests.services import confirm_request, invite_staff

        request = invite_staff(email=f"invited-{place.dialogue.pk}@example.org", role="auditor", by=staff())
        confirm_request(staff_request=request, by=staff(), base_url="https://trackii.example.org/")
        place.staff_token = invitation_token(invitation=request.invitation)
    return place.staff_token


STAFF_ROLES_OBJECTS: dict = {
    "staff:request_new": lambda p: {"account_id": _staff_request(p).account_id},
    "staff:request_confirm": lambda p: {"request_id": _staff_request(p).pk},
    "staff:request_decline": lambda p: {"request_id": _staff_request(p).pk},
    "staff:request_cancel": lambda p: {"request_id": _staff_request(p).pk},
    "staff:welcome": lambda p: {"token": _staff_token(p)},
}
