from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs themself up: accounts are created by staff, and later by a convenor's invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False
