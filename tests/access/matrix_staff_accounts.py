"""Access-matrix rows for the staff's pages on logins (/staff/accounts/, issue 19). Same format as
tests/access/matrix.py. Auditors and administrators read; administrators (and superusers, who hold every
permission) act; everyone else, anonymous visitors included, gets the ordinary 404. A is the login of
dialogue A's attended participant, B of dialogue B's: staff see every login, so both answer alike."""

from tests.access.common import NOT_FOUND

READERS = {"auditor", "administrator", "superuser", "superuser_break_glass"}
ACTORS = {"administrator", "superuser", "superuser_break_glass"}


def _row(roles: set[str], answer: str, rest: str = NOT_FOUND) -> dict:
    return {**dict.fromkeys(roles, answer), "*": rest}


STAFF_ACCOUNTS_MATRIX: dict = {
    "staff:account_list": {"GET": _row(READERS, "200", "404"), "POST": {"*": "405"}},
    "staff:account_detail": {"GET": _row(READERS, "200 200 404"), "POST": {"*": "405 405 405"}},
    # The question first, for a GET and for a POST without the confirmation field.
    "staff:account_disable": {"GET": _row(ACTORS, "200 200 404"), "POST": _row(ACTORS, "200 200 404")},
    "staff:account_enable": {"GET": {"*": "405 405 405"}, "POST": _row(ACTORS, "302 302 404")},
    "staff:account_sessions_end": {"GET": {"*": "405 405 405"}, "POST": _row(ACTORS, "302 302 404")},
    "staff:account_session_end": {"GET": {"*": "405 405 405"}, "POST": _row(ACTORS, "302 302 404")},
}


def _session(place) -> int:
    """One tracked session of the place's attended participant (made once per place)."""
    if not hasattr(place, "user_session"):
        from allauth.usersessions.models import UserSession

        place.user_session = UserSession.objects.create(
            user=place.invitation.person.user,
            session_key=f"matrix-{place.dialogue.pk}",
            ip="203.0.113.9",
            user_agent="Mozilla/5.0 Firefox/140.0",
        )
    return place.user_session.pk


def _account(place) -> dict:
    return {"account_id": place.invitation.person.user_id}


STAFF_ACCOUNTS_OBJECTS: dict = {
    "staff:account_detail": _account,
    "staff:account_disable": _account,
    "staff:account_enable": _account,
    "staff:account_sessions_end": _account,
    "staff:account_session_end": lambda p: {**_account(p), "session_id": _session(p)},
}
