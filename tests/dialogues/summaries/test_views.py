"""The summary pages through the test client: drafting with the live preview and the attribution check, the
review round from both sides, sealing progress (the worker's code run in the test, real WeasyPrint and
pyHanko), the sealed page, copies, amendments, the ground rules, the reading room, and the same 404 for
everyone outside a summary's audience."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus, ReviewCommentStatus, SummaryStatus, WorkshopStatus
from dialogues.models import PersonalCalendar, ReviewComment, Summary, SummaryCopy, SummaryReading
from dialogues.summaries import selectors as summary_selectors
from dialogues.summaries import services as summaries
from participants.models import Membership, ThirdParty
from tests.dialogues.helpers import pseudonym_in, shows
from tests.factories import (
    AgendaItemFactory,
    InvitationFactory,
    PersonFactory,
    SideFactory,
    SummaryFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.models import AuditEvent
from trackii.sealing.enums import SealJobState
from trackii.sealing.models import SealJob
from trackii.sealing.services import run_seal_job
from trackii.sealing.verify import verify_pdf

pytestmark = pytest.mark.django_db

BODY = "## Fisheries access\n\nThe group explored a joint licensing board.\n\n## Next steps\n\nA paper.\n"
HTMX = {"HX-Request": "true"}
CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


@pytest.fixture
def room():
    """A held workshop of a dialogue: a rapporteur, two attendees with logins, one who was absent."""
    now = timezone.now()
    workshop = WorkshopFactory(
        starts_at=now - dt.timedelta(days=3), ends_at=now - dt.timedelta(days=2), status=WorkshopStatus.HELD
    )
    dialogue = workshop.series.dialogue
    side = SideFactory(dialogue=dialogue)
    AgendaItemFactory(workshop=workshop, title="Fisheries access")
    AgendaItemFactory(workshop=workshop, title="Next steps")
    rapporteur = PersonFactory(user=UserFactory())
    services.assign_role(dialogue=dialogue, person=rapporteur, role=DialogueRole.RAPPORTEUR, by=None)
    people = {}
    for key, name in (("amira", "Amira Haddad"), ("bo", "Bo Lindqvist"), ("absent", "Dara Okafor")):
        affiliation = "Ministry of Fisheries" if key == "amira" else ""
        person = PersonFactory(name=name, affiliation=affiliation, user=UserFactory())
        services.assign_role(
            dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
        )
        status = InvitationStatus.ABSENT if key == "absent" else InvitationStatus.ATTENDED
        InvitationFactory(workshop=workshop, person=person, status=status)
        people[key] = person
    return SimpleNamespace(workshop=workshop, dialogue=dialogue, rapporteur=rapporteur, **people)


def url(name: str, summary: Summary) -> str:
    return reverse(f"dialogues:{name}", args=[summary.workshop.series.dialogue_id, summary.pk])


def draft(room, body: str = BODY) -> Summary:
    summary = summaries.start_summary(workshop=room.workshop, by=room.rapporteur.user)
    return summaries.save_draft(summary=summary, body=body, by=room.rapporteur.user)


def in_review(room, body: str = BODY) -> Summary:
    return summaries.open_review(
        summary=draft(room, body), deadline=timezone.now() + dt.timedelta(days=5), by=room.rapporteur.user
    )


def seal(summary: Summary, by) -> Summary:
    summaries.request_seal(summary=summary, by=by)
    run_seal_job(job_id=summary_selectors.seal_job(summary=summary).pk)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SEALED
    return summary


def sealed(room, body: str = BODY) -> Summary:
    return seal(draft(room, body), room.rapporteur.user)


def accept_rules(*people) -> None:
    for person in people:
        membership = Membership.objects.get(person=person, left_on__isnull=True)
        summaries.accept_ground_rules_before_reading(membership=membership, by=person.user)


def _page(content: bytes) -> bytes:
    return CSRF.sub(rb"\1", content)  # each response carries a fresh CSRF token


def not_found_page(client) -> bytes:
    return _page(client.get(reverse("dialogues:summary_detail", args=[999999, 999999])).content)


# --- Drafting ---------------------------------------------------------------------------------------------


def test_write_the_summary_starts_a_draft_from_the_agenda_and_opens_the_editor(client, room):
    client.force_login(room.rapporteur.user)
    page = client.get(reverse("dialogues:workshop_detail", args=[room.dialogue.pk, room.workshop.pk]))
    assert "Write the summary" in page.content.decode()
    response = client.post(reverse("dialogues:summary_start", args=[room.dialogue.pk, room.workshop.pk]))
    summary = Summary.objects.get(workshop=room.workshop)
    assert response.status_code == 302 and response["Location"] == url("summary_detail", summary)
    body = client.get(response["Location"]).content.decode()
    assert "## Fisheries access" in body and "<h2>Fisheries access</h2>" in body
    assert 'hx-post="' + url("summary_preview", summary) in body
    assert 'hx-trigger="input changed delay:400ms"' in body
    assert "a single <code>#</code> heading is not kept" in body and "Never say who said what" in body
    # Starting again opens the same draft.
    again = client.post(reverse("dialogues:summary_start", args=[room.dialogue.pk, room.workshop.pk]))
    assert again["Location"] == url("summary_detail", summary) and Summary.objects.count() == 1


def test_a_summary_waits_until_the_workshop_has_taken_place(client, room):
    Summary.objects.all().delete()
    room.workshop.starts_at = timezone.now() + dt.timedelta(days=1)
    room.workshop.ends_at = room.workshop.starts_at + dt.timedelta(hours=8)
    room.workshop.status = WorkshopStatus.SCHEDULED
    room.workshop.save()
    client.force_login(room.rapporteur.user)
    response = client.post(
        reverse("dialogues:summary_start", args=[room.dialogue.pk, room.workshop.pk]), follow=True
    )
    assert "once the workshop has taken place" in response.content.decode()
    assert not Summary.objects.exists()


def test_participants_cannot_start_a_summary(client, room):
    client.force_login(room.amira.user)
    response = client.post(reverse("dialogues:summary_start", args=[room.dialogue.pk, room.workshop.pk]))
    assert response.status_code == 404 and not Summary.objects.exists()


def test_saving_keeps_the_text_and_says_why_when_refused(client, room):
    summary = draft(room)
    client.force_login(room.rapporteur.user)
    response = client.post(url("summary_save", summary), {"body": ""})
    assert response.status_code == 400 and "The summary is empty" in response.content.decode()
    ok = client.post(url("summary_save", summary), {"body": "## One\n\nNew text"})
    assert ok.status_code == 302
    summary.refresh_from_db()
    assert summary.body == "## One\n\nNew text"
    # In review, the draft cannot change: what was typed comes back with the reason.
    summaries.open_review(
        summary=summary, deadline=timezone.now() + dt.timedelta(days=2), by=room.rapporteur.user
    )
    refused = client.post(url("summary_save", summary), {"body": "## One\n\nTyped during the review"})
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "Typed during the review" in text and "Close the review first" in text
    summary.refresh_from_db()
    assert summary.body == "## One\n\nNew text"


def test_preview_renders_the_posted_text_through_the_sanitiser(client, room):
    summary = draft(room)
    client.force_login(room.rapporteur.user)
    response = client.post(
        url("summary_preview", summary),
        {"body": "## Options\n\n<script>alert(1)</script>[a link](https://evil.example) **bold**"},
        headers=HTMX,
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<h2>Options</h2>" in text and "<strong>bold</strong>" in text
    assert "<script" not in text and "href" not in text and "<html" not in text


def test_the_attribution_check_shows_each_place_in_context_and_accepts_a_mention(client, room):
    summary = draft(room, "## Fisheries access\n\nThe Ministry of Fisheries published a statement.\n")
    client.force_login(room.rapporteur.user)
    text = client.get(url("summary_detail", summary)).content.decode()
    assert "Chatham House Rule" in text and "1 mention to resolve" in text
    assert "<mark>Ministry of Fisheries</mark> published" in text and "In “Fisheries access”" in text
    assert "affiliation" in text and "Accept this mention" in text
    response = client.post(
        url("summary_accept_mention", summary), {"term": "Ministry of Fisheries"}, headers=HTMX
    )
    partial = response.content.decode()
    assert response.status_code == 200
    assert 'id="attribution"' in partial and "Accepted" in partial and "<html" not in partial
    assert "Accept this mention" not in partial and "Every mention below was accepted" in partial
    assert AuditEvent.objects.filter(action="mention_accepted", target_id=str(summary.pk)).exists()
    # Without htmx: back to the page, with a message that names nobody.
    gone = client.post(url("summary_accept_mention", summary), {"term": "Nobody Here"}, follow=True)
    assert "no longer appears" in gone.content.decode()


def test_a_clean_draft_says_so(client, room):
    summary = draft(room)
    client.force_login(room.rapporteur.user)
    assert (
        "Clean: the saved draft names nobody" in client.get(url("summary_detail", summary)).content.decode()
    )


# --- Review -----------------------------------------------------------------------------------------------


def test_opening_the_review_is_refused_while_the_draft_names_someone(client, room):
    summary = draft(room, "## Fisheries access\n\nAs Amira Haddad put it, nothing moved.\n")
    client.force_login(room.rapporteur.user)
    response = client.post(url("summary_open_review", summary), {"review_deadline": "2099-01-10T18:00"})
    text = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in text and "“Amira Haddad” (1 place)" in text
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT


def test_the_review_deadline_is_read_on_the_facilitators_clock(client, room):
    summary = draft(room)
    PersonalCalendar.objects.create(user=room.rapporteur.user, timezone="Asia/Tokyo")
    client.force_login(room.rapporteur.user)
    page = client.get(url("summary_detail", summary)).content.decode()
    assert "Your time (Asia/Tokyo)" in page
    past = client.post(url("summary_open_review", summary), {"review_deadline": "2001-01-10T18:00"})
    assert past.status_code == 400 and "must be in the future" in past.content.decode()
    response = client.post(url("summary_open_review", summary), {"review_deadline": "2099-01-10T18:00"})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.IN_REVIEW
    assert summary.review_deadline == dt.datetime(2099, 1, 10, 9, 0, tzinfo=dt.UTC)  # 18:00 in Tokyo
    assert room.amira.user.has_perm("dialogues.review_summary", summary)


def test_facilitators_see_progress_and_every_comment_and_accept_or_answer_each(client, room):
    summary = in_review(room)
    first = summaries.add_review_comment(
        summary=summary,
        person=room.amira,
        section="Next steps",
        body="Say who drafts it",
        suggested_text="X",
        by=room.amira.user,
    )
    summaries.add_review_comment(
        summary=summary, person=room.bo, section="", body="Fine overall", by=room.bo.user
    )
    client.force_login(room.rapporteur.user)
    text = client.get(url("summary_detail", summary)).content.decode()
    assert "2 of 2</strong> attendees have responded" in text
    # Each author by their pseudonym in this dialogue (decision 0026), never their account's.
    assert pseudonym_in(room.dialogue, room.amira) in text and pseudonym_in(room.dialogue, room.bo) in text
    assert not shows(text, room.amira.pseudonym) and not shows(text, room.bo.pseudonym)
    assert "Say who drafts it" in text and "Fine overall" in text and "Suggested correction" in text
    assert "“Next steps”" in text and "the summary as a whole" in text
    assert room.amira.name not in text  # pseudonyms only
    # Answering needs words; the error sits next to the answer field, on the page.
    empty = client.post(url("summary_respond", summary), {"comment": first.pk, "status": "answered"})
    assert empty.status_code == 400 and "Write the answer the participant will read" in empty.content.decode()
    ok = client.post(
        url("summary_respond", summary), {"comment": first.pk, "status": "answered", "response": "We will."}
    )
    assert ok.status_code == 302 and ok["Location"].endswith(f"#comment-{first.pk}")
    first.refresh_from_db()
    assert first.status == ReviewCommentStatus.ANSWERED and first.response == "We will."
    # A comment of another summary is not found.
    other = ReviewComment.objects.create(summary=SummaryFactory(), author=room.bo, body="x")
    assert (
        client.post(url("summary_respond", summary), {"comment": other.pk, "status": "accepted"}).status_code
        == 404
    )


def test_closing_the_review_early_is_refused_with_the_reason_then_allowed_once_all_responded(client, room):
    summary = in_review(room)
    client.force_login(room.rapporteur.user)
    refused = client.post(url("summary_close_review", summary), follow=True)
    assert "0 of 2 reviewers have responded" in refused.content.decode()
    summaries.sign_off_review(summary=summary, person=room.amira, by=room.amira.user)
    summaries.sign_off_review(summary=summary, person=room.bo, by=room.bo.user)
    response = client.post(url("summary_close_review", summary), follow=True)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT and "The review is closed" in response.content.decode()
    # Back on the draft page: the seal button, now that a review round has been held.
    assert "Seal this summary" in response.content.decode()


def test_a_reviewer_reads_the_draft_comments_by_section_sees_only_their_own_and_signs_off(client, room):
    summary = in_review(room)
    summaries.add_review_comment(
        summary=summary, person=room.bo, section="", body="Bo's private remark", by=room.bo.user
    )
    client.force_login(room.amira.user)
    text = client.get(url("summary_detail", summary)).content.decode()
    assert "joint licensing board" in text and "Only the facilitation team reads your comments" in text
    assert '<option value="Fisheries access">' in text and '<option value="Next steps">' in text
    assert "Bo's private remark" not in text and room.bo.pseudonym not in text
    assert "Close the review" not in text and "Accept</button>" not in text
    bad = client.post(url("summary_comment", summary), {"section": "Invented", "body": "Hi"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    empty = client.post(url("summary_comment", summary), {"section": "Next steps", "body": ""})
    assert empty.status_code == 400 and "Write your comment." in empty.content.decode()
    response = client.post(
        url("summary_comment", summary),
        {"section": "Next steps", "body": "The paper was due in May", "suggested_text": "A paper by May."},
    )
    assert response.status_code == 302
    comment = ReviewComment.objects.get(author=room.amira)
    summaries.respond_to_comment(
        comment=comment, status=ReviewCommentStatus.ACCEPTED, response="Corrected.", by=room.rapporteur.user
    )
    text = client.get(url("summary_detail", summary)).content.decode()
    assert (
        "The paper was due in May" in text and "The facilitators accepted it" in text and "Corrected." in text
    )
    assert "I have no more comments" in text
    signed = client.post(url("summary_signoff", summary), follow=True)
    assert "You told the facilitators you have no more comments" in signed.content.decode()


def test_facilitators_cannot_comment_as_reviewers(client, room):
    summary = in_review(room)
    client.force_login(room.rapporteur.user)
    response = client.post(url("summary_comment", summary), {"section": "", "body": "From the team"})
    assert response.status_code == 400 and "Only the people who attended" in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_someone_who_did_not_attend_gets_the_missing_page_for_draft_review_sealed_and_copy(client, room):
    client.force_login(room.absent.user)
    accept_rules(room.absent)
    missing = not_found_page(client)
    first = sealed(room)
    amendment = summaries.amend_summary(summary=first, by=room.rapporteur.user)
    for summary, names in (
        (amendment, ["summary_detail", "summary_preview", "summary_save"]),
        (first, ["summary_detail", "summary_download", "summary_amend"]),
    ):
        for name in names:
            method = client.get if name in ("summary_detail", "summary_download") else client.post
            response = method(url(name, summary))
            assert response.status_code == 404 and _page(response.content) == missing, name
    summaries.save_draft(summary=amendment, body=BODY + "\nMore.\n", by=room.rapporteur.user)
    summaries.open_review(
        summary=amendment, deadline=timezone.now() + dt.timedelta(days=2), by=room.rapporteur.user
    )
    for name in ("summary_detail", "summary_comment", "summary_signoff"):
        method = client.get if name == "summary_detail" else client.post
        response = method(url(name, amendment))
        assert response.status_code == 404 and _page(response.content) == missing, name


# --- Sealing ----------------------------------------------------------------------------------------------


def test_sealing_is_refused_while_the_draft_names_someone_with_the_names_on_the_page(client, room):
    summary = in_review(room)
    summaries.close_review(
        summary=summary, now=timezone.now() + dt.timedelta(days=6), by=room.rapporteur.user
    )
    summaries.save_draft(summary=summary, body=BODY + "\nBo Lindqvist disagreed.\n", by=room.rapporteur.user)
    client.force_login(room.rapporteur.user)
    response = client.post(url("summary_seal", summary))
    text = response.content.decode()
    assert response.status_code == 400 and "“Bo Lindqvist” (1 place)" in text and "before sealing" in text
    assert not SealJob.objects.exists()


def test_sealing_takes_the_text_on_the_screen_with_it(client, room):
    summary = in_review(room)
    summaries.close_review(
        summary=summary, now=timezone.now() + dt.timedelta(days=6), by=room.rapporteur.user
    )
    client.force_login(room.rapporteur.user)
    page = client.get(url("summary_detail", summary)).content.decode()
    assert 'form="summary-editor"' in page  # the Seal button submits the editor's text
    edited = BODY + "\nA last correction, not saved separately.\n"
    confirming = client.post(url("summary_seal", summary), {"body": edited})
    assert confirming.status_code == 200 and "A last correction" in confirming.content.decode()
    summary.refresh_from_db()
    assert summary.body != edited and summary.status == SummaryStatus.DRAFT  # asked, nothing written
    done = client.post(url("summary_seal", summary), {"body": edited, "confirmed": "yes"})
    assert done.status_code == 302
    summary.refresh_from_db()
    assert summary.body == edited and summary.status == SummaryStatus.SEALING


def test_sealing_progress_changes_only_a_lasting_live_region_and_never_reloads_the_page(client, room):
    summary = in_review(room)
    summaries.close_review(
        summary=summary, now=timezone.now() + dt.timedelta(days=6), by=room.rapporteur.user
    )
    client.force_login(room.rapporteur.user)
    assert client.post(url("summary_seal", summary), {"confirmed": "yes"}).status_code == 302
    page = client.get(url("summary_detail", summary)).content.decode()
    region = page.split('id="seal-status"', 1)[1].split("</div>", 1)[0]
    assert 'aria-live="polite"' in region and "Now: waiting for the sealing worker…" in region
    assert 'hx-trigger="every 1s"' in region and 'hx-target="#seal-status"' in region
    assert 'hx-swap="innerHTML"' in region and 'hx-swap="outerHTML"' not in page
    assert "role=" not in region and "autofocus" not in page  # one live region; nothing takes the focus
    assert ">reload the page</a>" in page  # without JavaScript
    # Without htmx the progress URL is the summary's page.
    assert client.get(url("summary_progress", summary))["Location"] == url("summary_detail", summary)
    poll = url("summary_progress", summary) + "?shown=" + region.split("?shown=", 1)[1].split('"', 1)[0]
    # Nothing new: nothing to swap, so the region, and what a screen reader last heard, stay as they are.
    assert client.get(poll, headers=HTMX).status_code == 204
    run_seal_job(job_id=summary_selectors.seal_job(summary=summary).pk)
    done = client.get(poll, headers=HTMX)
    body = done.content.decode()
    assert done.status_code == 200 and "HX-Refresh" not in done and "<html" not in body
    assert "Open the sealed summary" in body and "every 1s" not in body  # the way on, and no more polling
    assert 'id="seal-steps" class="seal-steps seal-progress--done" hx-swap-oob="true"' in body
    assert "Download my copy" in client.get(url("summary_detail", summary)).content.decode()


def test_a_failed_sealing_shows_its_reason_and_can_be_retried_or_returned_to_draft(client, room):
    summary = in_review(room)
    summaries.close_review(
        summary=summary, now=timezone.now() + dt.timedelta(days=6), by=room.rapporteur.user
    )
    summaries.request_seal(summary=summary, by=room.rapporteur.user)
    job = summary_selectors.seal_job(summary=summary)
    # The worker's verdict after its last attempt, as it records it.
    SealJob.objects.filter(pk=job.pk).update(
        state=SealJobState.FAILED, error="Tried 3 times. Last error: disk full"
    )
    client.force_login(room.rapporteur.user)
    partial = client.get(url("summary_progress", summary), headers=HTMX).content.decode()
    assert "Sealing failed." in partial and "disk full" in partial and "every 1s" not in partial
    assert "Retry" in partial and "Return to draft" in partial
    assert client.post(url("summary_seal_retry", summary)).status_code == 302
    job.refresh_from_db()
    assert job.state == SealJobState.QUEUED and job.error == ""
    assert AuditEvent.objects.filter(action="seal_requested", detail__retry=True).exists()
    SealJob.objects.filter(pk=job.pk).update(state=SealJobState.FAILED, error="The image could not be read")
    response = client.post(url("summary_seal_cancel", summary), follow=True)
    summary.refresh_from_db()
    assert (
        summary.status == SummaryStatus.DRAFT and "The summary is a draft again" in response.content.decode()
    )
    assert not SealJob.objects.exists()


# --- Sealed summaries -------------------------------------------------------------------------------------


def test_the_sealed_page_renders_the_sealed_text_and_marks_it_read(client, room):
    summary = sealed(room)
    accept_rules(room.amira)
    client.force_login(room.amira.user)
    text = client.get(url("summary_detail", summary)).content.decode()
    assert "<h2>Fisheries access</h2>" in text and "joint licensing board" in text
    assert "Download my copy" in text and summary.sealed_sha256 in text and "version 1" in text
    assert "Amend" not in text
    reading = SummaryReading.objects.get(summary=summary, user=room.amira.user)
    assert reading.first_read_at is not None and reading.downloaded_at is None
    assert AuditEvent.objects.filter(
        action="view", target_type="dialogues.summary", target_id=str(summary.pk), actor=room.amira.user
    ).exists()


def test_a_member_confirms_the_ground_rules_first_then_continues(client, room):
    summary = sealed(room)
    client.force_login(room.amira.user)
    response = client.get(url("summary_detail", summary))
    rules_url = reverse("dialogues:ground_rules", args=[room.dialogue.pk])
    assert response.status_code == 302 and response["Location"].startswith(rules_url + "?next=")
    page = client.get(response["Location"]).content.decode()
    assert room.dialogue.ground_rules.split()[0] in page and "I accept the ground rules" in page
    accepted = client.post(rules_url, {"next": url("summary_detail", summary)})
    assert accepted["Location"] == url("summary_detail", summary)
    assert Membership.objects.get(person=room.amira).ground_rules_accepted_at is not None
    assert AuditEvent.objects.filter(action="ground_rules_accepted", actor=room.amira.user).exists()
    assert client.get(url("summary_detail", summary)).status_code == 200
    # Somewhere else afterwards? Only to this site.
    offsite = client.post(rules_url, {"next": "https://evil.example/steal"})
    assert offsite["Location"] == reverse("dialogues:reading_room")


def test_download_gives_the_readers_own_copy_named_by_codename_uncached_and_audited(client, room):
    summary = sealed(room)
    accept_rules(room.amira)
    client.force_login(room.amira.user)
    response = client.get(url("summary_download", summary))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    codename = room.dialogue.codename
    series = room.workshop.series.position
    expected = f'attachment; filename="{codename}-series-{series}-workshop-{room.workshop.number}-v1.pdf"'
    assert response["Content-Disposition"] == expected and response["Cache-Control"] == "no-store"
    copy = SummaryCopy.objects.get(summary=summary, holder=room.amira)
    result = verify_pdf(response.content)
    assert result.ok and result.copy_code == copy.copy_code
    assert AuditEvent.objects.filter(
        action="download", target_type="dialogues.summarycopy", target_id=str(copy.pk), actor=room.amira.user
    ).exists()
    assert SummaryReading.objects.get(summary=summary, user=room.amira.user).downloaded_at is not None
    listed = client.get(reverse("dialogues:reading_room")).content.decode()
    assert "Downloaded" in listed and "Read on" in listed


def test_download_asks_for_the_ground_rules_first(client, room):
    summary = sealed(room)
    client.force_login(room.bo.user)
    response = client.get(url("summary_download", summary))
    assert response.status_code == 302 and "ground-rules" in response["Location"]
    assert "download" in response["Location"]


def test_an_account_without_a_person_is_told_copies_go_to_people_only(client, room):
    summary = sealed(room)
    admin = UserFactory(is_staff=True, is_superuser=True)
    services.grant_break_glass(
        by=admin, dialogue=room.dialogue, reason="A participant is in danger", minutes=30
    )
    client.force_login(admin)
    response = client.get(url("summary_download", summary), follow=True)
    assert response.redirect_chain[-1][0] == url("summary_detail", summary)
    assert "Copies are issued to people only" in response.content.decode()
    assert not SummaryCopy.objects.filter(summary=summary, audience=False).exists()


def test_amending_opens_the_new_versions_editor_and_the_versions_point_at_each_other(client, room):
    first = sealed(room)
    client.force_login(room.rapporteur.user)
    assert "Amend this summary" in client.get(url("summary_detail", first)).content.decode()
    response = client.post(url("summary_amend", first))
    amendment = Summary.objects.get(supersedes=first)
    assert response["Location"] == url("summary_detail", amendment)
    editor = client.get(response["Location"]).content.decode()
    assert "This draft amends" in editor and "Save the draft" in editor
    assert "is being written" in client.get(url("summary_detail", first)).content.decode()
    amendment = summaries.open_review(
        summary=summaries.save_draft(
            summary=amendment, body=BODY + "\nA correction.\n", by=room.rapporteur.user
        ),
        deadline=timezone.now() + dt.timedelta(days=1),
        by=room.rapporteur.user,
    )
    summaries.close_review(
        summary=amendment, now=timezone.now() + dt.timedelta(days=2), by=room.rapporteur.user
    )
    amendment = seal(amendment, room.rapporteur.user)
    accept_rules(room.amira)
    client.force_login(room.amira.user)
    old = client.get(url("summary_detail", first)).content.decode()
    assert "Superseded by version 2" in old
    new = client.get(url("summary_detail", amendment)).content.decode()
    assert "Amends" in new and "version 1" in new and "A correction." in new


def test_the_reading_room_lists_by_dialogue_with_new_and_read_marks(client, room):
    summary = sealed(room)
    accept_rules(room.amira)
    client.force_login(room.amira.user)
    text = client.get(reverse("dialogues:reading_room")).content.decode()
    assert room.dialogue.codename in text and f"Workshop {room.workshop.number}" in text and ">New<" in text
    client.get(url("summary_detail", summary))
    text = client.get(reverse("dialogues:reading_room")).content.decode()
    assert ">New<" not in text and "Read on" in text


def test_the_reading_room_explains_itself_when_empty_and_lists_reviews(client, room):
    client.force_login(room.bo.user)
    text = client.get(reverse("dialogues:reading_room")).content.decode()
    assert "No sealed summaries yet" in text and "shared only with the people who were in the room" in text
    summary = in_review(room)
    text = client.get(reverse("dialogues:reading_room")).content.decode()
    assert "Drafts waiting for your comments" in text and url("summary_detail", summary) in text
    client.force_login(room.absent.user)
    assert "Drafts waiting" not in client.get(reverse("dialogues:reading_room")).content.decode()


# --- Query counts -------------------------------------------------------------------------------------------


def _held_workshops(room, count: int) -> list[Summary]:
    """`count` sealed summaries of workshops the room's attendees attended."""
    found = []
    for n in range(count):
        workshop = WorkshopFactory(
            series=room.workshop.series,
            starts_at=room.workshop.starts_at - dt.timedelta(days=30 * (n + 1)),
            ends_at=room.workshop.ends_at - dt.timedelta(days=30 * (n + 1)),
        )
        for person in (room.amira, room.bo):
            InvitationFactory(workshop=workshop, person=person, status=InvitationStatus.ATTENDED)
        summary = summaries.save_draft(
            summary=summaries.start_summary(workshop=workshop, by=room.rapporteur.user),
            body=BODY,
            by=room.rapporteur.user,
        )
        found.append(seal(summary, room.rapporteur.user))
    return found


