"""Access-matrix rows for a summary's languages (issue 22): its main language and its parallel versions,
changed while it is a draft. Same format as tests/access/matrix.py, on the private draft of
matrix_summaries.py. Only its drafters reach them (the convenors here); everyone else gets the 404 a missing
summary gets. An empty form comes back with its errors (400); removing with no language named goes back to
the draft with a message (302)."""

from tests.access.matrix_summaries import NOT_ALLOWED, _summary, writers

BILINGUAL_MATRIX: dict = {
    "dialogues:summary_language": {"GET": NOT_ALLOWED, "POST": writers("400")},
    "dialogues:summary_version_save": {"GET": NOT_ALLOWED, "POST": writers("400")},
    "dialogues:summary_version_remove": {"GET": NOT_ALLOWED, "POST": writers("302")},
}

BILINGUAL_OBJECTS: dict = {
    "dialogues:summary_language": _summary("draft"),
    "dialogues:summary_version_save": _summary("draft"),
    "dialogues:summary_version_remove": _summary("draft"),
}
