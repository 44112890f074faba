"""A funder's view of programme insight in Chromium (issue 21): the foundation's officer opens their grant and
sees the funded dialogue's activity as two charts (workshops held per quarter, participants per side) with
their tables and CSVs; small counts withheld, no pseudonym, proximity to officialdom or name anywhere; and the
dialogue's own insight pages are the ordinary missing page for them. Screenshots at 1280 and 375 px go to
artifacts/screenshots/insight-funder-*.png."""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole, WorkshopStatus
from funding.enums import GrantStatus
from funding.funders.services import sync_funder_access
from participants.enums import Proximity
from participants.models import Membership
from tests.e2e.helpers import log_in
from tests.factories import (
    DialogueFactory,
    FunderFactory,
    GrantFactory,
    PersonFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROXIMITY_LABELS = ("Serving official", "Former official", "Security sector")


@pytest.fixture
def funded():
    """Tidewater with seven participants on Veloria, six on Kessarine and two observers (withheld, and
    Kessarine with them, or they could be worked out from a total), workshops held in four quarters of five,
    and the Aldmere Peace Foundation's grant, read by its officer."""
    dialogue = DialogueFactory(codename="tidewater", title="Serran Strait maritime boundary dialogue")
    veloria = SideFactory(dialogue=dialogue, name="Veloria")
    kessarine = SideFactory(dialogue=dialogue, name="Kessarine")
    observers = SideFactory(dialogue=dialogue, name="Observers")
    proximities = (Proximity.SERVING_OFFICIAL, Proximity.FORMER_OFFICIAL, Proximity.SECURITY_SECTOR)
    pseudonyms = []
    for side, count in ((veloria, 7), (kessarine, 6), (observers, 2)):
        for n in range(count):
            person = PersonFactory(
                pseudonym=f"Heron-{side.name[0]}{n}",
                name=f"Hidden Delegate {side.name} {n}",
                proximity=proximities[n % 3],
            )
            services.assign_role(
                dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
            )
            # Both the account pseudonym and the one the dialogue's pages use (decision 0026).
            pseudonyms.append(person.pseudonym)
            pseudonyms.append(Membership.objects.get(person=person, dialogue=dialogue).pseudonym)
    for day in (dt.date(2025, 2, 10), dt.date(2025, 3, 20), dt.date(2025, 9, 5), dt.date(2026, 1, 15)):
        starts = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        WorkshopFactory(
            series__dialogue=dialogue,
            status=WorkshopStatus.HELD,
            starts_at=starts,
            ends_at=starts + dt.timedelta(days=1),
            venue="Conference house Marrowbay",
        )
    funder = FunderFactory(name="Aldmere Peace Foundation")
    officer = PersonFactory(
        pseudonym="P-8", name="Rupert Quillane", user=UserFactory(email="funder@example.org")
    )
    funder.officers.add(officer)
    grant = GrantFactory(dialogue=dialogue, funder=funder, status=GrantStatus.ACTIVE)
    sync_funder_access(funder=funder)
    return dialogue, grant, pseudonyms


def test_funder_sees_activity_charts_and_tables_but_no_person_and_no_insight_pages(
    live_server, page: Page, funded, screenshot
):
    dialogue, grant, pseudonyms = funded
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "funder@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Funding").click()
    page.get_by_role("link", name="Aldmere Peace Foundation").click()
    expect(page).to_have_url(f"{base}/funding/grants/{grant.pk}/")

    activity = page.locator("#activity")
    expect(activity.get_by_role("heading", name="Activity, in aggregate")).to_be_visible()
    workshops = activity.get_by_role("figure", name="Workshops held per quarter")
    sides = activity.get_by_role("figure", name="Participants per side")
    expect(workshops.get_by_role("img", name="Workshops held per quarter")).to_be_visible()
    expect(sides.get_by_role("img", name="Participants per side")).to_be_visible()
    expect(workshops.get_by_role("table")).to_contain_text("2025 Q2")
    expect(workshops.get_by_role("row", name="2025 Q1 2")).to_be_visible()
    expect(workshops.get_by_role("row", name="2025 Q4 0")).to_be_visible()  # a quarter without a workshop
    expect(sides.get_by_role("row", name="Veloria 7")).to_be_visible()
    expect(sides.get_by_role("row", name="Observers withheld")).to_be_visible()
    expect(sides.get_by_role("row", name="Kessarine withheld")).to_be_visible()  # or Observers is 15 - 13

    main = page.locator("#main")
    for secret in (*pseudonyms, *PROXIMITY_LABELS, "Hidden Delegate", "Marrowbay", "maritime boundary"):
        expect(main).not_to_contain_text(secret)
    screenshot("insight-funder-grant-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("insight-funder-grant-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as download:
        sides.get_by_role("link", name="Download as CSV").click()
    rows = Path(download.value.path()).read_text().splitlines()
    assert rows == ["Side,Participants", "Kessarine,withheld", "Observers,withheld", "Veloria,7"]

    # The dialogue's own insight pages are its convenors' and facilitators': the ordinary missing page.
    for path in (f"/dialogues/{dialogue.pk}/insight/", "/insight/"):
        response = page.goto(f"{base}{path}")
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).not_to_contain_text("insight", ignore_case=True)
