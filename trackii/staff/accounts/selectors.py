"""Reads for the staff's pages on logins. A login is shown by its number and, when it has a person, their
pseudonym; never by its e-mail address, which staff can only type whole to find it (the blind index,
docs/decisions/0006). Each page costs a fixed number of queries however many rows it shows."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trackii.accounts.middleware import SEEN
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.logins import login_hash
from trackii.audit.models import AuditEvent
from trackii.inputs import parse_id
from trackii.staff.roles import GROUPS, Role

PAGE_SIZE = 50


def accounts() -> QuerySet[User]:
    """Every login, newest first, with what the list shows of it: one query for a page of any length."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group

    def member_of(role: Role) -> Exists:
        group = Group.objects.filter(name=GROUPS[role], user=OuterRef("pk"))
        return Exists(group)

    # Recovery codes are the spare key of a second factor, not one of their own.
    factors = Authenticator.objects.filter(user=OuterRef("pk")).exclude(
        type=Authenticator.Type.RECOVERY_CODES
    )
    return (
        User.objects.annotate(
            is_auditor_member=member_of(Role.AUDITOR),
            is_administrator_member=member_of(Role.ADMINISTRATOR),
            has_second_factor=Exists(factors),
            pseudonym=F("person__pseudonym"),
        )
        .only("pk", "email", "is_active", "is_staff", "is_superuser", "last_login", "date_joined")
        .order_by("-pk")
    )


@dataclass(frozen=True)
class Search:
    """What was typed in the search box, understood: a login number, a whole address or a pseudonym."""

    kind: str  # "number", "address" or "pseudonym"
    matching: dict


def understand(text: str) -> Search | None:
    text = text.strip()
    if not text:
        return None
    if text.startswith("#"):
        number = parse_id(text[1:].strip())
        return Search("number", {"pk": number if number is not None else 0})
    if "@" in text:
        # The whole address, any case, through the blind index: no part of an address can be searched.
        return Search("address", {"email": text})
    return Search("pseudonym", {"person__pseudonym__iexact": text})


def filtered(
    *,
    search: Search | None = None,
    role: str = "",
    disabled: bool = False,
    no_second_factor: bool = False,
    locked: bool = False,
) -> QuerySet[User]:
    rows = accounts()
    if search is not None:
        rows = rows.filter(**search.matching)
    if role == Role.AUDITOR:
        rows = rows.filter(is_auditor_member=True)
    elif role == Role.ADMINISTRATOR:
        rows = rows.filter(is_administrator_member=True)
    elif role == "superuser":
        rows = rows.filter(is_superuser=True)
    if disabled:
        rows = rows.filter(is_active=False)
    if no_second_factor:
        rows = rows.filter(has_second_factor=False)
    if locked:
        rows = rows.filter(pk__in=locked_account_ids())
    return rows


@dataclass
class Page:
    accounts: list[User]
    next_before: int | None


def page_of(*, rows: QuerySet[User], before: int | None) -> Page:
    """One page, newest first, keyed by id (no COUNT); each login marked `locked` with one look-up."""
    if before is not None:
        rows = rows.filter(pk__lt=before)
    found = list(rows[: PAGE_SIZE + 1])
    page = Page(found[:PAGE_SIZE], found[PAGE_SIZE - 1].pk if len(found) > PAGE_SIZE else None)
    mark_locked(page.accounts)
    return page


def account(*, account_id) -> QuerySet[User]:
    """The one-login queryset a detail page opens its login from (any login: staff see every account)."""
    return accounts().filter(pk=account_id) if parse_id(str(account_id)) is not None else User.objects.none()


def roles_of(user: User) -> list[str]:
    """The staff roles a login of `accounts()` holds, in words."""
    held = []
    if user.is_superuser:
        held.append(_("Superuser"))
    if getattr(user, "is_administrator_member", False):
        held.append(Role.ADMINISTRATOR.label)
    if getattr(user, "is_auditor_member", False):
        held.append(Role.AUDITOR.label)
    return held


# --- Locked logins (django-axes) ---------------------------------------------------------------------------


def _cool_off() -> dt.timedelta:
    from axes.helpers import get_cool_off

    return get_cool_off() or dt.timedelta(days=3650)


