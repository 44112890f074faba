"""The facilitators steer a review round: a later deadline, a reminder to those who have not responded, and
an accepted correction applied to the draft in one step. Closing early is `summaries.services.close_review`
with a reason: one service closes a round.

Services like those of summaries/services/: keyword-only, one transaction each, audited, safe to repeat.
Their rules (`check_new_deadline`, the reminder interval) live in summaries/selectors.py, where the forms and
pages read them too.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.enums import NotificationKind, ReviewCommentStatus, SummaryStatus
from dialogues.models import ReviewComment, Summary
from dialogues.scheduling.notifications import queue_notifications
from dialogues.scheduling.recurrence import wall_clock
from dialogues.summaries.selectors import (
    check_new_deadline,
    locate_passage,
    next_reminder_at,
    open_mention_count,
    pending_reviewers,
)
from dialogues.summaries.services import save_draft, save_parallel_version
from dialogues.summaries.services.drafts import _locked
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event


def _in_review(summary: Summary) -> Summary:
    summary = _locked(summary)
    if summary.status != SummaryStatus.IN_REVIEW:
        raise ValidationError(_("This summary is not in review."))
    return summary


@transaction.atomic
def extend_review(
    *, summary: Summary, deadline: dt.datetime, by: User, now: dt.datetime | None = None
) -> Summary:
    """Move the review's deadline later. The reviewers see the new one on their page; the same deadline
    again changes nothing."""
    now = now or timezone.now()
    summary = _in_review(summary)
    if summary.review_deadline == deadline:
        return summary
    check_new_deadline(summary=summary, deadline=deadline, now=now)
    before = summary.review_deadline
    summary.review_deadline = deadline
    summary.save(update_fields=["review_deadline"])
    record_event(
        actor=by,
        action=Action.REVIEW_EXTENDED,
        target=summary,
        detail={"from": before.isoformat() if before else None, "to": deadline.isoformat()},
    )
    return summary


@transaction.atomic
def remind_reviewers(
    *, summary: Summary, by: User, tz_name: str = "UTC", now: dt.datetime | None = None
) -> int:
    """E-mail the attendees who can respond and have not, through the workshop e-mail queue (codename only),
    at most once per `REMINDER_INTERVAL`. Returns how many were reminded."""
    now = now or timezone.now()
    summary = _in_review(summary)
    due = next_reminder_at(summary=summary)
    if due is not None and due > now:
        raise ValidationError(
            f"A reminder went on {wall_clock(summary.review_reminded_at, tz_name):%-d %b %Y at %H:%M} "
            f"({tz_name}). The next one can go from {wall_clock(due, tz_name):%-d %b %Y at %H:%M}."
        )
    people = list(pending_reviewers(summary=summary))
    if not people:
        raise ValidationError(
            _("Everyone who can respond in Trackii has responded: there is nobody to remind.")
        )
    queue_notifications(workshop=summary.workshop, people=people, kind=NotificationKind.REMINDER, now=now)
    summary.review_reminded_at = now
    summary.save(update_fields=["review_reminded_at"])
    record_event(actor=by, action=Action.REVIEW_REMINDED, target=summary, detail={"reminded": len(people)})
    return len(people)


@transaction.atomic
def apply_correction(*, comment: ReviewComment, by: User) -> tuple[Summary, int]:
    """Replace, once, the passage an accepted correction quotes with its suggested text, as a saved draft
    (audited as the draft change it is, and as the correction applied). Returns the draft and how many
    mentions the attribution check flags in it now. Applying the same correction again changes nothing."""
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    summary = _locked(comment.summary)
    if comment.applied_at is not None:
        return summary, open_mention_count(summary=summary)
    if comment.status != ReviewCommentStatus.ACCEPTED:
        raise ValidationError(_("Accept the correction before applying it to the draft."))
    if not (comment.quote and comment.suggested_text):
        raise ValidationError(
            _("This comment proposes no exact replacement. Take it into the draft by hand in the editor.")
        )
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError(
            _("Corrections are applied to the draft once the review is closed.")
            if summary.status == SummaryStatus.IN_REVIEW
            else _("This version can no longer be edited.")
        )
    # A comment about a parallel version corrects that version; any other, the main text.
    version = (
        summary.translations.filter(language=comment.language).first()
        if comment.language and comment.language != summary.language
        else None
    )
    text = summary.body if version is None else version.body
    span = locate_passage(body=text, quote=comment.quote)
    if span is None:
        raise ValidationError(
            _(
                "The passage this correction replaces is no longer in the draft, word for word. Edit the "
                "draft by hand instead."
            )
        )
    body = text[: span[0]] + comment.suggested_text + text[span[1] :]
    if version is None:
        summary = save_draft(summary=summary, body=body, by=by)
    else:
        save_parallel_version(summary=summary, language_code=version.language, body=body, by=by)
    comment.applied_at = timezone.now()
    comment.save(update_fields=["applied_at"])
    record_event(
        actor=by,
        action=Action.CORRECTION_APPLIED,
        target=comment,
        dialogue_id=summary.audit_dialogue_id,
        detail={"summary": summary.pk},
    )
    return summary, open_mention_count(summary=summary)
