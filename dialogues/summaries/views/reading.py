"""Reading sealed summaries: the reader's own copy as a download, the dialogue's ground rules a member
accepts before their first sealed summary, and the reading room."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.http import GET, GET_POST
from dialogues.languages import language
from dialogues.models import Summary, SummaryTranslation
from dialogues.summaries import pages, selectors, services
from dialogues.summaries.views.drafts import _readable, _to_summary
from trackii.permissions import fetch_or_404


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
            _(
                "Copies are issued to people only, each marked with its own code, and this account has no "
                "person on file. Read the summary on this page instead."
            ),
        )
        return _to_summary(summary)
    copy = services.issue_download(summary=summary, person=person, by=request.user)
    response = HttpResponse(selectors.copy_pdf(copy=copy), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_copy_file_name(summary)}"'
    response["Cache-Control"] = "no-store"
    return response


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
                request, _("The ground rules are accepted by the dialogue's members; you are not one.")
            )
        else:
            services.accept_ground_rules_before_reading(membership=membership, by=request.user)
            messages.success(request, _("Thank you: you accepted the ground rules of this dialogue."))
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
        selectors.sealed_summaries_to_read(user=request.user)
        .defer(*unshown)
        .prefetch_related(
            Prefetch("translations", SummaryTranslation.objects.only("summary", "language", "created_at"))
        ),
        key=lambda s: s.workshop.series.dialogue.codename,
    )
    for summary in sealed:
        # A summary in several languages says which, in the PDF's order (its main language first).
        parallel = sorted(summary.translations.all(), key=lambda row: (row.created_at, row.pk))
        if parallel:
            names = [language(code).name for code in [summary.language, *(row.language for row in parallel)]]
            summary.language_names = get_text_list(names, _("and"))
    reviews = list(selectors.reviews_for_user(user=request.user).defer(*unshown))
    context = {
        "sealed": sealed,
        "reviews": reviews,
        "viewer_tz": dialogue_selectors.display_timezone(user=request.user) if reviews else "UTC",
    }
    return render(request, "dialogues/summaries/reading_room.html", context)
