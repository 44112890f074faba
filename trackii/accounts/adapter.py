import base64

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from trackii import crypto

MFA_CONTEXT = b"trackii.mfa.secret"


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs themself up: accounts are created by staff, and by a convenor's invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False


class MFAAdapter(DefaultMFAAdapter):
    """TOTP seeds and recovery-code seeds are encrypted with Trackii's key ring, so a copy of the database
    cannot mint second factors. An account that must use a second factor cannot remove its last one."""

    def encrypt(self, text: str) -> str:
        token = crypto.encrypt(text.encode("utf-8"), context=MFA_CONTEXT)
        return base64.urlsafe_b64encode(token).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        token = base64.urlsafe_b64decode(encrypted_text.encode("ascii"))
        return crypto.decrypt(token, context=MFA_CONTEXT).decode("utf-8")

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        from trackii.accounts.selectors import requires_mfa

        if not requires_mfa(authenticator.user):
            return True
        others = (
            Authenticator.objects.filter(user_id=authenticator.user_id)
            .exclude(pk=authenticator.pk)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
        )
        return others.exists()
