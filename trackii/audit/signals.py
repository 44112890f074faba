"""Logins, logouts and failed logins go into the audit log (connected in AuditConfig.ready)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from .enums import Action, Outcome
from .logins import login_hash
from .services import record_event


def on_logged_in(sender, request, user, **kwargs) -> None:
    record_event(actor=user, action=Action.LOGIN)


def on_logged_out(sender, request, user, **kwargs) -> None:
    record_event(actor=user, action=Action.LOGOUT)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password; of the rest only the login itself is kept, hashed.
    field = get_user_model().USERNAME_FIELD
    attempted = next(
        (str(credentials[key]) for key in (field, "email", "username", "login") if credentials.get(key)), ""
    )
    detail = {"login_hash": login_hash(attempted)} if attempted else {}
    record_event(actor=None, action=Action.LOGIN_FAILED, outcome=Outcome.FAILED, detail=detail)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="trackii.audit.login")
    user_logged_out.connect(on_logged_out, dispatch_uid="trackii.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="trackii.audit.login_failed")
