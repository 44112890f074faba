# The browser set-up of the browser journeys (Debian's Chromium) serves the accessibility test too.
from tests.e2e.conftest import browser_type_launch_args  # noqa: F401