def locked_hashes(hashes: set[str]) -> set[str]:
    """Which of these login hashes (trackii.audit.logins.login_hash) axes holds locked now: one cache read
    or one query, whatever the number. Axes counts per login and per address; only the login's count
    locks the account itself (an address locked is the address's, not the account's)."""
    from axes.helpers import get_failure_limit, make_cache_key_list

    if not hashes:
        return set()
    limit = get_failure_limit(None, None)
    handler = settings.AXES_HANDLER
    if handler.endswith("AxesCacheHandler"):
        from axes.helpers import get_cache

        keys = {make_cache_key_list([{"username": hashed}])[0]: hashed for hashed in hashes}
        counts = get_cache().get_many(list(keys))
        return {keys[key] for key, count in counts.items() if int(count or 0) >= limit}
    if handler.endswith("AxesDatabaseHandler"):
        from axes.models import AccessAttempt
        from django.db.models import Sum

        return set(
            AccessAttempt.objects.filter(username__in=hashes, attempt_time__gte=timezone.now() - _cool_off())
            .values("username")
            .annotate(failures=Sum("failures_since_start"))
            .filter(failures__gte=limit)
            .values_list("username", flat=True)
        )
    return set()


def mark_locked(users: list[User]) -> None:
    """Set `locked` on each login. The hash needs the address, which each row already decrypted."""
    hashes = {user.pk: login_hash(user.email) for user in users}
    locked = locked_hashes(set(hashes.values()))
    for user in users:
        user.locked = hashes[user.pk] in locked


def locked_account_ids() -> list[int]:
    """The logins locked now. Axes cannot list what it holds, so the candidates are the lockouts the audit
    log recorded within the cool-off; each is confirmed with axes, then matched to a login by hashing every
    login's address (one query over the logins, only when something is locked)."""
    since = timezone.now() - _cool_off()
    candidates = set(
        AuditEvent.objects.filter(action=Action.LOGIN_LOCKED, occurred_at__gte=since)
        .values_list("detail__login_hash", flat=True)
        .distinct()
    )
    locked = locked_hashes({hashed for hashed in candidates if isinstance(hashed, str) and hashed})
    if not locked:
        return []
    return [
        pk for pk, email in User.objects.values_list("pk", "email").iterator() if login_hash(email) in locked
    ]


# --- Sessions ----------------------------------------------------------------------------------------------

# Checked in order: Edge and Opera say "Chrome" too, Chrome says "Safari" too.
BROWSERS = [
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]


def browser_family(user_agent: str) -> str:
    """The browser's name only: the full user agent (version, system, device) tells more than staff need."""
    for marker, family in BROWSERS:
        if marker in (user_agent or ""):
            return family
    return _("Other")


@dataclass
class SessionRow:
    id: int
    started: dt.datetime
    last_seen: dt.datetime | str | None
    browser: str
    ip: str | None  # only for auditors


def sessions_of(*, user: User, with_addresses: bool) -> list[SessionRow]:
    """The login's open sessions, newest first: two queries (allauth's tracked sessions and Django's
    session rows behind them). A tracked session whose Django session has ended or expired is not open and
    is left out. `with_addresses` is for auditors only: no one else sees where a person logs in from."""
    from allauth.usersessions.models import UserSession

    from trackii.accounts.sessions import SessionStore

    tracked = list(UserSession.objects.filter(user=user).order_by("-created_at", "-pk"))
    stored = dict(
        Session.objects.filter(
            session_key__in=[session.session_key for session in tracked], expire_date__gt=timezone.now()
        ).values_list("session_key", "session_data")
    )
    store = SessionStore()
    rows = []
    for session in tracked:
        if session.session_key not in stored:
            continue
        data = store.decode(stored[session.session_key])
        if str(data.get("_auth_user_id")) != str(user.pk):
            continue
        rows.append(
            SessionRow(
                id=session.pk,
                started=session.created_at,
                last_seen=data.get(SEEN) or session.last_seen_at,
                browser=browser_family(session.user_agent),
                ip=session.ip if with_addresses else None,
            )
        )
    return rows
