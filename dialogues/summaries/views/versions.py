"""A summary's languages while it is a draft (issue 22): the language of the summary itself, and its parallel
versions in other languages added, saved and removed. Only the drafters reach these (`_writable`); every
refusal comes back on the draft's page next to its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogues.http import POST
from dialogues.languages import language
from dialogues.summaries import pages, selectors, services
from dialogues.summaries.forms import ParallelVersionForm, RemoveVersionForm, SummaryLanguageForm
from dialogues.summaries.views.drafts import _to_summary, _writable
from trackii.refusals import add_errors, show_refusal


@login_required
@require_http_methods(POST)
def summary_language(request, dialogue_id: int, summary_id: int):
    """The language the summary itself is written in."""
    summary = _writable(request, dialogue_id, summary_id)
    form = SummaryLanguageForm(request.POST, auto_id="id_main_%s")
    if form.is_valid():
        try:
            services.set_summary_language(
                summary=summary, language_code=form.cleaned_data["language"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The summary is now marked as written in %(language)s.")
                % {"language": language(form.cleaned_data["language"]).name},
            )
            return _to_summary(summary, "#versions")
    return pages.draft_page(request, summary, version_forms={"main": form}, status=400)


@login_required
@require_http_methods(POST)
def summary_version_save(request, dialogue_id: int, summary_id: int):
    """Add a parallel version, or save the text of one: the form names its language."""
    summary = _writable(request, dialogue_id, summary_id)
    # An existing version's form comes back in its place on the page; anything else, as the new version.
    code = request.POST.get("language", "")
    known = {version.code for version in selectors.versions_of(summary=summary)[1:]}
    key = code if request.POST.get("adding") != "1" and code in known else "new"
    form = ParallelVersionForm(request.POST, auto_id="id_new_%s" if key == "new" else f"id_v{key}_%s")
    if form.is_valid():
        try:
            services.save_parallel_version(
                summary=summary,
                language_code=form.cleaned_data["language"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The version in %(language)s is saved. The attribution check below has read it.")
                % {"language": language(form.cleaned_data["language"]).name},
            )
            return _to_summary(summary, "#versions")
    return pages.draft_page(request, summary, version_forms={key: form}, status=400)


@login_required
@require_http_methods(POST)
def summary_version_remove(request, dialogue_id: int, summary_id: int):
    summary = _writable(request, dialogue_id, summary_id)
    form = RemoveVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the version to remove."))
        return _to_summary(summary, "#versions")
    try:
        removed = services.remove_parallel_version(
            summary=summary, language_code=form.cleaned_data["language"], by=request.user
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        name = language(form.cleaned_data["language"]).name
        if removed:
            messages.success(request, _("The version in %(language)s is removed.") % {"language": name})
        else:
            messages.info(request, _("This summary has no version in %(language)s.") % {"language": name})
    return _to_summary(summary, "#versions")
