"""Reads of grants, their conditions, expenses and budget, and where a convenor may record one. Every query
that shows a user something is filtered in SQL by what they may see (funding/permissions.py)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import ngettext

from dialogues.models import Dialogue
from funding.enums import ConditionRuling, ExpenseCategory
from funding.models import Condition, Expense, Grant
from funding.permissions import (
    budget_visible,
    funding_dialogues,
    managed_grants,
    officer_grants,
    visible_grants,
)
from participants.models import ThirdParty


def _flag(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def grants_for_user(*, user) -> QuerySet[Grant]:
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


def grants_of_officer(*, user) -> QuerySet[Grant]:
    """The grants of the funders the user is an officer of, newest first: a funder's home page."""
    return (
        Grant.objects.filter(officer_grants(user))
        .select_related("funder", "dialogue")
        .order_by("-starts_on", "pk")
    )


def grants_managed_by(*, user) -> QuerySet[Grant]:
    return Grant.objects.filter(managed_grants(user)).select_related("funder", "dialogue", "third_party")


def conditions_of(*, grant: Grant) -> QuerySet[Condition]:
    return grant.conditions.select_related("ruled_by", "confirmed_by").order_by("pk")


def awaiting_confirmation(*, condition: Condition) -> bool:
    """A flagged condition whose acceptance one convenor proposed and a second has yet to confirm."""
    return condition.ruling == ConditionRuling.PENDING and bool(condition.proposed_ruling)


def activation_blockers(*, conditions) -> list[str]:
    """Why a grant with these conditions cannot become active yet, in words (empty when it can)."""
    unruled = sum(1 for c in conditions if c.ruling == ConditionRuling.PENDING and not c.proposed_ruling)
    waiting = sum(1 for c in conditions if awaiting_confirmation(condition=c))
    reasons = []
    if unruled:
        reasons.append(
            ngettext("%(n)s condition still needs a ruling", "%(n)s conditions still need a ruling", unruled)
            % {"n": unruled}
        )
    if waiting:
        reasons.append(
            ngettext(
                "%(n)s flagged condition still needs a second convenor's confirmation",
                "%(n)s flagged conditions still need a second convenor's confirmation",
                waiting,
            )
            % {"n": waiting}
        )
    return reasons


def expenses_of(*, grant: Grant) -> QuerySet[Expense]:
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


def budget_of(*, grant: Grant) -> Budget:
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


def recipients_for(*, user) -> tuple[QuerySet[Dialogue], QuerySet[ThirdParty]]:
    """Where the user may record a grant: a dialogue whose funding they manage, or the core budget of its
    Third Party."""
    dialogues = Dialogue.objects.filter(funding_dialogues(user)).order_by("codename")
    third_parties = ThirdParty.objects.filter(
        Exists(Dialogue.objects.filter(third_party=OuterRef("pk")).filter(funding_dialogues(user)))
    ).order_by("name")
    return dialogues, third_parties


def export_grants(*, user) -> QuerySet[Grant]:
    """Every grant the user manages, with its expenses (two queries), for the accountant's CSV."""
    return (
        grants_managed_by(user=user)
        .prefetch_related(Prefetch("expenses", queryset=Expense.objects.order_by("spent_on", "pk")))
        .order_by("third_party__name", "dialogue__codename", "starts_on", "pk")
    )
