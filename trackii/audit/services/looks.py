"""The auditors' looks at the log, each recorded in it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from trackii.accounts.models import User

from .. import selectors
from ..checkpoints import latest_checkpoint
from ..enums import Action
from .recording import record_event

EXPORT_LIMIT = 100_000
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


def view_home(*, by: User) -> selectors.Glance:
    """The auditor's part of the home page, recorded like the overview (its own row is the chain's head)."""
    flags = selectors.labelled_flags(now=timezone.now())
    denials = selectors.recent_denials()
    own = record_event(actor=by, action=Action.VIEW, target_type="audit.home")
    return selectors.Glance(
        head=own, verification=selectors.last_verification(), flags=flags, denials=denials
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


def export_events(*, by: User, filters: dict) -> QuerySet:
    """The filtered rows (EXPORT_FIELDS, at most EXPORT_LIMIT of them) for the auditor's CSV; the export is
    recorded before a row is read."""
    record_event(
        actor=by,
        action=Action.EXPORT,
        target_type="audit.search",
        detail={"filters": _searched(filters), "limit": EXPORT_LIMIT},
    )
    return selectors.filtered(**filters).values_list(*EXPORT_FIELDS)[:EXPORT_LIMIT]
