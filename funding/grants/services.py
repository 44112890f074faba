"""Grants, their conditions and their expenses. Keyword-only, one transaction each, safe to repeat; every
change is in the audit log.

The rules that keep the Third Party independent of its funders:
- every condition a funder attaches gets a ruling (accepted, rejected, negotiated) with a rationale;
- a condition that touches the process itself (FLAGGED_CONDITION_KINDS) is accepted, outright or as
  negotiated, only when a second convenor confirms; rejecting it needs no second pair of eyes;
- a grant becomes active only once every condition has a final ruling;
- terms and conditions change only while the grant is being agreed (proposed or accepted), and spend is
  recorded only while it is active, so what members approved and what the funder is told stay true.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from funding.changes import apply_changes
from funding.enums import (
    GRANT_SPENDING,
    GRANT_TERMS_OPEN,
    RULINGS_NEEDING_CONFIRMATION,
    ConditionKind,
    ConditionRuling,
    FundingAction,
    GrantStatus,
)
from funding.funders.services import sync_funder_access
from funding.models import CURRENCY_CODE, Condition, Expense, Funder, Grant
from trackii.audit.services import record_event

GRANT_TRANSITIONS = {
    GrantStatus.PROPOSED: {GrantStatus.ACCEPTED, GrantStatus.DECLINED},
    GrantStatus.ACCEPTED: {GrantStatus.ACTIVE, GrantStatus.DECLINED},
    GrantStatus.DECLINED: set(),
    GrantStatus.ACTIVE: {GrantStatus.CLOSED},
    GrantStatus.CLOSED: set(),
}


def _check_terms(*, amount, currency: str, starts_on, ends_on, purpose: str) -> tuple[str, str]:
    errors = {}
    currency = currency.strip().upper()
    if amount is None or amount <= 0:
        errors["amount"] = "The amount must be more than zero."
    if not re.match(CURRENCY_CODE, currency):
        errors["currency"] = "Give the three-letter currency code, e.g. EUR, USD or CHF."
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The grant must end on or after the day it starts."
    if not purpose.strip():
        errors["purpose"] = "Say what the money is for: members and the funder read this."
    if errors:
        raise ValidationError(errors)
    return currency, purpose.strip()


@transaction.atomic
def record_grant(
    *,
    funder: Funder,
    dialogue,
    third_party,
    amount: Decimal,
    currency: str,
    starts_on,
    ends_on,
    purpose: str,
    reference: str = "",
    by,
    request=None,
) -> Grant:
    """A grant as the funder proposed it: for one dialogue, or (without one) for the Third Party's core
    budget. The funder's officers see it from now on."""
    if dialogue is not None and dialogue.third_party_id != third_party.pk:
        raise ValidationError("That dialogue is convened by another Third Party.")
    currency, purpose = _check_terms(
        amount=amount, currency=currency, starts_on=starts_on, ends_on=ends_on, purpose=purpose
    )
    grant = Grant.objects.create(
        funder=funder,
        dialogue=dialogue,
        third_party=third_party,
        reference=reference.strip(),
        amount=amount,
        currency=currency,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose,
    )
    sync_funder_access(funder=funder)
    record_event(actor=by, action=FundingAction.GRANT_RECORDED, target=grant, request=request)
    return grant


def _terms_open(grant: Grant, what: str) -> None:
    if grant.status not in GRANT_TERMS_OPEN:
        raise ValidationError(
            f"This grant is {GrantStatus(grant.status).label.lower()}: {what} can change only while a grant "
            "is proposed or accepted."
        )


@transaction.atomic
def update_grant(
    *,
    grant: Grant,
    amount: Decimal,
    currency: str,
    starts_on,
    ends_on,
    purpose: str,
    reference: str = "",
    by,
    request=None,
) -> Grant:
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    _terms_open(grant, "its terms")
    currency, purpose = _check_terms(
        amount=amount, currency=currency, starts_on=starts_on, ends_on=ends_on, purpose=purpose
    )
    values = {
        "reference": reference.strip(),
        "amount": amount,
        "currency": currency,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "purpose": purpose,
    }
    return apply_changes(grant, values, action=FundingAction.GRANT_CHANGED, by=by, request=request)


def activation_blockers(conditions) -> list[str]:
    """Why a grant with these conditions cannot become active yet, in words (empty when it can)."""
    unruled = sum(1 for c in conditions if c.ruling == ConditionRuling.PENDING and not c.proposed_ruling)
    waiting = sum(1 for c in conditions if c.ruling == ConditionRuling.PENDING and c.proposed_ruling)
    reasons = []
    if unruled:
        reasons.append(
            f"{unruled} condition{'s' if unruled > 1 else ''} still need{'' if unruled > 1 else 's'} a ruling"
        )
    if waiting:
        reasons.append(
            f"{waiting} flagged condition{'s' if waiting > 1 else ''} still need{'' if waiting > 1 else 's'} "
            "a second convenor's confirmation"
        )
    return reasons


