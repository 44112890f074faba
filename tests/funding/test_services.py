import pytest
from django.core.exceptions import ValidationError

from funding import services
from funding.enums import ConditionKind, ConditionRuling, GrantStatus
from tests.factories import ConditionFactory, GrantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_ruling_needs_a_rationale():
    with pytest.raises(ValidationError, match="needs a rationale"):
        services.rule_on_condition(
            condition=ConditionFactory(), ruling=ConditionRuling.ACCEPTED, rationale=" ", by=UserFactory()
        )


def test_unflagged_condition_is_accepted_by_one_convenor():
    condition = services.rule_on_condition(
        condition=ConditionFactory(),
        ruling=ConditionRuling.ACCEPTED,
        rationale="Standard reporting",
        by=UserFactory(),
    )
    assert condition.ruling == ConditionRuling.ACCEPTED


def test_flagged_condition_acceptance_waits_for_a_second_convenor():
    first, second = UserFactory(), UserFactory()
    condition = ConditionFactory(kind=ConditionKind.SUMMARY_ACCESS)
    condition = services.rule_on_condition(
        condition=condition, ruling=ConditionRuling.ACCEPTED, rationale="Aggregate only", by=first
    )
    assert condition.ruling == ConditionRuling.PENDING and services.awaiting_confirmation(condition)
    with pytest.raises(ValidationError, match="second convenor"):
        services.confirm_condition(condition=condition, by=first)
    condition = services.confirm_condition(condition=condition, by=second)
    assert condition.ruling == ConditionRuling.ACCEPTED and condition.confirmed_by == second


def test_flagged_condition_can_be_rejected_by_one_convenor():
    condition = services.rule_on_condition(
        condition=ConditionFactory(kind=ConditionKind.FUNDER_ATTENDANCE),
        ruling=ConditionRuling.REJECTED,
        rationale="Funder staff do not attend workshops.",
        by=UserFactory(),
    )
    assert condition.ruling == ConditionRuling.REJECTED


def test_grant_becomes_active_only_when_every_condition_is_ruled():
    grant = GrantFactory(status=GrantStatus.ACCEPTED)
    condition = ConditionFactory(grant=grant)
    with pytest.raises(ValidationError, match="1 condition"):
        services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE)
    services.rule_on_condition(
        condition=condition, ruling=ConditionRuling.NEGOTIATED, rationale="Yearly", by=UserFactory()
    )
    assert services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE).status == GrantStatus.ACTIVE


def test_grant_status_refuses_to_reopen_a_declined_grant():
    grant = GrantFactory(status=GrantStatus.DECLINED)
    with pytest.raises(ValidationError, match="declined cannot become active"):
        services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE)
