"""Funder-disclosure reports: generated through the real sealing pipeline, sealed and encrypted, holding every
grant term and condition and nothing that names or locates a participant; the funder sees the newest."""

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dialogues.enums import InvitationStatus
from dialogues.summaries import selectors as summary_selectors
from dialogues.summaries import services as summaries
from funding.approval import services as approval_services
from funding.disclosures import selectors as disclosure_selectors
from funding.disclosures import services as disclosure_services
from funding.enums import ConditionKind, ConditionRuling, GrantStatus
from funding.funders import services as funder_services
from funding.grants import services as grant_services
from funding.models import Disclosure
from participants.enums import FundingConsent
from tests import pdfcheck
from tests.factories import ExpenseFactory, GrantFactory, InvitationFactory, WorkshopFactory
from trackii.audit.models import AuditEvent
from trackii.sealing.enums import SealJobState
from trackii.sealing.services import run_seal_job
from trackii.sealing.verify import verify_pdf

pytestmark = pytest.mark.django_db

SUMMARY_TEXT = "The delegates explored a joint licensing board for the strait."


@pytest.fixture
def grant(place):
    """An accepted grant with a flagged condition confirmed by a second convenor, spend, answers, and a sealed
    summary and a venue in the dialogue that must never reach the report."""
    grant = GrantFactory(
        dialogue=place.dialogue, funder=place.funder, amount=Decimal("90000"), purpose="Three workshops"
    )
    funder_services.sync_funder_access(funder=place.funder)  # the officer reads the funder's grants
    reporting = grant_services.record_condition(
        grant=grant, kind=ConditionKind.REPORTING, text="An annual narrative report", by=place.convenor.user
    )
    grant_services.rule_on_condition(
        condition=reporting, ruling=ConditionRuling.ACCEPTED, rationale="Routine", by=place.convenor.user
    )
    agenda = grant_services.record_condition(
        grant=grant,
        kind=ConditionKind.AGENDA,
        text="Fisheries must be on every agenda",
        by=place.convenor.user,
    )
    grant_services.rule_on_condition(
        condition=agenda,
        ruling=ConditionRuling.NEGOTIATED,
        rationale="Fisheries may be proposed, never required",
        by=place.convenor.user,
    )
    grant_services.confirm_condition(condition=agenda, by=place.second_convenor.user)
    grant_services.change_grant_status(grant=grant, status=GrantStatus.ACCEPTED, by=place.convenor.user)
    grant_services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE, by=place.convenor.user)
    ExpenseFactory(grant=grant, amount=Decimal("1250.50"), spent_on=grant.starts_on)
    first = place.participants[0].memberships.get()
    approval_services.answer_funding(
        membership=first, consent=FundingConsent.OBJECTED, note="Too close", by=None
    )

    workshop = WorkshopFactory(
        series__dialogue=place.dialogue,
        venue="Hotel Tidewater, Marrowbay",
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=2),
    )
    for person in place.participants:
        InvitationFactory(workshop=workshop, person=person, status=InvitationStatus.ATTENDED)
    summary = summaries.start_summary(workshop=workshop, by=place.convenor.user)
    summaries.save_draft(summary=summary, body=f"## Options\n\n{SUMMARY_TEXT}\n", by=place.convenor.user)
    summaries.request_seal(summary=summary, by=place.convenor.user)
    run_seal_job(job_id=summary_selectors.seal_job(summary=summary).pk)
    return grant


def generate(grant, by) -> Disclosure:
    disclosure = disclosure_services.request_disclosure(grant=grant, by=by)
    job = run_seal_job(job_id=disclosure_selectors.disclosure_job(disclosure=disclosure).pk)
    assert job.state == SealJobState.DONE, job.error
    disclosure.refresh_from_db()
    return disclosure


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_disclosure_holds_every_term_and_condition_and_no_participant(place, grant):
    disclosure = generate(grant, place.convenor.user)
    pdf = disclosure_selectors.disclosure_pdf(disclosure=disclosure)
    assert b"Three workshops" not in bytes(disclosure.pdf)  # encrypted at rest
    verification = verify_pdf(pdf)
    assert verification.ok and verification.document_id == f"disclosure:{disclosure.pk}:v1"
    text = " ".join(text_of(pdf).split())
    for expected in (
        place.funder.name,
        "EUR 90,000.00",
        "Three workshops",
        "An annual narrative report",
        "Routine",
        "Fisheries must be on every agenda",
        "Negotiated, confirmed by a second convenor: Fisheries may be proposed, never required",
        "Travel EUR 1,250.50",
        "Workshops held so far",
    ):
        assert expected in text, expected
    # Small counts: one objection (and one not answered), one participant per side.
    assert "Object fewer than 5" in text and "North a withheld" in text and "South a withheld" in text
    for person in [*place.participants, place.convenor, place.second_convenor, place.officer]:
        assert person.name not in text and person.pseudonym not in text
    for secret in ("Hotel Tidewater", "Marrowbay", SUMMARY_TEXT, "Too close", place.dialogue.title):
        assert secret not in text
    event = AuditEvent.objects.get(action="disclosure_generated")
    assert event.detail["version"] == 1 and event.detail["sha256"] == disclosure.sha256


def test_disclosure_refused_for_a_proposal_and_not_queued_twice(place):
    proposal = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    with pytest.raises(ValidationError, match="Accept the grant"):
        disclosure_services.request_disclosure(grant=proposal, by=place.convenor.user)
    grant_services.change_grant_status(grant=proposal, status=GrantStatus.ACCEPTED, by=place.convenor.user)
    first = disclosure_services.request_disclosure(grant=proposal, by=place.convenor.user)
    assert disclosure_services.request_disclosure(grant=proposal, by=place.convenor.user) == first


