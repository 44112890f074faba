"""The auditors' looks at the log, each recorded in it."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db.models import QuerySet
from django.utils import timezone

from trackii.accounts.models import User

from .. import activity, selectors
from ..checkpoints import latest_checkpoint
from ..enums import Action
from .recording import record_event

EXPORT_LIMIT = 100_000
EXPORT_FORMATS = ("csv", "jsonl")
EXPORT_FIELDS = [
    "id", "occurred_at", "actor_id", "action", "outcome", "target_type", "target_id", "dialogue_id",
    "request_id", "client_ip", "row_hash",
]  # fmt: skip


def _searched(filters: dict) -> dict:
    """What the auditor searched for, as ids: recorded with their own look at the log."""
    used = {k: v for k, v in filters.items() if v not in (None, "", [])}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in used.items()}


def view_overview(*, by: User) -> selectors.Overview:
    """Unusual activity and the state of the chain. The chain's head is the auditor's own row, the head their
    look made: record_event holds the chain lock until the request commits, so no row can follow it before."""
    flags = selectors.labelled_flags(now=timezone.now())
    checkpoint, warnings = latest_checkpoint()
    own = record_event(actor=by, action=Action.VIEW, target_type="audit.overview")
    return selectors.Overview(
        flags=flags,
        head=own,
        verification=selectors.last_verification(),
        checkpoint=checkpoint,
        checkpoint_warnings=warnings,
    )


def search_events(*, by: User, filters: dict, before: int | None) -> tuple[selectors.Page, selectors.Labels]:
    """One page of the auditor's search (newest first) and the labels its rows need; the search is recorded
    after the page is read, so the auditor's own row is not on it."""
    page = selectors.page_of(events=selectors.filtered(**filters), before=before)
    labels = selectors.labels_for(
        actor_ids={e.actor_id for e in page.events if e.actor_id},
        dialogue_ids={e.dialogue_id for e in page.events if e.dialogue_id},
    )
    record_event(
        actor=by, action=Action.VIEW, target_type="audit.search", detail={"filters": _searched(filters)}
    )
    return page, labels


def export_events(*, by: User, filters: dict, format: str = "csv") -> QuerySet:
    """The filtered rows (EXPORT_FIELDS, at most EXPORT_LIMIT of them) for the auditor's download as CSV or
    JSON Lines (`format`, EXPORT_FORMATS); the export is recorded before a row is read, so a download of the
    newest rows holds its own."""
    if format not in EXPORT_FORMATS:
        raise ValueError(f"Export format must be one of {', '.join(EXPORT_FORMATS)}, not {format!r}.")
    record_event(
        actor=by,
        action=Action.EXPORT,
        target_type="audit.search",
        detail={"format": format, "filters": _searched(filters), "limit": EXPORT_LIMIT},
    )
    return selectors.filtered(**filters).values_list(*EXPORT_FIELDS)[:EXPORT_LIMIT]


def view_activity(
    *, by: User, filters: dict, since: dt.date | None, until: dt.date | None, zone: zoneinfo.ZoneInfo
) -> activity.Activity:
    """Rows and denials per day for the auditor's search between the days `since` and `until` on their clock
    (the last 30 days when it names none), recorded as a look at the log after the counts are read."""
    today = timezone.now().astimezone(zone).date()
    found = activity.per_day(filters=filters, since=since, until=until, zone=zone, today=today)
    record_event(
        actor=by,
        action=Action.VIEW,
        target_type="audit.activity",
        detail={
            "filters": _searched(filters),
            "days": [found.first.isoformat(), found.last.isoformat()],
            "zone": found.zone,
        },
    )
    return found
