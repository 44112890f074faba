"""Reads of the audit log for the auditors' pages. Newest first, paged by id (keyset: no COUNT over millions
of rows). The audit app imports no domain app; these reads turn ids into the labels auditors work with
(pseudonyms and codenames, never names or content), asking the domain through trackii.hooks."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from trackii.accounts.models import User
from trackii.audit.checkpoints import Checkpoint
from trackii.audit.conf import chain_check_stall
from trackii.audit.enums import ACTIVE_CHAIN_CHECK, Action, ChainCheckStatus, Outcome
from trackii.audit.models import AuditEvent, ChainCheck, SavedSearch
from trackii.hooks import domain
from trackii.inputs import parse_id

PAGE_SIZE = 50
ACCOUNT_TYPE = "accounts.user"
PERSON_TYPE = "participants.person"  # the person an account belongs to (User.person)
ACTION_LABELS = dict(Action.choices)
OUTCOME_LABELS = dict(Outcome.choices)
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
    objects: dict[tuple[str, str], str] = field(default_factory=dict)


# What rows about no stored object are about (targets the audit app and the foundation write themselves).
TYPE_WORDS = {
    "audit.overview": _("the audit overview"),
    "audit.search": _("a search of the log"),
    "audit.timeline": _("a timeline of the log"),
    "sealing.pdf": _("a PDF checked"),
}


def type_words(target_type: str) -> str:
    """ "summary copy" for dialogues.summarycopy: the model's own name for itself, no query."""
    if target_type in TYPE_WORDS:
        return TYPE_WORDS[target_type]
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type.replace("_", " ").replace(".", " ")


def object_label(labels: Labels, target_type: str, target_id: str) -> str:
    """How a row names its object: the domain's label, else "<type words> #id"."""
    if not target_type:
        return ""
    found = labels.objects.get((target_type, target_id))
    if found:
        return found
    return f"{type_words(target_type)} #{target_id}" if target_id else type_words(target_type)


def labels_for(
    *,
    actor_ids: set[int],
    dialogue_ids: set[int] = frozenset(),
    targets: set[tuple[str, str]] = frozenset(),
) -> Labels:
    """One query for the accounts (actors, and accounts a row is about), one for the dialogues, and the
    domain's labels for the other objects (one query per type of object): a fixed number of queries for any
    number of rows. An account reads as its pseudonym (or, for staff without one, its login)."""
    account_targets = {t for t in targets if t[0] == ACCOUNT_TYPE and t[1].isascii() and t[1].isdigit()}
    account_ids = set(actor_ids) | {
        int(target_id) for _, target_id in account_targets if len(target_id) <= 18
    }
    accounts = {
        pk: f"#{pk} {pseudonym or email}"
        for pk, email, pseudonym in User.objects.filter(pk__in=account_ids).values_list(
            "pk", "email", "person__pseudonym"
        )
    }
    dialogues = domain().dialogue_codenames(dialogue_ids)
    objects = domain().audit_object_labels({t for t in targets if t[0] != ACCOUNT_TYPE})
    for target_type, target_id in account_targets:
        if int(target_id) in accounts:
            objects[(target_type, target_id)] = accounts[int(target_id)]
    return Labels(accounts=accounts, dialogues=dialogues, objects=objects)


@dataclass
class Row:
    """An audit row as the auditors' pages show it: each id in words."""

    event: AuditEvent
    account: str
    action: str
    outcome: str
    object: str
    dialogue: str
    has_timeline: bool  # whether the object's id can be put in its timeline's URL


# The target types and ids an object timeline's URL takes ("dialogues.summary", "39", "C-4RBQ-61F5-YF91").
TARGET_TYPE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
TARGET_ID_LENGTH = 64  # AuditEvent.target_id's length


def has_timeline(target_type: str, target_id: str) -> bool:
    return bool(
        TARGET_TYPE.fullmatch(target_type)
        and target_id
        and len(target_id) <= TARGET_ID_LENGTH
        and target_id.isprintable()
        and "/" not in target_id
    )


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action) or action.replace("_", " ").capitalize()


def labelled(events: list[AuditEvent]) -> list[Row]:
    """The rows of a page in words, in a fixed number of queries (labels_for)."""
    labels = labels_for(
        actor_ids={e.actor_id for e in events if e.actor_id},
        dialogue_ids={e.dialogue_id for e in events if e.dialogue_id},
        targets={(e.target_type, e.target_id) for e in events if e.target_type},
    )
    return [
        Row(
            event=e,
            account=labels.accounts.get(e.actor_id, f"#{e.actor_id}") if e.actor_id else e.actor_label,
            action=action_label(e.action),
            outcome=OUTCOME_LABELS.get(e.outcome, e.outcome),
            object=object_label(labels, e.target_type, e.target_id),
            dialogue=labels.dialogues.get(e.dialogue_id, str(e.dialogue_id or "")),
            has_timeline=has_timeline(e.target_type, e.target_id),
        )
        for e in events
    ]


@dataclass
class Account:
    id: int
    label: str
    person_id: int | None


def account(*, account_id: int) -> Account | None:
    """The account a timeline is about: its label and its person's id (None for staff without one)."""
    found = User.objects.filter(pk=account_id).values_list("email", "person__pseudonym", "person__pk").first()
    if found is None:
        return None
    email, pseudonym, person_id = found
    return Account(id=account_id, label=f"#{account_id} {pseudonym or email}", person_id=person_id)


