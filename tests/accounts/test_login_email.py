"""The login e-mail is encrypted and found through its blind index (docs/decisions/0006): every way Trackii
and allauth look a login up still works, and nothing writes the address in clear."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from participants.models import Person
from tests.factories import PersonFactory, UserFactory
from trackii.accounts.fields import login_index
from trackii.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase-42"
NEW_PASSWORD = "another quiet harbour 8"


def _stored(user) -> tuple[bytes, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, email_index FROM accounts_user WHERE id = %s", [user.pk])
        email, index = cursor.fetchone()
    return bytes(email), index


def test_address_is_stored_encrypted_with_its_index():
    user = UserFactory(email="  Noor.Saleh@Example.org ")
    stored, index = _stored(user)
    assert b"noor" not in stored.lower() and b"example" not in stored.lower()
    assert index == login_index("noor.saleh@example.org")
    user.refresh_from_db()
    assert user.email == "noor.saleh@example.org" and str(user) == f"Login {user.pk}"  # never the address


def test_look_ups_by_address_go_through_the_index():
    user = UserFactory(email="noor.saleh@example.org")
    PersonFactory(user=user)
    UserFactory(email="other@example.org")
    assert User.objects.get(email=" NOOR.Saleh@example.org") == user
    assert User.objects.filter(email__iexact="Noor.Saleh@Example.ORG").get() == user
    assert User.objects.get_by_natural_key("NOOR.SALEH@EXAMPLE.ORG") == user
    assert Person.objects.get(user__email="noor.saleh@example.org").user == user
    assert User.objects.exclude(email="noor.saleh@example.org").get().email == "other@example.org"
    assert User.objects.get_or_create(email="Noor.Saleh@example.org") == (user, False)
    assert not User.objects.filter(email="nobody@example.org").exists()
    assert User.objects.filter(email=None).count() == 0


def test_partial_look_ups_are_refused():
    with pytest.raises(FieldError, match="encrypted"):
        list(User.objects.filter(email__icontains="noor"))


def test_one_login_per_address_whatever_its_case():
    UserFactory(email="noor.saleh@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="NOOR.SALEH@example.org")


def test_changing_the_address_moves_the_index():
    user = UserFactory(email="old@example.org")
    user.email = "New@Example.org"
    user.save(update_fields=["email"])
    assert User.objects.get(email="new@example.org") == user
    assert not User.objects.filter(email="old@example.org").exists()


def test_createsuperuser_asks_for_an_email_address(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", "--email", "Root@Example.org", stdout=StringIO())
    root = User.objects.get(email="root@example.org")
    assert root.is_superuser and root.check_password(PASSWORD)


def test_staff_find_a_login_by_its_whole_address_in_any_case(admin_client):
    noor = UserFactory(email="noor.saleh@example.org")
    other = UserFactory(email="other@example.org")
    found = admin_client.get(reverse("staff:account_list"), {"q": "Noor.Saleh@Example.org"}).content.decode()
    # Found, and named by its number: the list shows no address but the one typed into the search box.
    assert f">Login {noor.pk}<" in found and f">Login {other.pk}<" not in found
    assert "other@example.org" not in found
    partial = admin_client.get(reverse("staff:account_list"), {"q": "noor.saleh@"}).content.decode()
    assert f">Login {noor.pk}<" not in partial


def test_password_reset_works_and_tells_nothing_about_unknown_addresses():
    user = UserFactory(email="noor.saleh@example.org")
    known = Client().post(reverse("account_reset_password"), {"email": "Noor.Saleh@Example.org"})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    (message,) = mail.outbox
    assert message.to == ["noor.saleh@example.org"]

    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", message.body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not EmailAddress.objects.exists()


def test_allauth_email_page_is_replaced_by_the_account_page(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/accounts/email/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert (
        client.post("/accounts/email/", {"action_add": "1", "email": "extra@example.org"}).status_code == 405
    )
    assert not EmailAddress.objects.exists()
