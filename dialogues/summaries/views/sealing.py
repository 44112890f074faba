"""Sealing a draft: the confirmation page, the request, its progress polled by htmx, and after a failed
sealing, retrying it or giving the draft back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogues.enums import SummaryStatus
from dialogues.http import GET, GET_POST, POST
from dialogues.models import Summary
from dialogues.summaries import pages, selectors, services
from dialogues.summaries.forms import SealForm
from dialogues.summaries.views.drafts import _as_typed, _posted_text, _to_summary, _writable
from trackii.confirmation import confirmed
from trackii.refusals import add_errors, show_refusal


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
                messages.info(
                    request, _("This version is %(status)s; only a draft can be sealed.") % {"status": status}
                )
                return _to_summary(summary)
            # Read once: the checks, the PDF's characters and the page share them.
            versions = selectors.versions_of(summary=summary, body=body)
            services.check_sealable(summary=summary, versions=versions)
            return pages.seal_confirmation(request, summary, body, versions=versions)
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
        messages.success(request, _("Sealing starts again."))
    else:
        messages.info(request, _("There is no failed sealing to retry."))
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
                request, _("The summary is a draft again: correct what stopped the sealing, then seal it.")
            )
    return _to_summary(summary)
