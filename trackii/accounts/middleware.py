"""Session limits and the second-factor requirement, checked on every request."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trackii.accounts import conf
from trackii.accounts.languages import supported
from trackii.accounts.selectors import requires_mfa

STARTED = "trackii.session.started"
SEEN = "trackii.session.seen"
MFA_STATE = "trackii.mfa"  # "ok": enrolled or not required; "enrol": must set one up
MFA_NEXT = "trackii.mfa.next"  # the page an account that had to enrol first was on its way to
# Writing the session on every request would cost a database write each time; a minute's slack is enough.
SEEN_RESOLUTION = dt.timedelta(seconds=60)
ENROL_FIRST = gettext_lazy(
    "Your role needs a second step when you log in. Set up an authenticator app first."
)


def _session_time(value: str | None) -> dt.datetime | None:
    """A time this middleware stored in the session (ISO text), or None if absent or unreadable."""
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


class UserLanguageMiddleware:
    """A signed-in person's own language (`User.language`) wins over the browser's and the language cookie,
    which LocaleMiddleware chose from before login. Reads no row of its own: the user row is read once per
    request anyway. Goes right after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = supported(user.language) if user is not None and user.is_authenticated else None
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen:
            response.headers["Content-Language"] = chosen
            # The same address answers in another language for another person: caches must not share it.
            patch_vary_headers(response, ("Cookie",))
        return response


class SessionLimitsMiddleware:
    """End a signed-in session after TRACKII_SESSION_IDLE_SECONDS without a request, or
    TRACKII_SESSION_ABSOLUTE_SECONDS after it began, whatever happens in between. Goes right after
    AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            started = _session_time(request.session.get(STARTED))
            seen = _session_time(request.session.get(SEEN))
            if started is None:
                # A session from before this middleware, or one Django logged in without our signal.
                request.session[STARTED] = request.session[SEEN] = now.isoformat()
            elif now - started > conf.session_absolute() or (seen and now - seen > conf.session_idle()):
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            elif seen is None or now - seen > SEEN_RESOLUTION:
                request.session[SEEN] = now.isoformat()
        return self.get_response(request)


def mark_session_started(sender, request, user, **kwargs) -> None:
    """user_logged_in: the clock of the absolute limit starts at the login itself."""
    from allauth.mfa.utils import is_mfa_enabled

    if request is not None and hasattr(request, "session"):
        now = timezone.now().isoformat()
        request.session[STARTED] = request.session[SEEN] = now
        # Decided once per login ("enrolment forced at next login"), so requests pay no query for it.
        request.session[MFA_STATE] = "enrol" if requires_mfa(user=user) and not is_mfa_enabled(user) else "ok"


class RequireMFAMiddleware:
    """Convenors, facilitators, rapporteurs, auditors and administrators must enrol a second factor: until
    they have, every page sends them to the authenticator set-up. Goes after AccountMiddleware."""

    # The pages an account without a second factor still needs: setting one up, and leaving.
    ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(MFA_STATE) != "ok"
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and request.path != reverse("healthz")
        ):
            from allauth.mfa.utils import is_mfa_enabled

            if (MFA_STATE not in request.session and not requires_mfa(user=user)) or is_mfa_enabled(user):
                request.session[MFA_STATE] = "ok"
                request.session.pop(MFA_NEXT, None)
            else:
                if request.method == "GET" and not request.htmx:
                    messages.info(request, ENROL_FIRST)
                    # The first page asked for is where the login was heading: the recovery-codes page offers
                    # the way on to it once the authenticator is set up.
                    if _worth_returning_to(request):
                        request.session.setdefault(MFA_NEXT, request.get_full_path())
                return redirect("mfa_activate_totp")
        return self.get_response(request)


def _worth_returning_to(request) -> bool:
    """A page of Trackii's to come back to after enrolling; never an invitation link, whose token must not
    sit in the session store."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return request.accepts("text/html") and match.view_name not in ("accounts:welcome", "staff:welcome")


def forget_mfa_enrolment(sender, request=None, **kwargs) -> None:
    """An authenticator was removed: check again at the next request."""
    if request is not None and hasattr(request, "session") and request.user.is_authenticated:
        request.session[MFA_STATE] = "enrol" if requires_mfa(user=request.user) else "ok"
