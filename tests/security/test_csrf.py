"""Every URL refuses a POST without a CSRF token, for a signed-in user: nothing state-changing can be
triggered from another site."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.security.walk import routes

pytestmark = pytest.mark.django_db


def test_every_url_refuses_a_post_without_csrf_token(capsys):
    user = UserFactory(is_staff=True, is_superuser=True)
    from tests.accounts.helpers import enrol_totp

    enrol_totp(user)  # so that the second-factor requirement does not answer first
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    answered = {}
    for path, _name in routes():
        answered[path] = client.post(path, {"anything": "1"}).status_code
    not_refused = {path: code for path, code in answered.items() if code != 403}
    with capsys.disabled():
        print(f"\nCSRF: {len(answered)} URLs posted to without a token, {len(not_refused)} not refused")
    assert len(answered) > 40
    assert not_refused == {}


def test_post_with_csrf_token_is_accepted(client):
    """The check above can fail: with a token the same POST gets through to the view."""
    client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    client.force_login(user)
    client.get("/accounts/password/change/")
    token = client.cookies["csrftoken"].value
    response = client.post("/account/log-out-everywhere/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
