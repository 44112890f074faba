"""The summary journey in Chromium: the rapporteur drafts with the live preview, the attribution check flags
a participant's name, the draft goes to review, a participant comments on a section and another signs off,
the convenor takes the comment in and seals (a real Celery worker renders and signs while the page shows
progress), and the participant confirms the ground rules and downloads their own copy, which verifies.
Screenshots go to artifacts/screenshots/summaries-*.png, the copy to artifacts/screenshots/summaries-copy.pdf.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus, WorkshopStatus
from dialogues.models import Invitation, SummaryCopy, Workshop
from dialogues.scheduling import services as scheduling_services
from participants.models import Membership
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import enrol, log_in
from tests.factories import AgendaItemFactory, DialogueFactory, PersonFactory, SideFactory, UserFactory
from trackii.sealing.verify import verify_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workshop():
    """Like the demo: tidewater's second workshop is over; two participants attended, one declined."""
    dialogue = DialogueFactory(codename="tidewater", title="Serran Strait maritime boundary dialogue")
    veloria, kessarine = (
        SideFactory(dialogue=dialogue, name="Veloria"),
        SideFactory(dialogue=dialogue, name="Kessarine"),
    )
    for pseudonym, name, email, role in (
        ("P-1", "Maren Holtvik", "convenor@example.org", DialogueRole.CONVENOR),
        ("P-3", "Ilse Varga", "rapporteur@example.org", DialogueRole.RAPPORTEUR),
    ):
        person = PersonFactory(pseudonym=pseudonym, name=name, user=UserFactory(email=email))
        services.assign_role(dialogue=dialogue, person=person, role=role, by=None)
        enrol(person.user)
    series = scheduling_services.create_series(dialogue=dialogue, title="Phase 1", by=None)
    now = timezone.now()
    workshop = scheduling_services.schedule_workshop(
        series=series,
        starts_at=now + dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=2),
        timezone_name="Europe/Oslo",
        title="A hotline between coast guards",
        venue="Fjordhaven Conference House",
        by=None,
    )
    AgendaItemFactory(workshop=workshop, position=1, title="How a hotline would work")
    AgendaItemFactory(workshop=workshop, position=2, title="Next steps")
    for pseudonym, name, email, side, status in (
        ("P-5", "Corvin Asteli", "participant@example.org", veloria, InvitationStatus.ATTENDED),
        ("P-6", "Nadira Kessov", "participant2@example.org", kessarine, InvitationStatus.ATTENDED),
        ("P-7", "Oskar Lind", "participant3@example.org", kessarine, InvitationStatus.DECLINED),
    ):
        person = PersonFactory(pseudonym=pseudonym, name=name, user=UserFactory(email=email))
        services.assign_role(
            dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
        )
        scheduling_services.invite(workshop=workshop, person=person, by=None)
        Invitation.objects.filter(workshop=workshop, person=person).update(status=status)
    # The workshop took place last week.
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=now - dt.timedelta(days=8), ends_at=now - dt.timedelta(days=7), status=WorkshopStatus.HELD
    )
    return workshop