def test_funder_downloads_only_the_newest_version(client, place, grant):
    old, new = generate(grant, place.convenor.user), generate(grant, place.convenor.user)
    assert (old.version, new.version) == (1, 2)
    client.force_login(place.officer.user)
    page = client.get(reverse("funding:grant_detail", args=[grant.pk])).content.decode()
    assert "Version 2" in page and "Version 1" not in page
    response = client.get(reverse("funding:disclosure_download", args=[grant.pk, new.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert verify_pdf(response.content).ok
    assert place.funder.name not in response["Content-Disposition"]
    assert client.get(reverse("funding:disclosure_download", args=[grant.pk, old.pk])).status_code == 404
    assert client.post(reverse("funding:disclosures", args=[grant.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="download", target_id=str(new.pk)).count() == 1


def test_convenor_generates_from_the_grant_page(client, place, grant):
    client.force_login(place.convenor.user)
    response = client.post(reverse("funding:disclosures", args=[grant.pk]))
    assert response.status_code == 302
    disclosure = Disclosure.objects.get(grant=grant)
    page = client.get(reverse("funding:grant_detail", args=[grant.pk])).content.decode()
    region = page.split('id="disclosure-status"', 1)[1].split("</div>", 1)[0]
    # Generating: a lasting live region says where it is, and polls for what changes.
    assert 'aria-live="polite"' in region and "Generating version 1" in region
    assert 'hx-trigger="every 2s"' in region and 'hx-target="#disclosure-status"' in region
    poll = (
        reverse("funding:disclosures", args=[grant.pk]) + "?shown=" + region.split("?shown=")[1].split('"')[0]
    )
    assert client.get(poll, HTTP_HX_REQUEST="true").status_code == 204  # nothing new
    run_seal_job(job_id=disclosure_selectors.disclosure_job(disclosure=disclosure).pk)
    done = client.get(poll, HTTP_HX_REQUEST="true")
    body = done.content.decode()
    assert done.status_code == 200 and "HX-Refresh" not in done  # no reload: the region says it is ready
    assert "Version 1 is sealed and ready to download." in body and "every 2s" not in body
    assert 'id="disclosure-versions" hx-swap-oob="true"' in body and "Download the PDF" in body


def test_funder_of_another_dialogue_sees_nothing(client, place, other_place, grant):
    disclosure = generate(grant, place.convenor.user)
    client.force_login(other_place.officer.user)
    assert client.get(reverse("funding:disclosures", args=[grant.pk])).status_code == 404
    download = reverse("funding:disclosure_download", args=[grant.pk, disclosure.pk])
    assert client.get(download).status_code == 404


@pytest.mark.parametrize("versions", [1, 3])
def test_disclosure_section_query_count_is_constant(
    client, place, grant, django_assert_num_queries, versions
):
    for _ in range(versions):
        generate(grant, place.convenor.user)
    client.force_login(place.convenor.user)
    url = reverse("funding:disclosures", args=[grant.pk])
    client.get(url)
    # session, user, what the user holds (dialogues; funders' grants), grant (with its flags), audit,
    # disclosures, their jobs
    with django_assert_num_queries(8):
        client.get(url)


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([6, 2, 5], ["6", "fewer than 5", "withheld"]),  # one hidden: the next smallest is withheld too
        # two hidden that add up to fewer than 5: 9 less 6 would say "exactly 3", so the 6 goes too
        ([6, 2, 1], ["withheld", "fewer than 5", "fewer than 5"]),
        ([7, 6], ["7", "6"]),
        ([7, 3], ["withheld", "fewer than 5"]),
        ([], []),
    ],
)
def test_small_counts_cannot_be_recovered_by_subtraction(counts, shown):
    from funding.permissions import suppressed_together

    assert suppressed_together(counts) == shown


def test_disclosure_embeds_exactly_the_vendored_fonts(place, grant):
    pdf = disclosure_selectors.disclosure_pdf(disclosure=generate(grant, place.convenor.user))

    # trackii/sealing/pdf_fonts.py: the same on every machine, whatever fonts the host has.
    # The four vendored faces: static/pdf/charts.css sets each chart table's caption in bold, in the serif.
    assert pdfcheck.font_names(pdf) == {
        "Trackii-Serif",
        "Trackii-Serif-Bold",
        "Trackii-Sans",
        "Trackii-Sans-Bold",
    }
    assert pdfcheck.notdef_glyphs(pdf) == []


def test_disclosure_refused_while_its_text_holds_a_character_no_pdf_font_has(place):
    grant = GrantFactory(dialogue=place.dialogue, funder=place.funder, purpose="Dialogue \U00013000 \ue000")
    grant_services.change_grant_status(grant=grant, status=GrantStatus.ACCEPTED, by=place.convenor.user)
    with pytest.raises(ValidationError) as refused:
        disclosure_services.request_disclosure(grant=grant, by=place.convenor.user)
    assert "no font in Trackii's PDFs: \U00013000 (U+13000), \ue000 (U+E000)." in refused.value.messages[0]
    assert not grant.disclosures.exists()
    # Every script Trackii's PDFs draw is accepted.
    type(grant).objects.filter(pk=grant.pk).update(purpose="Диалог · حوار · संवाद · 对话")
    disclosure = generate(grant, place.convenor.user)
    pdf = disclosure_selectors.disclosure_pdf(disclosure=disclosure)
    assert pdfcheck.notdef_glyphs(pdf) == [] and "Trackii-Serif-CJK" in pdfcheck.font_names(pdf)
    assert all(name.startswith("Trackii-") for name in pdfcheck.font_names(pdf))
