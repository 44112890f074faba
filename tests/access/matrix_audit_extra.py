"""Access-matrix rows for the auditors' saved searches, activity per day and JSON Lines export (issue 19).
Same format as tests/access/matrix.py. The audit pages answer 404 to anyone who is not an auditor, signed in
or not (the existing audit rows do the same).

A saved search belongs to one auditor: A's is the auditor's, B's the superuser's (an administrator holds the
audit permission too), so each sees their own and gets the ordinary 404 for the other's."""

AUDITORS = {"auditor": "200", "superuser": "200", "superuser_break_glass": "200", "*": "404"}
EVERYONE_ELSE = {"*": "404 404 404"}


def _own(answer: str) -> dict:
    """`answer` for the owner on their own saved search (A for the auditor, B for the superuser)."""
    return {"auditor": f"{answer} 404 404", "superuser": f"404 {answer} 404", **EVERYONE_ELSE}


AUDIT_EXTRA_MATRIX: dict = {
    "audit:export_jsonl": {"GET": AUDITORS, "POST": {"*": "405"}},
    "audit:activity": {"GET": AUDITORS, "POST": {"*": "405"}},
    "audit:saved_list": {"GET": AUDITORS, "POST": {"*": "405"}},
    # An empty POST: the name is required, so the auditor gets the form back with its error.
    "audit:save_search": {
        "GET": AUDITORS,
        "POST": {"auditor": "400", "superuser": "400", "superuser_break_glass": "400", "*": "404"},
    },
    # Opening a saved search sends its owner to the search it holds.
    "audit:saved_open": {"GET": _own("302"), "POST": {"*": "405 405 405"}},
    "audit:saved_rename": {"GET": _own("200"), "POST": _own("400")},
    # The question first, for a GET and for a POST without the confirmation field.
    "audit:saved_delete": {"GET": _own("200"), "POST": _own("200")},
}


def _saved(place):
    """A's saved search is the auditor's, B's the superuser's (made once per place)."""
    if not hasattr(place, "saved_search"):
        from trackii.accounts.models import User
        from trackii.audit.services import save_search

        owner = "auditor" if place.dialogue.codename == "secret-a" else "superuser"
        place.saved_search = save_search(
            by=User.objects.get(email=f"{owner}@example.org"),
            name=f"<script>alert('{owner}')</script> denials",
            query="outcome=denied",
        )
    return place.saved_search


AUDIT_EXTRA_OBJECTS: dict = {
    name: (lambda p: {"saved_id": _saved(p).pk})
    for name in ("audit:saved_open", "audit:saved_rename", "audit:saved_delete")
}