@pytest.mark.parametrize("count", [1, 3])
def test_reading_room_query_count_is_constant(client, room, django_assert_num_queries, count):
    for summary in _held_workshops(room, count):
        summaries.mark_read(summary=summary, by=room.amira.user, downloaded=True)
    client.force_login(room.amira.user)
    client.get(reverse("dialogues:reading_room"))  # warm per-process caches (content types)
    # session, user, what the user holds, sealed summaries (with the seen marks), their languages, reviews
    with django_assert_num_queries(6):
        response = client.get(reverse("dialogues:reading_room"))
    assert response.content.decode().count('<li class="reading-row') == count


@pytest.mark.parametrize("count", [1, 3])
def test_sealed_page_query_count_is_constant(client, room, django_assert_num_queries, count):
    summary = _held_workshops(room, count)[0]
    for _ in range(count):  # more readers, more copies
        reader = PersonFactory(user=UserFactory())
        summaries.copy_for(summary=summary, person=reader, by=room.rapporteur.user)
    accept_rules(room.amira)
    client.force_login(room.amira.user)
    client.get(url("summary_detail", summary))  # warm caches; the first reading is recorded
    # session, user, summary (+ audit), membership, reading (savepoint, select,
    # release), newer version, dialogue access, the versions in other languages
    with django_assert_num_queries(11):
        response = client.get(url("summary_detail", summary))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 4])
