"""The auditors' pages. Only holders of `audit.view_auditevent` (the auditors group, and administrators) get
them; everyone else gets the ordinary 404. Auditors see accounts by pseudonym and dialogues by codename, never
content. Looking at the log is itself recorded in it."""

import csv
from urllib.parse import urlencode

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from trackii.accounts import zones
from trackii.audit import selectors, services
from trackii.audit.forms import AuditSearchForm
from trackii.inputs import parse_id
from trackii.permissions import refuse
from trackii.refusals import form_status

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


def _require_auditor(request) -> None:
    user = request.user
    if not (user.is_authenticated and user.is_active and user.has_perm("audit.view_auditevent")):
        raise Http404


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
            form.add_error("person", "No account matches this. Try “#12”, a pseudonym or a login e-mail.")
            return form, None
    if data["dialogue"]:
        filters["dialogue_id"] = selectors.dialogue_matching(codename=data["dialogue"])
        if filters["dialogue_id"] is None:
            form.add_error("dialogue", "No dialogue has this codename.")
            return form, None
    return form, filters


@require_GET
def overview(request):
    """Unusual activity and the state of the chain."""
    _require_auditor(request)
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
    _require_auditor(request)
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
    _require_auditor(request)
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
    _require_auditor(request)
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
    _require_auditor(request)
    form, filters = _search(request)
    if filters is None:
        return render(request, "audit/events.html", {"form": form, "page": None}, status=form_status(form))
    rows = services.export_events(by=request.user, filters=filters)

    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(EXPORT_COLUMNS)
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="trackii-audit-{timezone.now():%Y%m%d-%H%M}.csv"'
    return response


class _Echo:
    """csv.writer writes into this and gets each line back, so the export streams."""

    def write(self, value: str) -> str:
        return value
