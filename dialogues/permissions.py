"""Who may see and do what in a dialogue.

Each dialogue role is a group per dialogue ("dialogue-12-convenor") holding one grant row per permission on
the Dialogue: dialogue-wide access costs one row per role, not one per workshop. Per-object grants exist only
where access is narrower than the dialogue: a workshop's invitees, a summary's reviewers and frozen audience,
a funder's own grants, and an administrator's break-glass grant (valid only while it has not expired).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dialogues.enums import DialogueRole, InvitationStatus, SummaryStatus
from dialogues.models import (
    Dialogue,
    DialogueGroupObjectPermission,
    DialogueUserObjectPermission,
    Invitation,
    Summary,
    Workshop,
)
from participants.models import Facilitator, Membership
from trackii.permissions import NOTHING, granted, granted_to_groups, granted_to_user

_FACILITATION = {
    "view_dialogue",
    "view_roster",
    "view_all_workshops",
    "draft_summaries",
    "view_all_summaries",
    "view_outcomes",
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    DialogueRole.CONVENOR: frozenset(
        _FACILITATION
        | {
            "manage_dialogue",
            "manage_members",
            "schedule_workshops",
            "view_funding",
            "manage_funding",
            "view_aggregates",
        }
    ),
    DialogueRole.FACILITATOR: frozenset(
        _FACILITATION | {"manage_dialogue", "schedule_workshops", "view_funding", "view_aggregates"}
    ),
    DialogueRole.RAPPORTEUR: frozenset(_FACILITATION),
    DialogueRole.PARTICIPANT: frozenset({"view_dialogue", "view_funding"}),
    DialogueRole.OBSERVER: frozenset({"view_dialogue"}),
    DialogueRole.RESOURCE_PERSON: frozenset({"view_dialogue"}),
    DialogueRole.FUNDER: frozenset({"view_aggregates"}),
    DialogueRole.AUDITOR: frozenset({"view_audit"}),
}
# Roles held through a Membership (one at a time per person and dialogue).
MEMBER_ROLES = frozenset({DialogueRole.PARTICIPANT, DialogueRole.OBSERVER, DialogueRole.RESOURCE_PERSON})
FACILITATION_ROLES = frozenset({DialogueRole.CONVENOR, DialogueRole.FACILITATOR, DialogueRole.RAPPORTEUR})
# Break-glass reads; it never lets anyone change anything.
BREAK_GLASS_PERMISSIONS = frozenset(
    {
        "view_dialogue",
        "view_roster",
        "view_all_workshops",
        "view_all_summaries",
        "view_outcomes",
        "view_funding",
    }
)


SEALED_STATUSES = frozenset({SummaryStatus.SEALED, SummaryStatus.SUPERSEDED})
# The version being written: at most one per workshop (a database constraint).
OPEN_STATUSES = frozenset({SummaryStatus.DRAFT, SummaryStatus.IN_REVIEW, SummaryStatus.SEALING})


def role_group_name(dialogue_id: int, role: str) -> str:
    return f"dialogue-{dialogue_id}-{role}"


def _active_break_glass(user) -> Q:
    return Q(
        content_object__break_glass_grants__user=user,
        content_object__break_glass_grants__expires_at__gt=timezone.now(),
        content_object__break_glass_grants__ended_at__isnull=True,
    )


def on_dialogue(user, codename: str, *, ref: str = "pk") -> Q:
    """Rows whose dialogue (reached by `ref`) grants `codename` to the user: through one of their roles, or
    through a break-glass grant that is still running."""
    perm = f"dialogues.{codename}"
    return granted_to_groups(user, perm, model=Dialogue, ref=ref) | granted_to_user(
        user, perm, model=Dialogue, ref=ref, where=_active_break_glass(user)
    )


@dataclass
class DialogueAccess:
    """The user's dialogue-wide permissions, fetched once per request for per-row checks in templates."""

    by_dialogue: dict[int, set[str]] = field(default_factory=dict)

    def has(self, dialogue_id: int, codename: str) -> bool:
        return codename in self.by_dialogue.get(dialogue_id, ())

    def __call__(self, dialogue_id: int) -> set[str]:
        return self.by_dialogue.get(dialogue_id, set())


def dialogue_access(user) -> DialogueAccess:
    """One query: every dialogue-wide permission the user holds, by dialogue."""
    access = DialogueAccess()
    if not (user.is_authenticated and user.is_active):
        return access
    through_roles = DialogueGroupObjectPermission.objects.filter(group__user=user).values_list(
        "content_object_id", "permission__codename"
    )
    through_break_glass = (
        DialogueUserObjectPermission.objects.filter(user=user)
        .filter(_active_break_glass(user))
        .values_list("content_object_id", "permission__codename")
    )
    for dialogue_id, codename in through_roles.union(through_break_glass):
        access.by_dialogue.setdefault(dialogue_id, set()).add(codename)
    return access


