"""Log in to a running Trackii over HTTP the way a browser does, and keep the session cookie for wrk.

The login goes through allauth's own pages: the login form with its CSRF token, then, for an account with an
authenticator app, the second step with a TOTP code computed from the account's secret. Redirects are never
followed blindly: each step checks where it was sent, so a refused login or a page that sends the session back
to the login fails with the reason.
"""

import html
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

LOGIN_PATH = "/accounts/login/"
SECOND_STEP_PATH = "/accounts/2fa/authenticate/"
TOTP_PERIOD = 30

_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


class LoginFailed(RuntimeError):
    pass


# Every URL is the benchmark's own loopback server's (http://127.0.0.1:<port>), never one from input.
class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx comes back as the response: each step decides what a redirect means


class Response:
    def __init__(self, status: int, location: str, body: str):
        self.status, self.location, self.body = status, location, body

    @property
    def path(self) -> str:
        """Where a redirect points, without host or query."""
        return urllib.parse.urlsplit(self.location).path


class Browser:
    """One visitor's cookies against one server."""

    def __init__(self, base_url: str, *, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects()
        )

    def _open(self, request: urllib.request.Request) -> Response:
        try:
            response = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:  # 3xx (kept), 4xx and 5xx all arrive here
            response = error
        with response:
            body = response.read().decode("utf-8", "replace")
            return Response(response.status, response.headers.get("Location", ""), body)

    def get(self, path: str) -> Response:
        return self._open(urllib.request.Request(self.base_url + path))  # noqa: S310

    def post(self, path: str, fields: dict[str, str]) -> Response:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method="POST")  # noqa: S310
        return self._open(request)

    def form_token(self, path: str) -> str:
        """GET a form page and return its CSRF token (the csrftoken cookie arrives with it)."""
        page = self.get(path)
        match = _CSRF_FIELD.search(page.body)
        if page.status != 200 or match is None:
            raise LoginFailed(f"GET {path} answered {page.status} {page.location} without a login form")
        return html.unescape(match[1])

    def cookie_header(self) -> str:
        """The Cookie header a browser would send back: the session and CSRF cookies."""
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)

    def log_in(self, *, email: str, password: str, totp_secret: str | None = None) -> None:
        """Log in through the login form and, where allauth asks for it, the authenticator code."""
        answer = self.post(
            LOGIN_PATH,
            {"csrfmiddlewaretoken": self.form_token(LOGIN_PATH), "login": email, "password": password},
        )
        if answer.status != 302:
            raise LoginFailed(f"{email}: the login form answered {answer.status}, not a redirect (refused?)")
        if answer.path == SECOND_STEP_PATH:
            if totp_secret is None:
                raise LoginFailed(f"{email}: asked for a second factor, but no authenticator secret is known")
            token = self.form_token(SECOND_STEP_PATH)
            answer = self.post(
                SECOND_STEP_PATH, {"csrfmiddlewaretoken": token, "code": fresh_code(totp_secret)}
            )
            if answer.status != 302 or answer.path == SECOND_STEP_PATH:
                raise LoginFailed(f"{email}: the authenticator code was refused ({answer.status})")
        if answer.path.startswith("/accounts/"):
            raise LoginFailed(f"{email}: after logging in, sent to {answer.location} instead of a page")


_used_codes: set[tuple[str, str]] = set()


def totp_code(secret: str, *, at: float) -> str:
    return format_hotp_value(hotp_value(secret, int(at // TOTP_PERIOD)))


def fresh_code(secret: str, *, margin: float = 5.0) -> str:
    """A code not sent before, with `margin` seconds left in its window: allauth allows no clock drift and
    refuses a code used twice, so a code sent at the end of its window, or again, would be refused."""
    while True:
        now = time.time()
        code = totp_code(secret, at=now)
        if (secret, code) not in _used_codes and TOTP_PERIOD - now % TOTP_PERIOD >= margin:
            _used_codes.add((secret, code))
            return code
        time.sleep(0.5)
