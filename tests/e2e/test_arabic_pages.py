"""The dashboard and the calendar in Arabic on a phone (375 px) and a desktop (1280 px), in Chromium: the page
runs right to left, nothing spills sideways, codenames stay whole. Screenshots go to $SHOTS_DIR (default
artifacts/screenshots/) as ar-*.png for a person to look at (issue 22)."""

import datetime as dt
import os
import zoneinfo
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.scheduling import services as scheduling_services
from tests.e2e.helpers import enrol, log_in
from tests.factories import (
    DialogueFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
SHOTS = Path(os.environ.get("SHOTS_DIR", Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"))


def _shoot(page: Page, name: str) -> None:
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    _no_sideways_scroll(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


def test_dashboard_and_calendar_in_arabic_on_a_phone_and_a_desktop(live_server, page: Page):
    dialogue = DialogueFactory(codename="tidewater", title="حوار مضيق سيران البحري")
    north = SideFactory(dialogue=dialogue, name="الشمال")
    SideFactory(dialogue=dialogue, name="الجنوب")
    convenor = PersonFactory(pseudonym="P-1", user=UserFactory(email="convenor@example.org"))
    enrol(convenor.user)
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    participant = PersonFactory(pseudonym="P-7", user=UserFactory(email="participant@example.org"))
    services.assign_role(
        dialogue=dialogue, person=participant, role=DialogueRole.PARTICIPANT, side=north, by=None
    )
    series = SeriesFactory(dialogue=dialogue, title="المرحلة 2: مصايد الأسماك")
    starts = dt.datetime(2027, 3, 10, 9, 0, tzinfo=OSLO)
    for n in range(2):
        workshop = WorkshopFactory(
            series=series,
            starts_at=starts + dt.timedelta(days=7 * n),
            ends_at=starts + dt.timedelta(days=7 * n, hours=8),
        )
        scheduling_services.invite_people(workshop=workshop, people=[participant], by=None)
    base = live_server.url

    log_in(page, base, "convenor@example.org")
    page.set_extra_http_headers({"Accept-Language": "ar"})
    for width, height in ((375, 812), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}/dialogues/{dialogue.pk}/dashboard/")
        expect(page.get_by_role("heading", name="ورش العمل القادمة")).to_be_visible()
        expect(page.locator("bdi", has_text="tidewater").first).to_be_visible()
        _shoot(page, f"ar-dashboard-{width}")

    page.set_extra_http_headers({})  # the login page in English, as tests.e2e.helpers.log_in reads it
    log_in(page, base, "participant@example.org")
    page.set_extra_http_headers({"Accept-Language": "ar"})
    for width, height in ((375, 812), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}/calendar/?month=2027-03")
        expect(page.get_by_role("heading", name="مارس 2027")).to_be_visible()
        _shoot(page, f"ar-calendar-{width}")
