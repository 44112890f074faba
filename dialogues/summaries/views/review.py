"""The participants' review round: opening it and closing it (early with a reason too), the facilitators'
answers to comments, and a reviewer's comments and sign-off. Its steering (a later deadline, reminders,
applying a correction) is dialogues/summaries/steering/views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.enums import ReviewCommentStatus, SummaryStatus
from dialogues.http import POST
from dialogues.models import Summary
from dialogues.scheduling.recurrence import wall_clock
from dialogues.summaries import attribution, pages, selectors, services
from dialogues.summaries.forms import CloseEarlyForm, OpenReviewForm, RespondForm, ReviewCommentForm
from dialogues.summaries.views.drafts import _as_typed, _posted_text, _to_summary, _writable
from trackii.inputs import parse_id
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, show_refusal


@login_required
@require_http_methods(POST)
def summary_open_review(request, dialogue_id: int, summary_id: int):
    summary = _writable(request, dialogue_id, summary_id)
    tz_name = dialogue_selectors.display_timezone(user=request.user)
    form = OpenReviewForm(request.POST, tz_name=tz_name)
    if form.is_valid():
        try:
            summary = services.open_review(
                summary=summary,
                deadline=form.cleaned_data["review_deadline"],
                body=_posted_text(request, summary),
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            reviewers = selectors.review_progress(summary=summary).reviewers
            deadline = wall_clock(summary.review_deadline, tz_name)
            messages.success(
                request,
                ngettext(
                    "The review is open until %(deadline)s (%(zone)s). %(count)s attendee is told by e-mail.",
                    "The review is open until %(deadline)s (%(zone)s). %(count)s attendees are told by "
                    "e-mail.",
                    reviewers,
                )
                % {
                    "deadline": formats.date_format(deadline, "j M Y, H:i"),
                    "zone": tz_name,
                    "count": reviewers,
                },
            )
            return _to_summary(summary)
    if summary.status != SummaryStatus.DRAFT:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _to_summary(summary)
    return pages.draft_page(request, summary, form=_as_typed(request, summary), review_form=form, status=400)


@login_required
@require_http_methods(POST)
def summary_close_review(request, dialogue_id: int, summary_id: int):
    """Close the review: when it may close, or now with a reason ("Close early", the form with `reason`)."""
    summary = _writable(request, dialogue_id, summary_id)
    form = CloseEarlyForm(request.POST) if "reason" in request.POST else None
    if form is None or form.is_valid():
        try:
            reason = form.cleaned_data["reason"] if form else ""
            services.close_review(summary=summary, reason=reason, by=request.user)
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(
                request,
                _("The review is closed. Take in the corrections you accepted, then seal the summary."),
            )
            return _to_summary(summary)
    if form is None or summary.status != SummaryStatus.IN_REVIEW:
        if form is not None:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _to_summary(summary)
    return pages.review_page(request, summary, close_form=form, status=400)


@login_required
@require_http_methods(POST)
def summary_respond(request, dialogue_id: int, summary_id: int):
    """Accept a review comment, or answer it: the form names the comment."""
    summary = _writable(request, dialogue_id, summary_id)
    comment_id = parse_id(request.POST.get("comment"))
    if comment_id is None:
        messages.error(request, _("Choose the comment to accept or answer."))
        return _to_summary(summary, "#comments")
    form = RespondForm(request.POST, auto_id=f"id_c{comment_id}_%s")
    comment = fetch_or_404(request, selectors.review_comments(summary=summary), pk=comment_id)
    if form.is_valid():
        try:
            services.respond_to_comment(
                comment=comment,
                status=form.cleaned_data["status"],
                response=form.cleaned_data["response"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            accepted = form.cleaned_data["status"] == ReviewCommentStatus.ACCEPTED
            messages.success(
                request,
                (
                    _("%(pseudonym)s's comment is accepted; they will see your response.")
                    if accepted
                    else _("%(pseudonym)s's comment is answered; they will see your response.")
                )
                % {"pseudonym": comment.author_pseudonym},
            )
            return _to_summary(summary, f"#comment-{comment.pk}")
    if summary.status == SummaryStatus.IN_REVIEW:
        return pages.review_page(request, summary, bound={comment.pk: form}, status=400)
    if summary.status == SummaryStatus.DRAFT:
        return pages.draft_page(request, summary, bound={comment.pk: form}, status=400)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _to_summary(summary)


def _in_review(request, dialogue_id: int, summary_id: int) -> Summary:
    return fetch_or_404(
        request,
        dialogue_selectors.summaries_for_user(user=request.user).filter(
            workshop__series__dialogue_id=dialogue_id, status=SummaryStatus.IN_REVIEW
        ),
        pk=summary_id,
    )


@login_required
@require_http_methods(POST)
def summary_comment(request, dialogue_id: int, summary_id: int):
    """A reviewer's comment or suggested correction, anchored to one of the draft's sections."""
    summary = _in_review(request, dialogue_id, summary_id)
    form = ReviewCommentForm(
        request.POST,
        sections=attribution.sections(summary.body),
        versions=selectors.versions_of(summary=summary),
    )
    if form.is_valid():
        try:
            services.add_review_comment(
                summary=summary,
                person=dialogue_selectors.person_of(user=request.user),
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your comment is with the facilitators; their response will appear here."),
            )
            return _to_summary(summary, "#your-comments")
    return pages.reviewer_page(request, summary, form=form, status=400)


@login_required
@require_http_methods(POST)
def summary_signoff(request, dialogue_id: int, summary_id: int):
    summary = _in_review(request, dialogue_id, summary_id)
    try:
        services.sign_off_review(
            summary=summary, person=dialogue_selectors.person_of(user=request.user), by=request.user
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _(
                "Thank you: the facilitators know you have nothing more to add. "
                "You may still comment until the review closes."
            ),
        )
    return _to_summary(summary, "#sign-off")