def test_review_page_query_count_is_constant_in_comments(client, room, django_assert_num_queries, count):
    summary = in_review(room)
    for n in range(count):
        author = room.amira if n % 2 else room.bo
        summaries.add_review_comment(
            summary=summary, person=author, section="", body=f"Comment {n}", by=author.user
        )
    client.force_login(room.rapporteur.user)
    client.get(url("summary_detail", summary))
    # session, user, summary (+ audit), access, progress, comments with authors,
    # time zone, the versions in other languages
    with django_assert_num_queries(9):
        response = client.get(url("summary_detail", summary))
    assert response.content.decode().count('class="comment comment--') == count


def test_sealing_is_refused_while_the_draft_holds_a_character_no_pdf_font_has(client, room):
    summary = in_review(room)
    summaries.close_review(
        summary=summary, now=timezone.now() + dt.timedelta(days=6), by=room.rapporteur.user
    )
    # A hieroglyph typed, one hidden behind a character reference, a private-use character: all named.
    body = BODY + "\nThe \U00013000 sign, &#x1F600; and \ue000 (\u202eevil\u202c, \u200djoined).\n"
    client.force_login(room.rapporteur.user)
    response = client.post(url("summary_seal", summary), {"body": body, "confirmed": "yes"})
    text = response.content.decode()
    assert response.status_code == 400, text[:500]
    assert "These characters have no font in Trackii&#x27;s PDFs" in text
    assert "\U00013000 (U+13000), \ue000 (U+E000), \U0001f600 (U+1F600)" in text
    assert "U+202E" not in text and "U+200D" not in text  # format characters are not drawn: not refused
    assert not SealJob.objects.exists()
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT and summary.body != body


