"""State changes of removal: withdrawing what a former member was left. Keyword-only, one transaction each,
safe to repeat. Removing someone from one dialogue is `dialogues.services.revoke_role` (it changes their
roles)."""

from django.db import transaction

from participants.models import Membership
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event


@transaction.atomic
def withdraw_kept_summaries(*, membership: Membership, by: User) -> Membership:
    """End the read access a former member was left at removal: the next request finds none of the
    dialogue's summaries. Nothing to withdraw changes nothing."""
    membership = Membership.objects.select_for_update().select_related("person").get(pk=membership.pk)
    if not membership.keeps_sealed_summaries:
        return membership
    membership.keeps_sealed_summaries = False
    membership.save(update_fields=["keeps_sealed_summaries"])
    record_event(
        actor=by,
        action=Action.SUMMARY_ACCESS_WITHDRAWN,
        target=membership,
        detail={"person": membership.person.pseudonym},
    )
    return membership
