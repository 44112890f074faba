"""The facilitators' steering of a review round in the browser: a later deadline, a reminder to the reviewers
who have not responded, and an accepted correction applied to the draft. (Closing early is the review's
close button with a reason: dialogues/summaries/views/review.py.)

Each needs `draft_summaries` on the dialogue, as opening and closing the review do: the same
`summaries_to_write` selector, so anyone else gets the 404 a missing summary gets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.enums import SummaryStatus
from dialogues.http import POST
from dialogues.scheduling.recurrence import wall_clock
from dialogues.summaries import pages, selectors
from dialogues.summaries.forms import ExtendReviewForm
from dialogues.summaries.steering import services
from dialogues.summaries.views.drafts import _to_summary, _writable
from trackii.inputs import parse_id
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, show_refusal


@login_required
@require_http_methods(POST)
def summary_extend_review(request, dialogue_id: int, summary_id: int):
    summary = _writable(request, dialogue_id, summary_id)
    tz_name = dialogue_selectors.display_timezone(user=request.user)
    form = ExtendReviewForm(request.POST, tz_name=tz_name)
    if form.is_valid():
        try:
            summary = services.extend_review(
                summary=summary, deadline=form.cleaned_data["review_deadline"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            deadline = wall_clock(summary.review_deadline, tz_name)
            messages.success(
                request,
                _(
                    "The review is now open until %(deadline)s (%(zone)s). "
                    "The reviewers see the new deadline on their page."
                )
                % {"deadline": formats.date_format(deadline, "j M Y, H:i"), "zone": tz_name},
            )
            return _to_summary(summary, "#steer")
    if summary.status != SummaryStatus.IN_REVIEW:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _to_summary(summary)
    return pages.review_page(request, summary, extend_form=form, status=400)


@login_required
@require_http_methods(POST)
def summary_remind(request, dialogue_id: int, summary_id: int):
    """E-mail a reminder to the reviewers who have not responded (no more than once a day)."""
    summary = _writable(request, dialogue_id, summary_id)
    tz_name = dialogue_selectors.display_timezone(user=request.user)
    try:
        reminded = services.remind_reviewers(summary=summary, tz_name=tz_name, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "A reminder goes to %(count)d reviewer who has not responded yet, by e-mail within a few "
                "minutes.",
                "A reminder goes to %(count)d reviewers who have not responded yet, by e-mail within a few "
                "minutes.",
                reminded,
            )
            % {"count": reminded},
        )
    return _to_summary(summary, "#steer")


@login_required
@require_http_methods(POST)
def summary_apply_correction(request, dialogue_id: int, summary_id: int):
    """Apply an accepted correction's replacement to the draft: the form names the comment."""
    summary = _writable(request, dialogue_id, summary_id)
    comment_id = parse_id(request.POST.get("comment"))
    if comment_id is None:
        messages.error(request, _("Choose the correction to apply."))
        return _to_summary(summary, "#comments")
    comment = fetch_or_404(request, selectors.review_comments(summary=summary), pk=comment_id)
    try:
        summary, flagged = services.apply_correction(comment=comment, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return _to_summary(summary, f"#comment-{comment.pk}")
    if flagged:
        messages.warning(
            request,
            ngettext(
                "Correction applied to the draft. The attribution check now flags %(count)d mention: "
                "resolve it before sealing.",
                "Correction applied to the draft. The attribution check now flags %(count)d mentions: "
                "resolve them before sealing.",
                flagged,
            )
            % {"count": flagged},
        )
        return _to_summary(summary, "#attribution")
    messages.success(
        request,
        _("%(pseudonym)s's correction is applied to the draft and saved.")
        % {"pseudonym": comment.author_pseudonym},
    )
    return _to_summary(summary, f"#comment-{comment.pk}")
