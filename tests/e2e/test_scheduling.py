"""The facilitator's journey in Chromium: open a dialogue with two sides, schedule a series of three
workshops by recurrence, build an agenda, invite both sides; a participant accepts from their own page; the
facilitator marks attendance. Screenshots go to artifacts/screenshots/scheduling-*.png."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.models import Workshop
from participants.models import Membership
from tests.e2e.helpers import enrol, log_in
from tests.factories import DialogueFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    """Like the demo: a convenor of an existing dialogue of the Halden Centre, and a participant on file."""
    existing = DialogueFactory(codename="tidewater", title="Serran Strait maritime boundary dialogue")
    convenor = PersonFactory(
        pseudonym="P-1", name="Maren Holtvik", user=UserFactory(email="convenor@example.org")
    )
    services.assign_role(dialogue=existing, person=convenor, role=DialogueRole.CONVENOR, by=None)
    participant = PersonFactory(
        pseudonym="P-5", name="Corvin Asteli", user=UserFactory(email="participant@example.org")
    )
    PersonFactory(pseudonym="P-32", name="Ailsa Brennock", email="ailsa@example.org")
    # A convenor must use a second factor; the participant may but need not.
    enrol(convenor.user)
    return convenor, participant


def _add_member(page: Page, pseudonym: str, side: str) -> str:
    """Add someone on file by their account pseudonym; the dialogue then calls them by its own (decision
    0026), which is returned."""
    page.locator("#id_pseudonym").fill(pseudonym)
    page.locator("#id_role").select_option("participant")
    page.locator("#id_side").select_option(label=side)
    page.get_by_role("button", name="Add to dialogue").click()
    in_here = Membership.objects.get(person__pseudonym=pseudonym, dialogue__codename="saltmarsh").pseudonym
    assert in_here != pseudonym
    expect(page.get_by_text(f"{in_here} is now participant here.")).to_be_visible()
    return in_here


def test_facilitator_schedules_a_series_invites_both_sides_and_marks_attendance(
    live_server, page: Page, people, screenshot
):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "convenor@example.org")

    # A new dialogue with two sides: a mistake first, kept input and a clear error.
    page.get_by_role("link", name="Open a new dialogue").click()
    page.get_by_label("Title").fill("Ostmark isles reconciliation")
    page.get_by_label("Codename").fill("saltmarsh")
    page.get_by_label("Sides").fill("Northern isles")
    page.get_by_role("button", name="Open the dialogue").click()
    expect(page.get_by_text("Name at least two sides, one per line.", exact=True)).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Ostmark isles reconciliation")
    screenshot("scheduling-01-new-dialogue-error")
    page.get_by_label("Sides").fill("Northern isles\nSouthern isles")
    page.get_by_role("button", name="Open the dialogue").click()
    expect(page.get_by_text("saltmarsh is open, and you are its convenor.")).to_be_visible()

    # Members on both sides.
    page.get_by_role("link", name="Members").click()
    p5 = _add_member(page, "P-5", "Northern isles")
    p32 = _add_member(page, "P-32", "Southern isles")
    page.get_by_role("link", name="saltmarsh").click()
    page.get_by_role("link", name="Facilitator dashboard").click()

    # A series of three workshops: the second Tuesday of every quarter, 09:30 on the venue's clock.
    page.get_by_role("link", name="New workshop series").click()
    page.get_by_label("Title").fill("Phase 1: listening")
    page.get_by_role("button", name="Create the series").click()
    year = timezone.now().year + 1
    page.get_by_label("Starts").fill(f"{year}-03-09T09:30")  # 9 March: a Tuesday in 2027 and 2032
    page.get_by_label("Ends").fill(f"{year}-03-10T17:00")
    page.get_by_label("Venue's time zone").select_option("Europe/Oslo")
    page.locator("#id_venue").fill("Fjordhaven Conference House, room 3")
    page.get_by_label("Every N months, on the same weekday").check()
    page.locator("#id_interval").fill("3")
    page.get_by_label("How many workshops").fill("3")
    screenshot("scheduling-02-schedule-form")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("3 workshops scheduled.")).to_be_visible()
    expect(page.locator("table tbody tr")).to_have_count(3)
    screenshot("scheduling-03-series")

    # The agenda of the first workshop, reordered in place (htmx).
    page.get_by_role("link", name="Agenda").first.click()
    for title, minutes in (
        ("Welcome and ground rules", "45"),
        ("Fishing grounds", "120"),
        ("Team debrief", "30"),
    ):
        page.get_by_label("Title").fill(title)
        page.get_by_label("Minutes").fill(minutes)
        page.get_by_role("button", name="Add to the agenda").click()
        expect(page.locator(".agenda-item", has_text=title)).to_be_visible()
    # An item without a title comes back in place, its error summary focused (htmx swapped it in).
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Title: This field is required.")
    page.get_by_role("button", name="Move “Team debrief” up").click()
    expect(page.locator(".agenda-item").nth(1)).to_contain_text("Team debrief")
    # The same button still has the focus after the builder was swapped.
    expect(page.get_by_role("button", name="Move “Team debrief” up")).to_be_focused()
    page.get_by_role("button", name="Hide “Team debrief” from participants").click()
    expect(page.locator(".agenda-item", has_text="Team debrief")).to_contain_text("Facilitators only")
    expect(page).to_have_url(re.compile(r"/agenda/$"))  # edited in place, no page loads
    screenshot("scheduling-04-agenda")

    # Invitations: all of one side, and a person picked from the other.
    page.get_by_role("link", name="workshop 1").click()
    page.get_by_role("link", name="Invitations and attendance").click()
    expect(page.get_by_text("Nobody from Northern isles is invited.")).to_be_visible()
    page.get_by_label("Invite everyone of a side").select_option(label="Northern isles")
    page.get_by_label(re.compile("Ailsa Brennock")).check()
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("2 people invited")).to_be_visible()
    expect(page.get_by_text("Nobody from Northern isles has accepted yet (1 invited).")).to_be_visible()
    screenshot("scheduling-05-invitations")

    # The participant accepts in one click from their own page.
    log_in(page, base, "participant@example.org")
    page.get_by_role("link", name="Your workshops").first.click()
    card = page.locator(".invitation-card", has_text="saltmarsh · Phase 1: listening · workshop 1")
    expect(card).to_contain_text("Fishing grounds")
    expect(card).not_to_contain_text("Team debrief")
    card.get_by_label("Availability note").fill("Arriving on the evening before.")
    card.get_by_role("button", name="Accept").click()
    expect(
        page.get_by_text("Thank you: you accepted saltmarsh · Phase 1: listening · workshop 1.")
    ).to_be_visible()
    screenshot("scheduling-06-participant")

    # After the workshop, the facilitator marks attendance.
    first = Workshop.objects.get(series__dialogue__codename="saltmarsh", number=1)
    now = timezone.now()
    Workshop.objects.filter(pk=first.pk).update(
        starts_at=now - dt.timedelta(days=2), ends_at=now - dt.timedelta(days=1)
    )
    log_in(page, base, "convenor@example.org")
    page.goto(f"{base}/dialogues/{first.series.dialogue_id}/workshops/{first.pk}/invitations/")
    expect(page.get_by_text("Arriving on the evening before.")).to_be_visible()
    page.get_by_role("button", name=f"{p5} attended").click()
    expect(page.get_by_text(f"{p5}: Marked as attended.")).to_be_visible()
    page.get_by_role("button", name=f"{p32} was absent").click()
    expect(page.locator("#main tbody")).to_contain_text("Attended")
    expect(page.locator("#main tbody")).to_contain_text("Absent")
    screenshot("scheduling-07-attendance")

    page.get_by_role("link", name="saltmarsh").click()  # the breadcrumb leads to the dashboard
    expect(page.get_by_role("heading", name="Next workshops")).to_be_visible()
    screenshot("scheduling-08-dashboard")
    page.goto(f"{base}/calendar/?month={year}-06")
    second = page.locator(".calendar-event", has_text="saltmarsh · Phase 1: listening · workshop 2")
    expect(second.first).to_be_visible()
    screenshot("scheduling-09-calendar")
