"""The participants' review round: opening it (attendees told by e-mail), closing it (early with a reason
too), reviewers' comments and sign-offs, and the facilitators' answers. Steering a round (a later
deadline, reminders, applying a correction) is dialogues/summaries/steering/services.py."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogues.enums import NotificationKind, ReviewCommentStatus, SummaryStatus
from dialogues.models import ReviewComment, ReviewSignoff, Summary
from dialogues.permissions import SEALED_STATUSES
from dialogues.scheduling.notifications import queue_notifications
from dialogues.summaries import attribution
from dialogues.summaries.selectors import (
    STEERING_FIELDS,
    attendees,
    check_close_reason,
    check_replacement,
    review_progress,
    reviewers_of,
    versions_of,
)
from dialogues.summaries.services.drafts import (
    _locked,
    _refuse_unresolved_mentions,
    _refuse_without_attendees,
    _save_on_the_way,
)
from participants.models import Person
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.permissions import grant, revoke


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
        raise ValidationError(_("Only a draft can be sent for review."))
    if not summary.body.strip():
        raise ValidationError(_("The draft is empty. Write the summary before opening the review."))
    _refuse_without_attendees(summary.workshop)
    if deadline <= now:
        raise ValidationError({"review_deadline": _("The review deadline must be in the future.")})
    _refuse_unresolved_mentions(summary, before="review")
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
        raise ValidationError(_("This summary is not in review."))
    reason = check_close_reason(reason) if reason.strip() else ""
    progress = review_progress(summary=summary)
    if not reason and summary.review_deadline and summary.review_deadline > now and not progress.complete:
        raise ValidationError(
            ngettext(
                "The review is open until %(deadline)s and %(responded)s of %(reviewers)s reviewer has "
                "responded. It can close when the deadline passes or everyone has responded, or now with a "
                "reason.",
                "The review is open until %(deadline)s and %(responded)s of %(reviewers)s reviewers have "
                "responded. It can close when the deadline passes or everyone has responded, or now with a "
                "reason.",
                progress.reviewers,
            )
            % {
                "deadline": formats.date_format(timezone.localtime(summary.review_deadline), "j M Y, H:i"),
                "responded": progress.responded,
                "reviewers": progress.reviewers,
            }
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
        raise ValidationError(_("Only the people who attended this workshop review its summary."))
    if summary.status != SummaryStatus.IN_REVIEW:
        raise ValidationError(_("The review of this summary is closed."))
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
    language: str = "",
) -> ReviewComment:
    """A reviewer's (`person`) comment, recorded by `by`: themselves, or a facilitator taking it down.
    `language` says which version it is about (the main one when empty); its section and quoted passage are
    that version's."""
    person = _reviewer(_locked(summary), person)
    if not body.strip():
        raise ValidationError({"body": _("Write your comment.")})
    versions = {version.code: version for version in versions_of(summary=summary)}
    if language and language not in versions:
        raise ValidationError({"language": _("Choose one of the summary's versions.")})
    text = versions[language or summary.language].body
    known = attribution.sections(text)
    if section and section not in known:
        raise ValidationError({"section": _("Choose one of the sections of that version.")})
    check_replacement(body=text, quote=quote, suggested_text=suggested_text)
    comment = ReviewComment.objects.create(
        summary=summary,
        author=person,
        language=language if language != summary.language else "",
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
        raise ValidationError(_("This summary is sealed; its review comments are closed."))
    if status not in {ReviewCommentStatus.ACCEPTED, ReviewCommentStatus.ANSWERED}:
        raise ValidationError({"status": _("Accept the comment or answer it.")})
    if status == ReviewCommentStatus.ANSWERED and not response.strip():
        raise ValidationError({"response": _("Write the answer the participant will read.")})
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
