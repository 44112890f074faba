"""Reads for removal and the emergency cut-off: the people a convenor may cut off or restore, former members
and the sealed summaries they were left, and the cut-offs a roster shows."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dialogues.enums import InvitationStatus
from dialogues.models import Dialogue, Invitation, Summary
from dialogues.permissions import SEALED_STATUSES, on_dialogue
from participants.models import CutOff, Facilitator, Membership, Person
from participants.selectors import standing_cut_offs


def people_of_dialogue(*, dialogue: Dialogue) -> QuerySet[Person]:
    """The dialogue's members and facilitation team, not its former members. A convenor
    cuts off only someone who belongs to their dialogue (and restores: `people_concerned_by_cut_offs`): anyone
    else is not found, so a convenor learns nothing of people outside their dialogues."""
    members = Membership.objects.filter(person=OuterRef("pk"), dialogue=dialogue, left_on__isnull=True)
    team = Facilitator.objects.filter(person=OuterRef("pk"), dialogue=dialogue)
    return Person.objects.filter(Q(Exists(members)) | Q(Exists(team)))


def people_concerned_by_cut_offs(*, dialogue: Dialogue) -> QuerySet[Person]:
    """Whose cut-off a dialogue's convenors see and may lift: the people who belong to it now, and anyone
    cut off from it (removed since, perhaps). A dialogue someone has only left is not concerned: its roster
    would tell its convenors that the person is in another dialogue, and they could lift a cut-off made by
    people they do not know."""
    made_here = standing_cut_offs().filter(person=OuterRef("pk"), dialogue=dialogue)
    belongs = Q(pk__in=people_of_dialogue(dialogue=dialogue).values("pk"))
    return Person.objects.filter(belongs | Q(Exists(made_here)))


def _kept_summaries() -> Coalesce:
    """On Membership rows: how many sealed summaries of the dialogue its person may still read as a former
    member left them: of workshops they attended, whose frozen audience they are in, counted by workshop (an
    amendment sealed after they left is not theirs, and the version they keep is then superseded)."""
    readable = (
        Summary.objects.filter(
            status__in=SEALED_STATUSES,
            workshop__series__dialogue=OuterRef("dialogue"),
            workshop__invitations__person=OuterRef("person"),
            workshop__invitations__status=InvitationStatus.ATTENDED,
            copies__holder=OuterRef("person"),
            copies__audience=True,
        )
        .order_by()
        .values("workshop__series__dialogue")
        .annotate(n=Count("workshop", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(readable, output_field=IntegerField()), Value(0))


def former_members(*, dialogue: Dialogue) -> QuerySet[Membership]:
    """Who has left the dialogue, most recent first, each with `kept_summaries` (0 unless the convenor left
    them their sealed summaries)."""
    return (
        Membership.objects.filter(dialogue=dialogue, left_on__isnull=False)
        .select_related("person")
        .annotate(kept_summaries=_kept_summaries())
        .order_by("-left_on", "pseudonym")
    )


def kept_summary_count(*, membership: Membership) -> int:
    return (
        Membership.objects.filter(pk=membership.pk)
        .annotate(kept_summaries=_kept_summaries())
        .values_list("kept_summaries", flat=True)
        .get()
    )


def invitations_ahead(*, membership: Membership) -> QuerySet[Invitation]:
    """A member's invitations to the dialogue's workshops not yet started: what removing them withdraws
    (dialogues.services.revoke_role), counted on the confirmation page."""
    return Invitation.objects.filter(
        person_id=membership.person_id,
        workshop__series__dialogue_id=membership.dialogue_id,
        workshop__starts_at__gt=timezone.now(),
    )


def cut_offs_on_roster(*, dialogue: Dialogue, user) -> dict[int, CutOff]:
    """The standing cut-offs of the people the dialogue is concerned by, by person, in one query. `told` says
    whether the viewer may read who cut the person off and why: only if it was done from a dialogue whose
    roster they read. Elsewhere the roster says when, and that a convenor of another dialogue did it."""
    made_where_viewer_reads = Dialogue.objects.filter(pk=OuterRef("dialogue")).filter(
        on_dialogue(user, "view_roster")
    )
    rows = (
        standing_cut_offs()
        .filter(person__in=people_concerned_by_cut_offs(dialogue=dialogue))
        .select_related("cut_off_by__person")
        .annotate(told=Exists(made_where_viewer_reads))
    )
    return {row.person_id: row for row in rows}


def with_cut_offs(*, rows: list[QuerySet], dialogue: Dialogue, user) -> list[list]:
    """The roster's lists of rows (memberships, facilitation roles), each row with `cut_off`: its person's
    standing cut-off as `cut_offs_on_roster` gives it, or None. One query more, whatever the rows."""
    cut_offs = cut_offs_on_roster(dialogue=dialogue, user=user)
    lists = [list(queryset) for queryset in rows]
    for row in (row for rows_ in lists for row in rows_):
        row.cut_off = cut_offs.get(row.person_id)
    return lists
