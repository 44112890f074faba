"""Guessing passwords: slowed by allauth's rate limit, then locked per account and per address (the admin
login included), audited, and never telling whether the account exists."""

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import submitted_values
from trackii.accounts.throttle import unlock_login
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.signals import login_hash

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase-42"
# What runs without Redis (the embedded default): counters in axes' own table.
DATABASE_HANDLER = "axes.handlers.database.AxesDatabaseHandler"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    # allauth's slowing is tested on its own; here the lockout alone.
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False}


def attempt(email, password="wrong-password-123", address="203.0.113.7"):  # noqa: S107
    return Client(REMOTE_ADDR=address).post(reverse("account_login"), {"login": email, "password": password})


def test_account_is_locked_after_n_failures_and_the_lock_is_audited():
    user = UserFactory(email="target@example.org")
    answers = [attempt(user.email, address=f"198.51.100.{n}").status_code for n in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth failure starts the lockout
    locked = attempt(user.email, password=PASSWORD, address="198.51.100.99")
    assert locked.status_code == 429
    assert "Logging in is paused" in locked.content.decode()
    (event,) = AuditEvent.objects.filter(action=Action.LOGIN_LOCKED)
    assert event.detail["login_hash"] == login_hash(user.email)
    assert user.email not in str(event.detail)


def test_address_is_locked_after_n_failures_across_accounts():
    for n in range(5):
        attempt(f"someone{n}@example.org", address="192.0.2.50")
    user = UserFactory()
    assert attempt(user.email, password=PASSWORD, address="192.0.2.50").status_code == 429
    assert attempt(user.email, password=PASSWORD, address="192.0.2.51").status_code == 302


def test_lockout_page_is_the_same_for_unknown_and_real_accounts():
    UserFactory(email="real@example.org")
    pages = []
    for email in ("real@example.org", "nobody@example.org"):
        for n in range(5):
            attempt(email, address=f"198.51.100.{n + (10 if 'real' in email else 20)}")
        pages.append(attempt(email, address="198.51.100.200"))
        pages[-1].content  # noqa: B018
    assert [p.status_code for p in pages] == [429, 429]
    strip = lambda r: r.content.split(b"<main")[1]  # noqa: E731 - the page, not the CSRF token in <body>
    assert strip(pages[0]) == strip(pages[1])


def test_failed_login_message_is_the_same_for_unknown_and_real_accounts():
    UserFactory(email="real@example.org")
    real = attempt("real@example.org", address="198.51.100.1")
    unknown = attempt("nobody@example.org", address="198.51.100.2")
    message = lambda r: r.content.decode().split('id="error-summary"')[1].split("</div>")[0]  # noqa: E731
    assert message(real) == message(unknown)


def test_admin_login_counts_towards_the_lockout():
    user = UserFactory(email="staff@example.org", is_staff=True)
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    for _ in range(5):
        request = RequestFactory().post("/admin/login/", REMOTE_ADDR="198.51.100.77")
        assert authenticate(request, username=user.email, password="nope-nope-nope") is None
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="198.51.100.78")
    assert authenticate(request, username=user.email, password=PASSWORD) is None
    assert getattr(request, "axes_locked_out", False)


def test_unlock_lifts_the_lock_and_is_audited():
    user = UserFactory(email="target@example.org")
    admin = UserFactory(is_staff=True, is_superuser=True)
    for n in range(5):
        attempt(user.email, address=f"198.51.100.{n}")
    assert attempt(user.email, password=PASSWORD, address="198.51.100.9").status_code == 429
    unlock_login(by=admin, login=user.email)
    assert attempt(user.email, password=PASSWORD, address="198.51.100.9").status_code == 302
    (event,) = AuditEvent.objects.filter(action=Action.LOGIN_UNLOCKED)
    assert event.actor == admin and event.detail["login_hash"] == login_hash(user.email)


