"""The agenda in time in Chromium: a convenor adds items with a day, a start time and a length, hides one
from participants, opens the run sheet; the participant sees the times without the hidden item. Screenshots
go to artifacts/screenshots/agenda-*.png."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.scheduling import services as scheduling
from tests.e2e.helpers import enrol, log_in
from tests.factories import DialogueFactory, PersonFactory, SeriesFactory, UserFactory, WorkshopFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OSLO = ZoneInfo("Europe/Oslo")


def test_a_convenor_times_the_agenda_and_prints_the_run_sheet(page, live_server, screenshot):
    dialogue = DialogueFactory(codename="tidewater")
    convenor = PersonFactory(user=UserFactory(email="convenor@example.org"))
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    participant = PersonFactory(user=UserFactory(email="participant@example.org"))
    side = dialogue.sides.create(name="Northern communities")
    services.assign_role(
        dialogue=dialogue, person=participant, role=DialogueRole.PARTICIPANT, side=side, by=None
    )
    enrol(convenor.user)
    workshop = WorkshopFactory(
        series=SeriesFactory(dialogue=dialogue, title="Phase 1"),
        starts_at=dt.datetime(2030, 3, 4, 9, 0, tzinfo=OSLO),
        ends_at=dt.datetime(2030, 3, 5, 16, 0, tzinfo=OSLO),
    )
    scheduling.invite(workshop=workshop, person=participant, by=None)
    base = live_server.url
    log_in(page, base, "convenor@example.org")
    page.goto(f"{base}/dialogues/{dialogue.pk}/workshops/{workshop.pk}/agenda/")
    for title, day, time, minutes in (
        ("Welcome and ground rules", "1", "09:00", "30"),
        ("Security huddle", "1", "09:30", "20"),
        ("Fisheries access", "1", "", "90"),
        ("Joint statement", "2", "15:00", "90"),
    ):
        page.locator("#id_title").fill(title)
        page.locator("#id_day").select_option(day)
        page.locator("#id_starts_at_time").fill(time)
        page.locator("#id_duration_minutes").fill(minutes)
        page.locator("#agenda-add").click()
        expect(page.locator("#agenda-builder")).to_contain_text(title)
    page.get_by_role("button", name="Hide “Security huddle” from participants").click()
    expect(page.get_by_role("button", name="Show “Security huddle” to participants")).to_be_visible()
    expect(page.locator("#agenda-builder")).to_contain_text("runs past the workshop's end")
    expect(page.locator("#agenda-builder")).to_contain_text("09:50\u201311:20")
    screenshot("agenda-builder")
    page.get_by_role("link", name="Run sheet (to print)").click()
    expect(page.get_by_role("heading", name="Day 2 · Tuesday 5 March")).to_be_visible()
    screenshot("agenda-run-sheet")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")
    log_in(page, base, "participant@example.org")
    page.goto(f"{base}/dialogues/{dialogue.pk}/workshops/{workshop.pk}/")
    expect(page.locator("body")).to_contain_text("Fisheries access")
    expect(page.locator("body")).not_to_contain_text("Security huddle")
    screenshot("agenda-participant")