def test_rapporteur_drafts_participants_review_convenor_seals_participant_downloads(
    live_server, page: Page, workshop, screenshot, workers, tmp_path
):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    workshop_url = f"{base}/dialogues/{workshop.series.dialogue_id}/workshops/{workshop.pk}/"

    # The rapporteur drafts; the live preview renders the Markdown; the check flags a participant's name.
    log_in(page, base, "rapporteur@example.org")
    page.goto(workshop_url)
    page.get_by_role("button", name="Write the summary").click()
    editor = page.get_by_label("The summary, in Markdown")
    expect(editor).to_have_value(re.compile("## How a hotline would work"))
    editor.fill(
        "## How a hotline would work\n\nCorvin Asteli walked through an incident hour by hour; the group "
        "found three points where a call would have helped.\n\n"
        "## Next steps\n\n- A short paper on a hotline\n"
    )
    expect(page.locator("#summary-preview li").first).to_contain_text("A short paper", timeout=10_000)
    page.get_by_role("button", name="Save the draft").click()
    guard = page.locator("#attribution")
    expect(guard).to_contain_text("Corvin Asteli")
    screenshot("summaries-01-guard-flags-a-name")
    page.get_by_role("button", name="Open the review").click()
    expect(page.get_by_text("names people or organisations of this dialogue")).to_be_visible()

    # The rapporteur takes the name out; the check is clean and the review opens.
    page.get_by_label("The summary, in Markdown").fill(
        "## How a hotline would work\n\nOne participant walked through an incident hour by hour; the group "
        "found three points where a call would have helped.\n\n"
        "## Next steps\n\n- A short paper on a hotline\n"
    )
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#attribution")).not_to_contain_text("Corvin Asteli")
    page.get_by_role("button", name="Open the review").click()
    expect(page.get_by_role("heading", name="Review round")).to_be_visible()
    screenshot("summaries-02-review-open")
    summary_url = page.url.split("#")[0]

    # A participant who attended comments on a section with a suggested correction.
    log_in(page, base, "participant@example.org")
    page.goto(f"{base}/summaries/")
    expect(page.get_by_role("heading", name="Drafts waiting for your comments")).to_be_visible()
    page.goto(summary_url)
    page.get_by_label("Section").select_option("Next steps")
    comment = "We also agreed who drafts the paper: the facilitators."
    page.get_by_role("textbox", name="Your comment").fill(comment)
    correction = "- A short paper on a hotline, drafted by the facilitators"
    page.get_by_label("Suggested correction (optional)").fill(correction)
    page.get_by_role("button", name="Send the comment").click()
    expect(page.get_by_text("We also agreed who drafts the paper")).to_be_visible()
    screenshot("summaries-03-participant-comments")
    # The other attendee has nothing to add; the one who declined never sees the draft.
    log_in(page, base, "participant2@example.org")
    page.goto(summary_url)
    page.get_by_role("button", name=re.compile("I have no")).click()
    log_in(page, base, "participant3@example.org")
    assert page.goto(summary_url).status == 404

    # The convenor accepts the correction, closes the review and seals; a real worker does the sealing.
    workers()
    log_in(page, base, "convenor@example.org")
    page.goto(summary_url)
    page.get_by_role("button", name="Accept", exact=True).click()
    page.get_by_role("button", name="Close the review").click()
    editor = page.get_by_label("The summary, in Markdown")
    editor.fill(editor.input_value().replace("a hotline\n", "a hotline, drafted by the facilitators\n"))
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Seal this summary").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()  # it asks first
    screenshot("summaries-04-seal-confirmation")
    page.get_by_role("button", name="Yes, seal this summary").click()
    screenshot("summaries-04-sealing")
    # The progress region says when it is sealed and offers the way on; the page itself does not reload, and
    # the polls never move the focus.
    place = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").last
    place.focus()
    expect(page.locator("#seal-status")).to_contain_text("Sealed.", timeout=90_000)
    expect(page.locator("#seal-steps .seal-step--done")).to_have_count(4)
    expect(place).to_be_focused()
    page.get_by_role("link", name="Open the sealed summary").click()
    expect(page.get_by_role("link", name="Download my copy (PDF)")).to_be_visible()
    screenshot("summaries-05-sealed")

    # The participant confirms the ground rules once, reads the sealed summary and downloads their copy.
    log_in(page, base, "participant@example.org")
    page.goto(f"{base}/summaries/")
    page.get_by_role("link", name=re.compile("Workshop 1|workshop 1")).first.click()
    expect(page.get_by_role("heading", name="Ground rules")).to_be_visible()
    screenshot("summaries-06-ground-rules")
    page.get_by_role("button", name="I accept the ground rules").click()
    expect(page.get_by_text("drafted by the facilitators")).to_be_visible()
    screenshot("summaries-07-participant-reads")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my copy (PDF)").click()
    in_tidewater = Membership.objects.get(person__pseudonym="P-5").pseudonym  # his pseudonym there (0026)
    for secret in ("Corvin", "P-5", in_tidewater):
        assert secret not in download.value.suggested_filename
    pdf = Path(download.value.path()).read_bytes()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "summaries-copy.pdf").write_bytes(pdf)  # for a person to look at
    verification = verify_pdf(pdf)
    assert verification.ok
    assert verification.copy_code == SummaryCopy.objects.get(holder__pseudonym="P-5").copy_code
