"""Reads of dialogues and workshops. Every page gets its objects from a selector, which filters in SQL by
what the user may see (dialogues/permissions.py); an object outside it is simply not found."""

from django.db.models import Q, QuerySet

from dialogues.models import AgendaItem, BreakGlassGrant, Dialogue, Summary, Workshop
from dialogues.permissions import (
    DialogueAccess,
    can_see_facilitators_only,
    on_dialogue,
    visible_dialogues,
    visible_summaries,
    visible_workshops,
)
from participants.models import Membership


def dialogues_for_user(user, *, codename: str = "view_dialogue") -> QuerySet[Dialogue]:
    """The dialogues in which the user holds `codename` (by default: may open the overview)."""
    grant = visible_dialogues(user) if codename == "view_dialogue" else on_dialogue(user, codename)
    return Dialogue.objects.filter(grant).order_by("codename")


def workshops_for_user(user) -> QuerySet[Workshop]:
    return Workshop.objects.filter(visible_workshops(user)).select_related("series__dialogue")


def summaries_for_user(user) -> QuerySet[Summary]:
    return Summary.objects.filter(visible_summaries(user)).select_related("workshop__series__dialogue")


def agenda_for(*, workshop: Workshop, access: DialogueAccess) -> QuerySet[AgendaItem]:
    """The agenda as this viewer may see it: facilitators-only items only for the facilitation team."""
    items = workshop.agenda_items.order_by("position", "id")
    if not can_see_facilitators_only(access, workshop.series.dialogue_id):
        items = items.filter(facilitators_only=False)
    return items


def roster(*, dialogue: Dialogue) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(dialogue=dialogue, left_on__isnull=True)
        .select_related("person", "side")
        .order_by("side__name", "person__pseudonym")
    )


def active_break_glass(*, dialogue: Dialogue, now) -> QuerySet[BreakGlassGrant]:
    return BreakGlassGrant.objects.filter(
        Q(dialogue=dialogue, ended_at__isnull=True, expires_at__gt=now)
    ).select_related("user")
