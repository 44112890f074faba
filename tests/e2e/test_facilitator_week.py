"""Issue 18, the facilitator's real week, in Chromium from start to end: a convenor opens a dialogue (and is
asked before concluding it), finds someone on file, records a workshop that already took place with who
attended, schedules the next one and sees that a facilitator is booked elsewhere before inviting anyone,
invites people without a login in one step (the invitation e-mail carries the link to set one up), steers the
review of the past workshop's summary (a later deadline, a reminder, closing it early with a reason),
applies a participant's correction in one step and seals the summary with a real worker.
Screenshots go to artifacts/screenshots/week-*.png."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole, DialogueStatus, SummaryStatus
from dialogues.models import Dialogue, Summary, Workshop
from dialogues.scheduling import notifications
from participants.models import Membership
from tests.e2e.helpers import enrol, log_in
from tests.factories import DialogueFactory, PersonFactory, UserFactory, WorkshopFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
PASSAGE = "The group agreed to meet again in the spring."
CORRECTION = "The group agreed to meet again before the end of the spring, in a smaller circle."


@pytest.fixture
def people():
    """Like the demo: a convenor, a facilitator who also works on a dialogue the convenor cannot see (with a
    workshop on 12-14 March 2031), two participants with a login and two without one."""
    convenor = PersonFactory(
        pseudonym="P-1", name="Maren Holtvik", user=UserFactory(email="convenor@example.org")
    )
    enrol(convenor.user)
    existing = DialogueFactory(codename="tidewater", title="Serran Strait maritime boundary dialogue")
    services.assign_role(dialogue=existing, person=convenor, role=DialogueRole.CONVENOR, by=None)
    elsewhere = DialogueFactory(codename="riverstone", title="Tamsa river basin talks")
    facilitator = PersonFactory(pseudonym="P-3", name="Idris Calloway")
    services.assign_role(dialogue=elsewhere, person=facilitator, role=DialogueRole.FACILITATOR, by=None)
    start = dt.datetime(2031, 3, 12, 9, tzinfo=OSLO)
    WorkshopFactory(series__dialogue=elsewhere, starts_at=start, ends_at=start + dt.timedelta(days=2))
    return {
        "convenor": convenor,
        "facilitator": facilitator,
        "P-5": PersonFactory(pseudonym="P-5", name="Corvin Asteli", user=UserFactory(email="p5@example.org")),
        "P-6": PersonFactory(pseudonym="P-6", name="Nadira Kessov", user=UserFactory(email="p6@example.org")),
        "P-32": PersonFactory(
            pseudonym="P-32", name="Ailsa Brennock", affiliation="Harbour Council", email=None
        ),
        "P-40": PersonFactory(pseudonym="P-40", name="Ossian Drev", email="ossian@example.org"),
    }


def _in_dialogue(person, dialogue) -> str:
    """The pseudonym the person goes by in this dialogue: a fresh random one, not the account's (0026)."""
    pseudonym = Membership.objects.get(person=person, dialogue=dialogue).pseudonym
    assert pseudonym != person.pseudonym
    return pseudonym


def _add_member(page: Page, person, dialogue, side: str, role: str = "participant") -> str:
    """Add someone on file by their account pseudonym; the page then calls them by the dialogue's."""
    page.locator("#id_pseudonym").fill(person.pseudonym)
    page.locator("#id_role").select_option(role)
    page.locator("#id_side").select_option(label=side)
    page.get_by_role("button", name="Add to dialogue").click()
    pseudonym = _in_dialogue(person, dialogue)
    expect(page.get_by_text(f"{pseudonym} is now {role} here.")).to_be_visible()
    return pseudonym


