"""Production settings refuse unsafe configurations; every page carries the CSP."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from trackii.crypto import generate_key

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "k3N9-q0vX_r7Lm2PzT8sW4yB6cD1eF5gH0jK9lM3nQ7pR2sU6vW8xY4zA1bC5dE9fG"
# What a production deployment must supply (`deployment` below adds a real signing key and checkpoint folder).
PRODUCTION = {
    "TRACKII_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "trackii.example.org",
    "TRACKII_ENCRYPTION_KEYS": f"k1:{generate_key()},index:{generate_key()}",
    "TRACKII_SIGNING_P12": "/run/secrets/third-party.p12",
    "TRACKII_SIGNING_P12_PASSPHRASE": "not-a-real-passphrase",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "TRACKII_ENV",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "TRACKII_AUDIT_CHECKPOINT_DIR",
            *PRODUCTION,
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "secret_key",
    ["", "django-insecure-" + "x" * 50, "short-key", "a" * 60],
    ids=["missing", "django-default", "too-short", "not-random"],
)
def test_production_refuses_unsafe_secret_key(secret_key):
    result = run_manage(
        "check", TRACKII_ENV="production", SECRET_KEY=secret_key, ALLOWED_HOSTS="trackii.example.org"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.fixture
def deployment(tmp_path, settings) -> dict[str, str]:
    """A production environment with a real signing key and checkpoint folder, on the test database and
    with the key ring it was created with (so the key checks have something to compare)."""
    from tests.helpers import database_url
    from trackii.sealing.keys import generate_identity_p12

    p12 = tmp_path / "third-party.p12"
    p12.write_bytes(generate_identity_p12(passphrase="the-right-passphrase"))
    (tmp_path / "checkpoints").mkdir()
    return {
        **PRODUCTION,
        "TRACKII_ENCRYPTION_KEYS": settings.TRACKII_ENCRYPTION_KEYS,
        "TRACKII_SIGNING_P12": str(p12),
        "TRACKII_SIGNING_P12_PASSPHRASE": "the-right-passphrase",
        "TRACKII_AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
        "DATABASE_URL": database_url(),
    }


@pytest.mark.django_db
def test_production_check_deploy_reports_no_issues(deployment):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **deployment)
    assert result.returncode == 0, result.stdout + result.stderr
    # One check is silenced, for a reason (docs/decisions/0006): the login e-mail is unique through its index.
    assert settings.SILENCED_SYSTEM_CHECKS == ["auth.W004"]
    assert "System check identified no issues (1 silenced)." in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"TRACKII_SIGNING_P12_PASSPHRASE": "a-wrong-passphrase"}, "trackii.E123"),
        ({"TRACKII_SIGNING_P12": "/run/secrets/nowhere.p12"}, "trackii.E122"),
        ({"TRACKII_AUDIT_CHECKPOINT_DIR": "/var/lib/trackii/not-mounted"}, "trackii.E131"),
        ({"TRACKII_ENCRYPTION_KEYS": None}, "trackii.E113"),
    ],
    ids=["wrong-passphrase", "key-path-nowhere", "no-checkpoint-folder", "wrong-key-ring"],
)
def test_production_check_deploy_refuses_what_would_fail_later(deployment, change, error):
    if "TRACKII_ENCRYPTION_KEYS" in change:  # the same key ids, other keys
        key_ids = [entry.split(":", 1)[0] for entry in deployment["TRACKII_ENCRYPTION_KEYS"].split(",")]
        change = {"TRACKII_ENCRYPTION_KEYS": ",".join(f"{key_id}:{generate_key()}" for key_id in key_ids)}
    result = run_manage("check", "--deploy", **{**deployment, **change})
    assert result.returncode != 0
    assert error in result.stderr, result.stdout + result.stderr


def test_unknown_environment_name_is_refused():
    result = run_manage("check", TRACKII_ENV="staging")
    assert result.returncode != 0
    assert "TRACKII_ENV" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["account_login", "account_reset_password", "healthz"])
def test_csp_header_on_anonymous_pages(client, url_name):
    response = client.get(reverse(url_name))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_csp_header_on_pages_after_login_and_on_not_found(client, user):
    client.force_login(user)
    for response in (client.get(reverse("home")), client.get("/no-such-page/")):
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_not_found_page_reveals_nothing_about_the_request(client, user):
    client.force_login(user)
    response = client.get("/dialogues/12345/secret-codename/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "12345" not in body and "secret-codename" not in body
    assert "Page not found" in body


@pytest.mark.django_db
def test_there_is_no_public_sign_up(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "stranger@example.org",
            "password1": "a-long-test-passphrase-42",
            "password2": "a-long-test-passphrase-42",
        },
    )
    from trackii.accounts.models import User

    assert not User.objects.filter(email="stranger@example.org").exists()
    assert response.status_code in {200, 403, 404}


def test_passwords_are_hashed_with_argon2_outside_the_suite():
    """The suite hashes with MD5 for speed (tests/conftest.py); production hashes with Argon2, which works."""
    from django.contrib.auth.hashers import check_password, identify_hasher, make_password

    from trackii import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hashed = make_password("a-long-test-passphrase-42", hasher="argon2")
    assert identify_hasher(hashed).algorithm == "argon2"
    assert check_password("a-long-test-passphrase-42", hashed) and not check_password("wrong", hashed)
