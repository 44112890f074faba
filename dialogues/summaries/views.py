"""Workshop summaries in the browser: drafting with a live preview and the attribution check, the
participants' review round, sealing and its progress, the sealed summary with each reader's own copy,
amendments, the ground rules a member confirms before reading, and the reading room.

Writing (drafts, review, sealing, amendments) needs `draft_summaries` on the dialogue: its convenors,
facilitators and rapporteurs, never a break-glass grant. Reading is what `summaries_for_user` allows: a sealed
version's frozen audience and the facilitation team, a draft in review also its reviewers (the attendees).
Everyone else gets the same 404 as for a summary that does not exist, on every URL, method and format."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.enums import ReviewCommentStatus, SummaryStatus
from dialogues.http import GET, GET_POST, POST
from dialogues.models import Summary
from dialogues.permissions import OPEN_STATUSES, SEALED_STATUSES, dialogue_access
from dialogues.scheduling import selectors as scheduling_selectors
from dialogues.scheduling.recurrence import wall_clock
from dialogues.summaries import attribution, pages, selectors, services
from dialogues.summaries.forms import (
    AcceptMentionForm,
    CloseEarlyForm,
    OpenReviewForm,
    RespondForm,
    ReviewCommentForm,
    SealForm,
    SummaryDraftForm,
)
from trackii.confirmation import confirmed
from trackii.inputs import parse_id
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, refusal_text, show_refusal


def _readable(
    request, dialogue_id: int, summary_id: int, *, sealed_only=False, closed_early=False
) -> Summary:
    summaries_ = dialogue_selectors.summaries_for_user(user=request.user)
    if closed_early:
        summaries_ |= selectors.closed_early_for_user(user=request.user)
    summaries_ = summaries_.filter(workshop__series__dialogue_id=dialogue_id)
    if sealed_only:
        summaries_ = summaries_.filter(status__in=SEALED_STATUSES)
    # The sealed PDF (hundreds of kilobytes) is read only where a copy is made, by the service.
    return fetch_or_404(request, summaries_.select_related("supersedes").defer("sealed_pdf"), pk=summary_id)


def _writable(request, dialogue_id: int, summary_id: int, *, sealed_only: bool = False) -> Summary:
    summaries_ = selectors.summaries_to_write(user=request.user).filter(
        workshop__series__dialogue_id=dialogue_id
    )
    if sealed_only:
        summaries_ = summaries_.filter(status__in=SEALED_STATUSES)
    return fetch_or_404(request, summaries_.defer("sealed_pdf"), pk=summary_id)


def _to_summary(summary: Summary, anchor: str = ""):
    return redirect(pages.summary_url(summary) + anchor)


@login_required
@require_http_methods(GET)
def summary_detail(request, dialogue_id: int, summary_id: int):
    """One URL for a summary whatever its stage: the editor for a draft, the review round, the sealing
    progress, or the sealed text. Drafts and sealings are visible only to their authors in the first place."""
    # An attendee whose review was closed early reads why (closed_review_page), never the draft.
    summary = _readable(request, dialogue_id, summary_id, closed_early=True)
    access = dialogue_access(request.user)
    reviewing = summary.status == SummaryStatus.IN_REVIEW and summary.pk in access.review_summaries
    if summary.status in OPEN_STATUSES and not access.has(dialogue_id, "draft_summaries") and not reviewing:
        return pages.closed_review_page(request, summary)
    if summary.status in SEALED_STATUSES:
        return pages.sealed_page(request, summary)
    if summary.status == SummaryStatus.SEALING:
        return pages.sealing_page(request, summary)
    if summary.status == SummaryStatus.IN_REVIEW:
        if access.has(dialogue_id, "draft_summaries"):
            return pages.review_page(request, summary)
        return pages.reviewer_page(request, summary)
    return pages.draft_page(request, summary)


@login_required
@require_http_methods(POST)
def summary_start(request, dialogue_id: int, workshop_id: int):
    """ "Write the summary" on a workshop's page: its draft, new or the one being written."""
    workshop = fetch_or_404(
        request,
        scheduling_selectors.workshops_with(user=request.user, codename="draft_summaries").filter(
            series__dialogue_id=dialogue_id
        ),
        pk=workshop_id,
    )
    back = redirect("dialogues:workshop_detail", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    try:
        summary = services.start_summary(workshop=workshop, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return back
    return _to_summary(summary)


@login_required
@require_http_methods(POST)
def summary_save(request, dialogue_id: int, summary_id: int):
    summary = _writable(request, dialogue_id, summary_id)
    form = SummaryDraftForm(request.POST, preview_url=pages.summary_url(summary, "summary_preview"))
    if form.is_valid():
        try:
            services.save_draft(summary=summary, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Draft saved. The attribution check below has read it again.")
            return _to_summary(summary)
    # Whatever went wrong, the text comes back as typed.
    return pages.draft_page(request, summary, form=form, status=400)


@login_required
@require_http_methods(POST)
def summary_preview(request, dialogue_id: int, summary_id: int):
    """The live preview (htmx): the posted text through the same sanitising Markdown filter as the pages."""
    _writable(request, dialogue_id, summary_id)
    return render(
        request, "dialogues/summaries/draft.html#preview", {"preview": request.POST.get("body", "")}
    )


@login_required
@require_http_methods(POST)
def summary_accept_mention(request, dialogue_id: int, summary_id: int):
    summary = _writable(request, dialogue_id, summary_id)
    form = AcceptMentionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = "Choose the mention to accept."
    else:
        try:
            summary = services.accept_mention(
                summary=summary, term=form.cleaned_data["term"], by=request.user
            )
        except ValidationError as refusal:
            error = refusal_text(refusal)
    if request.htmx:
        # Only the check is replaced, so unsaved text in the editor stays where it is.
        return render(
            request,
            "dialogues/summaries/draft.html#guard",
            pages.frame(summary, **pages.guard(summary, error)),
        )
    if error:
        messages.error(request, error)
    else:
        # The message names nobody: messages travel in the session.
        messages.success(request, "Accepted: the check no longer flags that mention in this version.")
    return _to_summary(summary, "#attribution")


def _posted_text(request, summary: Summary) -> str | None:
    """Open review and Seal are buttons of the editor's form: the text on the screen comes with them, and the
    service saves it in the same transaction, so what goes out is what the facilitator was looking at."""
    if "body" not in request.POST or summary.status != SummaryStatus.DRAFT:
        return None
    form = SummaryDraftForm(request.POST)
    if not form.is_valid():
        raise ValidationError(" ".join(form.errors.get("body", [])) or "The text could not be saved.")
    return form.cleaned_data["body"]


def _as_typed(request, summary: Summary) -> SummaryDraftForm | None:
    """The editor with the text as typed, for a page that refuses the button that carried it."""
    if "body" not in request.POST:
        return None
    return SummaryDraftForm(request.POST, preview_url=pages.summary_url(summary, "summary_preview"))


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
                f"The review is open until {deadline:%-d %b %Y, %H:%M} ({tz_name}). "
                f"{reviewers} attendee{'s are' if reviewers != 1 else ' is'} told by e-mail.",
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
                request, "The review is closed. Take in the corrections you accepted, then seal the summary."
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
        messages.error(request, "Choose the comment to accept or answer.")
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
                f"{comment.author.pseudonym}'s comment is {'accepted' if accepted else 'answered'}; "
                "they will see your response.",
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
    form = ReviewCommentForm(request.POST, sections=attribution.sections(summary.body))
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
                request, "Thank you. Your comment is with the facilitators; their response will appear here."
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
            "Thank you: the facilitators know you have nothing more to add. "
            "You may still comment until the review closes.",
        )
    return _to_summary(summary, "#sign-off")


def _seal_refused(request, summary: Summary, error: ValidationError):
    if summary.status != SummaryStatus.DRAFT:
        show_refusal(request, error)
        return _to_summary(summary)
    form = SealForm(request.POST)
    form.is_valid()
    add_errors(form, error)
    return pages.draft_page(request, summary, form=_as_typed(request, summary), seal_form=form, status=400)


@login_required
@require_http_methods(GET_POST)
def summary_seal(request, dialogue_id: int, summary_id: int):
    """Sealing asks first: a GET, or the editor's "Seal this summary" (a POST without the confirmation),
    shows what sealing does with the text on the screen, carried on to the final button; only that seals."""
    summary = _writable(request, dialogue_id, summary_id)
    try:
        body = _posted_text(request, summary)
        if not confirmed(request):
            if summary.status != SummaryStatus.DRAFT:
                status = summary.get_status_display().lower()
                messages.info(request, f"This version is {status}; only a draft can be sealed.")
                return _to_summary(summary)
            services.check_sealable(summary=summary, body=body)
            return pages.seal_confirmation(request, summary, body)
        services.request_seal(summary=summary, body=body, by=request.user)
    except ValidationError as error:
        return _seal_refused(request, summary, error)
    return _to_summary(summary)


@login_required
@require_http_methods(GET)
def summary_progress(request, dialogue_id: int, summary_id: int):
    """The sealing progress, polled by htmx every second: what changed since the page last asked, swapped into
    its live region (done or given back included: the region then offers the way on, no reload); 204 when
    nothing did, so the region, and what a screen reader last heard, stay as they are."""
    summary = _writable(request, dialogue_id, summary_id)
    if not request.htmx:
        return _to_summary(summary)
    progress = pages.progress(summary)
    if request.GET.get("shown") == progress["shown"]:
        return HttpResponse(status=204)
    return render(request, "dialogues/summaries/sealing.html#update", pages.frame(summary, **progress))


@login_required
@require_http_methods(POST)
def summary_seal_retry(request, dialogue_id: int, summary_id: int):
    summary = _writable(request, dialogue_id, summary_id)
    if services.retry_seal(summary=summary, by=request.user):
        messages.success(request, "Sealing starts again.")
    else:
        messages.info(request, "There is no failed sealing to retry.")
    return _to_summary(summary)


@login_required
@require_http_methods(POST)
def summary_seal_cancel(request, dialogue_id: int, summary_id: int):
    summary = _writable(request, dialogue_id, summary_id)
    try:
        summary = services.cancel_seal(summary=summary, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        if summary.status == SummaryStatus.DRAFT:
            messages.success(
                request, "The summary is a draft again: correct what stopped the sealing, then seal it."
            )
    return _to_summary(summary)


def _copy_file_name(summary: Summary) -> str:
    # The codename and positions only: a file name travels (downloads folders, e-mail, backups) and must name
    # nobody, yet two summaries of workshops numbered 1 in two series must not download under one name.
    workshop = summary.workshop
    return (
        f"{workshop.series.dialogue.codename}-series-{workshop.series.position}"
        f"-workshop-{workshop.number}-v{summary.version}.pdf"
    )


@login_required
@require_http_methods(GET)
def summary_download(request, dialogue_id: int, summary_id: int):
    """The reader's own copy of a sealed summary: the PDF with their opaque copy code on every page. The
    audit log gets the access to the summary (fetch_or_404) and the download of this copy, which says
    whose copy left the building."""
    summary = _readable(request, dialogue_id, summary_id, sealed_only=True)
    if (gate := pages.ground_rules_first(request, summary)) is not None:
        return gate
    person = dialogue_selectors.person_of(user=request.user)
    if person is None:
        messages.error(
            request,
            "Copies are issued to people only, each marked with its own code, and this account has no "
            "person on file. Read the summary on this page instead.",
        )
        return _to_summary(summary)
    copy = services.issue_download(summary=summary, person=person, by=request.user)
    response = HttpResponse(selectors.copy_pdf(copy=copy), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_copy_file_name(summary)}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(POST)
def summary_amend(request, dialogue_id: int, summary_id: int):
    summary = _writable(request, dialogue_id, summary_id, sealed_only=True)
    try:
        amendment = services.amend_summary(summary=summary, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return _to_summary(summary)
    messages.success(
        request,
        f"Version {amendment.version} starts as a copy of version {summary.version}. Once sealed it replaces "
        f"it, for the same readers; until then they keep reading version {summary.version}.",
    )
    return _to_summary(amendment)


def _safe_next(request, default: str) -> str:
    """Where to continue: a path of this site that one of its pages answers, else `default`. Only a path
    ("/..."), never a URL name: redirect() would try to reverse "reading" and fail, and an absolute or
    scheme-relative address could lead off the site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return default
    try:
        resolve(urlsplit(target).path)
    except (Resolver404, ValueError):
        return default
    return target


@login_required
@require_http_methods(GET_POST)
def ground_rules(request, dialogue_id: int):
    """The dialogue's ground rules, and a member's "I accept" before their first sealed summary."""
    dialogue = fetch_or_404(request, dialogue_selectors.dialogues_for_user(user=request.user), pk=dialogue_id)
    membership = dialogue_selectors.membership_of(user=request.user, dialogue_id=dialogue.pk)
    next_url = _safe_next(request, default=reverse("dialogues:reading_room"))
    if request.method == "POST":
        if membership is None:
            messages.info(
                request, "The ground rules are accepted by the dialogue's members; you are not one."
            )
        else:
            services.accept_ground_rules_before_reading(membership=membership, by=request.user)
            messages.success(request, "Thank you: you accepted the ground rules of this dialogue.")
        return HttpResponseRedirect(next_url)
    context = {"dialogue": dialogue, "membership": membership, "next": next_url}
    return render(request, "dialogues/summaries/ground_rules.html", context)


@login_required
@require_http_methods(GET)
def reading_room(request):
    """The sealed summaries the person may read, by dialogue (newest workshop first within each), and the
    drafts waiting for their comments."""
    # The list shows neither a summary's text nor its workshop's venue: no need to decrypt them.
    unshown = ("body", "sealed_pdf", "workshop__venue")
    sealed = sorted(
        selectors.sealed_summaries_to_read(user=request.user).defer(*unshown),
        key=lambda s: s.workshop.series.dialogue.codename,
    )
    reviews = list(selectors.reviews_for_user(user=request.user).defer(*unshown))
    context = {
        "sealed": sealed,
        "reviews": reviews,
        "viewer_tz": dialogue_selectors.display_timezone(user=request.user) if reviews else "UTC",
    }
    return render(request, "dialogues/summaries/reading_room.html", context)
