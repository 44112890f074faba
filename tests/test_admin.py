"""The Django admin is for housekeeping: nothing that holds dialogue content is registered in it, so a
superuser cannot browse around the permission layer."""

import pytest
from django.contrib import admin

CONFIDENTIAL = {
    "dialogues.dialogue",
    "dialogues.side",
    "dialogues.workshopseries",
    "dialogues.workshop",
    "dialogues.agendaitem",
    "dialogues.invitation",
    "dialogues.summary",
    "dialogues.reviewcomment",
    "dialogues.reviewsignoff",
    "dialogues.summarycopy",
    "dialogues.summaryreading",
    "dialogues.outcome",
    "dialogues.breakglassgrant",
    "participants.person",
    "participants.membership",
    "participants.facilitator",
    "funding.grant",
    "funding.condition",
    "funding.expense",
    "funding.fundingnote",
    "funding.disclosure",
    "sealing.sealjob",
    "audit.auditevent",
}


def test_no_confidential_model_is_registered_in_the_admin():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered & CONFIDENTIAL == set()
    assert {"accounts.user", "participants.thirdparty", "funding.funder"} <= registered


def test_no_object_permission_table_is_registered_in_the_admin():
    assert not [m for m in admin.site._registry if m.__name__.endswith("ObjectPermission")]


def test_admin_offers_no_way_to_take_over_an_account(admin_client, django_user_model):
    convenor = django_user_model.objects.create_user(
        email="convenor@example.org", password="a-long-passphrase-9"
    )
    page = admin_client.get(f"/admin/accounts/user/{convenor.pk}/password/", follow=True).content.decode()
    assert 'name="password1"' not in page
    admin_client.post(
        f"/admin/accounts/user/{convenor.pk}/change/", {"email": "mine@example.org", "is_active": "on"}
    )
    convenor.refresh_from_db()
    assert convenor.email == "convenor@example.org"
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert "mfa.authenticator" not in registered and "account.emailaddress" not in registered


@pytest.mark.django_db
def test_admin_is_not_found_for_a_signed_in_participant(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    for url in ("/admin/", "/admin/login/", "/admin/accounts/user/"):
        response = client.get(url, follow=True)
        assert response.status_code == 404, url