@transaction.atomic
def change_grant_status(*, grant: Grant, status: str, by=None, request=None) -> Grant:
    """Move a grant along proposed → accepted / declined → active → closed. It becomes active only once
    every condition has a final ruling (a flagged acceptance confirmed by a second convenor)."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.status == status:
        return grant
    if status not in GRANT_TRANSITIONS[GrantStatus(grant.status)]:
        raise ValidationError(
            f"A grant that is {GrantStatus(grant.status).label.lower()} cannot become "
            f"{GrantStatus(status).label.lower()}."
        )
    if status == GrantStatus.ACTIVE:
        reasons = activation_blockers(grant.conditions.all())
        if reasons:
            raise ValidationError(f"{' and '.join(reasons)} before the grant can become active.")
    previous = grant.status
    grant.status = status
    grant.save(update_fields=["status"])
    record_event(
        actor=by,
        action=FundingAction.GRANT_STATUS_CHANGED,
        target=grant,
        request=request,
        detail={"from": previous, "to": status},
    )
    return grant


@transaction.atomic
def record_condition(*, grant: Grant, kind: str, text: str, by, request=None) -> Condition:
    """A condition the funder attached. It needs a ruling before the grant can become active."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    _terms_open(grant, "its conditions")
    text = text.strip()
    errors = {}
    if kind not in ConditionKind.values:
        errors["kind"] = "Choose what the condition is about."
    if not text:
        errors["text"] = "Write down the condition as the funder put it."
    if errors:
        raise ValidationError(errors)
    condition = Condition.objects.create(grant=grant, kind=kind, text=text)
    record_event(
        actor=by,
        action=FundingAction.CONDITION_RECORDED,
        target=condition,
        request=request,
        detail={"kind": kind, "flagged": condition.flagged},
    )
    return condition


def _locked_condition(condition: Condition) -> Condition:
    return Condition.objects.select_for_update().select_related("grant").get(pk=condition.pk)


def awaiting_confirmation(condition: Condition) -> bool:
    return condition.ruling == ConditionRuling.PENDING and bool(condition.proposed_ruling)


@transaction.atomic
def rule_on_condition(*, condition: Condition, ruling: str, rationale: str, by, request=None) -> Condition:
    """Record the Third Party's ruling, with its rationale. On a flagged condition an acceptance (outright or
    negotiated) is only proposed: it stands once a second convenor confirms it (confirm_condition)."""
    condition = _locked_condition(condition)
    rationale = rationale.strip()
    if ruling not in {ConditionRuling.ACCEPTED, ConditionRuling.REJECTED, ConditionRuling.NEGOTIATED}:
        raise ValidationError({"ruling": "Choose accepted, rejected or negotiated."})
    if not rationale:
        raise ValidationError(
            {"rationale": "Say why: every ruling on a funder's condition needs a rationale."}
        )
    current = condition.proposed_ruling or condition.ruling
    if (current, condition.rationale, condition.ruled_by_id) == (ruling, rationale, by.pk):
        return condition
    _terms_open(condition.grant, "the rulings on its conditions")
    needs_second = condition.flagged and ruling in RULINGS_NEEDING_CONFIRMATION
    condition.rationale, condition.ruled_by, condition.ruled_at = rationale, by, timezone.now()
    condition.confirmed_by = condition.confirmed_at = None
    condition.ruling = ConditionRuling.PENDING if needs_second else ruling
    condition.proposed_ruling = ruling if needs_second else ""
    condition.save()
    record_event(
        actor=by,
        action=FundingAction.CONDITION_RULED,
        target=condition,
        request=request,
        detail={"ruling": ruling, "flagged": condition.flagged, "awaits_confirmation": needs_second},
    )
    return condition


@transaction.atomic
def confirm_condition(*, condition: Condition, by, request=None) -> Condition:
    """A second convenor confirms the acceptance another convenor proposed for a flagged condition."""
    condition = _locked_condition(condition)
    if condition.ruling in RULINGS_NEEDING_CONFIRMATION and condition.confirmed_by_id is not None:
        return condition
    if not awaiting_confirmation(condition):
        raise ValidationError("This condition has no proposed acceptance to confirm.")
    if condition.ruled_by_id == by.pk:
        raise ValidationError("A second convenor must confirm: you proposed this acceptance yourself.")
    _terms_open(condition.grant, "the rulings on its conditions")
    condition.ruling, condition.proposed_ruling = condition.proposed_ruling, ""
    condition.confirmed_by, condition.confirmed_at = by, timezone.now()
    condition.save()
    record_event(
        actor=by,
        action=FundingAction.CONDITION_CONFIRMED,
        target=condition,
        request=request,
        detail={"ruling": condition.ruling, "ruled_by": condition.ruled_by_id},
    )
    return condition


@transaction.atomic
def record_expense(
    *, grant: Grant, category: str, amount: Decimal, spent_on, description: str = "", by, request=None
) -> Expense:
    """Spend against an active grant, in the grant's currency, within its period."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.status not in GRANT_SPENDING:
        raise ValidationError(
            f"This grant is {GrantStatus(grant.status).label.lower()}: expenses are recorded only against "
            "an active grant."
        )
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = "The amount must be more than zero."
    if spent_on and not grant.starts_on <= spent_on <= grant.ends_on:
        errors["spent_on"] = (
            f"The grant runs from {grant.starts_on:%-d %b %Y} to {grant.ends_on:%-d %b %Y}: "
            "an expense outside that period cannot be charged to it."
        )
    if errors:
        raise ValidationError(errors)
    expense = Expense.objects.create(
        grant=grant, category=category, amount=amount, spent_on=spent_on, description=description.strip()
    )
    record_event(
        actor=by,
        action=FundingAction.EXPENSE_RECORDED,
        target=grant,
        request=request,
        detail={"expense_id": expense.pk, "category": category},
    )
    return expense


@transaction.atomic
def remove_expense(*, expense: Expense, by, request=None) -> None:
    """Take back an expense recorded by mistake, while the grant is active (a closed grant's books stay)."""
    grant = Grant.objects.select_for_update().get(pk=expense.grant_id)
    if grant.status not in GRANT_SPENDING:
        raise ValidationError(
            f"This grant is {GrantStatus(grant.status).label.lower()}: its expenses can no longer change."
        )
    deleted, _ = Expense.objects.filter(pk=expense.pk).delete()
    if deleted:
        record_event(
            actor=by,
            action=FundingAction.EXPENSE_REMOVED,
            target=grant,
            request=request,
            detail={"expense_id": expense.pk, "category": expense.category},
        )