def test_sealing_is_refused_while_the_third_party_name_holds_a_character_no_pdf_font_has(client, room):
    """The PDF carries more than the draft: the Third Party's name and the ground rules are checked too."""
    summary = draft(room)
    third_party = room.dialogue.third_party
    ThirdParty.objects.filter(pk=third_party.pk).update(name=f"{third_party.name} \U0001f54a")
    client.force_login(room.rapporteur.user)
    for data in ({"body": BODY}, {"body": BODY, "confirmed": "yes"}):
        response = client.post(url("summary_seal", summary), data)
        text = response.content.decode()
        assert response.status_code == 400, text[:500]
        assert "This character has no font in Trackii&#x27;s PDFs: \U0001f54a (U+1F54A)" in text
    assert not SealJob.objects.exists()


def test_a_summary_in_every_supported_script_seals_and_verifies(room):
    body = (
        BODY
        + "\n"
        + "\n".join(
            f"- {text}"
            for text in (
                "Überprüfung — «accord» “quoted” ½ € №",
                "Ελληνικά · Русский текст · Հայերեն · ქართული",
                "עברית · العربية · اردو: پاکستان کے لوگ · فارسی: گفتگو",
                "हिन्दी: प्रस्ताव पर चर्चा",
                "中文 水资源 · 日本語 ひらがな・カタカナ · 한국어: 대화",
            )
        )
    )
    summary = sealed(room, body)
    assert verify_pdf(summary_selectors.sealed_pdf_of(summary=summary)).ok


