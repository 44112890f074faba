"""Access-matrix rows for the programme-wide insight page and its CSVs (dialogues/insight/views/programme.py,
issue 21). Same format as tests/access/matrix.py.

The page has no object of its own: it counts over the dialogues whose insight the viewer may see (convenor or
facilitator). A's and B's convenors each see it (over their own dialogue); participants, funders, auditors,
administrators and superusers without a facilitation role get the ordinary 404, break-glass included (it
reads a roster, not aggregates). The CSV's "object" is the table's name: A and B ask for the same table, "-"
for one that does not exist."""

from tests.access.common import ANON, NOT_FOUND

INSIGHT_PROGRAMME_MATRIX: dict = {
    "dialogues:programme_insight": {
        "GET": {"anonymous": "302", "facilitator": "200", "facilitator_other": "200", "*": "404"},
        "POST": {"anonymous": "302", "*": "405"},
    },
    "dialogues:programme_insight_csv": {
        "GET": {
            "anonymous": ANON,
            "facilitator": "200 200 404",
            "facilitator_other": "200 200 404",
            "*": NOT_FOUND,
        },
        "POST": {"anonymous": ANON, "*": "405 405 405"},
    },
}

INSIGHT_PROGRAMME_OBJECTS = {
    "dialogues:programme_insight_csv": lambda p: {"table": "newcomers"},
}
