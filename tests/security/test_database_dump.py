"""What a copy of the database reveals. Participants' names, e-mails, venues and notes are covered by
tests/participants/test_encryption_at_rest.py (raw rows and a real pg_dump); these add what the accounts
layer stores: invitation tokens, second-factor secrets and the people they were sent to."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import enrol_totp
from tests.factories import PersonFactory, UserFactory
from tests.helpers import pg_dump
from trackii.accounts import selectors, services
from trackii.accounts.models import User

NAME, EMAIL = "Ysmay Quarrender", "ysmay.quarrender@example.org"
PASSWORD = "a-long-test-passphrase-42"


@pytest.mark.django_db(transaction=True)
def test_pg_dump_holds_no_invitation_token_totp_secret_or_invitee(django_capture_on_commit_callbacks):
    from dialogues import services as dialogue_services
    from dialogues.enums import DialogueRole
    from tests.factories import DialogueFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    dialogue = DialogueFactory()
    invitee = PersonFactory(name=NAME, email=EMAIL)
    dialogue_services.assign_role(dialogue=dialogue, person=invitee, role=DialogueRole.OBSERVER, by=admin)
    invitation = services.invite_person(
        dialogue=dialogue, person=invitee, by=admin, base_url="https://t.example/"
    )
    services.send_invitation(invitation_id=invitation.pk, base_url="https://t.example/")
    token = selectors.invitation_token(invitation=invitation)
    secret = enrol_totp(admin)
    assert token in mail.outbox[0].body

    dump = pg_dump()

    assert "accounts_accountinvitation" in dump and "mfa_authenticator" in dump
    for needle in (token, secret, NAME, EMAIL, EMAIL.upper()):
        assert needle not in dump, needle


@pytest.mark.django_db(transaction=True)
def test_pg_dump_holds_no_login_email_of_a_participant(client):
    """The login e-mail is encrypted and found by its blind index; logging in, resetting the password and
    enrolling a second factor leave no copy of it in clear anywhere (allauth's EmailAddress table, the
    session store)."""
    user = UserFactory(email=EMAIL)
    PersonFactory(name=NAME, email=EMAIL, user=user)
    response = client.post(reverse("account_login"), {"login": EMAIL.upper(), "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    client.get(reverse("mfa_activate_totp"))
    client.get(reverse("accounts:account"))
    client.get("/accounts/email/")  # allauth's e-mail page would copy the address into account_emailaddress
    Client().post(reverse("account_reset_password"), {"email": EMAIL})
    assert len(mail.outbox) == 1

    dump = pg_dump()

    assert "accounts_user" in dump and "account_emailaddress" in dump
    for needle in (EMAIL, EMAIL.upper()):
        assert needle not in dump, needle
    assert not EmailAddress.objects.exists()
    assert User.objects.get(email=EMAIL.upper()) == user  # still found, through the index