def test_draft_page_reads_the_versions_once(client, room, django_assert_num_queries):
    summary = draft(room)
    summaries.save_parallel_version(
        summary=summary, language_code="fr", body="## Pêche\n\nUn conseil commun.\n", by=room.rapporteur.user
    )
    client.force_login(room.rapporteur.user)
    client.get(url("summary_detail", summary))  # warm caches
    # session, user, summary (+ audit), time zone, the versions in other languages (once: the attribution
    # check and the editors share them; 11 queries when each read them), comments, the dialogue's people and
    # their other names
    with django_assert_num_queries(10):
        response = client.get(url("summary_detail", summary))
    assert response.status_code == 200


def test_seal_confirmation_reads_the_versions_once(client, room, django_assert_num_queries):
    summary = draft(room)
    summaries.save_parallel_version(
        summary=summary, language_code="fr", body="## Pêche\n\nUn conseil commun.\n", by=room.rapporteur.user
    )
    client.force_login(room.rapporteur.user)
    client.post(url("summary_seal", summary), {"body": BODY})  # warm caches
    # session, user, summary (+ audit), the versions in other languages (once: the checks, the PDF's
    # characters and the page share them; 14 queries when each read them), attendees, the dialogue's people
    # and their other names, the Third Party (the PDF's characters), the audience
    with django_assert_num_queries(11):
        response = client.post(url("summary_seal", summary), {"body": BODY})
    assert response.status_code == 200, response.content.decode()[:300]
