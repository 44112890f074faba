"""Funders and their officers. Keyword-only, one transaction each, safe to repeat; every change is in the
audit log. An officer sees the grants their funder made and nothing else (funding/permissions.py)."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from funding.changes import apply_changes
from funding.enums import FunderKind
from funding.models import Funder
from participants.models import Person
from participants.services import create_person
from trackii import permissions
from trackii.accounts.models import User
from trackii.audit.enums import Action, Outcome
from trackii.audit.services import record_event


def _check_funder(*, name: str, kind: str, exclude_pk: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": gettext("A funder needs a name.")})
    if kind not in FunderKind.values:
        raise ValidationError({"kind": gettext("Choose foundation, government, multilateral or private.")})
    if Funder.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError(
            {"name": gettext("A funder with this name is already recorded: choose it from the list.")}
        )
    return name


@transaction.atomic
def record_funder(*, name: str, kind: str, country: str = "", by: User) -> Funder:
    name = _check_funder(name=name, kind=kind)
    funder = Funder.objects.create(name=name, kind=kind, country=country.strip())
    record_event(actor=by, action=Action.FUNDER_RECORDED, target=funder)
    return funder


@transaction.atomic
def update_funder(*, funder: Funder, name: str, kind: str, country: str = "", by: User) -> Funder:
    funder = Funder.objects.select_for_update().get(pk=funder.pk)
    name = _check_funder(name=name, kind=kind, exclude_pk=funder.pk)
    values = {"name": name, "kind": kind, "country": country.strip()}
    return apply_changes(obj=funder, values=values, action=Action.FUNDER_CHANGED, by=by)


def _funder_group_name(funder_id: int) -> str:
    return f"funder-{funder_id}"


@transaction.atomic
def sync_funder_access(*, funder: Funder) -> None:
    """A funder's officers (one group per funder) see the grants that funder made, and nothing else of
    them. Run after officers or grants change; safe to repeat."""
    group, _ = Group.objects.get_or_create(name=_funder_group_name(funder.pk))
    group.user_set.set(User.objects.filter(person__funder_roles=funder))
    for funded in funder.grants.all():
        permissions.grant("funding.view_grant", group, funded)


@transaction.atomic
def add_officer(*, funder: Funder, person: Person, by: User) -> Funder:
    """Make a person one of the funder's officers: with a login, they then see the funder's grants. An
    officer takes part in no dialogue and is not Trackii staff, so the funder's portal never doubles as a
    way into a dialogue or the audit log."""
    if funder.officers.filter(pk=person.pk).exists():
        return funder
    if person.memberships.exists() or person.facilitator_roles.exists():
        raise ValidationError(
            {
                "person": gettext(
                    "This person takes part in a dialogue, so they cannot also be a funder's officer."
                )
            }
        )
    if person.user_id and person.user.is_staff:
        raise ValidationError(
            {
                "person": gettext(
                    "Auditors and administrators cannot be funder officers: use a separate person."
                )
            }
        )
    funder.officers.add(person)
    sync_funder_access(funder=funder)
    record_event(
        actor=by,
        action=Action.FUNDER_OFFICER_ADDED,
        target=funder,
        detail={"person_id": person.pk},
    )
    return funder


@transaction.atomic
def add_officer_with_person(
    *,
    funder: Funder,
    person: Person | None = None,
    name: str = "",
    email: str | None = None,
    by: User,
) -> Person:
    """Make someone on file, or a person recorded here and now, one of the funder's officers: the new person
    and their place as officer together or not at all. Returns the officer."""
    person = person or create_person(name=name, email=email, by=by)
    add_officer(funder=funder, person=person, by=by)
    return person


def record_refused_officer_lookup(*, funder: Funder, by: User) -> None:
    """Audit an attempt to pick, by e-mail, someone on file whom the convenor may not see (the form refused it
    with the same words as for an unknown address)."""
    record_event(
        actor=by,
        action=Action.DENIED,
        outcome=Outcome.DENIED,
        target=funder,
        detail={"attempted": "add a person on file by e-mail as a funder's officer"},
    )


@transaction.atomic
def remove_officer(*, funder: Funder, person: Person, by: User) -> Funder:
    """The person stops seeing the funder's grants on their very next request."""
    if not funder.officers.filter(pk=person.pk).exists():
        return funder
    funder.officers.remove(person)
    sync_funder_access(funder=funder)
    record_event(
        actor=by,
        action=Action.FUNDER_OFFICER_REMOVED,
        target=funder,
        detail={"person_id": person.pk},
    )
    return funder
