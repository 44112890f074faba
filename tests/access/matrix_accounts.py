"""Access-matrix rows for Trackii's own account pages (onboarding, account, sessions, the convenor's logins
page). Same format as tests/access/matrix.py.

The roles whose accounts need a second factor (facilitators, the auditor, the superusers) hold one in the
world (tests/access/world.py), or they would be sent to set one up from every page."""

from tests.access.common import ANON, NOT_FOUND

# An invitation link is for whoever holds it, signed in or not: A's and B's are open links; "-" is garbage.
WELCOME = {"GET": {"*": "200 200 410"}, "POST": {"*": "400 400 410"}}

ACCOUNTS_MATRIX: dict = {
    "accounts:welcome": WELCOME,
    "accounts:account": {
        "GET": {"anonymous": "302", "*": "200"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    # POST last: it logs the role out for the rest of the row.
    "accounts:log_out_everywhere": {
        "GET": {"anonymous": "302", "*": "405"},
        "POST": {"*": "302"},
    },
    "accounts:invitations": {
        "GET": {
            "anonymous": ANON,
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "*": NOT_FOUND,
        },
        # An empty form: the convenor gets it back with errors, everyone else the 404.
        "POST": {
            "anonymous": ANON,
            "facilitator": "400 404 404",
            "facilitator_other": "404 400 404",
            "*": NOT_FOUND,
        },
    },
    "accounts:withdraw_invitation": {
        "GET": {"anonymous": ANON, "*": "405 405 405"},
        "POST": {
            "anonymous": ANON,
            "facilitator": "302 404 404",
            "facilitator_other": "404 302 404",
            "*": NOT_FOUND,
        },
    },
    "accounts:security_txt": {"GET": {"*": "200"}, "POST": {"*": "405"}},
    # Stands in for allauth's e-mail page: sends everyone to their account page.
    "login_email": {"GET": {"*": "302"}, "POST": {"anonymous": "302", "*": "405"}},
}


def _invitation(place):
    """One open invitation per dialogue, for a member without a login (made once per place)."""
    if not hasattr(place, "account_invitation"):
        from participants.enums import MemberRole
        from participants.services import add_member
        from tests.factories import PersonFactory
        from trackii.accounts.services import invite_person

        person = PersonFactory()
        add_member(dialogue=place.dialogue, person=person, role=MemberRole.OBSERVER)
        place.account_invitation = invite_person(
            dialogue=place.dialogue, person=person, by=None, base_url="https://trackii.example.org/"
        )
    return place.account_invitation


def _token(place) -> str:
    from trackii.accounts.selectors import invitation_token

    return invitation_token(invitation=_invitation(place))


ACCOUNTS_OBJECTS: dict = {
    "accounts:welcome": lambda p: {"token": _token(p)},
    "accounts:invitations": lambda p: {"dialogue_id": p.dialogue.pk},
    "accounts:withdraw_invitation": lambda p: {
        "dialogue_id": p.dialogue.pk,
        "invitation_id": _invitation(p).pk,
    },
}
