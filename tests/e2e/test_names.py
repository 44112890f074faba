# ruff: noqa: RUF001  (names in Cyrillic and Armenian are what is tested)
"""A convenor records a member's name in two more scripts in Chromium (issue 22): from the roster to the
names page, a disguised form refused with the character named, two forms added, one removed; the page
looked at with three forms, at 1280 and 375 pixels."""

import re

import pytest
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole
from participants.models import Membership
from tests.e2e.helpers import enrol, log_in
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_convenor_records_a_name_in_cyrillic_and_armenian(live_server, page: Page, screenshot):
    dialogue = DialogueFactory(codename="lantern", title="Island talks")
    side = SideFactory(dialogue=dialogue, name="North")
    convenor = PersonFactory(name="Ingrid Alvestad", user=UserFactory(email="convenor@example.org"))
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    enrol(convenor.user)
    member = PersonFactory(name="Korvin Asteli", pseudonym="P-32")
    services.assign_role(dialogue=dialogue, person=member, role=DialogueRole.PARTICIPANT, side=side, by=None)
    in_here = Membership.objects.get(person=member, dialogue=dialogue).pseudonym  # not "P-32" (decision 0026)
    base = live_server.url

    log_in(page, base, "convenor@example.org")
    page.goto(f"{base}/dialogues/{dialogue.pk}/members/")
    page.get_by_role("link", name=f"Names {in_here}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Korvin Asteli")
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\bP-32\b"))
    field = page.get_by_label("Another form of the name")
    field.fill("Кор\u200bвин Астели")
    page.get_by_role("button", name="Add this form").click()
    expect(page.get_by_text(re.compile(r"U\+200B zero width space")).first).to_be_visible()
    for name in ("Корвин Астели", "Կորվին Աստելի", "Korvin Astelli"):
        page.get_by_label("Another form of the name").fill(name)
        page.get_by_role("button", name="Add this form").click()
        expect(page.get_by_text("Name form added.")).to_be_visible()
    page.get_by_role("button", name="Remove Korvin Astelli").click()
    expect(page.get_by_text("Name form removed.")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Корвин Астели")
    expect(table).to_contain_text("Cyrillic")
    expect(table).to_contain_text("Armenian")
    expect(table).not_to_contain_text("Astelli")
    screenshot("person-names-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("person-names-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/dialogues/{dialogue.pk}/people/{member.pk}/names/")
    page.context.set_extra_http_headers({"Accept-Language": "ar"})
    page.reload()
    screenshot("person-names-ar-1280")
