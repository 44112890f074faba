"""A convenor's removal and emergency cut-off in Chromium (issue 16 §1): remove one participant leaving them
their sealed summaries, cut another off after the confirmation page, see both on the roster; the person cut
off is refused at the login page, and may log in again once restored."""

import re

import pytest
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole
from participants.models import Membership
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import PASSWORD, enrol, log_in
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_convenor_removes_one_cuts_off_another_and_restores_them(live_server, page: Page, screenshot):
    dialogue = DialogueFactory(codename="heron", title="Riverside talks")
    side = SideFactory(dialogue=dialogue, name="North")
    convenor = PersonFactory(name="Ingrid Alvestad", user=UserFactory(email="convenor@example.org"))
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    enrol(convenor.user)
    amira = PersonFactory(name="Amira Haddad", pseudonym="P-1", user=UserFactory(email="amira@example.org"))
    bo = PersonFactory(name="Bo Lindqvist", pseudonym="P-2", user=UserFactory(email="bo@example.org"))
    for person in (amira, bo):
        services.assign_role(
            dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
        )
    # The roster calls them by their pseudonyms in this dialogue, not their accounts' (decision 0026).
    p1, p2 = (Membership.objects.get(person=person, dialogue=dialogue).pseudonym for person in (amira, bo))
    base = live_server.url

    log_in(page, base, "convenor@example.org")
    page.goto(f"{base}/dialogues/{dialogue.pk}/members/")
    amira_row = page.get_by_role("row").filter(has_text=p1)
    amira_row.get_by_role("link", name=f"Remove {p1}").click()  # a quiet link to a page that asks first
    expect(page.get_by_role("heading", name=re.compile("Remove Amira Haddad"))).to_be_visible()
    screenshot("remove-confirmation")
    page.get_by_label(re.compile("Leave read access to the sealed summaries")).check()
    page.get_by_role("button", name=f"Yes, remove {p1}").click()
    expect(page.get_by_text(f"{p1} was removed from this dialogue and keeps read access")).to_be_visible()
    former = page.get_by_role("region", name="Former members")
    expect(former).to_contain_text("Kept read access to 0 sealed summaries")

    page.get_by_role("link", name=f"Cut off {p2}").click()
    expect(page.get_by_role("heading", name=re.compile("Cut off Bo Lindqvist"))).to_be_visible()
    screenshot("cut-off-confirmation")
    page.get_by_role("button", name=f"Cut off {p2} now").click()  # no reason yet
    expect(page.get_by_text("Say why, in a sentence or two.").first).to_be_visible()
    page.get_by_label("Why").fill("His phone was taken at the border on Tuesday.")
    page.get_by_role("button", name=f"Cut off {p2} now").click()
    expect(page.get_by_text(f"{p2} is cut off")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=p2)).to_contain_text("Cut off on")
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\bP-[12]\b"))
    screenshot("roster-after-removal-and-cut-off-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("roster-after-removal-and-cut-off-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    bo_page = page.context.browser.new_page()
    bo_page.goto(f"{base}/accounts/login/")
    bo_page.get_by_label("E-mail address").fill("bo@example.org")
    bo_page.get_by_label("Password").fill(PASSWORD)
    bo_page.get_by_role("button", name="Log in").click()
    expect(bo_page.get_by_role("heading", name="You cannot sign in at the moment")).to_be_visible()
    bo_page.screenshot(path=str(ARTIFACTS / "login-refused-cut-off.png"))

    page.get_by_role("button", name=f"Restore access of {p2}").click()
    expect(page.get_by_text(f"{p2} may log in again")).to_be_visible()
    log_in(bo_page, base, "bo@example.org")
    bo_page.close()
