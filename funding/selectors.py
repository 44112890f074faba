"""Reads of funders, grants, conditions, expenses and members' answers. Every query that shows a user
something is filtered in SQL by what they may see (funding/permissions.py)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from dialogues.enums import WorkshopStatus
from dialogues.models import Dialogue, Workshop
from dialogues.permissions import on_dialogue
from funding.enums import ConditionRuling, ExpenseCategory, GrantStatus
from funding.models import Condition, Disclosure, Expense, Funder, Grant
from funding.permissions import (
    budget_visible,
    funding_dialogues,
    managed_grants,
    officer_grants,
    open_funders,
    suppressed_together,
    visible_grants,
)
from participants.enums import FundingConsent, MemberRole
from participants.models import Membership, Person, ThirdParty
from trackii.sealing.models import SealJob


def _flag(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def grants_for_user(user) -> QuerySet[Grant]:
    """The grants the user may see, each row saying (in the same query) whether they manage it, may see its
    budget, and whether they see it as the funder's officer."""
    return (
        Grant.objects.filter(visible_grants(user))
        .annotate(
            can_manage=_flag(managed_grants(user)),
            sees_budget=_flag(budget_visible(user)),
            as_officer=_flag(officer_grants(user)),
        )
        .select_related("funder", "dialogue")
        .order_by("-starts_on", "pk")
    )


def grants_managed_by(user) -> QuerySet[Grant]:
    return Grant.objects.filter(managed_grants(user)).select_related("funder", "dialogue", "third_party")


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


def with_answer_counts(grants: QuerySet[Grant]) -> QuerySet[Grant]:
    """How the participants of each grant's dialogue answered on its funding (for the convenors' list)."""
    return grants.annotate(
        n_approved=_answers(FundingConsent.APPROVED),
        n_objected=_answers(FundingConsent.OBJECTED),
        n_unanswered=_answers(FundingConsent.PENDING),
    )


def conditions_of(grant: Grant) -> QuerySet[Condition]:
    return grant.conditions.select_related("ruled_by", "confirmed_by").order_by("pk")


def unruled_count(conditions) -> int:
    return sum(1 for c in conditions if c.ruling == ConditionRuling.PENDING)


def expenses_of(grant: Grant) -> QuerySet[Expense]:
    return grant.expenses.order_by("-spent_on", "-pk")


@dataclass
class Budget:
    """A grant's budget against its spend, by category: (label, amount, percent of the budget)."""

    amount: Decimal
    spent: Decimal
    by_category: list[tuple[str, Decimal, int]]

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.spent

    @property
    def overspent(self) -> bool:
        return self.spent > self.amount

    @property
    def overspent_by(self) -> Decimal:
        return self.spent - self.amount

    @property
    def percent_spent(self) -> int:
        return _percent(self.spent, self.amount)


def _percent(part: Decimal, whole: Decimal) -> int:
    return round(part * 100 / whole) if whole else 0


def budget_of(grant: Grant) -> Budget:
    """One query: spend per category (every category listed, zero where nothing was spent)."""
    totals = dict(
        grant.expenses.order_by()
        .values("category")
        .annotate(total=Sum("amount"))
        .values_list("category", "total")
    )
    by_category = [
        (
            c.label,
            totals.get(c.value, Decimal("0")),
            _percent(totals.get(c.value, Decimal("0")), grant.amount),
        )
        for c in ExpenseCategory
    ]
    return Budget(amount=grant.amount, spent=sum(totals.values(), Decimal("0")), by_category=by_category)


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
    names, counts = zip(*sides, strict=True) if sides else ((), ())
    return {"workshops_held": held, "sides": list(zip(names, suppressed_together(list(counts)), strict=True))}


# --- Members' answers -------------------------------------------------------------------------------------


def answers_of(*, dialogue_id: int) -> QuerySet[Membership]:
    """The participants of a dialogue and how they answered on its funding, notes included (convenors only:
    the view checks `manage_funding` before calling this)."""
    return (
        Membership.objects.filter(dialogue_id=dialogue_id, role=MemberRole.PARTICIPANT, left_on__isnull=True)
        .select_related("person", "side", "funding_note")
        .order_by("side__name", "person__pseudonym")
    )


