import pytest
from django.urls import reverse

from trackii.audit.middleware import AuditContextMiddleware
from trackii.audit.models import AuditEvent
from trackii.audit.signals import login_hash

pytestmark = pytest.mark.django_db


def test_login_and_logout_are_recorded(client, user, password):
    assert client.login(email=user.email, password=password)
    client.logout()

    rows = list(AuditEvent.objects.order_by("id").values_list("action", "outcome", "actor_id"))
    assert rows == [("login", "allowed", user.pk), ("logout", "allowed", user.pk)]


def test_failed_login_is_recorded_without_the_address(client, user):
    response = client.post(
        reverse("account_login"), {"login": "Member@Example.org", "password": "wrong-pass-123"}
    )
    assert response.status_code == 200  # the form again, with its error

    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.actor_id, event.actor_label) == (
        "login_failed",
        "failed",
        None,
        "anonymous",
    )
    assert event.detail == {"login_hash": login_hash("member@example.org")}
    assert "member" not in str(event.detail).lower()
    assert len(event.detail["login_hash"]) == 16


def test_request_id_middleware_sets_and_echoes_the_id(client, settings):
    settings.MIDDLEWARE = ["trackii.audit.middleware.AuditContextMiddleware", *settings.MIDDLEWARE]

    first = client.get("/healthz")
    second = client.get("/healthz")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_request_id_middleware_takes_the_id_only_from_a_trusted_proxy(rf, settings):
    settings.TRACKII_TRUSTED_PROXIES = ["127.0.0.1"]
    middleware = AuditContextMiddleware(lambda request: __import__("django.http").http.HttpResponse())

    from_proxy = rf.get("/", HTTP_X_REQUEST_ID="proxy-abc-123", REMOTE_ADDR="127.0.0.1")
    from_client = rf.get("/", HTTP_X_REQUEST_ID="proxy-abc-123", REMOTE_ADDR="203.0.113.1")

    assert middleware(from_proxy)["X-Request-ID"] == "proxy-abc-123"
    assert middleware(from_client)["X-Request-ID"] != "proxy-abc-123"
