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
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from dialogues.models import Dialogue
from funding.changes import apply_changes
from funding.enums import (
    GRANT_SPENDING,
    GRANT_TERMS_OPEN,
    GRANT_TRANSITIONS,
    RULINGS_NEEDING_CONFIRMATION,
    ConditionKind,
    ConditionRuling,
    GrantStatus,
)
from funding.funders.services import sync_funder_access
from funding.grants.selectors import activation_blockers, awaiting_confirmation
from funding.models import CURRENCY_CODE, Condition, Expense, Funder, Grant
from participants.models import ThirdParty
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.inputs import RANGE_MESSAGE, in_range

CURRENCY_REFUSED = gettext_lazy("Give the three-letter currency code, e.g. EUR, USD or CHF.")
PERIOD_REFUSED = gettext_lazy("The grant must end on or after the day it starts.")


def currency_code(*, currency: str) -> str:
    """The currency as stored ("eur " → "EUR"); ValidationError if it is not a three-letter code. The
    grant forms call it too, so its refusal shows beside the form's own."""
    currency = currency.strip().upper()
    if not re.match(CURRENCY_CODE, currency):
        raise ValidationError(CURRENCY_REFUSED)
    return currency


def check_period(*, starts_on, ends_on) -> None:
    """A grant ends on or after the day it starts, both in the years Trackii keeps (the grant forms call this
    too)."""
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day and not in_range(day):
            raise ValidationError({field: RANGE_MESSAGE})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": PERIOD_REFUSED})


