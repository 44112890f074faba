"""Access-matrix rows for the auditors' timelines (issue 19, a readable log). Same format as
tests/access/matrix.py. Auditors and administrators see every account's and every object's timeline, of
either dialogue; "-" (an account or object the log never names) is the ordinary 404 for them too."""

AUDITORS = {
    "anonymous": "404 404 404",
    "auditor": "200 200 404",
    "superuser": "200 200 404",
    "superuser_break_glass": "200 200 404",
    "*": "404 404 404",
}

AUDIT_READ_MATRIX: dict = {
    "audit:account_timeline": {"GET": AUDITORS, "POST": {"*": "405 405 405"}},
    "audit:object_timeline": {"GET": AUDITORS, "POST": {"*": "405 405 405"}},
}


def _account(place) -> int:
    """The account of the place's member (the attended participant's, who has a login)."""
    return place.membership.person.user_id


def _object(place) -> dict:
    """The place's sealed summary, which the log names (it was sealed through the service)."""
    return {"target_type": "dialogues.summary", "target_id": str(place.sealed.pk)}


AUDIT_READ_OBJECTS: dict = {
    "audit:account_timeline": lambda p: {"account_id": _account(p)},
    "audit:object_timeline": _object,
}
