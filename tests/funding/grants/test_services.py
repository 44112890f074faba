import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from funding.enums import ConditionKind, ConditionRuling, ExpenseCategory, GrantStatus
from funding.grants import selectors as grant_selectors
from funding.grants import services as grant_services
from funding.models import Expense, Grant
from tests.factories import (
    ConditionFactory,
    ExpenseFactory,
    GrantFactory,
    ThirdPartyFactory,
    UserFactory,
)
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _events(action: str):
    return AuditEvent.objects.filter(action=action).order_by("id")


def test_ruling_needs_a_rationale():
    with pytest.raises(ValidationError, match="needs a rationale"):
        grant_services.rule_on_condition(
            condition=ConditionFactory(), ruling=ConditionRuling.ACCEPTED, rationale=" ", by=UserFactory()
        )


def test_unflagged_condition_is_accepted_by_one_convenor():
    condition = grant_services.rule_on_condition(
        condition=ConditionFactory(),
        ruling=ConditionRuling.ACCEPTED,
        rationale="Standard reporting",
        by=UserFactory(),
    )
    assert condition.ruling == ConditionRuling.ACCEPTED


def test_flagged_condition_acceptance_waits_for_a_second_convenor():
    first, second = UserFactory(), UserFactory()
    condition = ConditionFactory(kind=ConditionKind.SUMMARY_ACCESS)
    condition = grant_services.rule_on_condition(
        condition=condition, ruling=ConditionRuling.ACCEPTED, rationale="Aggregate only", by=first
    )
    assert condition.ruling == ConditionRuling.PENDING and grant_selectors.awaiting_confirmation(
        condition=condition
    )
    with pytest.raises(ValidationError, match="second convenor"):
        grant_services.confirm_condition(condition=condition, by=first)
    condition = grant_services.confirm_condition(condition=condition, by=second)
    assert condition.ruling == ConditionRuling.ACCEPTED and condition.confirmed_by == second


def test_flagged_condition_can_be_rejected_by_one_convenor():
    condition = grant_services.rule_on_condition(
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
        grant_services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE, by=UserFactory())
    grant_services.rule_on_condition(
        condition=condition, ruling=ConditionRuling.NEGOTIATED, rationale="Yearly", by=UserFactory()
    )
    assert (
        grant_services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE, by=UserFactory()).status
        == GrantStatus.ACTIVE
    )


def test_grant_status_refuses_to_reopen_a_declined_grant():
    grant = GrantFactory(status=GrantStatus.DECLINED)
    with pytest.raises(ValidationError, match="declined cannot become active"):
        grant_services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE, by=UserFactory())


def test_negotiated_flagged_condition_also_waits_for_a_second_convenor():
    first, second = UserFactory(), UserFactory()
    condition = grant_services.rule_on_condition(
        condition=ConditionFactory(kind=ConditionKind.PARTICIPANT_SELECTION),
        ruling=ConditionRuling.NEGOTIATED,
        rationale="The funder may suggest names; the facilitators decide.",
        by=first,
    )
    assert (
        condition.ruling == ConditionRuling.PENDING
        and condition.proposed_ruling == ConditionRuling.NEGOTIATED
    )
    condition = grant_services.confirm_condition(condition=condition, by=second)
    assert (condition.ruling, condition.proposed_ruling) == (ConditionRuling.NEGOTIATED, "")


def test_flagged_negotiation_without_confirmation_is_refused_by_the_database():
    ruler = UserFactory()
    with pytest.raises(IntegrityError, match="condition_flagged_acceptance_confirmed"):
        ConditionFactory(
            kind=ConditionKind.CONTENT,
            ruling=ConditionRuling.NEGOTIATED,
            rationale="Softened",
            ruled_by=ruler,
        )


