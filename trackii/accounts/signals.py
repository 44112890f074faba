"""Audit rows for second-factor changes and sessions ended, and what a login keeps in its session (connected
in AccountsConfig.ready)."""

from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.hooks import domain


def on_authenticator_changed(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    change = {
        "authenticator_added": "added",
        "authenticator_removed": "removed",
        "authenticator_reset": "reset",
    }
    record_event(
        actor=user,
        action=Action.MFA_CHANGED,
        target_type="accounts.user",
        target_id=getattr(user, "pk", None),
        detail={
            "type": getattr(authenticator, "type", ""),
            "change": change.get(kwargs.get("signal_name"), ""),
        },
    )


def remember_standing(sender, request, user, **kwargs) -> None:
    """user_logged_in: what the person is (a dialogue's member, a funder's officer, staff), read once and
    kept in the session so the navigation costs no query on later pages (the composition's
    trackii/standing.py, asked through trackii.hooks)."""
    if request is not None and hasattr(request, "session"):
        domain().remember_standing(request=request, user=user)


def connect() -> None:
    from allauth.mfa import signals as mfa
    from django.contrib.auth.signals import user_logged_in

    from trackii.accounts import middleware, zones

    user_logged_in.connect(middleware.mark_session_started, dispatch_uid="trackii.accounts.session_started")
    user_logged_in.connect(zones.on_logged_in, dispatch_uid="trackii.accounts.viewer_zone")
    user_logged_in.connect(remember_standing, dispatch_uid="trackii.accounts.standing")
    for name in ("authenticator_added", "authenticator_removed", "authenticator_reset"):
        signal = getattr(mfa, name)

        def receiver(sender, _name=name, **kwargs):
            on_authenticator_changed(sender, signal_name=_name, **kwargs)

        signal.connect(receiver, weak=False, dispatch_uid=f"trackii.accounts.{name}")
    mfa.authenticator_removed.connect(
        middleware.forget_mfa_enrolment, dispatch_uid="trackii.accounts.mfa_removed"
    )
    from django.apps import apps

    if not apps.is_installed("axes"):
        return
    from axes.signals import user_locked_out

    from trackii.accounts.throttle import on_locked_out

    user_locked_out.connect(on_locked_out, dispatch_uid="trackii.accounts.locked_out")
