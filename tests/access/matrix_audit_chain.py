"""Access-matrix rows for the chain-status page (issue 19). Same format as tests/access/matrix.py.

Auditors and administrators (superusers hold every model permission) only; everyone else, signed in or not,
gets the ordinary 404, as on the other audit pages. The POST queues a verification (each matrix request rolls
back, so nothing reaches the broker) and redirects back to the page."""

AUDITORS_ONLY = {"anonymous": "404", "auditor": "200", "superuser": "200", "superuser_break_glass": "200"}

AUDIT_CHAIN_MATRIX: dict = {
    "audit:chain": {
        "GET": {**AUDITORS_ONLY, "*": "404"},
        "POST": {
            "anonymous": "404",
            "auditor": "302",
            "superuser": "302",
            "superuser_break_glass": "302",
            "*": "404",
        },
    },
    # Without ?run= (or with a run that does not exist) there is nothing to show: 404 for everyone.
    "audit:chain_progress": {
        "GET": {"*": "404"},
        "POST": {"*": "405"},
    },
}
AUDIT_CHAIN_OBJECTS: dict = {}
