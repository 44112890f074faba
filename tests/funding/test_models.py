from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError

from funding.enums import ConditionKind, ConditionRuling
from tests.factories import ConditionFactory, ExpenseFactory, GrantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_grant_amount_must_be_positive(amount):
    with pytest.raises(IntegrityError, match="grant_amount_positive"):
        GrantFactory(amount=amount)


@pytest.mark.parametrize("currency", ["eur", "EU", "E1R", "EURO"])
def test_grant_currency_must_be_an_iso_code(currency):
    with pytest.raises((IntegrityError, DataError)):  # too long is refused by the column type itself
        GrantFactory(currency=currency)


def test_grant_without_dialogue_is_core_budget():
    grant = GrantFactory(dialogue=None)
    assert grant.dialogue is None and grant.third_party_id


def test_expense_amount_must_be_positive():
    with pytest.raises(IntegrityError, match="expense_amount_positive"):
        ExpenseFactory(amount=Decimal("0"))


def test_conditions_over_the_process_are_flagged_automatically():
    assert ConditionFactory(kind=ConditionKind.AGENDA).flagged
    assert not ConditionFactory(kind=ConditionKind.REPORTING).flagged


def test_ruling_needs_a_rationale_in_the_database():
    with pytest.raises(IntegrityError, match="condition_ruling_has_rationale"):
        ConditionFactory(ruling=ConditionRuling.REJECTED, rationale="")


def test_flagged_condition_cannot_be_accepted_without_a_second_convenor():
    convenor = UserFactory()
    with pytest.raises(IntegrityError, match="condition_flagged_acceptance_confirmed"):
        ConditionFactory(
            kind=ConditionKind.FUNDER_ATTENDANCE,
            ruling=ConditionRuling.ACCEPTED,
            rationale="ok",
            ruled_by=convenor,
            confirmed_by=convenor,
        )
