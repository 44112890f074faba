"""The one module that talks to django-guardian. Everything else asks through these functions.

Grants live in direct-foreign-key tables beside each protected model (e.g. DialogueGroupObjectPermission).
Reads never use guardian's checker or `get_objects_for_user`: `granted()` builds an SQL `Exists` over those
tables, used alike for lists and for fetching one object, so a refused object is simply not found. Superuser
status plays no part: a superuser holds only the grants they were given, like anybody else.
"""

from typing import NoReturn

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
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


def _perm_filter(perm: str, ref: str) -> dict:
    app_label, codename = perm.split(".", 1)
    return {
        "permission__codename": codename,
        "permission__content_type__app_label": app_label,
        "content_object": OuterRef(ref),
    }


def granted_to_groups(user, perm: str, *, model: type[Model], ref: str = "pk") -> Q:
    """Rows whose object at `ref` carries `perm` for one of the user's groups (their dialogue roles)."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    table = get_group_obj_perms_model(model)
    return Q(Exists(table.objects.filter(group__user=user, **_perm_filter(perm, ref))))


def granted_to_user(user, perm: str, *, model: type[Model], ref: str = "pk", where: Q | None = None) -> Q:
    """Rows whose object at `ref` carries `perm` for this user personally (`where` narrows the grant rows)."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    table = get_user_obj_perms_model(model)
    rows = table.objects.filter(user=user, **_perm_filter(perm, ref))
    if where is not None:
        rows = rows.filter(where)
    return Q(Exists(rows))


def granted(user, perm: str, *, model: type[Model], ref: str = "pk") -> Q:
    """Rows whose object at `ref` (a path from the queried model to a `model` instance) carries `perm`."""
    return granted_to_groups(user, perm, model=model, ref=ref) | granted_to_user(
        user, perm, model=model, ref=ref
    )


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
