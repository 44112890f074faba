"""Access-matrix rows for the facilitator workspace (scheduling, agendas, invitations, calendar).
Same format as tests/access/matrix.py."""

from tests.access.common import ANON, NOT_FOUND  # noqa: F401 - for the rows to come

SCHEDULING_MATRIX: dict = {}
SCHEDULING_OBJECTS: dict = {}
