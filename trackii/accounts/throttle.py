"""Login throttling with django-axes: failures are counted per account and per address in the shared cache
(Redis), and either reaching the limit locks logins for a while. allauth's own rate limit slows guessing
before that (settings.ACCOUNT_RATE_LIMITS).

Axes keys its counters on a keyed hash of the attempted login (never the address itself), the same hash the
audit log's failed-login rows carry, so the two can be matched without storing anyone's e-mail. An unknown
login is counted and locked exactly like a real one: the answer never says whether an account exists.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from django.db import transaction
from django.shortcuts import render

from trackii.accounts.models import User
from trackii.audit.enums import Action, Outcome
from trackii.audit.services import record_event
from trackii.audit.signals import login_hash

_LOGIN_KEYS = ("email", "login", "username")


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check before any password is compared. Calls without a request (the shell, management commands,
    the test client's login()) cannot come from the web and are not throttled."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def attempted_login(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: the hashed login of an attempt, from the credentials or the posted form."""
    sources = [credentials or {}]
    if request is not None and request.method == "POST":
        sources.append(request.POST)
    for source in sources:
        for key in _LOGIN_KEYS:
            value = source.get(key)
            if value:
                return login_hash(str(value))
    return None


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: one calm page for every lockout, whoever and whatever was tried."""
    return render(request, "accounts/locked_out.html", status=429)


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    """Audit the moment a lockout starts. Axes also signals every attempt made while locked; those are
    already audited as failed logins, so only the attempt that reached the limit is recorded here."""
    from axes.helpers import get_failure_limit

    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None or failures != get_failure_limit(request, getattr(request, "axes_credentials", None)):
        return
    with transaction.atomic():
        record_event(
            actor=None,
            action=Action.LOGIN_LOCKED,
            outcome=Outcome.DENIED,
            detail={"login_hash": username or "", "failures": request.axes_failures_since_start},
        )


@transaction.atomic
def unlock_login(*, by: User | None, login: str | None = None, ip_address: str | None = None) -> int:
    """Lift a lockout for a login and/or an address before its cool-off ends, and audit who did it (``by``
    None: the system, e.g. ``manage.py unlock_login`` without --by). Returns how many failure counters were
    cleared; a login that no account uses is cleared the same way, so the answer reveals no account."""
    if not (login or ip_address):
        raise ValueError("Name the login or the address to unlock.")
    handler = AxesProxyHandler.get_implementation()
    cleared = 0
    hashed = login_hash(login) if login else None
    if hashed:
        cleared += handler.reset_attempts(username=hashed)
    if ip_address:
        # Counted under the compressed form (trackii.audit.context.client_ip), so "2001:DB8::0001" unlocks
        # "2001:db8::1".
        cleared += handler.reset_attempts(ip_address=ipaddress.ip_address(ip_address.strip()).compressed)
    record_event(
        actor=by,
        action=Action.LOGIN_UNLOCKED,
        detail={"login_hash": hashed or "", "address_given": bool(ip_address), "cleared": cleared},
    )
    return cleared