def test_a_facilitators_week(live_server, page: Page, people, screenshot, workers):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "convenor@example.org")

    # A new dialogue: the dashboard offers the next step, not "Conclude"; concluding asks first.
    page.get_by_role("link", name="Open a new dialogue").click()
    page.get_by_label("Title").fill("Ostmark isles reconciliation")
    page.get_by_label("Codename").fill("saltmarsh")
    page.get_by_label("Sides").fill("Northern isles\nSouthern isles")
    page.get_by_role("button", name="Open the dialogue").click()
    expect(page.get_by_text("saltmarsh is open, and you are its convenor.")).to_be_visible()
    dialogue = Dialogue.objects.get(codename="saltmarsh")
    page.goto(f"{base}/dialogues/{dialogue.pk}/dashboard/")
    expect(page.get_by_role("link", name=re.compile("Conclude"))).to_have_count(0)
    page.get_by_role("button", name="Start convening").click()
    page.get_by_role("link", name=re.compile("Conclude")).click()
    expect(page.get_by_role("heading", name="Conclude saltmarsh?")).to_be_visible()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    screenshot("week-01-conclude-asks-first")
    page.get_by_role("link", name="No, keep it as it is").click()
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.CONVENING

    # Members: someone on file found by part of a name, others by pseudonym; the facilitator joins the team.
    page.goto(f"{base}/dialogues/{dialogue.pk}/members/")
    page.get_by_label("Name, pseudonym or affiliation").fill("brenn")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Add to this dialogue (P-32)").click()
    expect(page.locator("#id_pseudonym")).to_have_value("P-32")
    page.locator("#id_role").select_option("participant")
    page.locator("#id_side").select_option(label="Southern isles")
    page.get_by_role("button", name="Add to dialogue").click()
    called = {"P-32": _in_dialogue(people["P-32"], dialogue)}
    expect(page.get_by_text(f"{called['P-32']} is now participant here.")).to_be_visible()
    for pseudonym, side in (("P-5", "Northern isles"), ("P-6", "Southern isles"), ("P-40", "Northern isles")):
        called[pseudonym] = _add_member(page, people[pseudonym], dialogue, side)
    services.assign_role(
        dialogue=dialogue, person=people["facilitator"], role=DialogueRole.FACILITATOR, by=None
    )

    # A series, and the workshop the dialogue held last month, before it used Trackii, with who attended.
    page.goto(f"{base}/dialogues/{dialogue.pk}/dashboard/")
    page.get_by_role("link", name="New workshop series").click()
    page.get_by_label("Title").fill("Phase 1: listening")
    page.get_by_role("button", name="Create the series").click()
    last_month = (timezone.now() - dt.timedelta(days=30)).strftime("%Y-%m-%d")
    page.get_by_label("Starts").fill(f"{last_month}T09:00")
    page.get_by_label("Ends").fill(f"{last_month}T17:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator("#id_starts_at_error")).to_contain_text("This date is in the past.")
    page.get_by_label("This workshop already took place").check()
    for name, pseudonym in (("Corvin Asteli", "P-5"), ("Nadira Kessov", "P-6"), ("Ailsa Brennock", "P-32")):
        page.get_by_label(re.compile(re.escape(f"{name} ({called[pseudonym]})"))).check()
    screenshot("week-02-record-a-past-workshop")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Workshop 1 is recorded as held, with 3 attending.")).to_be_visible()
    held = Workshop.objects.get(series__dialogue=dialogue, number=1)
    assert not mail.outbox  # nobody is e-mailed about a workshop that is over

    # The next workshop, on days the facilitator is booked at another dialogue's workshop: the invitations
    # page says so before anyone is invited, without naming that dialogue.
    page.goto(f"{base}/dialogues/{dialogue.pk}/series/{held.series_id}/")
    page.get_by_label("Starts").fill("2031-03-13T09:00")
    page.get_by_label("Ends").fill("2031-03-13T17:00")
    page.get_by_label("Venue's time zone").select_option("Europe/Oslo")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("1 workshop scheduled.")).to_be_visible()
    upcoming = Workshop.objects.get(series__dialogue=dialogue, number=2)
    page.goto(f"{base}/dialogues/{dialogue.pk}/workshops/{upcoming.pk}/invitations/")
    # The facilitation team have no pseudonym in the dialogue: the clash names them (decision 0026).
    booked = "Idris Calloway (facilitation team) is booked at another workshop on"
    expect(page.get_by_text(booked)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("riverstone")
    for person in people.values():
        expect(page.locator("main")).not_to_contain_text(f"({person.pseudonym})")
    screenshot("week-03-clash-before-inviting")

    # Inviting someone without a login is one step: the invitation e-mail carries the link to set one up.
    page.get_by_label(re.compile(re.escape(f"Ossian Drev ({called['P-40']})"))).check()
    page.get_by_label(re.compile(re.escape(f"Corvin Asteli ({called['P-5']})"))).check()
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("2 people invited")).to_be_visible()
    notifications.deliver_notifications(now=timezone.now() + dt.timedelta(minutes=15))
    (theirs,) = [message for message in mail.outbox if message.to == ["ossian@example.org"]]
    assert theirs.subject == "saltmarsh · series 1 · workshop 2: invitation"
    assert "set one up with this link" in theirs.body and f"{base}/" in theirs.body
    assert "Ossian" not in theirs.body and "Ostmark" not in theirs.body and "Phase 1" not in theirs.body
    mail.outbox.clear()

    # The summary of the held workshop goes to review.
    page.goto(f"{base}/dialogues/{dialogue.pk}/workshops/{held.pk}/")
    page.get_by_role("button", name="Write the summary").click()
    page.get_by_label("The summary, in Markdown").fill(
        f"## What we heard\n\nEach side described the ferry routes it depends on. {PASSAGE}\n"
    )
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Open the review").click()
    expect(page.get_by_role("heading", name="Review round")).to_be_visible()
    summary_url = page.url.split("#")[0]
    summary = Summary.objects.get(workshop=held)
    notifications.deliver_notifications(now=timezone.now() + dt.timedelta(minutes=15))
    assert len(mail.outbox) == 2  # the two attendees with a login are asked; the one without cannot review
    mail.outbox.clear()

    # One participant proposes a correction of an exact passage.
    log_in(page, base, "p5@example.org")
    page.goto(summary_url)
    page.get_by_role("textbox", name="Your comment").fill(
        "We said before the end of the spring, and fewer people."
    )
    page.get_by_label("Passage it replaces (optional)").fill(PASSAGE)
    page.get_by_label("Suggested correction (optional)").fill(CORRECTION)
    page.get_by_role("button", name="Send the comment").click()
    expect(page.get_by_text("We said before the end of the spring")).to_be_visible()

    # The convenor steers: sees who has responded, gives more time, reminds, accepts the correction and
    # closes the review early with a reason.
    log_in(page, base, "convenor@example.org")
    page.goto(summary_url)
    reviewers = page.locator("table.reviewers")
    expect(reviewers.locator("tr", has_text=called["P-5"])).to_contain_text("Responded")
    expect(reviewers.locator("tr", has_text=called["P-6"])).to_contain_text("Not yet")
    expect(reviewers.locator("tr", has_text=called["P-32"])).to_contain_text("Cannot respond in Trackii")
    later = (summary.review_deadline + dt.timedelta(days=7)).astimezone(dt.UTC)
    page.get_by_label("New deadline").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Extend the deadline").click()
    expect(page.get_by_text("The review is now open until")).to_be_visible()
    page.get_by_role("button", name="Send a reminder").click()
    expect(page.get_by_text("A reminder goes to 1 reviewer who has not responded yet")).to_be_visible()
    expect(page.get_by_text("The next reminder can go from")).to_be_visible()
    notifications.deliver_notifications(now=timezone.now() + dt.timedelta(minutes=15))
    assert [message.to for message in mail.outbox] == [[people["P-6"].email]]
    screenshot("week-04-steering-the-review")
    page.get_by_role("button", name="Accept", exact=True).click()
    page.get_by_label("Why close the review now").fill("The next workshop needs this summary sealed first.")
    page.get_by_role("button", name="Close the review now").click()
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT and summary.review_closed_early_at is not None

    # The accepted correction goes into the draft in one step; then the summary is sealed, after asking.
    page.get_by_role("button", name="Apply to the draft").click()
    applied = f"{called['P-5']}'s correction is applied to the draft and saved."
    expect(page.get_by_text(applied)).to_be_visible()
    expect(page.get_by_label("The summary, in Markdown")).to_have_value(re.compile(re.escape(CORRECTION)))
    screenshot("week-05-correction-applied")
    workers()
    page.get_by_role("button", name="Seal this summary").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    screenshot("week-06-seal-asks-first")
    page.get_by_role("button", name="Yes, seal this summary").click()
    expect(page.locator("#seal-status")).to_contain_text("Sealed.", timeout=90_000)
    screenshot("week-07-sealed")
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SEALED and CORRECTION in summary.body
