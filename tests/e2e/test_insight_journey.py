"""A convenor walks through programme insight in Chromium (issue 21): from the dashboard of tidewater to its
insight hub, the composition (a plain-language reading and a chart's numbers), continuity (the former official
who stopped coming, by pseudonym), a ripeness entry added through the form, an outcome and its next stage
recorded through the outcome pages with a carrier chosen by pseudonym (the transfer funnel counts it), the
programme-wide page from home (the "usual suspects" share over both dialogues) and one CSV; then a participant
of tidewater gets the ordinary missing page for the hub. No participant's name reaches any of these pages.
Screenshots at 1280 and 375 px go to artifacts/screenshots/insight-journey-*.png."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole, OutcomeKind
from dialogues.outcomes import services as outcomes
from dialogues.scheduling.services.attendance import mark_workshop_held
from participants.enums import Proximity
from participants.models import Membership
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

P = Proximity
# Tidewater's participants: pseudonym, name (which must never reach an insight page), side, proximity.
TIDEWATER = (
    ("P-11", "Ottilie Brandvold", "Veloria", P.SERVING_OFFICIAL),
    ("P-12", "Casimir Lindqvist", "Veloria", P.SERVING_OFFICIAL),
    ("P-13", "Severin Aaltonen", "Veloria", P.FORMER_OFFICIAL),  # stops attending after workshop 2
    ("P-14", "Amira Haddad", "Veloria", P.CIVIL_SOCIETY),  # logs in at the end: no insight for her
    ("P-21", "Teodor Vasquez", "Kessarine", P.ACADEMIC),
    ("P-22", "Liesel Marchetti", "Kessarine", P.JOURNALIST),
    ("P-23", "Bartholomew Okonkwo", "Kessarine", P.SERVING_OFFICIAL),  # in both dialogues: the usual suspect
)
# Lanternfield's: P-23 again, on East, and three others.
LANTERNFIELD = (
    ("P-23", "Bartholomew Okonkwo", "East", P.SERVING_OFFICIAL),
    ("P-31", "Ingeborg Rasmussen", "East", P.CIVIL_SOCIETY),
    ("P-32", "Dmitri Halloran", "West", P.INDEPENDENT_EXPERT),
    ("P-33", "Rosalind Achterberg", "West", P.FORMER_OFFICIAL),
)
CONVENOR_NAME = "Maren Holtvik"
NAMES = tuple(name for _, name, _, _ in TIDEWATER + LANTERNFIELD)


def _held(series, number: int, days_ago: int, attended, by):
    starts = timezone.now() - dt.timedelta(days=days_ago)
    workshop = WorkshopFactory(
        series=series, number=number, starts_at=starts, ends_at=starts + dt.timedelta(days=1)
    )
    return mark_workshop_held(workshop=workshop, attended=attended, by=by)


@pytest.fixture
def programme():
    """Two dialogues convened by P-1: tidewater (Veloria and Kessarine, three workshops held, P-13 dropping
    away after the second) and lanternfield (one workshop held); P-23 sits in both and has attended all four.
    Tidewater has one outcome already, an idea raised."""
    convenor = PersonFactory(
        pseudonym="P-1", name=CONVENOR_NAME, user=UserFactory(email="convenor@example.org")
    )
    enrol(convenor.user)
    people = {}

    def dialogue_with(codename, title, roster):
        dialogue = DialogueFactory(codename=codename, title=title)
        services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
        sides = {}
        for pseudonym, name, side, proximity in roster:
            if side not in sides:
                sides[side] = SideFactory(dialogue=dialogue, name=side)
            if pseudonym not in people:
                user = UserFactory(email="participant@example.org") if pseudonym == "P-14" else None
                people[pseudonym] = PersonFactory(
                    pseudonym=pseudonym, name=name, proximity=proximity, user=user
                )
            services.assign_role(
                dialogue=dialogue,
                person=people[pseudonym],
                role=DialogueRole.PARTICIPANT,
                side=sides[side],
                by=None,
            )
        return dialogue

    tidewater = dialogue_with("tidewater", "Serran Strait maritime boundary dialogue", TIDEWATER)
    lanternfield = dialogue_with("lanternfield", "Upper Aldmere water-sharing dialogue", LANTERNFIELD)
    by = convenor.user
    everyone = [people[p] for p, *_ in TIDEWATER]
    series = SeriesFactory(dialogue=tidewater, title="Phase 1: listening")
    _held(series, 1, 150, everyone, by)
    _held(series, 2, 90, everyone, by)
    _held(series, 3, 30, [p for p in everyone if p.pseudonym != "P-13"], by)
    _held(
        SeriesFactory(dialogue=lanternfield, title="Basin commission track"),
        1,
        60,
        [people[p] for p in ("P-23", "P-31", "P-32", "P-33")],
        by,
    )
    outcomes.record_outcome(
        dialogue=tidewater,
        kind=OutcomeKind.NEW_CHANNEL,
        title="A hotline between the coastguards",
        by=by,
        reached_on=timezone.localdate() - dt.timedelta(days=80),
    )
    return tidewater, lanternfield


def _no_names(page: Page) -> None:
    html = page.content()
    leaked = [name for name in NAMES for part in name.split() if part in html]
    assert not leaked, f"{page.url} shows {leaked}"


def _shoot(page: Page, screenshot, name: str, widths: dict) -> None:
    """The page at 1280 and at 375 px, and how wide it is at 375 (wider means it scrolls sideways)."""
    screenshot(f"insight-journey-{name}-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(f"insight-journey-{name}-375")
    widths[name] = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_convenor_walks_through_insight_and_a_participant_gets_none(
    live_server, page: Page, programme, screenshot
):
    tidewater, _ = programme
    # Tidewater's pages call people by their pseudonyms there, not by their account's (decision 0026).
    p13, p23 = (
        Membership.objects.get(person__pseudonym=account, dialogue=tidewater).pseudonym
        for account in ("P-13", "P-23")
    )
    base = live_server.url
    widths: dict[str, int] = {}
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "convenor@example.org")

    # From home to the hub, by links: the dialogue, its dashboard, its insight.
    page.get_by_role("link", name="Serran Strait maritime boundary dialogue").click()
    page.get_by_role("link", name="Facilitator dashboard").click()
    page.get_by_role("link", name="Open the insight pages").click()
    expect(page).to_have_url(f"{base}/dialogues/{tidewater.pk}/insight/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Insight")
    _no_names(page)
    _shoot(page, screenshot, "hub", widths)

    # Composition: the readings in plain words, and the balance chart's table.
    page.get_by_role("link", name="Composition", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Composition")
    readings = page.locator(".insight-readings")
    expect(readings).to_contain_text(
        "Serving officials hold most of Veloria's seats: 6 of 11 across 3 workshops."
    )
    expect(readings).to_contain_text(
        "Kessarine has had no former officials or people close to government at any workshop."
    )
    expect(readings).to_contain_text("The sides were in balance at every workshop held")
    balance = page.get_by_role("figure", name="Seats per side at each workshop")
    expect(balance.get_by_role("img", name="Seats per side at each workshop")).to_be_visible()
    # Columns: workshop, Kessarine, Veloria (the sides by name).
    expect(balance.get_by_role("row", name="Workshop 1 3 4", exact=True)).to_be_visible()
    expect(balance.get_by_role("row", name="Workshop 3 3 3", exact=True)).to_be_visible()
    veloria = page.get_by_role("figure", name="Veloria: attended seats by proximity to officialdom")
    expect(veloria.get_by_role("row", name=re.compile(r"^Workshop 3 2 0 "))).to_be_visible()  # P-13 gone
    _no_names(page)
    _shoot(page, screenshot, "composition", widths)

    # Continuity: P-13 dropped away after workshop 2, in the reading and the table.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="insight").click()
    page.get_by_role("link", name="Continuity", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Continuity")
    expect(page.get_by_text(f"{p13} has not attended since W2.")).to_be_visible()
    workshops = page.get_by_role("table", name="Each held workshop and the ones before it")
    latest = workshops.get_by_role("row").filter(has_text="workshop 3")
    expect(latest.get_by_role("cell").last).to_have_text(p13)
    lapsed = page.get_by_role("table", name="Last attended")
    expect(lapsed.get_by_role("row", name=re.compile(rf"workshop 2 \(W2\) {p13}$"))).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(re.compile(r"P-13\b"))
    _no_names(page)
    _shoot(page, screenshot, "continuity", widths)

    # The workshops table as CSV: the download is the table, P-13 dropped at workshop 3.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table as CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0] == [
        "Workshop",
        "Short",
        "Held on",
        "Attendees",
        "At the previous one",
        "Newcomers",
        "Dropped away",
    ]
    assert [row[1:2] + row[3:] for row in rows[1:]] == [
        ["W1", "7", "", "7", ""],
        ["W2", "7", "7", "0", ""],
        ["W3", "6", "6", "0", p13],
    ]
    assert not any(part in " ".join(map(str, rows)) for name in NAMES for part in name.split())

    # The ripeness log: an entry through the form, then in the log and the timeline's table.
    page.go_back()
    page.get_by_role("link", name="Ripeness log", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ripeness log")
    day = timezone.localdate() - dt.timedelta(days=45)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("What happened").select_option(label="Ceasefire")
    page.get_by_label("In your words").fill("A ceasefire along the strait holds after the second workshop.")
    page.get_by_role("button", name="Add to the log").click()
    expect(page.get_by_text("Entry added to the ripeness log.")).to_be_visible()
    entries = page.get_by_role("table", name=re.compile("The ripeness log of tidewater"))
    expect(entries.get_by_role("row").filter(has_text="Ceasefire")).to_contain_text(
        "A ceasefire along the strait"
    )
    timeline = page.get_by_role("figure", name="The series beside the official process")
    expect(timeline.get_by_role("row").filter(has_text="Official process")).to_contain_text("Ceasefire")
    expect(timeline.get_by_role("row").filter(has_text="Workshops")).to_have_count(3)
    expect(timeline).to_contain_text("Latest in the official process: ceasefire")
    _no_names(page)
    _shoot(page, screenshot, "ripeness", widths)

    # The transfer pipeline before: one outcome, an idea raised.
    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Transfers", exact=True).click()
    funnel = page.get_by_role("figure", name="How far outcomes travelled")
    expect(funnel.get_by_role("row", name="Idea raised 1", exact=True)).to_be_visible()
    expect(funnel.get_by_role("row", name="Written up 0", exact=True)).to_be_visible()

    # An outcome through the outcome pages, and its next stage carried by P-23.
    page.get_by_role("link", name="See every outcome").click()
    page.get_by_role("link", name="Record an outcome").click()
    page.get_by_label("Title").fill("Joint fisheries data working group")
    page.get_by_label("Kind").select_option(label="New option for settlement")
    page.get_by_label("Raised at").select_option(index=3)
    page.get_by_label("Raised on").fill((timezone.localdate() - dt.timedelta(days=29)).isoformat())
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("The outcome was recorded as an idea raised.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Record the next stage: written up")).to_be_visible()
    carriers = page.locator("#field-carriers")
    expect(carriers).not_to_contain_text("Bartholomew")
    carriers.get_by_label(p23, exact=True).check()
    page.get_by_label("Channel").fill("briefing paper to both ministries")
    page.get_by_role("button", name="Record “written up”").click()
    expect(page.get_by_text(re.compile(r"^Recorded: written up on"))).to_be_visible()
    expect(page.locator(".outcome-steps")).to_contain_text(f"Carried by: {p23}")
    _no_names(page)

    # The funnel counts it, and the steps table names its carrier by pseudonym.
    page.get_by_role("link", name="All outcomes as a funnel").click()
    funnel = page.get_by_role("figure", name="How far outcomes travelled")
    expect(funnel.get_by_role("row", name="Idea raised 2", exact=True)).to_be_visible()
    expect(funnel.get_by_role("row", name="Written up 1", exact=True)).to_be_visible()
    expect(funnel.get_by_role("row", name="Shared with officials 0", exact=True)).to_be_visible()
    steps = page.get_by_role("table", name="Every stage recorded, outcome by outcome")
    expect(steps.get_by_role("row").filter(has_text="Written up")).to_contain_text(p23)
    _no_names(page)
    _shoot(page, screenshot, "transfers", widths)

    # The programme page, from home: over both dialogues, P-23 is the most frequent 10 %.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Your dialogues").click()
    page.get_by_role("navigation", name="Your pages").get_by_role("link", name="Programme insight").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme insight")
    expect(page.get_by_text("Counted over the 2 dialogues you convene or facilitate")).to_be_visible()
    suspects = page.get_by_role("figure", name=re.compile("Usual suspects"))
    expect(suspects).to_contain_text("the most frequent 1 of 10 people held 4 of 24 attended seats (17 %)")
    expect(suspects.get_by_role("row", name=re.compile(r"^All time 10 24 1 4 16\.7$"))).to_be_visible()
    _no_names(page)
    _shoot(page, screenshot, "programme", widths)

    # A participant of tidewater: the hub is the ordinary missing page, and home offers no insight.
    log_in(page, base, "participant@example.org")
    expect(page.get_by_role("link", name="Programme insight")).to_have_count(0)
    response = page.goto(f"{base}/dialogues/{tidewater.pk}/insight/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("insight", ignore_case=True)

    # No insight page scrolls sideways on a phone: wide charts and tables scroll inside their own boxes.
    assert all(width <= 375 for width in widths.values()), widths