def memberships_asked(user) -> QuerySet[Membership]:
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


# --- Funders and recording grants -----------------------------------------------------------------------


def funders_for_user(user) -> QuerySet[Funder]:
    return Funder.objects.filter(open_funders(user)).order_by("name")


def funder_list(user) -> QuerySet[Funder]:
    """The funders' page: each with its officers and how many of its grants the user manages."""
    managed = Grant.objects.filter(funder=OuterRef("pk")).filter(managed_grants(user)).order_by()
    return (
        funders_for_user(user)
        .annotate(
            n_managed=Coalesce(
                Subquery(
                    managed.values("funder").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
                ),
                0,
            )
        )
        .prefetch_related(Prefetch("officers", queryset=Person.objects.select_related("user")))
    )


def all_funders() -> QuerySet[Funder]:
    """Funders by name, for choosing one when recording a grant (funders are public record)."""
    return Funder.objects.order_by("name")


def recipients_for(user) -> tuple[QuerySet[Dialogue], QuerySet[ThirdParty]]:
    """Where the user may record a grant: a dialogue whose funding they manage, or the core budget of its
    Third Party."""
    dialogues = Dialogue.objects.filter(funding_dialogues(user)).order_by("codename")
    third_parties = ThirdParty.objects.filter(
        Exists(Dialogue.objects.filter(third_party=OuterRef("pk")).filter(funding_dialogues(user)))
    ).order_by("name")
    return dialogues, third_parties


def export_grants(user) -> QuerySet[Grant]:
    """Every grant the user manages, with its expenses (two queries), for the accountant's CSV."""
    return (
        grants_managed_by(user)
        .prefetch_related(Prefetch("expenses", queryset=Expense.objects.order_by("spent_on", "pk")))
        .order_by("third_party__name", "dialogue__codename", "starts_on", "pk")
    )


# --- Disclosure reports ---------------------------------------------------------------------------------


def disclosures_of(grant: Grant, *, newest_only: bool) -> QuerySet[Disclosure]:
    """A grant's disclosure reports, newest first. The funder's officers get only the newest sealed one; the
    convenors every version, including one being generated."""
    disclosures = grant.disclosures.defer("pdf").order_by("-version")
    if newest_only:
        sealed = disclosures.filter(sealed_at__isnull=False)
        return sealed.filter(pk=Subquery(sealed.values("pk")[:1]))
    return disclosures


def disclosure_jobs(disclosures) -> dict[int, SealJob]:
    """The sealing job of each disclosure, by disclosure id (one query)."""
    jobs = SealJob.objects.filter(kind="disclosure", object_id__in=[d.pk for d in disclosures])
    return {job.object_id: job for job in jobs}


@dataclass(frozen=True)
class DisclosureData:
    """Everything a disclosure report says, as plain values: what the template gets and nothing more."""

    funder: Funder
    grant: Grant
    recipient: str
    conditions: list[Condition]
    answers: dict[str, str] | None
    budget: Budget
    activity: dict | None


def disclosure_data(grant: Grant) -> DisclosureData:
    """The report's content. Participants' answers and the dialogue's activity in aggregate only: counts
    below the small-count threshold are shown as "fewer than N", and no one is named."""
    grant = (
        with_answer_counts(Grant.objects.filter(pk=grant.pk))
        .select_related("funder", "dialogue", "third_party")
        .get()
    )
    if grant.dialogue_id:
        recipient = f"Dialogue {grant.dialogue.codename}, convened by {grant.third_party.name}"
        answers = dict(
            zip(
                ("approved", "objected", "unanswered"),
                suppressed_together([grant.n_approved, grant.n_objected, grant.n_unanswered]),
                strict=True,
            )
        )
    else:
        recipient = f"Core budget of {grant.third_party.name}"
        answers = None
    return DisclosureData(
        funder=grant.funder,
        grant=grant,
        recipient=recipient,
        conditions=list(grant.conditions.order_by("pk")),
        answers=answers,
        budget=budget_of(grant),
        activity=dialogue_activity(grant),
    )
