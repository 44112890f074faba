"""The life of a workshop summary: draft → review → sealing → sealed, then amendments, copies and reading.

Keyword-only, one transaction each, safe to repeat. Refusals raise ValidationError in words a facilitator or
participant can act on. Sealing itself runs in Celery (trackii/sealing/services.py); this module writes the
outbox row and, once the worker has a sealed PDF, completes it (complete_seal).
"""

import datetime as dt
import hashlib
from copy import copy as copied

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dialogues.enums import NotificationKind, ReviewCommentStatus, SummaryStatus, WorkshopStatus
from dialogues.models import ReviewComment, ReviewSignoff, Summary, SummaryCopy, SummaryReading, Workshop
from dialogues.permissions import OPEN_STATUSES, SEALED_STATUSES
from dialogues.scheduling.notifications import queue_notifications
from dialogues.summaries import attribution
from dialogues.summaries.documents import SEAL_KIND, copy_context, document_id, summary_context
from dialogues.summaries.selectors import (
    STEERING_FIELDS,
    attendees,
    attribution_findings,
    audience_at_sealing,
    check_close_reason,
    check_replacement,
    opening_body,
    review_progress,
    reviewers_of,
    seal_job,
    sealed_pdf_of,
)
from participants import services as participant_services
from participants.models import Membership, Person
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.crypto import encrypt
from trackii.db import next_number
from trackii.permissions import grant, revoke
from trackii.sealing.enums import SealJobState
from trackii.sealing.models import SealJob
from trackii.sealing.seal import new_copy_code, stamp_copy
from trackii.sealing.services import request_seal_job, retry_seal_job

NO_ATTENDEE = (
    "Nobody is recorded as having attended this workshop. Record attendance first: the summary is reviewed "
    "by, and sealed for, the people who were in the room."
)


def _refuse_without_attendees(workshop: Workshop) -> None:
    if not attendees(workshop=workshop).exists():
        raise ValidationError(NO_ATTENDEE)


def _locked(summary: Summary) -> Summary:
    return Summary.objects.select_for_update().select_related("workshop__series__dialogue").get(pk=summary.pk)


@transaction.atomic
def start_summary(*, workshop: Workshop, by: User) -> Summary:
    """The workshop's draft: the one being written if there is one, else a new first version. Only a workshop
    that has taken place has a summary."""
    if workshop.status == WorkshopStatus.CANCELLED or workshop.starts_at > timezone.now():
        raise ValidationError("A summary is written once the workshop has taken place.")
    Workshop.objects.select_for_update().get(pk=workshop.pk)
    current = workshop.summaries.filter(status__in=OPEN_STATUSES).first()
    if current is not None:
        return current
    _refuse_without_attendees(workshop)
    if workshop.summaries.exists():
        raise ValidationError("This workshop's summary is sealed. Amend it to make a new version.")
    summary = Summary.objects.create(
        workshop=workshop, version=1, body=opening_body(workshop=workshop), created_by=by
    )
    record_event(actor=by, action=Action.SUMMARY_STARTED, target=summary)
    return summary


@transaction.atomic
def save_draft(*, summary: Summary, body: str, by: User) -> Summary:
    summary = _locked(summary)
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError(
            "Only a draft can be edited. Close the review first, then take in the corrections."
            if summary.status == SummaryStatus.IN_REVIEW
            else "This version can no longer be edited."
        )
    if body != summary.body:
        summary.body = body
        summary.save(update_fields=["body"])
        record_event(actor=by, action=Action.DRAFT_SAVED, target=summary)
    return summary


def _save_on_the_way(summary: Summary, *, body: str | None, by: User) -> Summary:
    """The summary, locked, with the text a button of the editor carried saved in the caller's transaction
    (a version no longer in draft keeps its text: the caller says why it goes no further)."""
    summary = _locked(summary)
    if body is not None and summary.status == SummaryStatus.DRAFT:
        summary = save_draft(summary=summary, body=body, by=by)
    return summary


def _refuse_unresolved_mentions(summary: Summary, *, before: str) -> None:
    open_findings = [finding for finding in attribution_findings(summary=summary) if not finding.accepted]
    if open_findings:
        listed = ", ".join(
            f"“{f.term.text}” ({len(f.mentions)} {'place' if len(f.mentions) == 1 else 'places'})"
            for f in open_findings[:5]
        )
        more = f" and {len(open_findings) - 5} more" if len(open_findings) > 5 else ""
        raise ValidationError(
            f"The draft names people or organisations of this dialogue: {listed}{more}. Remove them, or "
            f"accept each one in the attribution check, before {before}."
        )