def test_rulings_and_confirmations_are_audited():
    first, second = UserFactory(), UserFactory()
    condition = ConditionFactory(kind=ConditionKind.AGENDA)
    grant_services.rule_on_condition(
        condition=condition, ruling=ConditionRuling.ACCEPTED, rationale="One input", by=first
    )
    grant_services.confirm_condition(condition=condition, by=second)
    ruled, confirmed = _events("condition_ruled").get(), _events("condition_confirmed").get()
    assert (ruled.actor_id, ruled.target_id, ruled.dialogue_id) == (
        first.pk,
        str(condition.pk),
        condition.grant.dialogue_id,
    )
    assert ruled.detail == {"ruling": "accepted", "flagged": True, "awaits_confirmation": True}
    assert (confirmed.actor_id, confirmed.detail["ruled_by"]) == (second.pk, first.pk)


def test_ruling_twice_the_same_way_changes_and_audits_nothing():
    convenor = UserFactory()
    condition = ConditionFactory()
    for _ in range(2):
        grant_services.rule_on_condition(
            condition=condition, ruling=ConditionRuling.REJECTED, rationale="No", by=convenor
        )
    assert _events("condition_ruled").count() == 1


def test_a_new_ruling_withdraws_a_proposed_acceptance():
    first, second = UserFactory(), UserFactory()
    condition = ConditionFactory(kind=ConditionKind.FUNDER_ATTENDANCE)
    grant_services.rule_on_condition(
        condition=condition, ruling=ConditionRuling.ACCEPTED, rationale="Once", by=first
    )
    condition = grant_services.rule_on_condition(
        condition=condition, ruling=ConditionRuling.REJECTED, rationale="On reflection, no", by=second
    )
    assert (condition.ruling, condition.proposed_ruling) == (ConditionRuling.REJECTED, "")
    with pytest.raises(ValidationError, match="no proposed acceptance"):
        grant_services.confirm_condition(condition=condition, by=first)


def test_grant_waits_for_the_second_convenor_before_becoming_active():
    first, second = UserFactory(), UserFactory()
    grant = GrantFactory(status=GrantStatus.ACCEPTED)
    condition = ConditionFactory(grant=grant, kind=ConditionKind.SUMMARY_ACCESS)
    grant_services.rule_on_condition(
        condition=condition, ruling=ConditionRuling.ACCEPTED, rationale="Aggregates", by=first
    )
    with pytest.raises(
        ValidationError, match="1 flagged condition still needs a second convenor's confirmation"
    ):
        grant_services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE, by=first)
    grant_services.confirm_condition(condition=condition, by=second)
    grant = grant_services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE, by=second)
    assert grant.status == GrantStatus.ACTIVE
    assert _events("grant_status_changed").get().detail == {"from": "accepted", "to": "active"}


def test_conditions_and_rulings_are_settled_once_a_grant_is_active():
    grant = GrantFactory(status=GrantStatus.ACTIVE)
    condition = ConditionFactory(grant=grant, ruling=ConditionRuling.NEGOTIATED, rationale="Yearly")
    with pytest.raises(ValidationError, match="only while a grant is proposed or accepted"):
        grant_services.record_condition(
            grant=grant, kind=ConditionKind.AGENDA, text="A new demand", by=UserFactory()
        )
    with pytest.raises(ValidationError, match="only while a grant is proposed or accepted"):
        grant_services.rule_on_condition(
            condition=condition, ruling=ConditionRuling.REJECTED, rationale="No", by=UserFactory()
        )


def test_recording_a_condition_flags_process_conditions_and_audits_it():
    condition = grant_services.record_condition(
        grant=GrantFactory(), kind=ConditionKind.CONTENT, text="  Approve the summaries  ", by=UserFactory()
    )
    assert condition.flagged and condition.text == "Approve the summaries"
    assert _events("condition_recorded").get().detail == {"kind": "content", "flagged": True}


def test_recording_a_condition_needs_its_text():
    with pytest.raises(ValidationError) as error:
        grant_services.record_condition(
            grant=GrantFactory(), kind=ConditionKind.OTHER, text=" ", by=UserFactory()
        )
    assert "text" in error.value.message_dict


