"""The auditors' saved searches: a name for a search of the log, kept for the auditor who saved it. Each
change is audited with the saved search as its object and the names of the filters it holds, never the name
or the values typed (a login e-mail, a pseudonym)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from trackii.accounts.models import User

from .. import selectors
from ..enums import Action
from ..models import SavedSearch
from .recording import record_event

QUERY_LENGTH = SavedSearch._meta.get_field("query").max_length


def _filters(query: str) -> list[str]:
    return sorted({name for name, _value in parse_qsl(query)})


def _without_addresses(query: str) -> str:
    """The query with a login e-mail typed as the person replaced by that login's number ("#12"): saved
    searches are stored as text, and the database must hold no login address in clear (decision 0006). The
    search finds the same rows either way."""
    pairs = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name == "person" and "@" in value:
            found = selectors.accounts_matching(text=value)
            if len(found) != 1:
                raise ValidationError(
                    _(
                        "No login has this address. "
                        "Search by the login's number (#12) or pseudonym to save it."
                    )
                )
            value = f"#{found[0]}"
        pairs.append((name, value))
    return urlencode(pairs)


def _name_taken(name: str) -> ValidationError:
    return ValidationError(
        {
            "name": _("You already have a saved search called “%(name)s”. Choose another name.")
            % {"name": name}
        }
    )


@transaction.atomic
def save_search(*, by: User, name: str, query: str) -> SavedSearch:
    """Save the search `query` (normalised by trackii.audit.forms.search_query) as `name`. Saving the same
    search under the same name again returns the one saved; another search under a name in use is refused."""
    name = name.strip()
    query = _without_addresses(query)
    if len(query) > QUERY_LENGTH:
        raise ValidationError(_("This search is too long to save. Remove a filter and try again."))
    existing = SavedSearch.objects.filter(owner=by, name__iexact=name).first()
    if existing is not None:
        if existing.query == query:
            return existing
        raise _name_taken(existing.name)
    try:
        with transaction.atomic():
            saved = SavedSearch.objects.create(owner=by, name=name, query=query)
    except IntegrityError:  # the same name saved at the same moment, from another tab
        raise _name_taken(name) from None
    record_event(
        actor=by, action=Action.SAVED_SEARCH_CREATED, target=saved, detail={"filters": _filters(query)}
    )
    return saved


@transaction.atomic
def rename_saved_search(*, by: User, saved: SavedSearch, name: str) -> SavedSearch:
    """Give the saved search a new name; the same name again changes nothing and writes no row."""
    name = name.strip()
    if name == saved.name:
        return saved
    if SavedSearch.objects.filter(owner=saved.owner_id, name__iexact=name).exclude(pk=saved.pk).exists():
        raise _name_taken(name)
    saved.name = name
    try:
        with transaction.atomic():
            saved.save(update_fields=["name"])
    except IntegrityError:
        raise _name_taken(name) from None
    record_event(actor=by, action=Action.SAVED_SEARCH_RENAMED, target=saved, detail={"fields": ["name"]})
    return saved


@transaction.atomic
def delete_saved_search(*, by: User, saved: SavedSearch) -> None:
    """Forget the saved search (the log it points at is untouched). Deleting one already gone does nothing."""
    deleted, _ = SavedSearch.objects.filter(pk=saved.pk).delete()
    if deleted:
        record_event(
            actor=by,
            action=Action.SAVED_SEARCH_DELETED,
            target_type=SavedSearch._meta.label_lower,
            target_id=saved.pk,
            detail={"filters": _filters(saved.query)},
        )
