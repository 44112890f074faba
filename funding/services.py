"""Grants and conditions. A condition that touches the process itself (FLAGGED_CONDITION_KINDS) is accepted
only when a second convenor confirms; a grant becomes active only once every condition has a ruling."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from funding.enums import ConditionRuling, GrantStatus
from funding.models import Condition, Grant
from trackii import permissions
from trackii.accounts.models import User

GRANT_TRANSITIONS = {
    GrantStatus.PROPOSED: {GrantStatus.ACCEPTED, GrantStatus.DECLINED},
    GrantStatus.ACCEPTED: {GrantStatus.ACTIVE, GrantStatus.DECLINED},
    GrantStatus.DECLINED: set(),
    GrantStatus.ACTIVE: {GrantStatus.CLOSED},
    GrantStatus.CLOSED: set(),
}


@transaction.atomic
def rule_on_condition(*, condition: Condition, ruling: str, rationale: str, by) -> Condition:
    """Record the Third Party's ruling. Accepting a flagged condition only proposes it (confirm_condition)."""
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    rationale = rationale.strip()
    if ruling == ConditionRuling.PENDING:
        raise ValidationError({"ruling": "Choose accepted, rejected or negotiated."})
    if not rationale:
        raise ValidationError(
            {"rationale": "Say why: every ruling on a funder's condition needs a rationale."}
        )
    if (condition.ruling, condition.rationale, condition.ruled_by_id) == (ruling, rationale, by.pk):
        return condition
    condition.rationale, condition.ruled_by, condition.ruled_at = rationale, by, timezone.now()
    condition.confirmed_by = condition.confirmed_at = None
    # A flagged condition stays pending until a second convenor confirms the acceptance.
    condition.ruling = (
        ConditionRuling.PENDING if condition.flagged and ruling == ConditionRuling.ACCEPTED else ruling
    )
    condition.save()
    return condition


def awaiting_confirmation(condition: Condition) -> bool:
    return (
        condition.flagged
        and condition.ruling == ConditionRuling.PENDING
        and condition.ruled_by_id is not None
    )


@transaction.atomic
def confirm_condition(*, condition: Condition, by) -> Condition:
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    if condition.ruling == ConditionRuling.ACCEPTED:
        return condition
    if not awaiting_confirmation(condition):
        raise ValidationError("This condition has no proposed acceptance to confirm.")
    if condition.ruled_by_id == by.pk:
        raise ValidationError("A second convenor must confirm: you proposed this acceptance yourself.")
    condition.ruling = ConditionRuling.ACCEPTED
    condition.confirmed_by, condition.confirmed_at = by, timezone.now()
    condition.save()
    return condition


@transaction.atomic
def change_grant_status(*, grant: Grant, status: str) -> Grant:
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.status == status:
        return grant
    if status not in GRANT_TRANSITIONS[GrantStatus(grant.status)]:
        raise ValidationError(
            f"A grant that is {GrantStatus(grant.status).label.lower()} cannot become "
            f"{GrantStatus(status).label.lower()}."
        )
    if status == GrantStatus.ACTIVE:
        pending = grant.conditions.filter(ruling=ConditionRuling.PENDING).count()
        if pending:
            raise ValidationError(
                f"{pending} condition(s) on this grant still need a ruling (or a second convenor's "
                "confirmation) before the grant can become active."
            )
    grant.status = status
    grant.save(update_fields=["status"])
    return grant


def funder_group_name(funder_id: int) -> str:
    return f"funder-{funder_id}"


@transaction.atomic
def sync_funder_access(*, funder) -> None:
    """A funder's officers (one group per funder) see the grants that funder made, and nothing else of
    them. Run after officers or grants change; safe to repeat."""
    group, _ = Group.objects.get_or_create(name=funder_group_name(funder.pk))
    group.user_set.set(User.objects.filter(person__funder_roles=funder))
    for funded in funder.grants.all():
        permissions.grant("funding.view_grant", group, funded)
