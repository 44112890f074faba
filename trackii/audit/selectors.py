"""Reads of the audit log for the auditors' pages. Newest first, paged by id (keyset: no COUNT over millions
of rows). The audit app imports no domain app; these reads turn ids into the labels auditors work with
(pseudonyms and codenames, never names or content), asking the domain through trackii.hooks."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from trackii.accounts.models import User
from trackii.audit.checkpoints import Checkpoint
from trackii.audit.enums import Action, Outcome
from trackii.audit.models import AuditEvent
from trackii.hooks import domain
from trackii.inputs import parse_id

PAGE_SIZE = 50
DENIALS_FLAG = 5  # denied requests by one account within a day
DOWNLOADS_FLAG = 20  # downloads by one account within an hour


@dataclass
class Page:
    events: list[AuditEvent]
    next_before: int | None


def accounts_matching(*, text: str) -> list[int]:
    """Account ids for what an auditor typed: "#12" (account id), a pseudonym ("P-17") or a login e-mail."""
    text = text.strip()
    if text.startswith("#"):
        account_id = parse_id(text[1:])
        return [account_id] if account_id is not None else []
    matching = Q(email__iexact=text) | Q(person__pseudonym__iexact=text)
    return list(User.objects.filter(matching).values_list("pk", flat=True))


def dialogue_matching(*, codename: str) -> int | None:
    return domain().dialogue_id_for_codename(codename)


def filtered(
    *,
    actor_ids: list[int] | None = None,
    target_type: str = "",
    target_id: str = "",
    dialogue_id: int | None = None,
    action: str = "",
    outcome: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.order_by("-id")
    if actor_ids is not None:
        events = events.filter(actor_id__in=actor_ids)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if dialogue_id is not None:
        events = events.filter(dialogue_id=dialogue_id)
    if action:
        events = events.filter(action=action)
    if outcome:
        events = events.filter(outcome=outcome)
    if since:
        events = events.filter(occurred_at__gte=since)
    if until:
        events = events.filter(occurred_at__lt=until)
    return events


def page_of(*, events: QuerySet[AuditEvent], before: int | None) -> Page:
    if before is not None:
        events = events.filter(id__lt=before)
    rows = list(events.defer("client_ip_salt", "client_ip_hash", "prev_hash")[: PAGE_SIZE + 1])
    return Page(rows[:PAGE_SIZE], rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None)


@dataclass
class Labels:
    accounts: dict[int, str]
    dialogues: dict[int, str]


def labels_for(*, actor_ids: set[int], dialogue_ids: set[int] = frozenset()) -> Labels:
    """Two queries for any number of rows: a pseudonym (or, for staff without one, the login) per account,
    and a codename per dialogue."""
    accounts = {
        pk: f"#{pk} {pseudonym or email}"
        for pk, email, pseudonym in User.objects.filter(pk__in=actor_ids).values_list(
            "pk", "email", "person__pseudonym"
        )
    }
    dialogues = domain().dialogue_codenames(dialogue_ids)
    return Labels(accounts=accounts, dialogues=dialogues)


@dataclass
class Flag:
    actor_id: int | None
    count: int
    what: str


def unusual_activity(*, now: dt.datetime) -> list[Flag]:
    """Many denials from one account in a day, many downloads in an hour, and reads under break-glass."""
    flags = [
        Flag(row["actor_id"], row["n"], "denied requests in the last 24 hours (probing for ids?)")
        for row in AuditEvent.objects.filter(
            outcome=Outcome.DENIED, occurred_at__gte=now - dt.timedelta(days=1)
        )
        .values("actor_id")
        .annotate(n=Count("id"))
        .filter(n__gte=DENIALS_FLAG)
        .order_by("-n")[:10]
    ]
    flags += [
        Flag(row["actor_id"], row["n"], "downloads in the last hour")
        for row in AuditEvent.objects.filter(
            action=Action.DOWNLOAD, occurred_at__gte=now - dt.timedelta(hours=1)
        )
        .values("actor_id")
        .annotate(n=Count("id"))
        .filter(n__gte=DOWNLOADS_FLAG)
        .order_by("-n")[:10]
    ]
    grants = list(
        AuditEvent.objects.filter(
            action=Action.BREAK_GLASS_GRANTED, occurred_at__gte=now - dt.timedelta(days=30)
        ).values_list("id", "actor_id", "dialogue_id")[:20]
    )
    if grants:
        during = Q()
        for event_id, actor_id, dialogue_id in grants:
            during |= Q(id__gt=event_id, actor_id=actor_id, dialogue_id=dialogue_id)
        flags += [
            Flag(row["actor_id"], row["n"], "requests under break-glass in the last 30 days")
            for row in AuditEvent.objects.filter(during)
            .exclude(action=Action.BREAK_GLASS_EXPIRED)
            .values("actor_id")
            .annotate(n=Count("id"))
            .order_by("-n")
        ]
    return flags


def labelled_flags(*, now: dt.datetime) -> list[tuple[Flag, str]]:
    """Unusual activity, each flag with the label of its account ("anonymous" for none)."""
    flags = unusual_activity(now=now)
    labels = labels_for(actor_ids={flag.actor_id for flag in flags if flag.actor_id})
    return [(flag, labels.accounts.get(flag.actor_id, "anonymous")) for flag in flags]


@dataclass
class Overview:
    """The auditors' first page: unusual activity and the state of the chain."""

    flags: list[tuple[Flag, str]]
    head: AuditEvent | None
    verification: AuditEvent | None
    checkpoint: Checkpoint | None
    checkpoint_warnings: list[str]


def last_verification() -> AuditEvent | None:
    return AuditEvent.objects.filter(action=Action.CHAIN_VERIFIED).order_by("-id").first()


# Issue 19, the auditors' home page: the chain, unusual activity and the newest denials at a glance.
RECENT_DENIALS = 10


@dataclass
class Denial:
    event: AuditEvent
    account: str
    action: str  # in words


def recent_denials(*, limit: int = RECENT_DENIALS) -> list[Denial]:
    """The newest denied rows, each with the label of its account ("anonymous" for none) and its action in
    words: two queries."""
    events = list(
        AuditEvent.objects.filter(outcome=Outcome.DENIED)
        .order_by("-id")
        .only("id", "occurred_at", "actor_id", "action", "target_type", "target_id", "dialogue_id")[:limit]
    )
    labels = labels_for(actor_ids={e.actor_id for e in events if e.actor_id})
    words = dict(Action.choices)
    return [
        Denial(event, labels.accounts.get(event.actor_id, "anonymous"), words.get(event.action, event.action))
        for event in events
    ]


@dataclass
class Glance:
    """What an auditor's home page shows: the chain's head and last verification, unusual activity and the
    newest denials."""

    head: AuditEvent | None
    verification: AuditEvent | None
    flags: list[tuple[Flag, str]]
    denials: list[Denial]