def test_repeated_failures_are_slowed_before_the_lock(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,3/5m/key"}
    settings.AXES_FAILURE_LIMIT = 10
    for n in range(3):
        attempt("slow@example.org", address=f"198.51.100.{n}")
    slowed = attempt("slow@example.org", address="198.51.100.50")
    assert slowed.status_code in {200, 429}
    assert "Too many failed login attempts" in slowed.content.decode()


def test_unlock_command_lifts_an_account_lock_and_is_audited():
    user = UserFactory(email="target@example.org")
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    for n in range(5):
        attempt(user.email, address=f"198.51.100.{n}")
    assert attempt(user.email, password=PASSWORD, address="198.51.100.9").status_code == 429
    out = StringIO()
    call_command("unlock_login", " TARGET@example.org", "--by", admin.email, stdout=out)
    assert "Unlocked that login" in out.getvalue()
    assert attempt(user.email, password=PASSWORD, address="198.51.100.9").status_code == 302
    (event,) = AuditEvent.objects.filter(action=Action.LOGIN_UNLOCKED)
    assert event.actor == admin and event.detail["login_hash"] == login_hash(user.email)
    assert user.email not in str(event.detail)


def test_unlock_command_lifts_an_address_lock():
    for n in range(5):
        attempt(f"someone{n}@example.org", address="2001:db8::7")
    user = UserFactory()
    assert attempt(user.email, password=PASSWORD, address="2001:db8::7").status_code == 429
    out = StringIO()
    call_command("unlock_login", "--address", "2001:DB8:0::0007", stdout=out)
    assert "address 2001:db8::7" in out.getvalue()
    assert attempt(user.email, password=PASSWORD, address="2001:db8::7").status_code == 302
    (event,) = AuditEvent.objects.filter(action=Action.LOGIN_UNLOCKED)
    assert event.actor is None and event.actor_label == "system" and event.detail["address_given"] is True


def test_unlock_command_answers_alike_for_a_login_no_account_uses():
    UserFactory(email="real@example.org")
    answers = []
    for email in ("real@example.org", "nobody@example.org"):
        for n in range(5):
            attempt(email, address=f"198.51.100.{n + (10 if 'real' in email else 20)}")
        out = StringIO()
        call_command("unlock_login", email, stdout=out)
        answers.append(out.getvalue())
    assert answers[0] == answers[1]
    assert AuditEvent.objects.filter(action=Action.LOGIN_UNLOCKED).count() == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "Name the login"),
        (["--address", "not-an-address"], "not an IP address"),
        (["someone@example.org", "--by", "member@example.org"], "--by must be"),
    ],
)
def test_unlock_command_refuses_what_it_cannot_act_on(arguments, message):
    UserFactory(email="member@example.org")  # not staff
    with pytest.raises(CommandError, match=message):
        call_command("unlock_login", *arguments)
    assert not AuditEvent.objects.filter(action=Action.LOGIN_UNLOCKED).exists()


def test_embedded_default_locks_by_login_and_stores_only_its_keyed_hash(settings):
    settings.AXES_HANDLER = DATABASE_HANDLER
    user = UserFactory(email="target@example.org")
    answers = [attempt(" TARGET@example.org", address=f"198.51.100.{n}").status_code for n in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    assert attempt(user.email, password=PASSWORD, address="198.51.100.99").status_code == 429
    rows = list(AccessAttempt.objects.values_list("username", "get_data", "post_data", "user_agent"))
    assert len(rows) == 6 and {row[0] for row in rows} == {login_hash(user.email)}  # one per address
    assert "target" not in str(rows).lower()
    unlock_login(by=None, login=user.email)
    assert attempt(user.email, password=PASSWORD, address="198.51.100.99").status_code == 302


def test_every_field_of_a_page_that_logs_in_is_masked_in_the_embedded_throttle_table(client):
    """Axes' table keeps the form of each failed login with the fields named in AXES_SENSITIVE_PARAMETERS
    masked: a field added to a form that checks a password must be named there too."""
    user = UserFactory()
    pages = [reverse("account_login") + "?next=/"]
    names = set()
    for page in pages:
        # The login form: the last form of the page (the language menu comes first, in the header).
        names |= set(submitted_values(client.get(page).content.decode(), index=-1)) | {"next"}
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    names |= set(submitted_values(client.get(reverse("account_reauthenticate")).content.decode(), index=-1))
    assert {"login", "password", "csrfmiddlewaretoken"} <= names
    assert names <= set(django_settings.AXES_SENSITIVE_PARAMETERS), names
