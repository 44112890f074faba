"""Access-matrix rows for Trackii's own account pages (onboarding, account, sessions).
Same format as tests/access/matrix.py."""

from tests.access.common import ANON, NOT_FOUND  # noqa: F401 - for the rows to come

ACCOUNTS_MATRIX: dict = {}
ACCOUNTS_OBJECTS: dict = {}