def _check_terms(*, amount, currency: str, starts_on, ends_on, purpose: str) -> tuple[str, str]:
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = gettext("The amount must be more than zero.")
    try:
        currency = currency_code(currency=currency)
    except ValidationError as error:
        errors["currency"] = error.messages
    try:
        check_period(starts_on=starts_on, ends_on=ends_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not purpose.strip():
        errors["purpose"] = gettext("Say what the money is for: members and the funder read this.")
    if errors:
        raise ValidationError(errors)
    return currency, purpose.strip()


@transaction.atomic
def record_grant(
    *,
    funder: Funder,
    dialogue: Dialogue | None,
    third_party: ThirdParty,
    amount: Decimal,
    currency: str,
    starts_on,
    ends_on,
    purpose: str,
    reference: str = "",
    by: User,
) -> Grant:
    """A grant as the funder proposed it: for one dialogue, or (without one) for the Third Party's core
    budget. The funder's officers see it from now on."""
    if dialogue is not None and dialogue.third_party_id != third_party.pk:
        raise ValidationError(gettext("That dialogue is convened by another Third Party."))
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
    record_event(actor=by, action=Action.GRANT_RECORDED, target=grant)
    return grant


# What may change only while a grant's terms are open, each refusal a whole sentence for the translators.
TERMS_CLOSED = {
    "its terms": gettext_lazy(
        "This grant is %(status)s: its terms can change only while a grant is proposed or accepted."
    ),
    "its conditions": gettext_lazy(
        "This grant is %(status)s: its conditions can change only while a grant is proposed or accepted."
    ),
    "the rulings on its conditions": gettext_lazy(
        "This grant is %(status)s: the rulings on its conditions can change only while a grant is proposed "
        "or accepted."
    ),
}


def _status_word(status: str) -> str:
    return str(GrantStatus(status).label).lower()


def _terms_open(grant: Grant, what: str) -> None:
    if grant.status not in GRANT_TERMS_OPEN:
        raise ValidationError(TERMS_CLOSED[what] % {"status": _status_word(grant.status)})


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
    by: User,
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
    return apply_changes(obj=grant, values=values, action=Action.GRANT_CHANGED, by=by)


@transaction.atomic
def change_grant_status(*, grant: Grant, status: str, by: User) -> Grant:
    """Move a grant along proposed → accepted / declined → active → closed. It becomes active only once
    every condition has a final ruling (a flagged acceptance confirmed by a second convenor)."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.status == status:
        return grant
    if status not in GRANT_TRANSITIONS[GrantStatus(grant.status)]:
        raise ValidationError(
            gettext("A grant that is %(status)s cannot become %(new)s.")
            % {"status": _status_word(grant.status), "new": _status_word(status)}
        )
    if status == GrantStatus.ACTIVE:
        reasons = activation_blockers(conditions=grant.conditions.all())
        if reasons:
            raise ValidationError(
                gettext("%(reasons)s before the grant can become active.")
                % {"reasons": gettext(" and ").join(reasons)}
            )
    previous = grant.status
    grant.status = status
    grant.save(update_fields=["status"])
    record_event(
        actor=by,
        action=Action.GRANT_STATUS_CHANGED,
        target=grant,
        detail={"from": previous, "to": status},
    )
    return grant


@transaction.atomic
def record_condition(*, grant: Grant, kind: str, text: str, by: User) -> Condition:
    """A condition the funder attached. It needs a ruling before the grant can become active."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    _terms_open(grant, "its conditions")
    text = text.strip()
    errors = {}
    if kind not in ConditionKind.values:
        errors["kind"] = gettext("Choose what the condition is about.")
    if not text:
        errors["text"] = gettext("Write down the condition as the funder put it.")
    if errors:
        raise ValidationError(errors)
    condition = Condition.objects.create(grant=grant, kind=kind, text=text)
    record_event(
        actor=by,
        action=Action.CONDITION_RECORDED,
        target=condition,
        detail={"kind": kind, "flagged": condition.flagged},
    )
    return condition


def _locked_condition(condition: Condition) -> Condition:
    return Condition.objects.select_for_update().select_related("grant").get(pk=condition.pk)


@transaction.atomic
def rule_on_condition(*, condition: Condition, ruling: str, rationale: str, by: User) -> Condition:
    """Record the Third Party's ruling, with its rationale. On a flagged condition an acceptance (outright or
    negotiated) is only proposed: it stands once a second convenor confirms it (confirm_condition)."""
    condition = _locked_condition(condition)
    rationale = rationale.strip()
    if ruling not in {ConditionRuling.ACCEPTED, ConditionRuling.REJECTED, ConditionRuling.NEGOTIATED}:
        raise ValidationError({"ruling": gettext("Choose accepted, rejected or negotiated.")})
    if not rationale:
        raise ValidationError(
            {"rationale": gettext("Say why: every ruling on a funder's condition needs a rationale.")}
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
        action=Action.CONDITION_RULED,
        target=condition,
        detail={"ruling": ruling, "flagged": condition.flagged, "awaits_confirmation": needs_second},
    )
    return condition


@transaction.atomic
def confirm_condition(*, condition: Condition, by: User) -> Condition:
    """A second convenor confirms the acceptance another convenor proposed for a flagged condition."""
    condition = _locked_condition(condition)
    if condition.ruling in RULINGS_NEEDING_CONFIRMATION and condition.confirmed_by_id is not None:
        return condition
    if not awaiting_confirmation(condition=condition):
        raise ValidationError(gettext("This condition has no proposed acceptance to confirm."))
    if condition.ruled_by_id == by.pk:
        raise ValidationError(
            gettext("A second convenor must confirm: you proposed this acceptance yourself.")
        )
    _terms_open(condition.grant, "the rulings on its conditions")
    condition.ruling, condition.proposed_ruling = condition.proposed_ruling, ""
    condition.confirmed_by, condition.confirmed_at = by, timezone.now()
    condition.save()
    record_event(
        actor=by,
        action=Action.CONDITION_CONFIRMED,
        target=condition,
        detail={"ruling": condition.ruling, "ruled_by": condition.ruled_by_id},
    )
    return condition


@transaction.atomic
def record_expense(
    *, grant: Grant, category: str, amount: Decimal, spent_on, description: str = "", by: User
) -> Expense:
    """Spend against an active grant, in the grant's currency, within its period."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.status not in GRANT_SPENDING:
        raise ValidationError(
            gettext("This grant is %(status)s: expenses are recorded only against an active grant.")
            % {"status": _status_word(grant.status)}
        )
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = gettext("The amount must be more than zero.")
    if spent_on and not grant.starts_on <= spent_on <= grant.ends_on:
        errors["spent_on"] = gettext(
            "The grant runs from %(start)s to %(end)s: an expense outside that period cannot be charged to "
            "it."
        ) % {"start": date_format(grant.starts_on, "j M Y"), "end": date_format(grant.ends_on, "j M Y")}
    if errors:
        raise ValidationError(errors)
    expense = Expense.objects.create(
        grant=grant, category=category, amount=amount, spent_on=spent_on, description=description.strip()
    )
    record_event(
        actor=by,
        action=Action.EXPENSE_RECORDED,
        target=grant,
        detail={"expense_id": expense.pk, "category": category},
    )
    return expense


@transaction.atomic
def remove_expense(*, expense: Expense, by: User) -> None:
    """Take back an expense recorded by mistake, while the grant is active (a closed grant's books stay)."""
    grant = Grant.objects.select_for_update().get(pk=expense.grant_id)
    if grant.status not in GRANT_SPENDING:
        raise ValidationError(
            gettext("This grant is %(status)s: its expenses can no longer change.")
            % {"status": _status_word(grant.status)}
        )
    deleted, _ = Expense.objects.filter(pk=expense.pk).delete()
    if deleted:
        record_event(
            actor=by,
            action=Action.EXPENSE_REMOVED,
            target=grant,
            detail={"expense_id": expense.pk, "category": expense.category},
        )
