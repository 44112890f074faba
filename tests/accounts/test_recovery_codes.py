"""Once an authenticator is set up, the recovery-codes page shows the codes and a clear way on: to the page
the login was heading for when it was sent to set one up, else the home page."""

import re

import pytest
from django.urls import reverse

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole
from tests.accounts.helpers import enrol_totp, totp_code
from tests.factories import PersonFactory, UserFactory
from trackii.accounts import selectors, services
from trackii.accounts.middleware import MFA_NEXT

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase-42"
CONTINUE = "I have saved these codes — continue"


def _activate_totp(client):
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(page.context["form"].secret)})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    return client.get(response["Location"])


def _continue_link(page) -> str:
    body = page.content.decode()
    assert CONTINUE in body
    (href,) = re.findall(r'<a class="button" href="([^"]*)" id="recovery-codes-continue">', body)
    return href


def test_convenor_sent_to_enrol_continues_to_where_they_were_going(client, dialogue, convenor):
    person = PersonFactory(user=UserFactory())
    dialogue_services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.CONVENOR, by=convenor)
    wanted = reverse("accounts:invitations", kwargs={"dialogue_id": dialogue.pk})
    login = client.post(
        f"{reverse('account_login')}?next={wanted}", {"login": person.user.email, "password": PASSWORD}
    )
    assert login["Location"] == wanted
    assert client.get(wanted)["Location"] == reverse("mfa_activate_totp")
    client.get(reverse("home"))  # a second page asked for before enrolling does not replace the first

    codes = _activate_totp(client)

    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) == 10
    assert _continue_link(codes) == wanted
    assert client.get(wanted).status_code == 200
    assert MFA_NEXT not in client.session


def test_participant_enrolling_by_choice_continues_to_the_home_page(client, dialogue, side, convenor):
    person = PersonFactory(user=UserFactory())
    dialogue_services.assign_role(
        dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=convenor
    )
    client.post(reverse("account_login"), {"login": person.user.email, "password": PASSWORD})

    codes = _activate_totp(client)

    assert _continue_link(codes) == reverse("home")


def test_recovery_codes_page_later_also_offers_the_way_on(client):
    user = UserFactory()
    secret = enrol_totp(user)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.post(reverse("mfa_generate_recovery_codes"))["Location"] == reverse(
        "mfa_view_recovery_codes"
    )
    page = client.get(reverse("mfa_view_recovery_codes"))
    assert page.status_code == 200 and _continue_link(page) == reverse("home")


def test_an_invitation_link_is_never_kept_as_the_way_on(client, dialogue, convenor, newcomer):
    invitation = services.invite_person(
        dialogue=dialogue, person=newcomer, by=convenor, base_url="https://t/"
    )
    link = reverse("accounts:welcome", kwargs={"token": selectors.invitation_token(invitation=invitation)})
    person = PersonFactory(user=UserFactory())
    dialogue_services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.CONVENOR, by=convenor)
    client.post(reverse("account_login"), {"login": person.user.email, "password": PASSWORD})
    assert client.get(link)["Location"] == reverse("mfa_activate_totp")
    assert MFA_NEXT not in client.session

    assert _continue_link(_activate_totp(client)) == reverse("home")