@transaction.atomic
def accept_mention(*, summary: Summary, term: str, by: User) -> Summary:
    """Stop flagging `term` in this version: a facilitator judged this mention does not attribute anything."""
    summary = _locked(summary)
    if summary.status not in {SummaryStatus.DRAFT, SummaryStatus.IN_REVIEW}:
        raise ValidationError("This version can no longer be changed.")
    key = attribution.mention_key(term)
    if key not in {finding.term.key for finding in attribution_findings(summary=summary)}:
        raise ValidationError("That text no longer appears in the draft.")
    if key not in summary.accepted_mentions:
        summary.accepted_mentions = [*summary.accepted_mentions, key]
        summary.save(update_fields=["accepted_mentions"])
        # The audit row says that a mention was accepted, not which: the log must not hold the names either.
        record_event(actor=by, action=Action.MENTION_ACCEPTED, target=summary)
    return summary


@transaction.atomic
def open_review(
    *,
    summary: Summary,
    deadline: dt.datetime,
    by: User,
    body: str | None = None,
    now: dt.datetime | None = None,
) -> Summary:
    """Open the participants' review round of a draft, until the deadline. Attendees are told by e-mail.
    `body` is the text on the editor's screen: saved first, in the same transaction, so a refused review
    saves nothing either."""
    now = now or timezone.now()
    summary = _save_on_the_way(summary, body=body, by=by)
    if summary.status == SummaryStatus.IN_REVIEW:
        return summary
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError("Only a draft can be sent for review.")
    if not summary.body.strip():
        raise ValidationError("The draft is empty. Write the summary before opening the review.")
    _refuse_without_attendees(summary.workshop)
    if deadline <= now:
        raise ValidationError({"review_deadline": "The review deadline must be in the future."})
    _refuse_unresolved_mentions(summary, before="the review")
    summary.status, summary.review_deadline = SummaryStatus.IN_REVIEW, deadline
    # A new round starts unsteered: no early close, no reminder yet.
    summary.review_closed_early_at, summary.review_close_reason, summary.review_reminded_at = None, "", None
    fields = ["status", "review_deadline", *STEERING_FIELDS]
    summary.save(update_fields=fields)
    # Only the people who were in the room review the draft.
    people = list(attendees(workshop=summary.workshop))
    for user in User.objects.filter(person__in=people):
        grant("dialogues.review_summary", user, summary)
    # Only those with a login can review, so only they are told; the rest are listed on the review page.
    asked = [person for person in people if person.user_id]
    queue_notifications(workshop=summary.workshop, people=asked, kind=NotificationKind.REVIEW, now=now)
    record_event(actor=by, action=Action.REVIEW_OPENED, target=summary, detail={"reviewers": len(people)})
    return summary


@transaction.atomic
def close_review(*, summary: Summary, by: User, reason: str = "", now: dt.datetime | None = None) -> Summary:
    """End the review round once its deadline has passed or every reviewer who can respond has; or now,
    with a `reason` the reviewers are shown (an early close). The draft goes back to its authors."""
    now = now or timezone.now()
    summary = _locked(summary)
    if summary.status == SummaryStatus.DRAFT:
        return summary
    if summary.status != SummaryStatus.IN_REVIEW:
        raise ValidationError("This summary is not in review.")
    reason = check_close_reason(reason) if reason.strip() else ""
    progress = review_progress(summary=summary)
    if not reason and summary.review_deadline and summary.review_deadline > now and not progress.complete:
        raise ValidationError(
            f"The review is open until {timezone.localtime(summary.review_deadline):%-d %b %Y, %H:%M} and "
            f"{progress.responded} of {progress.reviewers} reviewers have responded. It can close when the "
            "deadline passes or everyone has responded, or now with a reason."
        )
    summary.status = SummaryStatus.DRAFT
    if reason:
        summary.review_closed_early_at, summary.review_close_reason = now, reason
    summary.save(update_fields=["status", "review_closed_early_at", "review_close_reason"])
    # Everyone who was asked, including anyone whose attendance was corrected since.
    for user in reviewers_of(summary=summary):
        revoke("dialogues.review_summary", user, summary)
    # The reason is stored encrypted on the summary; the log keeps the fact and the counts.
    detail = {"reviewers": progress.reviewers, "responded": progress.responded} if reason else None
    action = Action.REVIEW_CLOSED_EARLY if reason else Action.REVIEW_CLOSED
    record_event(actor=by, action=action, target=summary, detail=detail)
    return summary