def account_page(*, account: Account, before: int | None) -> Page:
    """Everything an account did and everything done to it (rows about the account or its person), newest
    first, a page at a time. Each part is read along its own index, newest first and at most a page long,
    and their union is cut to a page: no scan of all the account's rows, however many."""
    parts = [Q(actor_id=account.id), Q(target_type=ACCOUNT_TYPE, target_id=str(account.id))]
    if account.person_id is not None:
        parts.append(Q(target_type=PERSON_TYPE, target_id=str(account.person_id)))
    newer = Q(id__lt=before) if before is not None else Q()
    first, *rest = (
        AuditEvent.objects.filter(part, newer).order_by("-id").values_list("id", flat=True)[: PAGE_SIZE + 1]
        for part in parts
    )
    if connection.features.supports_slicing_ordering_in_compound:
        ids = list(first.union(*rest).order_by("-id")[: PAGE_SIZE + 1])
    else:  # SQLite (make run's database) takes no LIMIT inside a UNION: each part on its own, same page
        ids = sorted({pk for part in (first, *rest) for pk in part}, reverse=True)[: PAGE_SIZE + 1]
    rows = list(
        AuditEvent.objects.filter(id__in=ids)
        .order_by("-id")
        .defer("client_ip_salt", "client_ip_hash", "prev_hash")
    )
    return Page(rows[:PAGE_SIZE], rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None)


def object_page(*, target_type: str, target_id: str, before: int | None) -> Page | None:
    """Every row about one object, newest first, a page at a time; None when the log never names it."""
    page = page_of(events=filtered(target_type=target_type, target_id=target_id), before=before)
    if page.events or AuditEvent.objects.filter(target_type=target_type, target_id=target_id).exists():
        return page
    return None


@dataclass
class Flag:
    actor_id: int | None
    count: int
    what: str  # "denials", "downloads" or "break_glass"

    @property
    def text(self) -> str:
        """ "6 denied requests in the last 24 hours (probing for ids?)", in the viewer's language."""
        n = self.count
        if self.what == "denials":
            words = ngettext(
                "%(count)s denied request in the last 24 hours (probing for ids?)",
                "%(count)s denied requests in the last 24 hours (probing for ids?)",
                n,
            )
        elif self.what == "downloads":
            words = ngettext("%(count)s download in the last hour", "%(count)s downloads in the last hour", n)
        else:
            words = ngettext(
                "%(count)s request under break-glass in the last 30 days",
                "%(count)s requests under break-glass in the last 30 days",
                n,
            )
        return words % {"count": n}


def unusual_activity(*, now: dt.datetime) -> list[Flag]:
    """Many denials from one account in a day, many downloads in an hour, and reads under break-glass."""
    flags = [
        Flag(row["actor_id"], row["n"], "denials")
        for row in AuditEvent.objects.filter(
            outcome=Outcome.DENIED, occurred_at__gte=now - dt.timedelta(days=1)
        )
        .values("actor_id")
        .annotate(n=Count("id"))
        .filter(n__gte=DENIALS_FLAG)
        .order_by("-n")[:10]
    ]
    flags += [
        Flag(row["actor_id"], row["n"], "downloads")
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
            Flag(row["actor_id"], row["n"], "break_glass")
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
    return [(flag, labels.accounts.get(flag.actor_id, _("anonymous"))) for flag in flags]


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


# --- The chain-status page (issue 19) ---------------------------------------------------------------------


def chain_check_stalled(check: ChainCheck, *, now: dt.datetime) -> bool:
    """Queued or running, and no sign of life for chain_check_stall(): its worker died, or none took it."""
    return check.status in ACTIVE_CHAIN_CHECK and check.progress_at < now - chain_check_stall()


def active_chain_check() -> ChainCheck | None:
    """The run queued or running (at most one: a constraint), stalled or not."""
    return ChainCheck.objects.filter(status__in=ACTIVE_CHAIN_CHECK).first()


def last_completed_chain_check() -> ChainCheck | None:
    """The newest run that walked the chain to a verdict, whose checkpoint verdicts the page lists."""
    return (
        ChainCheck.objects.filter(status__in=[ChainCheckStatus.PASSED, ChainCheckStatus.FAILED])
        .order_by("-finished_at", "-id")
        .first()
    )


@dataclass
class ChainStatus:
    """The chain-status page: the head, the last verification from anywhere (beat, shell or this page) with
    the label of who asked, the run under way if any, and the last completed run's checkpoint verdicts."""

    head: AuditEvent | None
    verification: AuditEvent | None
    verified_by: str
    active: ChainCheck | None
    stalled: bool
    completed: ChainCheck | None


def chain_check(*, check_id: int | None) -> ChainCheck | None:
    return ChainCheck.objects.filter(pk=check_id).first() if check_id is not None else None


def saved_searches_of(*, user: User) -> QuerySet[SavedSearch]:
    """The saved searches `user` may see and change: their own, and nobody else's."""
    return SavedSearch.objects.filter(owner=user).order_by(Lower("name"), "id")


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
        Denial(
            event, labels.accounts.get(event.actor_id, _("anonymous")), words.get(event.action, event.action)
        )
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
