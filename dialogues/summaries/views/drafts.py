"""A summary's one page whatever its stage, and its drafting: starting the draft from the workshop page,
saving it, the live preview, accepting a mention in the attribution check, and amending a sealed
version. `_readable` and `_writable` open a summary for the package's other pages; `_posted_text` and
`_as_typed` carry the editor's text with the buttons that send it on (open review, seal)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.enums import SummaryStatus
from dialogues.http import GET, POST
from dialogues.models import Summary
from dialogues.permissions import OPEN_STATUSES, SEALED_STATUSES, dialogue_access
from dialogues.scheduling import selectors as scheduling_selectors
from dialogues.summaries import pages, selectors, services
from dialogues.summaries.forms import AcceptMentionForm, SummaryDraftForm
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
            messages.success(request, _("Draft saved. The attribution check below has read it again."))
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
        error = _("Choose the mention to accept.")
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
        messages.success(request, _("Accepted: the check no longer flags that mention in this version."))
    return _to_summary(summary, "#attribution")


def _posted_text(request, summary: Summary) -> str | None:
    """Open review and Seal are buttons of the editor's form: the text on the screen comes with them, and the
    service saves it in the same transaction, so what goes out is what the facilitator was looking at."""
    if "body" not in request.POST or summary.status != SummaryStatus.DRAFT:
        return None
    form = SummaryDraftForm(request.POST)
    if not form.is_valid():
        raise ValidationError(" ".join(form.errors.get("body", [])) or _("The text could not be saved."))
    return form.cleaned_data["body"]


def _as_typed(request, summary: Summary) -> SummaryDraftForm | None:
    """The editor with the text as typed, for a page that refuses the button that carried it."""
    if "body" not in request.POST:
        return None
    return SummaryDraftForm(request.POST, preview_url=pages.summary_url(summary, "summary_preview"))


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
        _(
            "Version %(new)s starts as a copy of version %(old)s. Once sealed it replaces it, for the same "
            "readers; until then they keep reading version %(old)s."
        )
        % {"new": amendment.version, "old": summary.version},
    )
    return _to_summary(amendment)