def _reviewer(summary: Summary, person: Person | None) -> Person:
    if person is None or not attendees(workshop=summary.workshop).filter(pk=person.pk).exists():
        raise ValidationError("Only the people who attended this workshop review its summary.")
    if summary.status != SummaryStatus.IN_REVIEW:
        raise ValidationError("The review of this summary is closed.")
    return person


@transaction.atomic
def add_review_comment(
    *,
    summary: Summary,
    person: Person | None,
    by: User,
    section: str,
    body: str,
    suggested_text: str = "",
    quote: str = "",
) -> ReviewComment:
    """A reviewer's (`person`) comment, recorded by `by`: themselves, or a facilitator taking it down."""
    person = _reviewer(_locked(summary), person)
    if not body.strip():
        raise ValidationError({"body": "Write your comment."})
    known = attribution.sections(summary.body)
    if section and section not in known:
        raise ValidationError({"section": "Choose one of the draft's sections."})
    check_replacement(body=summary.body, quote=quote, suggested_text=suggested_text)
    comment = ReviewComment.objects.create(
        summary=summary,
        author=person,
        section=section,
        body=body.strip(),
        suggested_text=suggested_text.strip(),
        quote=quote.strip(),
    )
    # The section is a heading of the draft: the row keeps ids only.
    record_event(
        actor=by,
        action=Action.REVIEW_COMMENTED,
        target=comment,
        dialogue_id=summary.audit_dialogue_id,
        detail={"summary": summary.pk, "person": person.pk, "suggestion": bool(comment.suggested_text)},
    )
    return comment


@transaction.atomic
def sign_off_review(*, summary: Summary, person: Person | None, by: User) -> ReviewSignoff:
    """A reviewer (`person`) has nothing (more) to add, recorded by `by`."""
    person = _reviewer(_locked(summary), person)
    signoff, created = ReviewSignoff.objects.get_or_create(summary=summary, person=person)
    if created:
        record_event(
            actor=by,
            action=Action.REVIEW_SIGNED_OFF,
            target=signoff,
            dialogue_id=summary.audit_dialogue_id,
            detail={"summary": summary.pk, "person": person.pk},
        )
    return signoff


@transaction.atomic
def respond_to_comment(*, comment: ReviewComment, status: str, by: User, response: str = "") -> ReviewComment:
    """The facilitator accepts a correction, or answers why not. The same answer again changes nothing."""
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    if comment.summary.status in SEALED_STATUSES:
        raise ValidationError("This summary is sealed; its review comments are closed.")
    if status not in {ReviewCommentStatus.ACCEPTED, ReviewCommentStatus.ANSWERED}:
        raise ValidationError({"status": "Accept the comment or answer it."})
    if status == ReviewCommentStatus.ANSWERED and not response.strip():
        raise ValidationError({"response": "Write the answer the participant will read."})
    if (comment.status, comment.response) == (status, response.strip()):
        return comment
    comment.status = status
    comment.response = response.strip()
    comment.responded_at = timezone.now()
    comment.save(update_fields=["status", "response", "responded_at"])
    record_event(
        actor=by,
        action=Action.COMMENT_ANSWERED,
        target=comment,
        dialogue_id=comment.summary.audit_dialogue_id,
        detail={"summary": comment.summary_id, "status": str(status)},
    )
    return comment


def check_sealable(*, summary: Summary, body: str | None = None) -> None:
    """Refuse, as request_seal would, a draft whose text (`body`, or the saved one) is empty or still names
    someone, or whose workshop has nobody recorded as attending. Writes nothing: the page that asks before
    sealing checks first, so it never asks to confirm a seal that would be refused."""
    if body is not None:
        summary = copied(summary)
        summary.body = body
    if not summary.body.strip():
        raise ValidationError("The draft is empty. There is nothing to seal.")
    _refuse_without_attendees(summary.workshop)
    _refuse_unresolved_mentions(summary, before="sealing")


