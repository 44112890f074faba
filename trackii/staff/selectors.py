"""Reads for the administrators' home page (issue 19): the accounts that need someone to act. Nothing here
shows an address or a browser; accounts appear as the audit log's labels ("#12 P-9", or a staff login).

Lockouts are read from the audit log (trackii/accounts/throttle.py records the moment each starts, and each
early unlock), not from django-axes' counters: those live in the cache and cannot be listed, and they are
keyed by a hash of the typed login, so only a staff account's login can be matched back to its account."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from axes.helpers import get_cool_off
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q, QuerySet

from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.selectors import labels_for
from trackii.staff.roles import GROUPS, Role

RECENTLY_DISABLED_DAYS = 30
LIST_LIMIT = 20
# Factors that count as a second factor on their own (recovery codes are a fallback, not a factor).
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def staff_accounts(*, role_groups: Iterable[str]) -> QuerySet[User]:
    """Active accounts holding a staff role (`role_groups`: trackii.staff.roles.GROUPS, which the caller
    passes, since roles.py reaches the audit app's signals), the staff flag or superuser status."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=list(role_groups)))
        .distinct()
    )


@dataclass
class Lockout:
    at: dt.datetime
    until: dt.datetime
    failures: int | None
    login_ref: str  # the first characters of the login's hash, to tell lockouts apart
    account: str | None  # a staff account's label, when the hash is a staff login's


def locked_logins(*, now: dt.datetime, staff_logins: Callable[[], dict[str, int]]) -> list[Lockout]:
    """Logins locked after repeated failures whose cool-off has not ended and that nobody unlocked since.
    `staff_logins()` maps the login hash of each staff account to its id (trackii.audit.signals.login_hash,
    which the caller computes: a selector imports nothing that writes), asked only when one is locked."""
    cool_off = get_cool_off() or dt.timedelta(0)
    since = now - cool_off
    locked = list(
        AuditEvent.objects.filter(action=Action.LOGIN_LOCKED, occurred_at__gte=since)
        .order_by("-id")
        .values_list("id", "occurred_at", "detail")[:LIST_LIMIT]
    )
    if not locked:
        return []
    unlocked: dict[str, int] = {}
    for event_id, detail in AuditEvent.objects.filter(
        action=Action.LOGIN_UNLOCKED, occurred_at__gte=since
    ).values_list("id", "detail"):
        hashed = (detail or {}).get("login_hash") or ""
        unlocked[hashed] = max(unlocked.get(hashed, 0), event_id)
    staff = staff_logins()
    labels = labels_for(actor_ids=set(staff.values())).accounts
    found, seen = [], set()
    for event_id, at, detail in locked:
        hashed = (detail or {}).get("login_hash") or ""
        if hashed in seen or unlocked.get(hashed, 0) > event_id:
            continue
        seen.add(hashed)
        found.append(
            Lockout(
                at=at,
                until=at + cool_off,
                failures=(detail or {}).get("failures"),
                login_ref=hashed[:8],
                account=labels.get(staff[hashed]) if hashed in staff else None,
            )
        )
    return found


@dataclass
class Labelled:
    user_id: int
    label: str


def staff_without_second_factor(*, role_groups: Iterable[str]) -> list[Labelled]:
    """Staff accounts without a second factor yet (they are asked for one at their next login)."""
    factors = Authenticator.objects.filter(user=OuterRef("pk"), type__in=SECOND_FACTORS)
    without = staff_accounts(role_groups=role_groups).exclude(Exists(factors)).order_by("pk")
    ids = list(without.values_list("pk", flat=True)[:LIST_LIMIT])
    labels = labels_for(actor_ids=set(ids)).accounts
    return [Labelled(pk, labels.get(pk, f"#{pk}")) for pk in ids]


@dataclass
class Disabled:
    user_id: int
    label: str
    at: dt.datetime
    by: str


def recently_disabled(*, now: dt.datetime) -> list[Disabled]:
    """Accounts disabled in the last RECENTLY_DISABLED_DAYS days that are still disabled, newest first, with
    who disabled them."""
    events = list(
        AuditEvent.objects.filter(
            action=Action.ACCOUNT_DISABLED,
            target_type=User._meta.label_lower,
            occurred_at__gte=now - dt.timedelta(days=RECENTLY_DISABLED_DAYS),
        )
        .order_by("-id")
        .values_list("target_id", "occurred_at", "actor_id")[: LIST_LIMIT * 5]
    )
    ids = {int(target_id) for target_id, _, _ in events if target_id.isdigit()}
    still = set(User.objects.filter(pk__in=ids, is_active=False).values_list("pk", flat=True))
    labels = labels_for(actor_ids=still | {actor for _, _, actor in events if actor}).accounts
    found, seen = [], set()
    for target_id, at, actor_id in events:
        pk = int(target_id) if target_id.isdigit() else None
        if pk not in still or pk in seen:
            continue
        seen.add(pk)
        by = labels.get(actor_id, "the system") if actor_id else "the system"
        found.append(Disabled(pk, labels.get(pk, f"#{pk}"), at, by))
    return found[:LIST_LIMIT]


def other_administrators(*, user: User) -> QuerySet[User]:
    """Active accounts other than `user` that may administer: the administrators group and superusers. The
    one rule for "the last administrator", whether a role is removed or an account disabled."""
    group = Group.objects.filter(name=GROUPS[Role.ADMINISTRATOR])
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__in=group) | Q(is_superuser=True))
        .exclude(pk=user.pk)
        .distinct()
    )
