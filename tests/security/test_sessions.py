"""Sessions end after 30 idle minutes, 12 hours in all, on "log out everywhere", and when an account is
disabled, whichever comes first; the cookie cannot be read by scripts or sent cross-site; and the session
store holds each session's data encrypted with the key ring."""

import base64
import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore as SignedOnlyStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from trackii.accounts import services
from trackii.accounts.middleware import SEEN, STARTED
from trackii.accounts.sessions import SessionStore
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.crypto import generate_key, key_id_of

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


def test_disabling_on_the_staff_pages_ends_sessions(client):
    from tests.accounts.helpers import enrol_totp

    user = UserFactory()
    victim = logged_in(user)
    admin = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(admin)
    client.force_login(admin)
    disable = reverse("staff:account_disable", args=[user.pk])
    response = client.post(disable, {"confirmed": "yes"})
    assert response.status_code == 302, response.content[:2000]
    user.refresh_from_db()
    assert not user.is_active
    assert not is_logged_in(victim)
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DISABLED, actor=admin).exists()


def test_session_cookie_is_httponly_and_samesite():
    client = Client()
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] in {"Lax", "Strict"}


def stored(client) -> str:
    return Session.objects.get(session_key=client.session.session_key).session_data


def test_session_data_is_encrypted_with_the_key_ring_and_still_read_back():
    client = logged_in(UserFactory())
    assert is_logged_in(client)
    raw = stored(client)
    assert SignedOnlyStore().decode(raw) == {}  # not Django's signed (readable) format
    assert SessionStore().decode(raw)["_auth_user_id"] == client.session["_auth_user_id"]


def test_altered_session_data_reads_as_an_empty_session():
    client = logged_in(UserFactory())
    raw = stored(client)
    flipped = raw[:40] + ("A" if raw[40] != "A" else "B") + raw[41:]
    Session.objects.filter(session_key=client.session.session_key).update(session_data=flipped)
    assert not is_logged_in(client)
    for garbage in ("", "not base64!", "AAAA", raw[:-8]):
        assert SessionStore().decode(garbage) == {}


def test_a_session_written_before_encryption_is_not_honoured():
    """A signed-only session from before the change (or forged by someone who knows SECRET_KEY) logs no one
    in; migration accounts 0005 deletes such rows at the upgrade."""
    user = UserFactory()
    old = SignedOnlyStore()
    old.update(
        {"_auth_user_id": str(user.pk), "_auth_user_backend": django_settings.AUTHENTICATION_BACKENDS[1]}
    )
    old.create()
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = old.session_key
    assert not is_logged_in(client)


def test_sessions_survive_a_key_rotation(settings):
    client = logged_in(UserFactory())
    ring = settings.TRACKII_ENCRYPTION_KEYS
    settings.TRACKII_ENCRYPTION_KEYS = f"{ring},rotated:{generate_key()}"  # the newest key now encrypts
    assert is_logged_in(client)
    shift(client, seen=dt.timedelta(minutes=2))  # written again, under the new key
    assert key_id_of(base64.urlsafe_b64decode(stored(client))) == "rotated"
    assert is_logged_in(client)
