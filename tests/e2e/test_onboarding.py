"""An invited person opens their link, sets a password, accepts the ground rules, enrols an authenticator
app, logs out and logs back in with a code computed from the secret the page showed them."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole
from tests.accounts.helpers import fresh_totp_code
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory
from trackii.accounts import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "quiet harbour lanterns 7"
FACTORY_PASSWORD = "a-long-test-passphrase-42"  # tests.factories.UserFactory's


def test_invited_person_sets_up_login_and_two_step_login(live_server, page: Page, screenshot):
    cache.clear()
    admin = UserFactory(is_staff=True, is_superuser=True)
    dialogue = DialogueFactory(title="Riverside talks", codename="heron")
    side = SideFactory(dialogue=dialogue, name="North")
    person = PersonFactory(name="Amira Haddad", email="amira@example.org")
    dialogue_services.assign_role(
        dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=admin
    )
    invitation = services.invite_person(dialogue=dialogue, person=person, by=admin, base_url=live_server.url)
    services.send_invitation(invitation_id=invitation.pk, base_url=live_server.url)
    link = re.search(r"http://\S+/welcome/\S+/", mail.outbox[0].body).group(0)

    page.goto(link)
    expect(page.get_by_role("heading", name="Set up your login")).to_be_visible()
    expect(page.get_by_text("amira@example.org")).to_be_visible()
    screenshot("onboarding-1-welcome")
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Type it again").fill("short")
    page.get_by_role("button", name="Set up my login").click()
    expect(page.locator("#id_password1_error")).to_contain_text("too short")
    screenshot("onboarding-2-weak-password")

    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    page.get_by_label("I have read the ground rules").check()
    page.get_by_role("button", name="Set up my login").click()
    expect(page.get_by_role("heading", name="Your dialogues")).to_be_visible()
    expect(page.get_by_text("Riverside talks")).to_be_visible()

    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_text("Amira Haddad")).to_be_visible()
    screenshot("onboarding-3-account")
    page.get_by_role("link", name="Manage two-step login").click()
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    screenshot("onboarding-4-totp")
    used: set[str] = set()
    page.locator("input[name=code]").fill(fresh_totp_code(secret, used))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    screenshot("onboarding-5-recovery-codes")
    page.get_by_role("link", name="I have saved these codes — continue").click()
    expect(page.get_by_role("heading", name="Your dialogues")).to_be_visible()

    page.get_by_role("button", name="Log out").first.click()
    if page.get_by_role("heading", name=re.compile("Sign Out|Log out", re.I)).count():
        page.get_by_role("button", name=re.compile("Sign Out|Log out", re.I)).last.click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("amira@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    screenshot("onboarding-6-code")
    page.locator("input[name=code]").fill(fresh_totp_code(secret, used))
    page.locator("main button[type=submit]").first.click()
    expect(page.get_by_role("heading", name="Your dialogues")).to_be_visible()
    expect(page.get_by_text("Riverside talks")).to_be_visible()

    page.goto(link)
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    screenshot("onboarding-7-used-link")


def test_convenor_enrols_straight_after_login_and_continues_where_they_were_going(
    live_server, page: Page, screenshot
):
    """A convenor's role needs a second factor: the first login leads to the set-up, without asking for the
    password a second time, and on from the recovery codes to the page they asked for."""
    cache.clear()
    admin = UserFactory(is_staff=True, is_superuser=True)
    dialogue = DialogueFactory(title="Riverside talks", codename="heron")
    convenor = PersonFactory(name="Maren Holtvik", user=UserFactory(email="maren@example.org"))
    dialogue_services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=admin)

    page.goto(f"{live_server.url}/account/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("E-mail address").fill("Maren@Example.org")
    page.get_by_label("Password").fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.get_by_label("Password")).to_have_count(0)
    screenshot("enrol-1-totp-after-login")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(fresh_totp_code(secret, set()))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    expect(page.locator("#recovery_codes")).to_contain_text(re.compile(r"\w{8}"))
    screenshot("enrol-2-recovery-codes")
    page.get_by_role("link", name="I have saved these codes — continue").click()
    expect(page).to_have_url(f"{live_server.url}/account/")
    expect(page.get_by_text("Maren Holtvik")).to_be_visible()
