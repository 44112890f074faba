"""Who sees and who changes what in funding.

- A dialogue's grants are seen by everyone holding `view_funding` on the dialogue (convenors, facilitators,
  and participants, who approve the funding arrangements; an administrator's running break-glass grant), and
  changed by those holding `manage_funding` (its convenors).
- A core-budget grant (no dialogue) belongs to the Third Party as a whole: it is seen and changed by whoever
  holds `manage_funding` in one of that Third Party's dialogues, i.e. its convenors. Nobody else of a
  dialogue sees the Third Party's core budget.
- A funder's officers see that funder's grants (`funding.view_grant`, granted to one group per funder) and
  nothing else: no other grant, and of the funded dialogue only aggregates.
- Amounts and spend are for the facilitation team, the convenors and the funder; participants see who funds
  their dialogue and on what terms, not the budget.
- Funders are public record by name (a convenor picks one when recording a grant). A funder's own page, with
  its officers, opens for a convenor who manages one of its grants, or for any convenor while it has none.
  Officers are people who take part in no dialogue, so naming one reveals nobody's participation.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from dialogues.models import Dialogue
from dialogues.permissions import dialogue_access, on_dialogue
from funding.models import Grant, GrantGroupObjectPermission, GrantUserObjectPermission
from trackii.permissions import NOTHING, decided_by, held_objects, held_objects_if_read, refuse, within


def funding_dialogues(user) -> Q:
    """Dialogues whose funding the user manages (filter on Dialogue)."""
    return on_dialogue(user, "manage_funding")


def manages_some_funding(user) -> bool:
    """Whether the user manages the funding of at least one dialogue (answered from what they hold)."""
    return bool(dialogue_access(user).dialogues_with("manage_funding"))


def require_funding_manager(request) -> None:
    """Pages without an object of their own (recording a grant, the funders, the CSV) are for those who
    manage some dialogue's funding; anyone else gets the 404, audited like a refused object."""
    if not manages_some_funding(request.user):
        refuse(request, target_type="funding.grant", attempted=request.resolver_match.view_name)


def _core_budget_managed(user) -> Q:
    """Core-budget grants of the Third Parties in one of whose dialogues the user manages the funding."""
    managed = dialogue_access(user).dialogues_with("manage_funding")
    if not managed:
        return NOTHING
    third_parties = Dialogue.objects.filter(pk__in=managed).values("third_party")
    return Q(dialogue__isnull=True, third_party__in=third_parties)


def managed_grants(user) -> Q:
    return on_dialogue(user, "manage_funding", ref="dialogue") | _core_budget_managed(user)


def officer_grants(user) -> Q:
    """The grants of the funders the user is an officer of."""
    return within("pk", held_objects(user, "funding.view_grant", model=Grant))


def is_officer(user) -> bool:
    """Whether the user is an officer of a funder with grants (one query, once per request)."""
    return bool(held_objects(user, "funding.view_grant", model=Grant))


def is_officer_if_read(user) -> bool | None:
    """`is_officer` if this request has already read it, else None (no query)."""
    ids = held_objects_if_read(user, "funding.view_grant")
    return None if ids is None else bool(ids)


def sees_funding(access, *, officer: bool) -> bool:
    """Whether the Funding pages have something for the user: a dialogue whose funding they see (members
    asked to approve it, the facilitation team, a running break-glass grant) or a funder's grants."""
    return bool(officer or access.dialogues_with("view_funding") or access.dialogues_with("manage_funding"))


def visible_grants(user) -> Q:
    return (
        on_dialogue(user, "view_funding", ref="dialogue") | _core_budget_managed(user) | officer_grants(user)
    )


def budget_visible(user) -> Q:
    """Amounts and spend: the facilitation team (who hold `view_roster`), the grant's managers and the
    funder's officers. Participants are left out."""
    return on_dialogue(user, "view_roster", ref="dialogue") | managed_grants(user) | officer_grants(user)


def open_funders(user) -> Q:
    """Funders whose page the user may open and change: one of whose grants they manage, or one without
    grants yet; always only for someone who manages some dialogue's funding."""
    if not manages_some_funding(user):
        return NOTHING
    grants = Grant.objects.filter(funder=OuterRef("pk"))
    return Q(Exists(grants.filter(managed_grants(user)))) | ~Q(Exists(grants))


def grant_viewer(grant) -> str:
    """Which version of a grant's page the user gets: the convenors', the facilitation team's (read only),
    the funder's (aggregates only) or a member's (who funds and on what terms). `grant` comes from
    `funding.grants.selectors.grants_for_user`, which says in the same query what the user holds on it."""
    if grant.can_manage:
        return "manager"
    if grant.as_officer:
        return "funder"
    return "team" if grant.sees_budget else "member"


def suppressed_together(counts: list[int]) -> list[str]:
    """Counts a funder may see. Small numbers could point at a person, so they are shown as "fewer than N".
    These counts add up to a total someone can learn elsewhere (answers and sides both sum to the
    participants): the hidden ones add up to that total less the shown ones. So while exactly one is hidden,
    or the hidden ones add up to fewer than the threshold (two sides of 1 and 0 beside one of 15 would give
    away "exactly one"), the next smallest is withheld too ("secondary suppression")."""
    threshold = settings.TRACKII_SMALL_COUNT_THRESHOLD
    fewer = _("fewer than %(threshold)s") % {"threshold": threshold}
    shown = [fewer if count < threshold else str(count) for count in counts]
    hidden = {index for index, count in enumerate(counts) if count < threshold}
    while hidden and len(hidden) < len(counts):
        if len(hidden) > 1 and sum(counts[index] for index in hidden) >= threshold:
            break
        others = [index for index in range(len(counts)) if index not in hidden]
        nearest = min(others, key=lambda index: counts[index])
        shown[nearest] = _("withheld")
        hidden.add(nearest)
    return shown


def suppressed_counts(counts: list[int]) -> list[int | None]:
    """The same suppression for a chart (trackii.charts): None where `suppressed_together` hides a count,
    whether small or withheld because it would give a small one away."""
    return [
        count if shown == str(count) else None
        for count, shown in zip(counts, suppressed_together(counts), strict=True)
    ]


# A funder's officers hold their grants through these tables (trackii.permissions.held_objects).
decided_by(GrantGroupObjectPermission, GrantUserObjectPermission)
