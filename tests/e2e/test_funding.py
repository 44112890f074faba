"""The funding journey in Chromium: a convenor records a funder and its officer, a grant with a flagged
condition, and rules on it; the grant cannot become active until a second convenor confirms; a participant
sees who funds the dialogue and on what terms and approves; the convenor generates the disclosure report (a
real Celery worker seals it); the funder's officer sees the grant and nothing that identifies anyone, and
downloads the report. Screenshots go to artifacts/screenshots/funding-*.png, the PDF to
artifacts/screenshots/funding-disclosure.pdf."""

import io
import re
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole
from funding.models import Funder, Grant
from participants.enums import FundingConsent
from participants.models import Membership
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import enrol, log_in
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory
from trackii.sealing.verify import verify_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    """Like the demo: two convenors of tidewater, a participant on each side, and a foundation's programme
    officer who takes part in no dialogue."""
    dialogue = DialogueFactory(codename="tidewater", title="Serran Strait maritime boundary dialogue")
    veloria, kessarine = (
        SideFactory(dialogue=dialogue, name="Veloria"),
        SideFactory(dialogue=dialogue, name="Kessarine"),
    )
    for pseudonym, name, email in (
        ("P-1", "Maren Holtvik", "convenor@example.org"),
        ("P-2", "Tobias Erlenmark", "convenor2@example.org"),
    ):
        convenor = PersonFactory(pseudonym=pseudonym, name=name, user=UserFactory(email=email))
        services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
        enrol(convenor.user)  # the Third Party's roles must use a second factor
    for pseudonym, name, email, side in (
        ("P-5", "Corvin Asteli", "participant@example.org", veloria),
        ("P-6", "Nadira Kessov", "participant2@example.org", kessarine),
    ):
        participant = PersonFactory(pseudonym=pseudonym, name=name, user=UserFactory(email=email))
        services.assign_role(
            dialogue=dialogue, person=participant, role=DialogueRole.PARTICIPANT, side=side, by=None
        )
    PersonFactory(pseudonym="P-8", name="Rupert Quillane", user=UserFactory(email="funder@example.org"))
    return dialogue


