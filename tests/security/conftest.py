from tests.accounts.conftest import _fresh_cache, convenor, dialogue, newcomer, side  # noqa: F401
