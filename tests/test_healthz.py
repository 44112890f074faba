"""/healthz tells an operator which part is down, quickly."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import DialogueFactory
from trackii.celery import app
from trackii.crypto import generate_key
from trackii.datakeys import sweep_destroyed
from trackii.health import check_keystore
from trackii.models import DataKey


# transaction=True: Celery's Django fix-up closes the database connection when a worker starts, which a
# test wrapped in one transaction could not survive.
@pytest.mark.django_db(transaction=True)
def test_healthz_is_200_when_database_broker_and_worker_answer(client):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "keystore": "ok", "broker": "ok", "worker": "ok"},
        "dead_letters": 0,
        "worker_restarts": 0,
    }


@pytest.mark.django_db
def test_healthz_names_the_broker_within_3_seconds_when_redis_is_unreachable(client):
    # Port 1 on loopback: nothing listens there, so the connection is refused.
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        started = time.monotonic()
        response = client.get(reverse("healthz"))
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["broker"] != "ok"
    assert checks["worker"].startswith("not checked")
    assert elapsed < 3


@pytest.mark.django_db
def test_healthz_names_the_worker_when_none_is_running(client, settings):
    settings.HEALTH_CHECK_TIMEOUT = 0.5
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "keystore": "ok",
        "broker": "ok",
        "worker": "no worker answered",
    }


def test_healthz_refuses_other_methods(client):
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.django_db
def test_healthz_fails_when_the_keystore_lacks_the_newest_data_keys(own_keystore, settings):
    """A keystore folder that is not this database's would show every new value as destroyed."""
    dialogue = DialogueFactory()
    (own_keystore / f"{dialogue.data_key_id}.key").unlink()
    assert check_keystore() == "1 of the newest data keys missing"
    settings.TRACKII_KEYSTORE_DIR = own_keystore / "elsewhere"
    assert check_keystore() == "keystore folder missing"


@pytest.mark.django_db
def test_healthz_fails_while_a_destroyed_keys_file_is_left_or_the_ring_cannot_unwrap(own_keystore, settings):
    kept, destroyed = DialogueFactory(), DialogueFactory()
    DataKey.objects.filter(pk=destroyed.data_key_id).update(destroyed_at=timezone.now())  # file not deleted
    assert check_keystore() == "1 destroyed data keys still in the keystore"
    sweep_destroyed()
    assert check_keystore() is None
    settings.TRACKII_ENCRYPTION_KEYS = f"other:{generate_key()},index:{generate_key()}"  # not the ring
    assert check_keystore() == "DecryptionError"
    assert kept.data_key_id
