import base64

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.account.internal.stagekit import clear_login
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.shortcuts import render

from trackii import crypto

MFA_CONTEXT = b"trackii.mfa.secret"


# What a login proved: the password, and the second factor when there is one.
FRESH_METHODS = {"password", "mfa"}


def count_login_as_reauthentication(request, user) -> None:
    """A login that has just checked the password (and the second factor) is as fresh a proof as allauth's
    re-authentication page would ask for: mark it so, and setting up an authenticator straight after logging
    in does not ask for the password a second time. Each record keeps its own time, so the usual window
    (ACCOUNT_REAUTHENTICATION_TIMEOUT) still runs from the moment the password was typed. The records also
    drop the typed login: the session store is a database table, and it should not hold anyone's address."""
    records = get_authentication_records(request, user)
    if not records:
        return
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {
            **{key: value for key, value in record.items() if key not in ("email", "username")},
            **({"reauthenticated": True} if record.get("method") in FRESH_METHODS else {}),
        }
        for record in records
    ]


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs themself up: accounts are created by staff, and by a convenor's invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def login(self, request, user) -> None:
        # Every way in ends here once every factor is right (password, second factor, an invitation's first
        # login), so a cut-off holds through a password reset and a valid second factor alike. Asked only now,
        # so someone holding just the password learns nothing from the answer.
        from trackii.accounts.selectors import login_refused
        from trackii.accounts.services import record_refused_login

        if login_refused(user=user):
            clear_login(request)
            record_refused_login(user=user)
            raise ImmediateHttpResponse(render(request, "accounts/login_refused.html", status=403))
        super().login(request, user)
        count_login_as_reauthentication(request, user)


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

        if not requires_mfa(user=authenticator.user):
            return True
        others = (
            Authenticator.objects.filter(user_id=authenticator.user_id)
            .exclude(pk=authenticator.pk)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
        )
        return others.exists()
