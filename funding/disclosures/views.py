"""Funder-disclosure reports on a grant's page: convenors generate a new version (sealed by Celery), watch
it being made, and download any version; the funder's officers download the newest. Everything else of the
grant's page is in funding/grants/views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from funding.disclosures import selectors, services
from funding.disclosures.forms import DisclosureForm
from funding.grants.selectors import grants_for_user
from trackii.permissions import fetch_or_404
from trackii.refusals import show_refusal

DISCLOSURES_PARTIAL = "funding/disclosures/_disclosures.html"


def _grant(request, grant_id: int, *, managing: bool = False):
    """The grant, for its convenors or (unless `managing`) its funder's officers. Members and the
    facilitation team see who funds a dialogue, not the funder's reports: for them, like anyone, 404."""
    allowed = Q(can_manage=True) if managing else Q(can_manage=True) | Q(as_officer=True)
    return fetch_or_404(request, grants_for_user(user=request.user).filter(allowed), pk=grant_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def disclosures(request, grant_id: int):
    """GET: the section; htmx polls it while a version is being generated and gets what changed (or 204:
    nothing did), done included, without reloading the page. POST: generate a new version."""
    grant = _grant(request, grant_id, managing=request.method == "POST")
    if request.method == "POST":
        form = DisclosureForm(request.POST or {"language": get_language()})
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose one of Trackii's languages for the report."))
            services.request_disclosure(grant=grant, by=request.user, language=form.cleaned_data["language"])
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(
                request, _("The disclosure report is being generated; this takes a few seconds.")
            )
        return redirect(reverse("funding:grant_detail", args=[grant.pk]) + "#disclosures")
    context = selectors.disclosures_context(grant=grant, managing=grant.can_manage)
    if not request.htmx:
        return render(request, DISCLOSURES_PARTIAL, context)
    if request.GET.get("shown") == context["shown"]:
        return HttpResponse(status=204)
    return render(request, DISCLOSURES_PARTIAL + "#update", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def disclosure_download(request, grant_id: int, disclosure_id: int):
    grant = _grant(request, grant_id)
    disclosure = fetch_or_404(
        request,
        selectors.disclosures_of(grant=grant, newest_only=not grant.can_manage).filter(
            sealed_at__isnull=False
        ),
        pk=disclosure_id,
    )
    pdf = services.download_disclosure(disclosure=disclosure, by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime(disclosure.sealed_at).strftime("%Y-%m-%d")
    # The codename, as everywhere outside Trackii; a core-budget grant has none.
    subject = grant.dialogue.codename if grant.dialogue_id else "core-budget"
    response["Content-Disposition"] = (
        f'attachment; filename="disclosure-{subject}-v{disclosure.version}-{stamp}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
