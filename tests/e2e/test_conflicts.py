"""Issue 18 in Chromium: a convenor finds someone on file by part of their name, adds them from the result,
and sees on the invitations page, before inviting, that they said they are unavailable then, and that a
facilitator is booked at another workshop on those days (without the other dialogue being named).
Screenshots go to artifacts/screenshots/conflicts-*.png."""

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.models import Unavailability
from participants.models import Membership
from tests.e2e.helpers import enrol, log_in
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory, WorkshopFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def test_convenor_finds_someone_adds_them_and_sees_their_clash_before_inviting(
    live_server, page: Page, screenshot
):
    dialogue = DialogueFactory(codename="tidewater", title="Serran Strait maritime boundary dialogue")
    north = SideFactory(dialogue=dialogue, name="North")
    convenor = PersonFactory(
        pseudonym="P-1", name="Maren Holtvik", user=UserFactory(email="convenor@example.org")
    )
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    enrol(convenor.user)
    ailsa = PersonFactory(pseudonym="P-32", name="Ailsa Brennock", affiliation="Harbour Council")
    Unavailability.objects.create(person=ailsa, starts_on=dt.date(2031, 3, 13), ends_on=dt.date(2031, 3, 13))
    # P-3 facilitates this dialogue and another the convenor does not see, with a workshop on 12-14 March.
    elsewhere = DialogueFactory(codename="riverstone", title="Tamsa river basin talks")
    p3 = PersonFactory(pseudonym="P-3", name="Idris Calloway")
    for each in (dialogue, elsewhere):
        services.assign_role(dialogue=each, person=p3, role=DialogueRole.FACILITATOR, by=None)
    start = dt.datetime(2031, 3, 12, 9, tzinfo=OSLO)
    WorkshopFactory(series__dialogue=elsewhere, starts_at=start, ends_at=start + dt.timedelta(days=2))
    here = WorkshopFactory(series__dialogue=dialogue, starts_at=start + dt.timedelta(days=1),
                           ends_at=start + dt.timedelta(days=1, hours=8))  # fmt: skip
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "convenor@example.org")

    page.goto(f"{base}/dialogues/{dialogue.pk}/members/")
    page.get_by_label("Name, pseudonym or affiliation").fill("a")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Type at least 2 characters.").first).to_be_visible()
    page.get_by_label("Name, pseudonym or affiliation").fill("brenn")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("cell", name="Harbour Council")).to_be_visible()
    screenshot("conflicts-search")
    page.get_by_role("link", name="Add to this dialogue (P-32)").click()
    expect(page.locator("#id_pseudonym")).to_have_value("P-32")
    page.locator("#id_role").select_option("participant")
    page.locator("#id_side").select_option(label=north.name)
    page.get_by_role("button", name="Add to dialogue").click()
    # Her pseudonym in this dialogue is a fresh random one, not her account pseudonym (decision 0026).
    in_here = Membership.objects.get(person=ailsa, dialogue=dialogue).pseudonym
    assert in_here != "P-32"
    expect(page.get_by_text(f"{in_here} is now participant here.")).to_be_visible()

    page.goto(f"{base}/dialogues/{dialogue.pk}/workshops/{here.pk}/invitations/")
    clash = f"Ailsa Brennock ({in_here}) · North · ⚠ unavailable 13 Mar 2031"
    expect(page.get_by_text(clash)).to_be_visible()
    # The facilitation team, who have no pseudonym here, are read by name.
    booked = "Idris Calloway (facilitation team) is booked at another workshop on 12\u201314 Mar 2031."
    expect(page.get_by_text(booked)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("riverstone")
    expect(page.locator("body")).not_to_contain_text("(P-32)")
    screenshot("conflicts-invite")
