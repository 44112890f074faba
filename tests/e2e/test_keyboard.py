"""The two main journeys with the keyboard alone, as someone who cannot use a mouse makes them: Tab and
Shift+Tab to move, Enter and Space to follow and press, typing where the focus is (and, inside a date and
time field, ArrowRight from its year on to its time). Nothing is clicked and no field is filled by its
selector: locators only say where the focus should get to, and what it should find there.

A participant, on a phone-sized screen, logs in (a wrong password first: the error summary takes the focus
and the title says "Error:") and accepts an invitation with a note; a convenor logs in with the second factor,
finds the series from the home page and schedules a workshop (an end missing first: the summary takes the
focus, its link takes them to the field). Both results are checked in the database."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus
from dialogues.models import Invitation, Workshop
from dialogues.scheduling import services as scheduling_services
from tests.accounts.helpers import fresh_totp_code
from tests.e2e.helpers import PASSWORD, SECRETS, USED_CODES, enrol
from tests.factories import (
    DialogueFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return 'the page itself';
    const label = e.labels && e.labels[0] ? e.labels[0].innerText : '';
    const name = e.getAttribute('aria-label') || label || e.innerText || '';
    return `<${e.tagName.toLowerCase()}${e.id ? ' id=' + e.id : ''}> ${name.trim().slice(0, 60)}`;
}"""


def focused(page: Page) -> str:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (Shift+Tab) until `target` has the focus, as a keyboard user moves through the page."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {target}; the focus is on {focused(page)}")


