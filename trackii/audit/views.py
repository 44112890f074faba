"""The auditors' pages. Only holders of `audit.view_auditevent` (the auditors group, and superusers) get
them; everyone else gets the ordinary 404. Auditors see accounts by pseudonym and dialogues by codename, never
content. Looking at the log is itself recorded in it."""

import csv
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trackii.accounts import zones
from trackii.audit import selectors, services
from trackii.audit.enums import Action
from trackii.audit.forms import AuditSearchForm, SavedSearchForm, describe_query, search_query
from trackii.audit.models import SavedSearch
from trackii.charts.export import FORMULA_STARTS
from trackii.confirmation import Confirmation, ask, confirmed
from trackii.inputs import parse_id
from trackii.permissions import refuse
from trackii.refusals import form_status, show_refusal

GET_POST = ["GET", "HEAD", "POST"]
BIGINT_MAX = 2**63 - 1  # an id in a URL past it matches nothing (PostgreSQL would refuse the comparison)

EXPORT_COLUMNS = [
    "id",
    "occurred_at",
    "account",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "dialogue_id",
    "request_id",
    "client_ip",
    "row_hash",
]  # fmt: skip (the CSV's names for services.EXPORT_FIELDS, in their order)


def require_auditor(request) -> None:
    """Auditors only (and superusers, who hold every permission); anyone else gets the ordinary 404, recorded
    as denied like every other refusal, so probing the audit pages shows in the log they guard."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.has_perm("audit.view_auditevent")):
        match = request.resolver_match
        refuse(request, target_type="audit.log", attempted=match.view_name if match else "audit")


def _search(request) -> tuple[AuditSearchForm, dict | None]:
    """The form and the filters it asks for; None when the form is invalid or names nobody and nothing."""
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    since, until = form.day_bounds(zones.of(request))
    filters = {
        "target_type": data["target_type"].strip(),
        "target_id": data["target_id"].strip(),
        "action": data["action"],
        "outcome": data["outcome"],
        "since": since,
        "until": until,
    }
    if data["person"]:
        filters["actor_ids"] = selectors.accounts_matching(text=data["person"])
        if not filters["actor_ids"]:
            form.add_error("person", _("No account matches this. Try “#12”, a pseudonym or a login e-mail."))
            return form, None
    if data["dialogue"]:
        filters["dialogue_id"] = selectors.dialogue_matching(codename=data["dialogue"])
        if filters["dialogue_id"] is None:
            form.add_error("dialogue", _("No dialogue has this codename."))
            return form, None
    return form, filters


@require_GET
def overview(request):
    """Unusual activity and the state of the chain."""
    require_auditor(request)
    found = services.view_overview(by=request.user)
    context = {
        "flags": found.flags,
        "head": found.head,
        "verification": found.verification,
        "checkpoint": found.checkpoint,
        "checkpoint_warnings": found.checkpoint_warnings,
        "form": AuditSearchForm(),
    }
    return render(request, "audit/overview.html", context)


@require_GET
def events(request):
    """Search the log, newest first, a page at a time. The URL is the search: shareable, and every page
    link keeps its filters."""
    require_auditor(request)
    form, filters = _search(request)
    page, rows, chips = None, None, []
    if filters is not None:
        page, rows = services.search_events(
            by=request.user, filters=filters, before=parse_id(request.GET.get("before"))
        )
        named = filters["target_type"] and filters["target_id"] and rows
        chips = form.active_filters(zone=zones.of(request), object_label=rows[0].object if named else "")
    query = request.GET.copy()
    query.pop("before", None)
    context = {"form": form, "page": page, "rows": rows, "chips": chips, "query": query.urlencode()}
    return render(request, "audit/events.html", context, status=form_status(form))


@require_GET
def account_timeline(request, account_id: int):
    """Everything one account did and everything done to it, newest first."""
    require_auditor(request)
    timeline = services.view_account_timeline(
        by=request.user, account_id=account_id, before=parse_id(request.GET.get("before"))
    )
    if timeline is None:
        refuse(request, target_type="accounts.user", target_id=str(account_id), attempted="audit.timeline")
    context = {"timeline": timeline, "kind": "account", "search": f"person=%23{account_id}"}
    return render(request, "audit/timeline.html", context)


@require_GET
def object_timeline(request, target_type: str, target_id: str):
    """Every row about one object, newest first."""
    require_auditor(request)
    timeline = None
    if selectors.has_timeline(target_type, target_id):
        timeline = services.view_object_timeline(
            by=request.user,
            target_type=target_type,
            target_id=target_id,
            before=parse_id(request.GET.get("before")),
        )
    if timeline is None:
        # PostgreSQL's text refuses NUL: what was asked for is recorded without it.
        refuse(
            request,
            target_type=target_type[:100].replace("\x00", "\ufffd"),
            target_id=target_id.replace("\x00", "\ufffd"),
            attempted="audit.timeline",
        )
    search = urlencode({"target_type": target_type, "target_id": target_id})
    return render(request, "audit/timeline.html", {"timeline": timeline, "kind": "object", "search": search})


@require_GET
def export(request):
    """The filtered view as CSV (at most services.EXPORT_LIMIT rows); the export itself is recorded."""
    require_auditor(request)
    form, filters = _search(request)
    if filters is None:
        return render(request, "audit/events.html", {"form": form, "page": None}, status=form_status(form))
    rows = services.export_events(by=request.user, filters=filters)

    writer = csv.writer(_Echo())
    words = english_action_words()
    action = EXPORT_COLUMNS.index("action")

    def lines():
        # The action in words last, as in the JSON Lines: the columns before it keep their places.
        yield writer.writerow([*EXPORT_COLUMNS, "action_label"])
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow([_cell(value) for value in (*row, words.get(row[action], row[action]))])

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="trackii-audit-{timezone.now():%Y%m%d-%H%M}.csv"'
    return response


def english_action_words() -> dict[str, str]:
    """The actions in English words, whatever the viewer's language: the CSV and the JSON Lines are read by
    programs and compared across auditors and months, so their columns and values stay in one language."""
    with translation.override("en-gb"):
        return {action.value: str(action.label) for action in Action}


def _cell(value):
    """A CSV cell a spreadsheet shows as text: an object id from a URL someone typed (a refused timeline,
    /audit/objects/<type>/<id>/, is recorded as asked) may start like a formula, and opening the export ran
    it (CSV injection). A leading apostrophe makes it text; JSON Lines needs nothing of the kind."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