def test_record_grant_checks_its_terms_in_plain_words(place):
    with pytest.raises(ValidationError) as error:
        grant_services.record_grant(
            funder=place.funder,
            dialogue=place.dialogue,
            third_party=place.dialogue.third_party,
            amount=Decimal("0"),
            currency="euro",
            starts_on=dt.date(2026, 6, 1),
            ends_on=dt.date(2026, 1, 1),
            purpose=" ",
            by=place.convenor.user,
        )
    assert set(error.value.message_dict) == {"amount", "currency", "ends_on", "purpose"}


def test_recorded_grant_is_proposed_audited_and_shown_to_the_funders_officers(place):
    grant = grant_services.record_grant(
        funder=place.funder,
        dialogue=place.dialogue,
        third_party=place.dialogue.third_party,
        amount=Decimal("50000"),
        currency="chf",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        purpose="Two workshops",
        by=place.convenor.user,
    )
    assert (grant.status, grant.currency) == (GrantStatus.PROPOSED, "CHF")
    assert list(grant_selectors.grants_for_user(user=place.officer.user)) == [grant]
    assert _events("grant_recorded").get().dialogue_id == place.dialogue.pk


def test_a_grant_for_another_third_partys_dialogue_is_refused(place):
    with pytest.raises(ValidationError, match="another Third Party"):
        grant_services.record_grant(
            funder=place.funder,
            dialogue=place.dialogue,
            third_party=ThirdPartyFactory(name="Another Centre"),
            amount=Decimal("1"),
            currency="EUR",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 1, 1),
            purpose="x",
            by=place.convenor.user,
        )


def test_terms_change_only_while_the_grant_is_being_agreed():
    grant = GrantFactory(status=GrantStatus.ACTIVE)
    with pytest.raises(ValidationError, match="its terms can change only"):
        grant_services.update_grant(
            grant=grant,
            amount=Decimal("1"),
            currency="EUR",
            starts_on=grant.starts_on,
            ends_on=grant.ends_on,
            purpose="More",
            by=UserFactory(),
        )


def test_update_grant_records_which_fields_changed():
    grant = GrantFactory()
    grant_services.update_grant(
        grant=grant,
        amount=Decimal("99000"),
        currency="EUR",
        starts_on=grant.starts_on,
        ends_on=grant.ends_on,
        purpose=grant.purpose,
        reference="APF-1",
        by=UserFactory(),
    )
    assert _events("grant_changed").get().detail == {"fields": ["reference", "amount"]}


def test_expenses_are_recorded_only_against_an_active_grant_within_its_period():
    grant = GrantFactory(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
    kwargs = {"category": ExpenseCategory.VENUE, "amount": Decimal("500"), "by": UserFactory()}
    with pytest.raises(ValidationError, match="only against an active grant"):
        grant_services.record_expense(grant=grant, spent_on=dt.date(2026, 3, 1), **kwargs)
    Grant.objects.filter(pk=grant.pk).update(status=GrantStatus.ACTIVE)
    with pytest.raises(ValidationError) as error:
        grant_services.record_expense(grant=grant, spent_on=dt.date(2027, 1, 2), **kwargs)
    assert "1 Jan 2026 to 31 Dec 2026" in error.value.message_dict["spent_on"][0]
    expense = grant_services.record_expense(grant=grant, spent_on=dt.date(2026, 3, 1), **kwargs)
    assert expense.grant_id == grant.pk and _events("expense_recorded").count() == 1


def test_removing_an_expense_is_audited_and_closed_books_stay():
    expense = ExpenseFactory(grant=GrantFactory(status=GrantStatus.ACTIVE))
    grant_services.remove_expense(expense=expense, by=UserFactory())
    assert not Expense.objects.filter(pk=expense.pk).exists()
    assert _events("expense_removed").get().detail["expense_id"] == expense.pk
    closed = ExpenseFactory(grant=GrantFactory(status=GrantStatus.CLOSED))
    with pytest.raises(ValidationError, match="can no longer change"):
        grant_services.remove_expense(expense=closed, by=UserFactory())
