"""The summary lifecycle through its services, with real WeasyPrint and pyHanko: draft, attribution guard,
review, sealing (the worker's code, run in the test), copies, amendment."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dialogues import selectors
from dialogues.enums import InvitationStatus, NotificationKind, ReviewCommentStatus, SummaryStatus
from dialogues.models import Notification, Summary, SummaryCopy
from dialogues.summaries import selectors as summary_selectors
from dialogues.summaries import services as summaries
from dialogues.summaries.documents import copy_context
from tests.factories import (
    AgendaItemFactory,
    FacilitatorFactory,
    InvitationFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.crypto import DecryptionError, decrypt
from trackii.sealing.enums import SealJobState
from trackii.sealing.models import SealJob
from trackii.sealing.services import run_seal_job
from trackii.sealing.verify import verify_pdf

pytestmark = pytest.mark.django_db

BODY = "## Fisheries access\n\nThe group explored a joint licensing board.\n\n## Next steps\n\nA paper.\n"


@pytest.fixture
def room():
    """A held workshop: two attendees with logins, one without, one absentee, a facilitator."""
    workshop = WorkshopFactory(
        starts_at=timezone.now() - dt.timedelta(days=3), ends_at=timezone.now() - dt.timedelta(days=2)
    )
    dialogue = workshop.series.dialogue
    AgendaItemFactory(workshop=workshop, title="Fisheries access")
    AgendaItemFactory(workshop=workshop, title="Security planning", facilitators_only=True)
    people = {
        "amira": PersonFactory(name="Amira Haddad", affiliation="Ministry of Fisheries", user=UserFactory()),
        "bo": PersonFactory(name="Bo Lindqvist", user=UserFactory()),
        "no_login": PersonFactory(name="Chen Wei"),
        "absent": PersonFactory(name="Dara Okafor", user=UserFactory()),
    }
    for key, person in people.items():
        MembershipFactory(person=person, dialogue=dialogue)
        status = InvitationStatus.ABSENT if key == "absent" else InvitationStatus.ATTENDED
        InvitationFactory(workshop=workshop, person=person, status=status)
    facilitator = FacilitatorFactory(dialogue=dialogue, person=PersonFactory(user=UserFactory())).person
    return workshop, people, facilitator


def seal_now(summary, by):
    summaries.request_seal(summary=summary, by=by)
    job = SealJob.objects.get(kind="summary", object_id=summary.pk)
    run_seal_job(job_id=job.pk)
    summary.refresh_from_db()
    return summary


def test_start_summary_opens_with_the_agenda_participants_saw(room):
    workshop, _, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    assert summary.version == 1 and summary.status == SummaryStatus.DRAFT
    assert "## Fisheries access" in summary.body and "Security planning" not in summary.body
    assert summaries.start_summary(workshop=workshop, by=facilitator.user) == summary


def test_summary_body_is_encrypted_at_rest(room):
    workshop, _, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body="## A\n\nJoint licensing board", by=facilitator.user)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM dialogues_summary WHERE id = %s", [summary.pk])
        stored = bytes(cursor.fetchone()[0])
    assert b"licensing" not in stored


def test_guard_flags_names_pseudonyms_emails_and_affiliations_in_context(room):
    workshop, people, facilitator = room
    amira = people["amira"]
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    body = (
        f"## Fisheries access\n\nAs Amira  Haddad put it, the Ministry of Fisheries would object.\n"
        f"Haddad also wrote to {amira.email}; {people['bo'].pseudonym} agreed.\n"
    )
    summary = summaries.save_draft(summary=summary, body=body, by=facilitator.user)
    findings = {f.term.text: f for f in summary_selectors.attribution_findings(summary=summary)}
    assert set(findings) == {
        "Amira Haddad",
        "Ministry of Fisheries",
        "Haddad",
        amira.email,
        people["bo"].pseudonym,
    }
    mention = findings["Amira Haddad"].mentions[0]
    assert mention.section == "Fisheries access" and mention.before.endswith("As ")
    with pytest.raises(ValidationError, match="Amira Haddad"):
        summaries.open_review(
            summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=facilitator.user
        )
    with pytest.raises(ValidationError, match="names people"):
        summaries.request_seal(summary=summary, by=facilitator.user)


def test_accepting_a_mention_stores_no_name_and_unblocks(room):
    workshop, _people, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    body = "## A\n\nThe Ministry of Fisheries published a statement."
    summary = summaries.save_draft(summary=summary, body=body, by=facilitator.user)
    summaries.accept_mention(summary=summary, term="ministry of  fisheries", by=facilitator.user)
    summary.refresh_from_db()
    assert "Fisheries" not in str(summary.accepted_mentions)
    assert all(f.accepted for f in summary_selectors.attribution_findings(summary=summary))
    summaries.open_review(
        summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=facilitator.user
    )
    with pytest.raises(ValidationError, match="no longer appears"):
        summaries.accept_mention(summary=summary, term="Nobody Here", by=facilitator.user)


def test_review_round_grants_only_attendees_and_tells_them(room):
    workshop, people, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    summaries.open_review(
        summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=facilitator.user
    )
    assert people["amira"].user.has_perm("dialogues.review_summary", summary)
    assert not people["absent"].user.has_perm("dialogues.review_summary", summary)
    told = set(
        Notification.objects.filter(kind=NotificationKind.REVIEW).values_list("person__pseudonym", flat=True)
    )
    assert told == {people[k].pseudonym for k in ("amira", "bo")}
    # Only attendees who can respond in Trackii are asked and count; Chen (no login) blocks nothing.
    progress = summary_selectors.review_progress(summary=summary)
    assert (progress.reviewers, progress.attendees) == (2, 3)


def test_review_closes_only_after_deadline_or_every_response(room):
    workshop, people, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    summaries.open_review(
        summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=facilitator.user
    )
    comment = summaries.add_review_comment(
        summary=summary,
        person=people["amira"],
        section="Next steps",
        body="Say who drafts it",
        suggested_text="X",
        by=people["amira"].user,
    )
    with pytest.raises(ValidationError, match="1 of 2 reviewers"):
        summaries.close_review(summary=summary, by=facilitator.user)
    with pytest.raises(ValidationError, match="attended"):
        summaries.add_review_comment(
            summary=summary, person=people["absent"], section="", body="Hi", by=people["absent"].user
        )
    with pytest.raises(ValidationError):
        summaries.add_review_comment(
            summary=summary, person=people["bo"], section="Invented", body="Hi", by=people["bo"].user
        )
    summaries.sign_off_review(summary=summary, person=people["bo"], by=people["bo"].user)
    summaries.sign_off_review(summary=summary, person=people["no_login"], by=facilitator.user)
    assert summary_selectors.review_progress(summary=summary).complete
    summaries.respond_to_comment(comment=comment, status=ReviewCommentStatus.ACCEPTED, by=facilitator.user)
    summaries.close_review(summary=summary, by=facilitator.user)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT
    assert not people["amira"].user.has_perm("dialogues.review_summary", summary)
    # Past the deadline, review closes whoever has responded.
    summaries.open_review(
        summary=summary, deadline=timezone.now() + dt.timedelta(minutes=1), by=facilitator.user
    )
    summaries.close_review(summary=summary, now=timezone.now() + dt.timedelta(minutes=2), by=facilitator.user)


def test_sealing_freezes_audience_and_makes_one_verified_copy_each(room):
    workshop, people, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    summary = seal_now(summary, facilitator.user)
    assert summary.status == SummaryStatus.SEALED and len(summary.sealed_sha256) == 64
    assert b"%PDF" not in bytes(summary.sealed_pdf)  # encrypted at rest
    master = summary_selectors.sealed_pdf_of(summary=summary)
    assert verify_pdf(master).ok and verify_pdf(master).document_id == f"summary:{summary.pk}:v1"
    copies = {copy.holder.pseudonym: copy for copy in SummaryCopy.objects.filter(summary=summary)}
    assert set(copies) == {people[k].pseudonym for k in ("amira", "bo", "no_login")}
    for copy in copies.values():
        pdf = summary_selectors.copy_pdf(copy=copy)
        result = verify_pdf(pdf)
        assert result.ok and result.copy_code == copy.copy_code
        event = AuditEvent.objects.get(pk=copy.audit_event_id)
        assert event.action == "copy_issued" and event.target_id == copy.copy_code
    assert people["bo"].user.has_perm("dialogues.view_summary", summary)
    assert not people["absent"].user.has_perm("dialogues.view_summary", summary)


def test_a_downloaded_team_copy_verifies_is_encrypted_and_audited_and_an_altered_one_is_refused(room):
    workshop, _, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    summary = seal_now(summary, facilitator.user)
    audience_codes = set(SummaryCopy.objects.filter(summary=summary).values_list("copy_code", flat=True))
    # A member of the facilitation team gets a copy of their own on first download, from the same master.
    copy = summaries.issue_download(summary=summary, person=facilitator, by=facilitator.user)
    assert copy.copy_code not in audience_codes and not copy.audience
    assert b"%PDF" not in bytes(copy.pdf)  # encrypted at rest
    pdf = summary_selectors.copy_pdf(copy=copy)
    verification = verify_pdf(pdf)
    assert verification.ok, verification.problems
    assert (verification.copy_code, verification.document_id) == (copy.copy_code, f"summary:{summary.pk}:v1")
    issued = AuditEvent.objects.get(pk=copy.audit_event_id)
    assert (issued.action, issued.target_id) == (Action.COPY_ISSUED, copy.copy_code)
    assert AuditEvent.objects.filter(action=Action.DOWNLOAD, target_id=str(copy.pk)).count() == 1
    # The holder rewrites their code as an audience member's: the seal no longer holds.
    other = sorted(audience_codes)[0]
    altered = pdf.replace(copy.copy_code.encode(), other.encode())
    assert altered != pdf and not verify_pdf(altered).ok


def test_a_second_delivery_never_seals_twice(room):
    workshop, _, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    summary = seal_now(summary, facilitator.user)
    job = SealJob.objects.get(kind="summary", object_id=summary.pk)
    assert job.state == SealJobState.DONE
    run_seal_job(job_id=job.pk)
    summaries.request_seal(summary=summary, by=facilitator.user)
    summary.refresh_from_db()
    assert summary.sealed_sha256 == Summary.objects.get(pk=summary.pk).sealed_sha256
    assert SummaryCopy.objects.filter(summary=summary).count() == 3
    assert SealJob.objects.count() == 1


def test_sealed_summary_cannot_change(room):
    workshop, _, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    summary = seal_now(summary, facilitator.user)
    with pytest.raises(ValidationError):
        summaries.save_draft(summary=summary, body="changed", by=facilitator.user)
    # Below the model, the database's trigger refuses a properly encrypted value too.
    changed = Summary._meta.get_field("body").encrypt_for(summary, "changed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Summary.objects.filter(pk=summary.pk).update(body=changed)


def test_amendment_supersedes_and_keeps_the_frozen_audience(room):
    workshop, _people, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    first = seal_now(summary, facilitator.user)
    # Someone's attendance is corrected after sealing: the amendment still goes to the first audience.
    late = PersonFactory(user=UserFactory())
    InvitationFactory(workshop=workshop, person=late, status=InvitationStatus.ATTENDED)
    amendment = summaries.amend_summary(summary=first, by=facilitator.user)
    assert amendment.version == 2 and amendment.supersedes == first and amendment.body == first.body
    assert summaries.amend_summary(summary=first, by=facilitator.user) == amendment
    amendment = summaries.save_draft(summary=amendment, body=BODY + "\nA correction.\n", by=facilitator.user)
    amendment = seal_now(amendment, facilitator.user)
    first.refresh_from_db()
    assert first.status == SummaryStatus.SUPERSEDED and amendment.status == SummaryStatus.SEALED
    holders = set(SummaryCopy.objects.filter(summary=amendment).values_list("holder__pseudonym", flat=True))
    assert late.pseudonym not in holders and len(holders) == 3
    assert not late.user.has_perm("dialogues.view_summary", amendment)


def test_a_refused_resource_fails_the_job_with_its_reason_and_the_draft_can_return(room):
    workshop, _, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summaries.save_draft(
        summary=summary,
        body='## A\n\n<img src="file:///etc/passwd">\n\n![x](file:///etc/passwd)',
        by=facilitator.user,
    )
    summaries.request_seal(summary=summary, by=facilitator.user)
    job = run_seal_job(job_id=SealJob.objects.get().pk)
    summary.refresh_from_db()
    if job.state == SealJobState.DONE:
        # The sanitiser removed the image before rendering: sealed, and the file is not in it.
        assert b"root:" not in summary_selectors.sealed_pdf_of(summary=summary)
        return
    assert job.state == SealJobState.FAILED and "file:///etc/passwd" in job.error
    assert summary.status == SummaryStatus.SEALING
    summaries.cancel_seal(summary=summary, by=facilitator.user)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT and not SealJob.objects.exists()


def test_an_attendee_without_login_gets_the_summary_with_their_login(room):
    from dialogues.services import sync_person_grants

    workshop, people, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    summary = seal_now(summary, facilitator.user)
    person = people["no_login"]
    person.user = UserFactory()
    person.save()
    sync_person_grants(person=person)
    assert person.user.has_perm("dialogues.view_summary", summary)


def test_decrypting_a_copy_under_another_code_fails(room):
    workshop, _, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    summary = seal_now(summary, facilitator.user)
    first, second = SummaryCopy.objects.filter(summary=summary)[:2]
    with pytest.raises(DecryptionError):
        decrypt(bytes(first.pdf), context=copy_context(second.copy_code))


def test_review_request_is_e_mailed_with_the_codename_only(room, mailoutbox):
    from dialogues.scheduling import notifications

    workshop, _people, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    now = timezone.now()
    summaries.open_review(summary=summary, deadline=now + dt.timedelta(days=3), now=now, by=facilitator.user)
    # The two attendees with a login: the one without cannot review, and is not asked to.
    assert notifications.deliver_notifications(now=now + dt.timedelta(minutes=3)) == 2
    codename = workshop.series.dialogue.codename
    for message in mailoutbox:
        assert message.subject == (
            f"{codename} · series {workshop.series.position} · workshop {workshop.number}: "
            "the summary is ready for your review"
        )
        assert "/summaries/" in message.body or "Summaries" in message.body
        assert "Amira" not in message.body and "licensing" not in message.body


def test_a_corrected_attendance_ends_review_access_at_once(room):
    from dialogues.models import Invitation

    workshop, people, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    summaries.open_review(
        summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=facilitator.user
    )
    amira = people["amira"].user
    assert selectors.summaries_for_user(user=amira).filter(pk=summary.pk).exists()
    Invitation.objects.filter(workshop=workshop, person=people["amira"]).update(
        status=InvitationStatus.ABSENT
    )
    assert not selectors.summaries_for_user(user=amira).filter(pk=summary.pk).exists()
    summaries.close_review(summary=summary, now=timezone.now() + dt.timedelta(days=4), by=facilitator.user)
    assert not amira.has_perm("dialogues.review_summary", summary)


def test_a_job_that_keeps_killing_its_worker_fails_instead_of_looping(room):
    from trackii.sealing.services import MAX_ATTEMPTS, relay_seal_jobs

    workshop, _people, facilitator = room
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    summaries.request_seal(summary=summary, by=facilitator.user)
    SealJob.objects.update(
        state=SealJobState.RENDERING,
        attempts=MAX_ATTEMPTS,
        lease_until=timezone.now() - dt.timedelta(seconds=1),
    )
    assert relay_seal_jobs() == 0
    job = SealJob.objects.get()
    assert job.state == SealJobState.FAILED and f"{MAX_ATTEMPTS} times" in job.error
    assert summaries.retry_seal(summary=summary, by=facilitator.user)
    assert SealJob.objects.get().state == SealJobState.QUEUED


def test_each_change_of_a_summary_writes_one_audit_row_that_names_no_content(room):
    workshop, people, facilitator = room
    amira = people["amira"]
    summary = summaries.start_summary(workshop=workshop, by=facilitator.user)
    deadline = timezone.now() + dt.timedelta(days=3)
    # Each of them twice: the second time changes nothing, so it writes nothing.
    for _ in range(2):
        summary = summaries.save_draft(summary=summary, body=BODY, by=facilitator.user)
    for _ in range(2):
        summary = summaries.open_review(summary=summary, deadline=deadline, by=facilitator.user)
        summaries.sign_off_review(summary=summary, person=amira, by=amira.user)
    comment = summaries.add_review_comment(
        summary=summary, person=amira, section="Next steps", body="Say who drafts it", by=amira.user
    )
    for _ in range(2):
        summaries.respond_to_comment(
            comment=comment,
            status=ReviewCommentStatus.ANSWERED,
            response="It stays open.",
            by=facilitator.user,
        )
    summaries.close_review(summary=summary, now=deadline + dt.timedelta(minutes=1), by=facilitator.user)
    summary = seal_now(summary, facilitator.user)
    for _ in range(2):
        summaries.mark_read(summary=summary, by=amira.user)

    new = {
        Action.SUMMARY_STARTED,
        Action.DRAFT_SAVED,
        Action.REVIEW_COMMENTED,
        Action.REVIEW_SIGNED_OFF,
        Action.COMMENT_ANSWERED,
        Action.SUMMARY_FIRST_READ,
    }
    rows = list(AuditEvent.objects.filter(action__in=new).order_by("id"))
    assert [(row.action, row.actor_id, row.target_id) for row in rows] == [
        (Action.SUMMARY_STARTED, facilitator.user.pk, str(summary.pk)),
        (Action.DRAFT_SAVED, facilitator.user.pk, str(summary.pk)),
        (Action.REVIEW_SIGNED_OFF, amira.user.pk, str(summary.signoffs.get().pk)),
        (Action.REVIEW_COMMENTED, amira.user.pk, str(comment.pk)),
        (Action.COMMENT_ANSWERED, facilitator.user.pk, str(comment.pk)),
        (Action.SUMMARY_FIRST_READ, amira.user.pk, str(summary.pk)),
    ]
    assert {row.dialogue_id for row in rows} == {workshop.series.dialogue_id}
    details = str([row.detail for row in rows])
    for secret in ("Next steps", "drafts it", "stays open", "licensing", "Amira"):
        assert secret not in details
