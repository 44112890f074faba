"""The one module that talks to django-guardian. Everything else asks through these functions.

Grants live in direct-foreign-key tables beside each protected model (e.g. DialogueGroupObjectPermission).
Reads never use guardian's checker or `get_objects_for_user`. What a user holds is read from those tables
with a few small indexed queries (`held_objects` here; the dialogues' `dialogue_access`, one query for every
dialogue grant) and the lists and single objects are then filtered with `… IN (ids)`, so a refused object is
simply not found. Superuser status plays no part: a superuser holds only the grants they were given.

**Nothing is cached across requests** (a revoked role ends access on the next request). Within one request,
`held` keeps what was read while `PermissionScopeMiddleware` runs, and forgets it as soon as the request
writes to a table that decides what anyone holds (`decided_by`) or rolls back; inside a transaction opened
during the request (a service at work) nothing is kept at all, so a service always reads what it just wrote.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import NoReturn

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from trackii.audit.enums import Action, Outcome
from trackii.audit.services import record_event

AUDIT_TARGET_ID_LENGTH = 64  # AuditEvent.target_id

NOTHING = Q(pk__in=[])


def grant(perm: str, holder, obj: Model) -> None:
    """Give a user or a group `perm` ("app_label.codename") on one object."""
    assign_perm(perm, holder, obj)


def revoke(perm: str, holder, obj: Model) -> None:
    remove_perm(perm, holder, obj)


def may_hold(user) -> bool:
    """Only a signed-in, active login holds anything."""
    return user.is_authenticated and user.is_active


def within(ref: str, ids) -> Q:
    """Rows whose object at `ref` (a path to a primary key or a foreign key) is one of `ids`: how every
    permission filter ends, once what the user holds has been read. No ids, no rows."""
    return Q(**{f"{ref}__in": ids}) if ids else NOTHING


# --- What a user holds, read once per request -------------------------------------------------------------

_WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "WITH", "MERGE")
_deciding_tables: set[str] = set()


def decided_by(*models: type[Model]) -> None:
    """Name the models whose rows decide what a user holds: a write to one of their tables during a
    request makes `held` read again."""
    _deciding_tables.update(model._meta.db_table for model in models)


class _Scope:
    """One request's reads of what its users hold, and the execute wrapper that forgets them."""

    def __init__(self):
        # The transaction depth the request started at (0 in production, 1 inside a test's transaction):
        # anything read deeper, inside a service's transaction, may yet be rolled back and is never kept.
        self.depth = len(connection.atomic_blocks)
        self.values: dict = {}

    def __call__(self, execute, sql, params, many, context):
        if self.values and _changes_holdings(sql):
            self.values.clear()
        return execute(sql, params, many, context)


def _changes_holdings(sql: str) -> bool:
    head = sql.lstrip()[:10].upper()
    if head.startswith("ROLLBACK"):
        return True
    return head.startswith(_WRITES) and any(table in sql for table in _deciding_tables)


_scope: ContextVar[_Scope | None] = ContextVar("trackii_permission_scope", default=None)


def held[T](key: tuple, read: Callable[[], T]) -> T:
    """What `read` returns, read once per request while nothing that decides it changes; outside a request
    (a task, a command, a test calling a selector) or inside a transaction, read afresh every time."""
    scope = _scope.get()
    if scope is None or len(connection.atomic_blocks) > scope.depth:
        return read()
    if key not in scope.values:
        scope.values[key] = read()
    return scope.values[key]


def held_already(key: tuple, default=None):
    """What `held` has already read under `key` in this request, without reading it: `default` when nothing
    was read yet (or outside a request, or inside a transaction). For what a page may show for free, such as
    the navigation, when the page itself happened to read it."""
    scope = _scope.get()
    if scope is None or len(connection.atomic_blocks) > scope.depth:
        return default
    return scope.values.get(key, default)


class PermissionScopeMiddleware:
    """Opens the request's scope for `held`. The scope ends with the view: a file streamed afterwards
    reads nothing through it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = _Scope()
        token = _scope.set(scope)
        try:
            with connection.execute_wrapper(scope):
                return self.get_response(request)
        finally:
            _scope.reset(token)


_codenames: dict[int, str] = {}


def codename_of(permission_id: int) -> str:
    """A permission's codename by its id, from a per-process map of the permissions table (a few hundred
    rows that change only with a migration); an id it does not know yet makes it read the table again."""
    if permission_id not in _codenames:
        _codenames.update(Permission.objects.values_list("id", "codename"))
    return _codenames[permission_id]


def held_objects(user, perm: str, *, model: type[Model]) -> frozenset[int]:
    """The ids of `model` rows on which the user holds `perm` ("app_label.codename"), personally or
    through one of their groups: one query, once per request."""
    if not may_hold(user):
        return frozenset()

    def read() -> frozenset[int]:
        app_label, codename = perm.split(".", 1)
        rows = {"permission__codename": codename, "permission__content_type__app_label": app_label}
        personal = get_user_obj_perms_model(model).objects.filter(user=user, **rows)
        through_groups = get_group_obj_perms_model(model).objects.filter(group__user=user, **rows)
        return frozenset(
            personal.values_list("content_object_id", flat=True).union(
                through_groups.values_list("content_object_id", flat=True)
            )
        )

    return held(("objects", perm, user.pk), read)


def held_objects_if_read(user, perm: str) -> frozenset[int] | None:
    """What `held_objects` has already read for `perm` in this request, or None if nothing was (no query)."""
    if not may_hold(user):
        return frozenset()
    return held_already(("objects", perm, user.pk))


decided_by(get_user_model(), get_user_model().groups.through, Group)


def _actor(request):
    return request.user if request.user.is_authenticated else None


def refuse(request, *, target_type: str, target_id: str = "", attempted: str) -> NoReturn:
    """Answer as if there were nothing here: the ordinary 404, audited as denied, so probing for what
    exists shows up in the log. For a page without an object of its own, `target_type` names what it is
    about and `attempted` the view."""
    record_event(
        actor=_actor(request),
        action=Action.DENIED,
        outcome=Outcome.DENIED,
        target_type=target_type,
        # What was asked for may be any length (a 100-digit id in the URL); the column keeps 64 characters.
        target_id=target_id[:AUDIT_TARGET_ID_LENGTH],
        detail={"attempted": attempted},
    )
    raise Http404


def fetch_or_404(request, queryset: QuerySet, *, action: Action = Action.VIEW, **lookup) -> Model:
    """The one way a view opens a confidential object: from a permission-aware queryset, with the read
    audited. A missing object and a refused one raise the same 404, and both are audited as denied, so
    probing for ids shows up in the log."""
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        obj = None
    if obj is None:
        refuse(
            request,
            target_type=queryset.model._meta.label_lower,
            target_id=",".join(str(value) for value in lookup.values()),
            attempted=str(action),
        )
    record_event(actor=_actor(request), action=action, target=obj)
    return obj