def test_grant_with_a_flagged_condition_two_convenors_and_a_participants_approval(
    live_server, page: Page, people, screenshot, workers
):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "convenor@example.org")

    # The funder and its programme officer.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Funding").click()
    expect(page.get_by_text("No grants are recorded yet.")).to_be_visible()
    page.get_by_role("navigation", name="Funding").get_by_role("link", name="Funders").click()
    page.get_by_role("link", name="Record a funder").click()
    page.get_by_label("Country").fill("Aldria")
    page.get_by_role("button", name="Record the funder").click()
    expect(page.locator("#field-name")).to_contain_text("This field is required.")
    expect(page.get_by_label("Country")).to_have_value("Aldria")
    page.get_by_label("Name").fill("Aldmere Peace Foundation")
    page.get_by_label("Kind of funder").select_option("foundation")
    page.get_by_role("button", name="Record the funder").click()
    expect(page.get_by_text("Aldmere Peace Foundation is recorded.")).to_be_visible()
    page.locator("#id_officer-pseudonym").fill("P-8")
    page.get_by_role("button", name="Add the officer").click()
    expect(page.get_by_text("P-8 is now an officer of Aldmere Peace Foundation.")).to_be_visible()
    expect(page.locator(".officer")).to_contain_text("Rupert Quillane")
    screenshot("funding-01-funder")

    # The grant, as the foundation proposes it.
    page.get_by_role("link", name="Record a grant from this funder").click()
    funder = Funder.objects.get(name="Aldmere Peace Foundation")
    expect(page.get_by_label("Funder")).to_have_value(str(funder.pk))  # chosen from the funder's page
    page.get_by_label("For").select_option(label="Dialogue tidewater")
    page.get_by_label("Reference").fill("APF-2026-017")
    page.get_by_label("Amount").fill("240000")
    page.get_by_label("Currency").fill("eur")
    page.get_by_label("Starts on").fill("2026-01-01")
    page.get_by_label("Ends on").fill("2025-12-31")
    page.get_by_label("Purpose").fill(
        "Four workshops of the Serran Strait dialogue and its fisheries working group."
    )
    page.get_by_role("button", name="Record the grant").click()
    expect(page.locator("#field-ends_on")).to_contain_text(
        "The grant must end on or after the day it starts."
    )
    expect(page.get_by_label("Purpose")).to_have_value(re.compile("Four workshops"))
    screenshot("funding-02-grant-form-error")
    page.get_by_label("Ends on").fill("2027-12-31")
    page.get_by_role("button", name="Record the grant").click()
    expect(page.get_by_text("The grant is recorded as proposed.")).to_be_visible()
    grant = Grant.objects.get(reference="APF-2026-017")
    assert (grant.currency, grant.dialogue_id) == ("EUR", people.pk)

    # A condition over the agenda: flagged. The first convenor proposes to accept it.
    page.get_by_label("What the condition is about").select_option("agenda")
    page.locator("#id_text").fill("The foundation may propose agenda items.")
    page.get_by_role("button", name="Record the condition").click()
    expect(page.get_by_text("It is flagged: accepting it needs a second convenor.")).to_be_visible()
    condition = page.locator("article.condition", has_text="The foundation may propose agenda items.")
    expect(condition.locator(".badge--flagged")).to_have_text("Flagged")
    condition.get_by_label("Accept", exact=True).check()
    condition.get_by_label("Rationale").fill(
        "Proposals are one input among many: the facilitation team keeps the final say, and participants "
        "are told which items a funder proposed."
    )
    condition.get_by_role("button", name="Record the ruling").click()
    expect(page.locator(".message--success")).to_contain_text(
        "another convenor must confirm it before it counts"
    )
    expect(condition).to_contain_text("Awaiting a second convenor")
    expect(condition).to_contain_text("You proposed this ruling.")
    page.get_by_role("button", name="Accept the grant").click()
    expect(page.get_by_text("The grant is now accepted.")).to_be_visible()
    page.get_by_role("button", name="Make the grant active").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "1 flagged condition still needs a second convenor's confirmation before the grant can become active."
    )
    screenshot("funding-03-waiting-for-second-convenor")

    # The second convenor confirms; now the grant can become active.
    log_in(page, base, "convenor2@example.org")
    page.goto(f"{base}/funding/grants/{grant.pk}/")
    condition = page.locator("article.condition", has_text="The foundation may propose agenda items.")
    expect(condition).to_contain_text("convenor@example.org proposed: accept")
    screenshot("funding-04-second-convenor")
    condition.get_by_role("button", name="Confirm: accept").click()
    expect(page.get_by_text("You confirmed the ruling: the condition is accepted.")).to_be_visible()
    expect(condition).to_contain_text("confirmed by convenor2@example.org")
    page.get_by_role("button", name="Make the grant active").click()
    expect(page.get_by_text("The grant is now active.")).to_be_visible()
    page.get_by_label("Category").select_option("venue")
    page.get_by_label("Amount").fill("7200")
    page.get_by_label("Spent on").fill("2026-03-02")
    page.get_by_label("Description").fill("Conference house, two days")
    page.get_by_role("button", name="Record the expense").click()
    expect(page.get_by_text("The expense is recorded.")).to_be_visible()
    expect(page.locator("#budget")).to_contain_text("EUR 7,200.00 (3%)")
    screenshot("funding-05-active-grant")

    # A participant sees who funds the dialogue and on what terms, and approves.
    log_in(page, base, "participant@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Funding").click()
    expect(page.get_by_text("Not yet answered")).to_be_visible()
    expect(page.locator("#main table")).not_to_contain_text("240")  # participants see no amounts
    screenshot("funding-06-participant-funding-list")
    page.get_by_role("link", name="Serran Strait maritime boundary dialogue").click()
    expect(page.get_by_role("heading", name="Aldmere Peace Foundation")).to_be_visible()
    expect(page.locator(".arrangement")).to_contain_text("keeps the final say")
    expect(page.locator(".arrangement")).not_to_contain_text("240")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Choose whether you approve or object.", exact=True)).to_be_visible()
    page.get_by_label("I approve of these funding arrangements").check()
    page.get_by_label("A note for the convenors (optional)").fill(
        "Glad that the facilitators keep the agenda."
    )
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you: your approval is recorded.")).to_be_visible()
    expect(page.locator("#answer-status")).to_contain_text("You approved")
    screenshot("funding-07-participant-approves")
    membership = Membership.objects.get(person__pseudonym="P-5", dialogue=people)
    assert membership.funding_consent == FundingConsent.APPROVED

    # The convenors read the answer on the grant's page.
    log_in(page, base, "convenor@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Funding").click()
    expect(page.locator("#main tbody tr").first).to_contain_text("1 approved · 0 objected · 1 not yet")
    screenshot("funding-08-convenor-grant-list")
    page.goto(f"{base}/funding/grants/{grant.pk}/#answers")
    answers = page.locator("#answers")
    expect(answers).to_contain_text("1 approved")
    expect(answers).to_contain_text("Glad that the facilitators keep the agenda.")
    answers.scroll_into_view_if_needed()
    screenshot("funding-09-convenor-reads-answers")

    # The convenor generates the disclosure report: a real Celery worker renders and seals it while the page
    # polls; when it is done the section shows the download link and says so in its live region.
    workers()
    page.get_by_role("button", name="Generate the disclosure report").click()
    expect(page.get_by_text("The disclosure report is being generated")).to_be_visible()
    expect(page.locator("#disclosures").get_by_role("link", name="Download the PDF")).to_be_visible(
        timeout=90_000
    )
    expect(page.locator("#disclosure-status")).to_contain_text("Version 1 is sealed and ready to download.")
    page.locator("#disclosures").scroll_into_view_if_needed()
    screenshot("funding-10-disclosure-generated")

    # The foundation's officer sees the grant, the ruling and spending by category: nobody's name, no venue.
    log_in(page, base, "funder@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Funding").click()
    page.get_by_role("link", name="Aldmere Peace Foundation").click()
    main = page.locator("#main")
    expect(main).to_contain_text("keeps the final say")
    expect(page.get_by_role("heading", name="Disclosure reports")).to_be_visible()
    # Nor the participants' pseudonyms, the accounts' or tidewater's own (decision 0026).
    in_tidewater = tuple(
        Membership.objects.filter(person__pseudonym__in=("P-5", "P-6")).values_list("pseudonym", flat=True)
    )
    assert len(in_tidewater) == 2
    for secret in ("Corvin", "Nadira", "P-5", "P-6", "Conference house", "Glad that", "convenor@example.org"):
        expect(main).not_to_contain_text(secret)
    for secret in in_tidewater:
        expect(main).not_to_contain_text(secret)
    screenshot("funding-11-funder-portal")
    with page.expect_download() as download:
        page.locator("#disclosures").get_by_role("link", name="Download the PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "funding-disclosure.pdf").write_bytes(pdf)  # for a person to look at
    assert verify_pdf(pdf).ok
    text = " ".join(sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Aldmere Peace Foundation" in text and "keeps the final say" in text
    assert "Approve fewer than 5" in text
    for secret in ("Corvin", "Nadira", "P-5", "P-6", "Conference house", "Glad that", "maritime boundary"):
        assert secret not in text
    assert not any(secret in text for secret in in_tidewater)
