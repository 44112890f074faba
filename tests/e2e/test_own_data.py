"""Issue 23 in Chromium: a participant opens "Your data" from their account page, downloads it as JSON and
asks for erasure after the confirmation page; their convenor finds the request on the roster, confirms the
erasure, and the participant's login stops working. Screenshots go to artifacts/screenshots/own-data-*.png."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole
from participants.models import Membership
from tests.e2e.helpers import PASSWORD, enrol, log_in
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_participant_downloads_their_data_asks_for_erasure_and_a_convenor_erases_it(
    live_server, page: Page, screenshot, tmp_path
):
    dialogue = DialogueFactory(codename="tidewater", title="Serran Strait maritime boundary dialogue")
    convenor = PersonFactory(
        pseudonym="P-1", name="Maren Holtvik", user=UserFactory(email="convenor@example.org")
    )
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    enrol(convenor.user)
    corvin = PersonFactory(
        pseudonym="P-5", name="Corvin Asteli", user=UserFactory(email="participant@example.org")
    )
    services.assign_role(
        dialogue=dialogue,
        person=corvin,
        role=DialogueRole.PARTICIPANT,
        side=SideFactory(dialogue=dialogue, name="Republic of Veloria"),
        by=None,
    )
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "participant@example.org")

    page.goto(f"{base}/account/")
    page.get_by_role("link", name=re.compile("Your data")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(page.get_by_text("Republic of Veloria")).to_be_visible()
    screenshot("own-data-page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    assert download.value.suggested_filename == "trackii-your-data.json"
    saved = tmp_path / "data.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text(encoding="utf-8"))["profile"]["name"] == "Corvin Asteli"

    page.get_by_label("Message to the convenor (optional)").fill("I have left the programme.")
    page.get_by_role("button", name="Ask for my data to be erased…").click()
    expect(page.get_by_role("heading", name="What will happen")).to_be_visible()
    screenshot("own-data-ask")
    page.get_by_role("button", name="Yes, ask for my data to be erased").click()
    expect(page.get_by_text("A convenor has not answered yet.", exact=False)).to_be_visible()

    log_in(page, base, "convenor@example.org")
    page.goto(f"{base}/dialogues/{dialogue.pk}/members/")
    page.get_by_role("link", name=re.compile("asks for their data to be erased")).click()
    expect(page.get_by_text("I have left the programme.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\bP-5\b"))
    page.get_by_role("link", name="Erase…").click()
    screenshot("own-data-erase-confirm")
    # The convenor reads him by his pseudonym in this dialogue, never by his account's "P-5" (decision 0026).
    in_here = Membership.objects.get(person=corvin, dialogue=dialogue).pseudonym
    expect(page.locator("main")).to_contain_text(in_here)
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\bP-5\b"))
    page.get_by_role("button", name=f"Yes, erase {in_here}'s data").click()
    expect(page.get_by_text(f"{in_here}'s data was erased.", exact=False)).to_be_visible()
    expect(page.get_by_text("Corvin Asteli")).to_have_count(0)

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill("participant@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
