"""The auditors' looks at the log, each recorded in it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from trackii.accounts.models import User

from .. import activity, selectors
from ..checkpoints import latest_checkpoint
from ..enums import Action
from .recording import record_event

EXPORT_LIMIT = 100_000
EXPORT_FORMATS = ("csv", "jsonl")
TIMELINE = "audit.timeline"  # the target type of an auditor's look at one account's or object's rows
EXPORT_FIELDS = [
    "id", "occurred_at", "actor_id", "action", "outcome", "target_type", "target_id", "dialogue_id",
    "request_id", "client_ip", "row_hash",
]  # fmt: skip


def _searched(filters: dict) -> dict:
    """What the auditor searched for, as ids: recorded with their own look at the log."""
    used = {k: v for k, v in filters.items() if v not in (None, "", [])}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in used.items()}


def _page(before: int | None) -> dict:
    return {} if before is None else {"before": before}


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


def view_home(*, by: User) -> selectors.Glance:
    """The auditor's part of the home page, recorded like the overview (its own row is the chain's head)."""
    flags = selectors.labelled_flags(now=timezone.now())
    denials = selectors.recent_denials()
    own = record_event(actor=by, action=Action.VIEW, target_type="audit.home")
    return selectors.Glance(
        head=own, verification=selectors.last_verification(), flags=flags, denials=denials
    )


def search_events(
    *, by: User, filters: dict, before: int | None
) -> tuple[selectors.Page, list[selectors.Row]]:
    """One page of the auditor's search (newest first) and its rows in words; the search is recorded after
    the page is read, so the auditor's own row is not on it."""
    page = selectors.page_of(events=selectors.filtered(**filters), before=before)
    rows = selectors.labelled(page.events)
    record_event(
        actor=by, action=Action.VIEW, target_type="audit.search", detail={"filters": _searched(filters)}
    )
    return page, rows


@dataclass
class Timeline:
    """One account's or one object's rows, a page at a time, and what the page is about in words."""

    title: str
    page: selectors.Page
    rows: list[selectors.Row]


def view_account_timeline(*, by: User, account_id: int, before: int | None) -> Timeline | None:
    """Everything the account did and was done to it, newest first; None (nothing recorded) when there is
    no such account, for the caller to refuse like any other missing object."""
    account = selectors.account(account_id=account_id)
    if account is None:
        return None
    page = selectors.account_page(account=account, before=before)
    rows = selectors.labelled(page.events)
    record_event(
        actor=by, action=Action.VIEW, target_type=TIMELINE, detail={"account": account_id, **_page(before)}
    )
    return Timeline(title=account.label, page=page, rows=rows)


def view_object_timeline(
    *, by: User, target_type: str, target_id: str, before: int | None
) -> Timeline | None:
    """Every row about one object, newest first; None (nothing recorded) when the log never names it."""
    page = selectors.object_page(target_type=target_type, target_id=target_id, before=before)
    if page is None:
        return None
    rows = selectors.labelled(page.events)
    title = (
        rows[0].object
        if rows
        else selectors.object_label(
            selectors.labels_for(actor_ids=set(), targets={(target_type, target_id)}), target_type, target_id
        )
    )
    record_event(
        actor=by,
        action=Action.VIEW,
        target_type=TIMELINE,
        detail={"object_type": target_type, "object_id": target_id, **_page(before)},
    )
    return Timeline(title=title, page=page, rows=rows)


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
