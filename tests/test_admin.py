"""The Django admin is for housekeeping: nothing that holds dialogue content is registered in it, so a
superuser cannot browse around the permission layer."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest

from tests.factories import FunderFactory, UserFactory

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

EMAIL, OFFICER_EMAIL = "ysolde.marrick@example.net", "corvin.tallowmere@example.net"
FUNDER = "Aldmere Peace Trust"


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
    client.force_login(UserFactory())
    for url in ("/admin/", "/admin/login/", "/admin/accounts/user/"):
        response = client.get(url, follow=True)
        assert response.status_code == 404, url


def _shown(response) -> str:
    """All a response shows: its body, where it redirects, its flash messages."""
    shown = [response.content.decode(errors="replace"), response.get("Location", "")]
    morsel = response.cookies.get("messages")
    if morsel is not None and morsel.value:
        shown += [str(m) for m in CookieStorage(HttpRequest())._decode(morsel.value) or []]
    return "\n".join(shown)


def _admin_log() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM django_admin_log")
        return cursor.fetchall()


@pytest.mark.django_db
def test_admin_log_and_messages_hold_no_login_email(client):
    """The admin log (django_admin_log.object_repr) and the flash message after a save name a login by its
    number, never by its address: both used to copy the e-mail in clear on every edit."""
    root = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    account = UserFactory(email=EMAIL)
    client.force_login(root)
    response = client.post(
        f"/admin/accounts/user/{account.pk}/change/", {"is_active": "on", "is_staff": "on"}
    )
    assert response.status_code == 302, response.content[:2000]
    edited = _shown(response)
    response = client.post(
        "/admin/accounts/user/add/", {"email": OFFICER_EMAIL.upper(), "usable_password": "false"}
    )
    assert response.status_code == 302, response.content[:2000]
    added = _shown(response)

    rows = _admin_log()
    assert len(rows) == 2 and LogEntry.objects.filter(object_id=str(account.pk)).get().is_change()
    for needle in (EMAIL, OFFICER_EMAIL):
        assert needle not in repr(rows).lower()
        assert needle not in (edited + added).lower()
    account.refresh_from_db()
    assert account.is_staff


@pytest.mark.django_db(transaction=True)
def test_admin_log_rows_written_before_name_no_login_or_funder():
    """accounts 0005 rewrites the rows the admin wrote while a login's name was its address."""
    before, after = ("accounts", "0004_login_email_encrypted"), ("accounts", "0005_admin_log_without_names")
    root = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    account, funder = UserFactory(email=EMAIL), FunderFactory(name=FUNDER)
    try:
        MigrationExecutor(connection).migrate([before])
        for obj, name in ((account, EMAIL), (funder, FUNDER), (root, "root@example.org")):
            LogEntry.objects.create(
                user=root,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=name,
                action_flag=2,
            )
    finally:
        MigrationExecutor(connection).migrate([after])

    assert sorted(LogEntry.objects.values_list("object_repr", flat=True)) == sorted(
        [f"Login {account.pk}", f"Login {root.pk}", f"funding.funder {funder.pk}"]
    )
    dumped = repr(_admin_log()).lower()
    assert all(name.lower() not in dumped for name in (EMAIL, FUNDER, "root@example.org"))
