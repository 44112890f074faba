import os
import tempfile

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _suite_keystore():
    """The suite's own keystore (decision 0025), never a developer's var/keystore; in the environment too, so
    that the workers and servers some tests start find the same data keys."""
    from django.test import override_settings

    path = tempfile.mkdtemp(prefix="trackii-test-keystore-")
    os.environ["TRACKII_KEYSTORE_DIR"] = path
    with override_settings(TRACKII_KEYSTORE_DIR=path):
        yield path


@pytest.fixture
def own_keystore(settings, tmp_path, monkeypatch):
    """An empty keystore for one test: what it counts or re-wraps is its own data keys alone."""
    path = tmp_path / "keystore"
    settings.TRACKII_KEYSTORE_DIR = path
    monkeypatch.setenv("TRACKII_KEYSTORE_DIR", str(path))
    return path


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Hash the suite's passwords with MD5: Argon2 is deliberately slow (100 MiB and most of a second per
    hash on two busy cores), and every UserFactory, create_user, login and failed login hashes once. The
    suite tests what is done with passwords, not the hasher; tests/test_settings.py holds that production
    hashes with Argon2. Argon2 stays second, so hashes made by a process on the real settings still check.
    A test whose other processes check passwords the suite made (tests/runtime/test_two_nodes.py) puts
    production's hashers back."""
    from django.conf import settings
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    ):
        yield


@pytest.fixture
def password():
    return "a-long-test-passphrase-42"


@pytest.fixture
def user(django_user_model, password):
    return django_user_model.objects.create_user(email="member@example.org", password=password)


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """force_login skips the whole login flow, password included; it skips the second-factor step too.
    Logging in through the real pages (tests/accounts, tests/e2e) still asks for the code."""
    from django.test import Client

    from trackii.accounts.middleware import MFA_STATE

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[MFA_STATE] = "ok"
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login-failure counters live in the cache (Redis in the suite): none may carry over between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request in another language leaves it active in the thread (LocaleMiddleware activates it): every
    test starts, and ends, in Trackii's source language, so services' refusals read in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def workers(tmp_path):
    """Start real Celery worker processes on the test database (transactional tests); stopped afterwards."""
    from tests.helpers import Worker

    started = []

    def start(**env):
        worker = Worker(tmp_path, **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
