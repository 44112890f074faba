"""The auditors' pages. Only holders of `audit.view_auditevent` (the auditors group, and administrators) get
them; everyone else gets the ordinary 404. Auditors see accounts by pseudonym and dialogues by codename, never
content. Looking at the log is itself recorded in it."""

import csv

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from trackii.audit import selectors
from trackii.audit.checkpoints import latest_checkpoint
from trackii.audit.enums import Action
from trackii.audit.forms import AuditSearchForm
from trackii.audit.services import record_event

EXPORT_LIMIT = 100_000
EXPORT_FIELDS = [
    "id", "occurred_at", "actor_id", "action", "outcome", "target_type", "target_id", "dialogue_id",
    "request_id", "client_ip", "row_hash",
]  # fmt: skip
EXPORT_COLUMNS = [
    "id", "occurred_at", "account", "action", "outcome", "object_type", "object_id", "dialogue_id",
    "request_id", "client_ip", "row_hash",
]  # fmt: skip


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
    since, until = form.day_bounds()
    filters = {
        "target_type": data["target_type"].strip(),
        "target_id": data["target_id"].strip(),
        "action": data["action"],
        "outcome": data["outcome"],
        "since": since,
        "until": until,
    }
    if data["person"]:
        filters["actor_ids"] = selectors.accounts_matching(data["person"])
        if not filters["actor_ids"]:
            form.add_error("person", "No account matches this. Try “#12”, a pseudonym or a login e-mail.")
            return form, None
    if data["dialogue"]:
        filters["dialogue_id"] = selectors.dialogue_matching(data["dialogue"])
        if filters["dialogue_id"] is None:
            form.add_error("dialogue", "No dialogue has this codename.")
            return form, None
    return form, filters


def _used(filters: dict) -> dict:
    """What the auditor searched for, as ids: recorded with their own look at the log."""
    used = {k: v for k, v in filters.items() if v not in (None, "", [])}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in used.items()}


@require_GET
def overview(request):
    """Unusual activity and the state of the chain."""
    _require_auditor(request)
    now = timezone.now()
    flags = selectors.unusual_activity(now=now)
    labels = selectors.labels_for(actor_ids={flag.actor_id for flag in flags if flag.actor_id})
    checkpoint, warnings = latest_checkpoint()
    record_event(actor=request.user, action=Action.VIEW, target_type="audit.overview", request=request)
    context = {
        "flags": [(flag, labels.accounts.get(flag.actor_id, "anonymous")) for flag in flags],
        "head": selectors.head(),
        "verification": selectors.last_verification(),
        "checkpoint": checkpoint,
        "checkpoint_warnings": warnings,
        "form": AuditSearchForm(),
    }
    return render(request, "audit/overview.html", context)


@require_GET
def events(request):
    """Search the log, newest first, a page at a time."""
    _require_auditor(request)
    form, filters = _search(request)
    page, labels = None, None
    if filters is not None:
        before = request.GET.get("before", "")
        page = selectors.page_of(
            selectors.filtered(**filters), before=int(before) if before.isdigit() else None
        )
        labels = selectors.labels_for(
            actor_ids={e.actor_id for e in page.events if e.actor_id},
            dialogue_ids={e.dialogue_id for e in page.events if e.dialogue_id},
        )
        record_event(
            actor=request.user,
            action=Action.VIEW,
            target_type="audit.search",
            request=request,
            detail={"filters": _used(filters)},
        )
    query = request.GET.copy()
    query.pop("before", None)
    context = {"form": form, "page": page, "labels": labels, "query": query.urlencode()}
    return render(request, "audit/events.html", context, status=200 if filters is not None else 400)


@require_GET
def export(request):
    """The filtered view as CSV (at most EXPORT_LIMIT rows); the export itself is recorded."""
    _require_auditor(request)
    form, filters = _search(request)
    if filters is None:
        return render(request, "audit/events.html", {"form": form, "page": None}, status=400)
    record_event(
        actor=request.user,
        action=Action.EXPORT,
        target_type="audit.search",
        request=request,
        detail={"filters": _used(filters), "limit": EXPORT_LIMIT},
    )
    rows = selectors.filtered(**filters).values_list(*EXPORT_FIELDS)[:EXPORT_LIMIT]

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
