"""What a copy of the database reveals. Participants' names, e-mails, venues and notes are covered by
tests/participants/test_encryption_at_rest.py (raw rows and a real pg_dump); these add what the accounts
layer stores: invitation tokens, second-factor secrets and the people they were sent to, and what logging in
leaves behind (the session store, the login throttle's table, cookies). The dump is read the way anyone
would read it: base64, signed and compressed values decoded (tests.helpers.readable)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import enrol_totp
from tests.factories import PersonFactory, UserFactory
from tests.helpers import cookie_values, pg_dump, readable
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

    dump = readable(pg_dump())

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

    dump = readable(pg_dump())

    assert "accounts_user" in dump and "account_emailaddress" in dump
    for needle in (EMAIL, EMAIL.upper()):
        assert needle not in dump, needle
    assert not EmailAddress.objects.exists()
    assert User.objects.get(email=EMAIL.upper()) == user  # still found, through the index


def assert_nowhere(client, responses, *needles) -> None:
    """None of the needles in the raw dump of every table nor in any cookie, however encoded."""
    dump, cookies = readable(pg_dump()).casefold(), cookie_values(client, *responses).casefold()
    for needle in needles:
        assert needle.casefold() not in dump, f"{needle} in the database dump"
        assert needle.casefold() not in cookies, f"{needle} in a cookie"


@pytest.mark.django_db(transaction=True)
def test_login_stopped_at_the_second_factor_leaves_no_email_in_the_session_store(client):
    """allauth keeps the pending login (with the address typed) in the session until the code is given."""
    enrol_totp(UserFactory(email=EMAIL))
    response = client.post(reverse("account_login"), {"login": EMAIL.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session and Session.objects.count() == 1

    assert_nowhere(client, [response], EMAIL)


@pytest.mark.django_db(transaction=True)
def test_failed_login_leaves_no_email_in_the_throttle_table_of_the_embedded_default(client, settings):
    """Without Redis, django-axes counts failures in its table (axes_accessattempt), with the form posted."""
    settings.AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
    UserFactory(email=EMAIL)
    typed = {"login": EMAIL.upper(), "password": "not-the-password-1"}
    response = client.post(reverse("account_login") + "?next=/dialogues/", typed)
    assert response.status_code == 200 and AccessAttempt.objects.count() == 1

    assert_nowhere(client, [response], EMAIL, typed["password"])


@pytest.mark.django_db(transaction=True)
def test_successful_login_sends_no_email_in_a_cookie(client):
    """allauth's message after a login named the login ("Successfully signed in as ..."), and Django keeps
    messages in a signed (readable) cookie. Messages are kept in the encrypted session now, and this one
    names no one (templates/account/messages/logged_in.txt)."""
    PersonFactory(name=NAME, email=EMAIL, user=UserFactory(email=EMAIL))
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"]

    assert_nowhere(client, [response], EMAIL, NAME)
    home = client.get(response["Location"])
    assert "You are logged in." in home.content.decode()  # the message still reaches the page
    assert_nowhere(client, [home], EMAIL, NAME)


@pytest.mark.django_db(transaction=True)
def test_totp_set_up_begun_but_not_finished_leaves_no_secret_in_the_session_store(client):
    """allauth keeps the new secret in the session until a first code confirms it."""
    UserFactory(email=EMAIL)
    login = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    assert page.status_code == 200 and secret in page.content.decode()  # shown to its owner, as it must be

    assert_nowhere(client, [login, page], secret, EMAIL)
