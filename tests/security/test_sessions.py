"""Sessions end after 30 idle minutes, 12 hours in all, on "log out everywhere", and when an account is
disabled, whichever comes first; and the cookie cannot be read by scripts or sent cross-site."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from trackii.accounts import services
from trackii.accounts.middleware import SEEN, STARTED
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase-42"


def logged_in(user) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def shift(client, *, started=None, seen=None):
    session = client.session
    now = timezone.now()
    if started is not None:
        session[STARTED] = (now - started).isoformat()
    if seen is not None:
        session[SEEN] = (now - seen).isoformat()
    session.save()


def is_logged_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_session_survives_activity_within_the_limits():
    client = logged_in(UserFactory())
    shift(client, started=dt.timedelta(hours=11, minutes=50), seen=dt.timedelta(minutes=29))
    assert is_logged_in(client)


def test_session_ends_after_idle_timeout():
    client = logged_in(UserFactory())
    shift(client, seen=dt.timedelta(minutes=31))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not is_logged_in(client)


def test_session_ends_after_absolute_timeout_despite_activity():
    client = logged_in(UserFactory())
    shift(client, started=dt.timedelta(hours=12, minutes=1), seen=dt.timedelta(seconds=5))
    assert not is_logged_in(client)


def test_session_limits_are_configurable(settings):
    settings.TRACKII_SESSION_IDLE_SECONDS = 60
    client = logged_in(UserFactory())
    shift(client, seen=dt.timedelta(seconds=90))
    assert not is_logged_in(client)


def test_log_out_everywhere_ends_every_session_of_the_account():
    user = UserFactory()
    laptop, phone = logged_in(user), logged_in(user)
    bystander = logged_in(UserFactory())
    response = laptop.post(reverse("accounts:log_out_everywhere"))
    assert response.status_code == 302
    assert not is_logged_in(laptop) and not is_logged_in(phone)
    assert is_logged_in(bystander)
    assert AuditEvent.objects.filter(action=Action.SESSIONS_ENDED, actor=user).exists()


def test_log_out_everywhere_reaches_sessions_nobody_tracked(client):
    user = UserFactory()
    client.force_login(user)  # no allauth login, so no UserSession row for it
    services.end_all_sessions(user=user, by=user)
    assert not is_logged_in(client)


def test_disabling_an_account_ends_its_sessions_at_once():
    user = UserFactory()
    client = logged_in(user)
    admin = UserFactory(is_staff=True, is_superuser=True)
    services.disable_account(user=user, by=admin)
    assert not is_logged_in(client)
    again = Client()
    again.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert not is_logged_in(again)
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DISABLED, target_id=str(user.pk)).exists()


def test_disabling_in_the_admin_ends_sessions(client):
    from tests.accounts.helpers import enrol_totp

    user = UserFactory()
    victim = logged_in(user)
    admin = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(admin)
    client.force_login(admin)
    change = reverse("admin:accounts_user_change", args=[user.pk])
    response = client.post(change, {"email": user.email, "is_staff": "", "is_superuser": ""})
    assert response.status_code == 302, response.content[:2000]
    user.refresh_from_db()
    assert not user.is_active
    assert not is_logged_in(victim)
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DISABLED, actor=admin).exists()


def test_session_cookie_is_httponly_and_samesite():
    client = Client()
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    from django.conf import settings

    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] in {"Lax", "Strict"}
