"""Reads of members' answers on funding: what a member is asked to approve, and how the participants answered
(one by one for the convenors, in counts for the lists and the disclosure report)."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dialogues.permissions import on_dialogue
from funding.enums import GrantStatus
from funding.models import Condition, Grant
from participants.enums import FundingConsent, MemberRole
from participants.models import Membership


def _answers(consent: str) -> Subquery:
    members = (
        Membership.objects.filter(
            dialogue=OuterRef("dialogue"),
            role=MemberRole.PARTICIPANT,
            left_on__isnull=True,
            funding_consent=consent,
        )
        .order_by()
        .values("dialogue")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def with_answer_counts(*, grants: QuerySet[Grant]) -> QuerySet[Grant]:
    """How the participants of each grant's dialogue answered on its funding (for the convenors' list)."""
    return grants.annotate(
        n_approved=_answers(FundingConsent.APPROVED),
        n_objected=_answers(FundingConsent.OBJECTED),
        n_unanswered=_answers(FundingConsent.PENDING),
    )


def answers_of(*, dialogue_id: int) -> QuerySet[Membership]:
    """The participants of a dialogue and how they answered on its funding, notes included (convenors only:
    the view checks `manage_funding` before calling this)."""
    return (
        Membership.objects.filter(dialogue_id=dialogue_id, role=MemberRole.PARTICIPANT, left_on__isnull=True)
        .select_related("person", "side", "funding_note")
        .order_by("side__name", "pseudonym")
    )


def memberships_asked(*, user) -> QuerySet[Membership]:
    """The user's places in dialogues whose funding they are asked to approve: current participants of a
    dialogue where they hold `view_funding`."""
    return (
        Membership.objects.filter(person__user=user, role=MemberRole.PARTICIPANT, left_on__isnull=True)
        .filter(on_dialogue(user, "view_funding", ref="dialogue"))
        .select_related("dialogue", "funding_note")
        .order_by("dialogue__codename")
    )


def arrangements_of(*, dialogue_id: int) -> QuerySet[Grant]:
    """What a dialogue's members are asked to approve: every grant for it that was not declined, with its
    funder and its conditions (two queries)."""
    return (
        Grant.objects.filter(dialogue_id=dialogue_id)
        .exclude(status=GrantStatus.DECLINED)
        .select_related("funder")
        .prefetch_related(Prefetch("conditions", queryset=Condition.objects.order_by("pk")))
        .order_by("-starts_on", "pk")
    )
