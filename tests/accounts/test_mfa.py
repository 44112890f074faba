"""A second factor is required for the Third Party's roles, staff and administrators; offered to others."""

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.db import connection
from django.urls import reverse

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole
from tests.accounts.helpers import enrol_totp, totp_code
from tests.factories import PersonFactory, UserFactory
from trackii.accounts.selectors import requires_mfa
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase-42"


def _role(dialogue, role, by, **kwargs):
    person = PersonFactory(user=UserFactory())
    dialogue_services.assign_role(dialogue=dialogue, person=person, role=role, by=by, **kwargs)
    return person.user


def test_required_for_third_party_roles_staff_and_admins_only(dialogue, side, convenor):
    required = {
        "convenor": _role(dialogue, DialogueRole.CONVENOR, convenor),
        "facilitator": _role(dialogue, DialogueRole.FACILITATOR, convenor),
        "rapporteur": _role(dialogue, DialogueRole.RAPPORTEUR, convenor),
        "auditor": _role(dialogue, DialogueRole.AUDITOR, convenor),
        "staff": UserFactory(is_staff=True),
        "admin": UserFactory(is_superuser=True),
    }
    offered = {
        "participant": _role(dialogue, DialogueRole.PARTICIPANT, convenor, side=side),
        "funder": _role(dialogue, DialogueRole.FUNDER, convenor),
        "nobody": UserFactory(),
    }
    assert {name for name, user in {**required, **offered}.items() if requires_mfa(user=user)} == set(
        required
    )


def test_convenor_without_second_factor_is_sent_to_set_one_up(client, dialogue, convenor):
    newcomer = _role(dialogue, DialogueRole.CONVENOR, convenor)
    client.post(reverse("account_login"), {"login": newcomer.email, "password": PASSWORD})
    for path in (reverse("home"), reverse("accounts:account"), f"/dialogues/{dialogue.pk}/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), path
    # The password was typed a moment ago: the set-up page opens without asking for it again.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "account_reauthenticate" not in response.get("Location", "")


def _age_login(client, seconds: int) -> None:
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{**r, "at": r["at"] - seconds} for r in records]
    session.save()


def test_login_counts_as_reauthentication_only_while_it_is_recent(client, dialogue, convenor):
    newcomer = _role(dialogue, DialogueRole.CONVENOR, convenor)
    client.post(reverse("account_login"), {"login": newcomer.email, "password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    _age_login(client, account_settings.REAUTHENTICATION_TIMEOUT + 1)
    # Long after the login, adding a second factor asks for the password again, as allauth always does.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.post(response["Location"], {"password": PASSWORD}).status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_login_with_second_factor_counts_as_reauthentication(client):
    secret = enrol_totp(UserFactory(email="second@example.org"))
    client.post(reverse("account_login"), {"login": "second@example.org", "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    # Managing second factors right after logging in with one needs no password again.
    assert client.get(reverse("mfa_generate_recovery_codes")).status_code == 200


def test_session_keeps_no_login_address(client, dialogue, convenor):
    newcomer = _role(dialogue, DialogueRole.CONVENOR, convenor)
    client.post(reverse("account_login"), {"login": newcomer.email.upper(), "password": PASSWORD})
    records = client.session[AUTHENTICATION_METHODS_SESSION_KEY]
    assert [r["method"] for r in records] == ["password"] and records[0]["reauthenticated"] is True
    assert newcomer.email.lower() not in str(dict(client.session.items())).lower()


def test_participant_without_second_factor_is_not_forced(client, dialogue, side, convenor):
    participant = _role(dialogue, DialogueRole.PARTICIPANT, convenor, side=side)
    client.force_login(participant)
    assert client.get(reverse("home")).status_code == 200
    page = client.get(reverse("accounts:account"))
    assert "recommend" in page.content.decode()


@pytest.mark.urls("tests.admin_urls")
def test_admin_cannot_skip_the_second_factor_through_the_admin_login(client):
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    response = client.post(reverse("admin:login"), {"username": "root@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_login_with_totp_asks_for_the_code(client, convenor):
    secret = Authenticator.objects.get(user=convenor, type=Authenticator.Type.TOTP).wrap().instance.data
    assert secret  # stored, but encrypted (see the next test)
    response = client.post(reverse("account_login"), {"login": convenor.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_totp_secret_is_encrypted_at_rest(dialogue):
    user = UserFactory()
    secret = enrol_totp(user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data::text FROM mfa_authenticator WHERE user_id = %s", [user.pk])
        (stored,) = cursor.fetchone()
    assert secret not in stored
    # ...and still works: the code computed from the secret is accepted.
    from allauth.mfa.totp.internal.auth import TOTP

    assert TOTP(Authenticator.objects.get(user=user)).validate_code(totp_code(secret))


def test_required_account_cannot_remove_its_only_authenticator(convenor):
    from allauth.mfa.adapter import get_adapter

    totp = Authenticator.objects.get(user=convenor, type=Authenticator.Type.TOTP)
    assert get_adapter().can_delete_authenticator(totp) is False
    participant = UserFactory()
    enrol_totp(participant)
    assert get_adapter().can_delete_authenticator(Authenticator.objects.get(user=participant)) is True


def test_authenticator_changes_are_audited(
    client, dialogue, side, convenor, django_capture_on_commit_callbacks
):
    participant = _role(dialogue, DialogueRole.PARTICIPANT, convenor, side=side)
    client.post(reverse("account_login"), {"login": participant.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.MFA_CHANGED, actor=participant).exists()
