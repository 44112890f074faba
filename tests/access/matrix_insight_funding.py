"""Access-matrix rows for what a funder sees of the funded dialogue (issue 21): the CSV behind each activity
chart on a grant's page (funding/insight/). Same format as tests/access/matrix.py.

The CSV goes to whoever sees the grant's activity on its page: the funder's officers, the dialogue's
convenors and facilitation team, and a running break-glass grant; never to a member (who sees who funds
the dialogue, not its activity) nor to anyone of another dialogue or funder.
"""

from tests.access.common import ANON, NOT_FOUND
from tests.access.matrix_scheduling import NOT_ALLOWED

INSIGHT_FUNDING_MATRIX: dict = {
    "funding:activity_csv": {
        "GET": {
            "anonymous": ANON,
            "facilitator": "200 404 404",
            "facilitator_other": "404 200 404",
            "funder": "200 404 404",
            "funder_other": "404 200 404",
            "superuser_break_glass": "200 404 404",
            "*": NOT_FOUND,
        },
        "POST": NOT_ALLOWED,
    },
}

INSIGHT_FUNDING_OBJECTS: dict = {
    "funding:activity_csv": lambda p: {"grant_id": p.grant.pk, "table": "participants-per-side"},
}