@transaction.atomic
def request_seal(*, summary: Summary, by: User, body: str | None = None) -> Summary:
    """Queue sealing of a draft whose review is over. Calling it twice queues nothing more: the outbox row
    is written in this transaction, and the worker completes it once. `body`, the text on the editor's
    screen, is saved first in the same transaction: what is sealed is what the facilitator was looking at,
    and a refused seal saves nothing."""
    summary = _save_on_the_way(summary, body=body, by=by)
    if summary.status == SummaryStatus.SEALING or summary.status in SEALED_STATUSES:
        return summary
    if summary.status == SummaryStatus.IN_REVIEW:
        raise ValidationError("Close the review before sealing, so no comment arrives after the seal.")
    check_sealable(summary=summary)
    summary.status = SummaryStatus.SEALING
    summary.save(update_fields=["status"])
    request_seal_job(kind=SEAL_KIND, object_id=summary.pk, by=by)
    record_event(actor=by, action=Action.SEAL_REQUESTED, target=summary)
    return summary


@transaction.atomic
def retry_seal(*, summary: Summary, by: User) -> bool:
    """Start a failed sealing again (audited). Returns whether there was a failed sealing to retry."""
    summary = _locked(summary)
    job = seal_job(summary=summary)
    if summary.status != SummaryStatus.SEALING or job is None or job.state != SealJobState.FAILED:
        return False
    retry_seal_job(job=job)
    record_event(actor=by, action=Action.SEAL_REQUESTED, target=summary, detail={"retry": True})
    return True


@transaction.atomic
def cancel_seal(*, summary: Summary, by: User) -> Summary:
    """After a failed sealing, give the draft back to its authors (to remove what broke the rendering)."""
    summary = _locked(summary)
    if summary.status != SummaryStatus.SEALING:
        return summary
    job = SealJob.objects.select_for_update().filter(kind=SEAL_KIND, object_id=summary.pk).first()
    if job is not None and not job.finished:
        raise ValidationError("Sealing is still in progress; wait for it to finish or fail.")
    # A done job would have made the summary sealed (returned above): this one failed. Its outbox row is
    # spent and goes; the audit log keeps the story, with the reason.
    error = job.error if job is not None else ""
    if job is not None:
        job.delete()
    summary.status = SummaryStatus.DRAFT
    summary.save(update_fields=["status"])
    record_event(actor=by, action=Action.SEAL_CANCELLED, target=summary, detail={"error": error[:500]})
    return summary


def _stamped_copy(sealed_pdf: bytes, summary: Summary) -> tuple[str, bytes]:
    """A copy of the sealed version. stamp_copy parses and lays out a master once per process (CopyMaster),
    so the audience's copies, and a later download of the same version, cost a signature each."""
    code = new_copy_code()
    return code, stamp_copy(sealed_pdf, copy_code=code, document_id=document_id(summary))


def _issue_copy(
    summary: Summary, stamped: tuple[str, bytes], person: Person, *, audience: bool, by: User | None
) -> SummaryCopy:
    """Store a stamped copy and its audit record. Stamping is done before (_stamped_copy): the first audit
    row of a transaction holds the chain's lock until commit, so nothing slow may follow it."""
    code, pdf = stamped
    copy = SummaryCopy(
        summary=summary,
        holder=person,
        audience=audience,
        copy_code=code,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pdf=encrypt(pdf, context=copy_context(code)),
    )
    # The one audit record the copy code maps to: which copy, of what, issued to whom (auditors only).
    event = record_event(
        actor=by,
        action=Action.COPY_ISSUED,
        target_type="dialogues.summarycopy",
        target_id=code,
        dialogue_id=summary.audit_dialogue_id,
        detail={"summary": summary.pk, "version": summary.version, "holder": person.pseudonym},
    )
    copy.audit_event_id = event.pk
    copy.save()
    return copy


@transaction.atomic
def complete_seal(
    *, summary_id: int, pdf: bytes, sha256: str, sealed_at: dt.datetime, by: User | None
) -> Summary:
    """Called by the sealing worker, once, inside the transaction that marks its job done: store the sealed
    PDF encrypted, mark the version sealed (and the one it amends superseded), freeze the audience and make
    each audience member's copy. `by` is whoever requested the seal (None once their account is gone)."""
    summary = _locked(Summary(pk=summary_id))
    if summary.status != SummaryStatus.SEALING:
        raise ValidationError(f"Summary {summary.pk} is {summary.get_status_display().lower()}, not sealing.")
    summary.status = SummaryStatus.SEALED
    summary.sealed_at = sealed_at
    summary.sealed_sha256 = sha256
    summary.sealed_pdf = encrypt(pdf, context=summary_context(summary))
    summary.save(update_fields=["status", "sealed_at", "sealed_sha256", "sealed_pdf"])
    # An amendment keeps the audience its first version was sealed for, whoever attends later; only people
    # who belong to the dialogue now (the confirmation page counts them with the same selector).
    people = list(audience_at_sealing(summary=summary))
    if summary.supersedes_id:
        Summary.objects.filter(pk=summary.supersedes_id).update(status=SummaryStatus.SUPERSEDED)
    stamped = [_stamped_copy(pdf, summary) for _ in people]
    for user in User.objects.filter(person__in=people):
        grant("dialogues.view_summary", user, summary)
    for person, copy in zip(people, stamped, strict=True):
        _issue_copy(summary, copy, person, audience=True, by=by)
    record_event(
        actor=by,
        action=Action.SEALED,
        target=summary,
        detail={"sha256": sha256, "audience": len(people), "version": summary.version},
    )
    return summary


