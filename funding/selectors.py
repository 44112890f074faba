from django.db.models import Count, Q, QuerySet

from dialogues.enums import WorkshopStatus
from dialogues.models import Workshop
from funding.models import Condition, Grant
from funding.permissions import suppressed, visible_grants
from participants.enums import MemberRole


def grants_for_user(user) -> QuerySet[Grant]:
    return (
        Grant.objects.filter(visible_grants(user))
        .select_related("funder", "dialogue")
        .order_by("-starts_on", "pk")
    )


def conditions_of(grant: Grant) -> QuerySet[Condition]:
    return grant.conditions.order_by("pk")


def dialogue_activity(grant: Grant) -> dict | None:
    """The funded dialogue's activity in aggregate only: workshops held, and participants per side with small
    counts suppressed. No names, venues, agendas or summaries."""
    if grant.dialogue_id is None:
        return None
    sides = (
        grant.dialogue.sides.annotate(
            participants=Count(
                "memberships",
                filter=Q(memberships__role=MemberRole.PARTICIPANT, memberships__left_on__isnull=True),
            )
        )
        .order_by("name")
        .values_list("name", "participants")
    )
    held = Workshop.objects.filter(series__dialogue_id=grant.dialogue_id, status=WorkshopStatus.HELD).count()
    return {"workshops_held": held, "sides": [(name, suppressed(count)) for name, count in sides]}