class _Echo:
    """csv.writer writes into this and gets each line back, so the export streams."""

    def write(self, value: str) -> str:
        return value


@require_GET
def export_jsonl(request):
    """The filtered view as JSON Lines, one object per row with the CSV's fields and the action in words;
    streamed like the CSV, and recorded the same way."""
    require_auditor(request)
    form, filters = _search(request)
    if filters is None:
        return render(request, "audit/events.html", {"form": form, "page": None}, status=form_status(form))
    rows = services.export_events(by=request.user, filters=filters, format="jsonl")
    words = english_action_words()

    def lines():
        for row in rows.iterator(chunk_size=2000):
            record = dict(zip(EXPORT_COLUMNS, row, strict=True))
            record["occurred_at"] = record["occurred_at"].isoformat()
            record["action_label"] = words.get(record["action"], record["action"])
            yield json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="trackii-audit-{timezone.now():%Y%m%d-%H%M}.jsonl"'
    )
    return response


@require_GET
def activity(request):
    """Rows and denials per day for the search's filters (the last 30 days when it has no dates), as a chart
    and a table with the same numbers."""
    require_auditor(request)
    form, filters = _search(request)
    found = None
    if filters is not None:
        found = services.view_activity(
            by=request.user,
            filters={**filters, "since": None, "until": None},  # the days are counted on the viewer's clock
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
            zone=zones.of(request),
        )
    query = search_query(form) if filters is not None else ""
    context = {
        "form": form,
        "activity": found,
        "query": query,
        "filters": describe_query(query),
        "chart": found.chart() if found else None,
    }
    return render(request, "audit/activity.html", context, status=form_status(form))


def _saved(request, saved_id: int) -> SavedSearch:
    """The auditor's own saved search; another auditor's is the same audited 404 as one that never was."""
    saved = selectors.saved_searches_of(user=request.user).filter(pk=min(saved_id, BIGINT_MAX)).first()
    if saved is None:
        refuse(request, target_type=SavedSearch._meta.label_lower, target_id=str(saved_id), attempted="view")
    return saved


@require_GET
def saved_list(request):
    require_auditor(request)
    searches = [
        (saved, describe_query(saved.query)) for saved in selectors.saved_searches_of(user=request.user)
    ]
    return render(request, "audit/saved_list.html", {"searches": searches})


@require_http_methods(GET_POST)
def save_search(request):
    """Name the search in this URL's query string and keep it; only the search form's fields are kept."""
    require_auditor(request)
    search = AuditSearchForm(request.GET)
    if not search.is_valid():
        messages.error(
            request, _("This search has a mistake in it. Correct it on the search page, then save it.")
        )
        return redirect(f"{reverse('audit:events')}?{request.GET.urlencode()}")
    query = search_query(search)
    form = SavedSearchForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            saved = services.save_search(by=request.user, name=form.cleaned_data["name"], query=query)
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, _("Search saved as “%(name)s”.") % {"name": saved.name})
            return redirect("audit:saved_list")
    context = {"form": form, "filters": describe_query(query), "query": query, "saved": None}
    return render(request, "audit/saved_form.html", context, status=form_status(form))


@require_GET
def saved_open(request, saved_id: int):
    require_auditor(request)
    saved = _saved(request, saved_id)
    return redirect(f"{reverse('audit:events')}?{saved.query}")


@require_http_methods(GET_POST)
def saved_rename(request, saved_id: int):
    require_auditor(request)
    saved = _saved(request, saved_id)
    form = SavedSearchForm(request.POST if request.method == "POST" else None, initial={"name": saved.name})
    if form.is_valid():
        try:
            services.rename_saved_search(by=request.user, saved=saved, name=form.cleaned_data["name"])
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, _("Saved search renamed “%(name)s”.") % {"name": saved.name})
            return redirect("audit:saved_list")
    context = {"form": form, "filters": describe_query(saved.query), "query": saved.query, "saved": saved}
    return render(request, "audit/saved_form.html", context, status=form_status(form))


@require_http_methods(GET_POST)
def saved_delete(request, saved_id: int):
    """Deleting asks first (a GET, or a POST without the confirmation): the name and filters are not kept."""
    require_auditor(request)
    saved = _saved(request, saved_id)
    if not confirmed(request):
        return ask(
            request,
            Confirmation(
                title=_("Delete the saved search “%(name)s”?") % {"name": saved.name},
                action=request.path,
                button=_("Yes, delete it"),
                back=reverse("audit:saved_list"),
                back_label=_("No, keep it"),
                happens=[
                    _("The search disappears from your saved searches."),
                    _("The audit log is not changed: every row the search found stays where it is."),
                ],
                final=_(
                    "The name and filters are not kept anywhere. To search again, enter the filters anew."
                ),
                breadcrumbs=[(reverse("audit:saved_list"), _("Saved searches"))],
            ),
        )
    services.delete_saved_search(by=request.user, saved=saved)
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": saved.name})
    return redirect("audit:saved_list")