def type_into(page: Page, field: Locator, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


# The order of a date's parts and the clock (12 or 24 hours) in the browser's language, which its date and
# time inputs follow (en-US in Debian's headless Chromium: month, day, year, then hours, minutes, AM/PM).
DATE_PARTS = """() => {
    const format = new Intl.DateTimeFormat(undefined, {
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit'});
    const parts = format.formatToParts(new Date(2027, 5, 9, 9, 30)).map(part => part.type);
    return {order: parts.filter(type => ['year', 'month', 'day'].includes(type)),
            h12: format.resolvedOptions().hourCycle.startsWith('h1')};
}"""


def type_date_and_time(page: Page, when: dt.datetime) -> None:
    """Type a date and time into the datetime-local input that has the focus, part by part as a person does.
    The year takes up to six digits, so ArrowRight moves on from it; the other parts move on by themselves."""
    parts = page.evaluate(DATE_PARTS)
    for part in parts["order"]:
        page.keyboard.type(
            {"year": f"{when.year}", "month": f"{when.month:02}", "day": f"{when.day:02}"}[part]
        )
        if part == "year":
            page.keyboard.press("ArrowRight")
    if parts["h12"]:
        page.keyboard.type(f"{(when.hour % 12) or 12:02}{when.minute:02}{'PM' if when.hour >= 12 else 'AM'}")
    else:
        page.keyboard.type(f"{when.hour:02}{when.minute:02}")


@pytest.fixture
def programme():
    dialogue = DialogueFactory(codename="tidewater", title="Serran Strait maritime boundary dialogue")
    side = SideFactory(dialogue=dialogue, name="Northern coast")
    convenor = PersonFactory(pseudonym="P-1", user=UserFactory(email="convenor@example.org"))
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    enrol(convenor.user)
    participant = PersonFactory(pseudonym="P-5", user=UserFactory(email="participant@example.org"))
    services.assign_role(
        dialogue=dialogue, person=participant, role=DialogueRole.PARTICIPANT, side=side, by=None
    )
    series = SeriesFactory(dialogue=dialogue, title="Phase one: the Corvel Banks")
    workshop = WorkshopFactory(series=series, number=1, starts_at=timezone.now() + dt.timedelta(days=20))
    invitation = scheduling_services.invite(workshop=workshop, person=participant, by=None)
    return dialogue, series, invitation


def log_in_by_keyboard(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    type_into(page, page.get_by_label("E-mail address"), email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    if email in SECRETS:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        type_into(page, page.locator("input[name=code]"), fresh_totp_code(SECRETS[email], USED_CODES))
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your dialogues")).to_be_visible()


def test_a_participant_accepts_an_invitation_by_keyboard_on_a_phone(
    live_server, page: Page, programme, screenshot
):
    _, _, invitation = programme
    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/accounts/login/")

    # A wrong password: the error summary takes the focus and the title says so first.
    type_into(page, page.get_by_label("E-mail address"), "participant@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("not my password at all")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("not correct")
    expect(page).to_have_title(re.compile(r"^Error: Log in"))
    screenshot("keyboard-1-login-refused-375")
    # From the summary, Tab goes on into the form: the address was kept, the password is typed again.
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail address")).to_be_focused()
    expect(page.get_by_label("E-mail address")).to_have_value("participant@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your dialogues")).to_be_visible()
    expect(page).not_to_have_title(re.compile("Error"))

    # The workshops page, from the home page's own links (the header's are folded into its menu here).
    tab_to(page, page.get_by_role("navigation", name="Your pages").get_by_role("link", name="Your workshops"))
    page.keyboard.press("Enter")
    card = page.locator(".invitation-card", has_text="tidewater · Phase one: the Corvel Banks · workshop 1")
    type_into(page, card.get_by_label("Availability note"), "Arriving the evening before.")
    page.keyboard.press("Tab")
    accept = card.get_by_role("button", name="Accept")
    expect(accept).to_be_focused()
    page.keyboard.press("Space")
    expect(
        page.get_by_text("Thank you: you accepted tidewater · Phase one: the Corvel Banks · workshop 1.")
    ).to_be_visible()
    expect(card.get_by_role("button", name="Accept")).to_have_attribute("aria-pressed", "true")
    screenshot("keyboard-2-accepted-375")

    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.availability_note == "Arriving the evening before."


def test_a_convenor_schedules_a_workshop_by_keyboard(live_server, page: Page, programme, screenshot):
    _, series, _ = programme
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_by_keyboard(page, base, "convenor@example.org")

    # Home → the dialogue → its dashboard → the series, by links.
    tab_to(page, page.get_by_role("link", name="Serran Strait maritime boundary dialogue"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Facilitator dashboard"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Phase one: the Corvel Banks", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Schedule workshops")).to_be_visible()

    # The start only: refused, and the focus is on the summary, not at the top of the page.
    year = timezone.now().year + 1
    tab_to(page, page.get_by_label("Starts"))
    type_date_and_time(page, dt.datetime(year, 6, 9, 9, 30))
    type_into(page, page.locator("#id_venue"), "Fjordhaven Conference House, room 3")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Phase one: the Corvel Banks"))
    expect(summary.get_by_role("link", name="Ends: This field is required.")).to_be_visible()
    screenshot("keyboard-3-schedule-refused")
    # The summary's link takes the focus to the field; what was typed is still there.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="Ends: This field is required.")).to_be_focused()
    page.keyboard.press("Enter")
    ends = page.get_by_label("Ends")
    expect(ends).to_be_focused()
    expect(ends).to_have_attribute("aria-invalid", "true")
    # One Shift+Tab back: the start kept what was typed.
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_label("Starts")).to_be_focused()
    expect(page.get_by_label("Starts")).to_have_value(f"{year}-06-09T09:30")
    page.keyboard.press("Tab")
    expect(ends).to_be_focused()
    type_date_and_time(page, dt.datetime(year, 6, 10, 17, 0))
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 workshop scheduled.")).to_be_visible()
    expect(page).not_to_have_title(re.compile("Error"))
    screenshot("keyboard-4-scheduled")

    workshop = Workshop.objects.get(series=series, number=2)
    assert workshop.venue == "Fjordhaven Conference House, room 3"
    venue_clock = zoneinfo.ZoneInfo(workshop.timezone)
    assert workshop.starts_at.astimezone(venue_clock).replace(tzinfo=None) == dt.datetime(year, 6, 9, 9, 30)
    assert workshop.ends_at.astimezone(venue_clock).replace(tzinfo=None) == dt.datetime(year, 6, 10, 17, 0)
    assert not Invitation.objects.filter(workshop=workshop).exists()
