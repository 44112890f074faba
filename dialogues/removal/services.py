"""State changes of removal and the emergency cut-off: withdrawing what a former member was left, cutting one
person off from every dialogue, and restoring them. Keyword-only, one transaction each, safe to repeat.
Removing someone from one dialogue is `dialogues.services.revoke_role` (it changes their roles)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import Dialogue, Invitation, Notification
from dialogues.removal.selectors import people_concerned_by_cut_offs, people_of_dialogue
from participants.models import CutOff, Membership, Person
from participants.selectors import standing_cut_offs
from participants.services import check_not_erased
from trackii.accounts.models import AccountInvitation, User
from trackii.accounts.services import end_all_sessions, revoke_invitation
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.permissions import revoke

REASON_MAX_LENGTH = 2000


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


def check_reason(reason: str) -> str:
    """The rule for a cut-off's reason; the form asks it too, so its mistakes show with the form's others."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _(
                "Say why, in a sentence or two: the convenors of this dialogue read it before they restore "
                "access."
            )
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(_("Keep the reason under %(count)d characters.") % {"count": REASON_MAX_LENGTH})
    return reason


@transaction.atomic
def cut_off_person(*, person: Person, dialogue: Dialogue, reason: str, by: User) -> CutOff:
    """Cut a person off from every dialogue at once, from a dialogue they belong to: every session of their
    login ends and their calendar feed address stops (as "log out everywhere" does), their open login
    invitations are withdrawn, so are their invitations to workshops that have not started (without an
    e-mail), and their e-mails not yet sent are dropped. Until a convenor restores them they cannot log in,
    be invited or be sent anything. The reason is stored encrypted. Calling it again changes nothing."""
    try:
        reason = check_reason(reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    check_not_erased(person=person)  # the reason would be encrypted under their destroyed key
    if not people_of_dialogue(dialogue=dialogue).filter(pk=person.pk).exists():
        raise ValidationError(_("Only someone who belongs to this dialogue can be cut off from here."))
    if person.user_id is not None and person.user_id == by.pk:
        raise ValidationError(
            _(
                "You cannot cut yourself off. To end your own sessions, use “Log out everywhere” on your "
                "account page."
            )
        )
    standing = standing_cut_offs().filter(person=person).first()
    if standing is not None:
        return standing
    now = timezone.now()
    cut = CutOff.objects.create(
        person=person, dialogue=dialogue, reason=reason, cut_off_by=by, cut_off_at=now
    )
    if person.user_id:
        end_all_sessions(user=person.user, by=by)
    login_invitations = list(
        AccountInvitation.objects.filter(person=person, used_at__isnull=True, revoked_at__isnull=True)
    )
    for invitation in login_invitations:
        revoke_invitation(invitation=invitation, by=by)
    ahead = _withdraw_invitations_ahead(person, now=now, by=by)
    dropped, _rows = Notification.objects.filter(person=person, sent_at__isnull=True).delete()
    record_event(
        actor=by,
        action=Action.CUT_OFF,
        target=cut,
        detail={
            "person": person.pseudonym,
            "login_invitations": len(login_invitations),
            "workshop_invitations": ahead,
            "notifications_dropped": dropped,
        },
    )
    return cut


def _withdraw_invitations_ahead(person: Person, *, now, by: User) -> int:
    """Invitations to workshops that have not started, in every dialogue, each with its own audit row (for
    its dialogue's history) and without the usual e-mail. Attendance of workshops already begun stays."""
    ahead = list(
        Invitation.objects.filter(person=person, workshop__starts_at__gt=now).select_related(
            "workshop__series"
        )
    )
    for invitation in ahead:
        record_event(
            actor=by,
            action=Action.INVITATION_WITHDRAWN,
            target=invitation,
            detail={"workshop": invitation.workshop_id, "person": person.pk, "with": str(Action.CUT_OFF)},
        )
        if person.user_id:
            revoke("dialogues.view_workshop", person.user, invitation.workshop)
    Invitation.objects.filter(pk__in=[invitation.pk for invitation in ahead]).delete()
    return len(ahead)


@transaction.atomic
def restore_person(*, person: Person, dialogue: Dialogue, by: User) -> CutOff | None:
    """Lift a person's cut-off, from a dialogue they belong to or the one it was made from: they may log in,
    be invited and be sent e-mail again. What the cut-off ended stays ended (sessions, the feed address,
    invitations): they log in afresh and are invited again. Returns the lifted cut-off; None if there was
    none to lift."""
    if not people_concerned_by_cut_offs(dialogue=dialogue).filter(pk=person.pk).exists():
        raise ValidationError(
            _("Only someone who belongs to this dialogue, or was cut off from it, can be restored from here.")
        )
    cut = standing_cut_offs().select_for_update().filter(person=person).first()
    if cut is None:
        return None
    cut.restored_at, cut.restored_by = timezone.now(), by
    cut.save(update_fields=["restored_at", "restored_by"])
    record_event(
        actor=by,
        action=Action.CUT_OFF_RESTORED,
        target=cut,
        dialogue_id=dialogue.pk,
        detail={"person": person.pseudonym},
    )
    return cut