def belongs_to_dialogue(user, *, ref: str) -> Q:
    """Rows whose dialogue (reached by `ref`) the user still belongs to: a membership they have not left, or
    a facilitation role. A per-object grant (an invitee's workshop, a reader's sealed summary) counts only
    with it, so a removal ends every grant of that dialogue on the next request, whatever the grant tables
    still hold, in the same SQL for a list and for one object."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    return _belongs(OuterRef(ref), person__user=user)


def person_belongs_to_dialogue(*, person_ref: str, ref: str) -> Q:
    """The same rule for rows that name a person rather than a user (e-mails waiting to go out): the person
    at `person_ref` still belongs to the dialogue at `ref`."""
    return _belongs(OuterRef(ref), person=OuterRef(person_ref))


def belongs_now(dialogue: Dialogue) -> Q:
    """Person rows who belong to the dialogue now, by the same rule: whom a sealing may add to an audience."""
    return _belongs(dialogue, person=OuterRef("pk"))


def _belongs(dialogue, **person) -> Q:
    member = Membership.objects.filter(dialogue=dialogue, left_on__isnull=True, **person)
    facilitator = Facilitator.objects.filter(dialogue=dialogue, **person)
    return Q(Exists(member)) | Q(Exists(facilitator))


def kept_reader(user, *, ref: str, workshop_ref: str) -> Q:
    """Rows of a dialogue (at `ref`) the user has left, the convenor having chosen at removal to leave them
    the sealed summaries of workshops (at `workshop_ref`) they attended, as attendance is recorded now: a
    corrected attendance or a withdrawn choice ends it on the next request."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    kept = Membership.objects.filter(
        dialogue=OuterRef(ref), person__user=user, left_on__isnull=False, keeps_sealed_summaries=True
    )
    attended = Invitation.objects.filter(
        workshop=OuterRef(workshop_ref), person__user=user, status=InvitationStatus.ATTENDED
    )
    return Q(Exists(kept)) & Q(Exists(attended))


def visible_dialogues(user) -> Q:
    return on_dialogue(user, "view_dialogue")


def visible_workshops(user) -> Q:
    """Every workshop for the facilitation team; otherwise only those the user is invited to, while they
    still belong to the dialogue."""
    dialogue = "series__dialogue"
    return on_dialogue(user, "view_all_workshops", ref=dialogue) | (
        granted(user, "dialogues.view_workshop", model=Workshop) & belongs_to_dialogue(user, ref=dialogue)
    )


def visible_summaries(user) -> Q:
    """Sealed summaries for their frozen audience while they still belong to the dialogue, or after leaving it
    if the convenor left them those of workshops they attended (and the facilitation team); drafts for their
    authors; a draft in review also for the attendees asked to review it. Nobody else, superusers included."""
    dialogue = "workshop__series__dialogue"
    sealed = Q(status__in=SEALED_STATUSES) & (
        on_dialogue(user, "view_all_summaries", ref=dialogue)
        | (
            granted(user, "dialogues.view_summary", model=Summary)
            & (
                belongs_to_dialogue(user, ref=dialogue)
                | kept_reader(user, ref=dialogue, workshop_ref="workshop")
            )
        )
    )
    unsealed = Q(status__in=OPEN_STATUSES) & on_dialogue(user, "draft_summaries", ref=dialogue)
    # The review grant, and only while the reviewer still counts as having been in the room and is still a
    # member: a corrected attendance or a removal ends it on the next request, whatever the grant table says.
    still_attendee = Exists(
        Invitation.objects.filter(
            workshop=OuterRef("workshop"), person__user=user, status=InvitationStatus.ATTENDED
        )
    ) & Exists(
        Membership.objects.filter(
            dialogue=OuterRef("workshop__series__dialogue"), person__user=user, left_on__isnull=True
        )
    )
    in_review = (
        Q(status=SummaryStatus.IN_REVIEW)
        & granted(user, "dialogues.review_summary", model=Summary)
        & Q(still_attendee)
    )
    return sealed | unsealed | in_review


def can_manage_members(access: DialogueAccess, dialogue: Dialogue) -> bool:
    return access.has(dialogue.pk, "manage_members")


def can_open_dialogues(access: DialogueAccess) -> bool:
    """A convenor may open new dialogues for the Third Parties they convene for (the same test as
    selectors.third_parties_for_creator, answered from the access already fetched)."""
    return any("manage_members" in codenames for codenames in access.by_dialogue.values())


def can_see_names(access: DialogueAccess, dialogue: Dialogue) -> bool:
    """Facilitators see names; everyone else sees pseudonyms unless the person agreed to be named."""
    return access.has(dialogue.pk, "view_roster")


def can_see_facilitators_only(access: DialogueAccess, dialogue_id: int) -> bool:
    return access.has(dialogue_id, "view_all_workshops")