@transaction.atomic
def copy_for(*, summary: Summary, person: Person, by: User) -> SummaryCopy:
    """The person's own copy: the one made for them at sealing, or (for the facilitation team) a new one."""
    existing = SummaryCopy.objects.filter(summary=summary, holder=person).first()
    if existing is not None:
        return existing
    summary = _locked(summary)
    if summary.status not in SEALED_STATUSES:
        raise ValidationError("Only a sealed summary has copies.")
    existing = SummaryCopy.objects.filter(summary=summary, holder=person).first()
    if existing is not None:
        return existing  # made by a request that held the lock first
    stamped = _stamped_copy(sealed_pdf_of(summary=summary), summary)
    return _issue_copy(summary, stamped, person, audience=False, by=by)


@transaction.atomic
def issue_download(*, summary: Summary, person: Person, by: User) -> SummaryCopy:
    """The reader's own copy, leaving as a download: the copy (made if need be), the audit row that says whose
    copy left the building, and the reader's "downloaded" mark, together or not at all."""
    copy = copy_for(summary=summary, person=person, by=by)
    record_event(
        actor=by,
        action=Action.DOWNLOAD,
        target=copy,
        dialogue_id=summary.audit_dialogue_id,
    )
    mark_read(summary=summary, by=by, downloaded=True)
    return copy


@transaction.atomic
def amend_summary(*, summary: Summary, by: User) -> Summary:
    """Start a new version of a sealed summary; it supersedes this one once it is itself sealed."""
    summary = _locked(summary)
    newer = summary.workshop.summaries.filter(version__gt=summary.version).order_by("version").first()
    if newer is not None and newer.status in OPEN_STATUSES and newer.supersedes_id == summary.pk:
        return newer
    if summary.status != SummaryStatus.SEALED:
        raise ValidationError("Only the current sealed version can be amended.")
    if summary.workshop.summaries.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError("Another version of this summary is already being written.")
    version = next_number(parent=summary.workshop, children=summary.workshop.summaries, field="version")
    amendment = Summary.objects.create(
        workshop=summary.workshop,
        version=version,
        body=summary.body,
        supersedes=summary,
        accepted_mentions=summary.accepted_mentions,
        created_by=by,
    )
    record_event(actor=by, action=Action.AMENDED, target=amendment)
    return amendment


@transaction.atomic
def accept_ground_rules_before_reading(*, membership: Membership, by: User) -> Membership:
    """The reader confirms the dialogue's ground rules before their first sealed summary: the member's
    acceptance (participants.services.mark_ground_rules_accepted) and its audit row."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ground_rules_accepted_at is None:
        membership = participant_services.mark_ground_rules_accepted(membership=membership)
        record_event(
            actor=by,
            action=Action.GROUND_RULES_ACCEPTED,
            target_type="dialogues.dialogue",
            target_id=membership.dialogue_id,
            dialogue_id=membership.dialogue_id,
        )
    return membership


@transaction.atomic
def mark_read(
    *, summary: Summary, by: User, downloaded: bool = False, now: dt.datetime | None = None
) -> SummaryReading:
    """The "seen" mark: first reading, and the latest download. Only the first reading writes an audit row:
    every later one is in the log already as the access itself (a view or a download)."""
    now = now or timezone.now()
    reading, created = SummaryReading.objects.get_or_create(
        summary=summary, user=by, defaults={"first_read_at": now}
    )
    if created:
        record_event(actor=by, action=Action.SUMMARY_FIRST_READ, target=summary)
    if downloaded:
        reading.downloaded_at = now
        reading.save(update_fields=["downloaded_at"])
    return reading
