"""Invitations to workshops: inviting (with the view_workshop grant), the participant's answer, asking
again, withdrawing, and attendance once the workshop has started."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.enums import InvitationStatus, NotificationKind, WorkshopStatus
from dialogues.models import Invitation, Workshop
from dialogues.scheduling.notifications import queue_notifications
from dialogues.scheduling.services.numbering import lock_series
from participants.models import Person
from participants.selectors import is_cut_off
from trackii.accounts.models import User
from trackii.accounts.services import issue_login_link
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.permissions import grant, revoke

INVITATION_TRANSITIONS = {
    # Someone who never replied may still turn up (or not): attendance is recorded as it happened.
    InvitationStatus.INVITED: {
        InvitationStatus.ACCEPTED,
        InvitationStatus.DECLINED,
        InvitationStatus.ATTENDED,
        InvitationStatus.ABSENT,
    },
    InvitationStatus.ACCEPTED: {
        InvitationStatus.DECLINED,
        InvitationStatus.ATTENDED,
        InvitationStatus.ABSENT,
    },
    InvitationStatus.DECLINED: {InvitationStatus.ACCEPTED, InvitationStatus.INVITED, InvitationStatus.ABSENT},
    # Attendance can be corrected either way.
    InvitationStatus.ATTENDED: {InvitationStatus.ABSENT},
    InvitationStatus.ABSENT: {InvitationStatus.ATTENDED},
}
ATTENDANCE = {InvitationStatus.ATTENDED, InvitationStatus.ABSENT}


def why_not_invitable(*, person: Person, dialogue_id: int) -> str | None:
    """Why a person cannot be invited to the dialogue's workshops, or None if they can: only a current member
    who is not cut off (an invitation to anyone else would be an inert row, or a door reopened)."""
    membership = person.memberships.filter(dialogue_id=dialogue_id).only("pseudonym", "left_on").first()
    if membership is None:
        # No pseudonym here, and the one of another dialogue must not show (decision 0026).
        return _("Only members of this dialogue can be invited to its workshops; this person is not one.")
    if membership.left_on is not None:
        return _("%(pseudonym)s has left this dialogue. Add them back on the roster first.") % {
            "pseudonym": membership.pseudonym
        }
    if Person.objects.filter(pk=person.pk).filter(is_cut_off()).exists():
        return _("%(pseudonym)s is cut off. A convenor must restore their access on the roster first.") % {
            "pseudonym": membership.pseudonym
        }
    return None


@transaction.atomic
def invite(*, workshop: Workshop, person: Person, by: User) -> Invitation:
    """Invite a current member who is not cut off; inviting them again leaves the invitation as it is."""
    # An invitation fixes the workshop's number (decision 0018): no renumbering may run beside it.
    lock_series(series_id=workshop.series_id)
    if workshop.status == WorkshopStatus.CANCELLED:
        raise ValidationError(_("This workshop is cancelled; nobody can be invited to it."))
    if workshop.status == WorkshopStatus.DRAFT:
        # An invitation announces the workshop, and its number, which a draft may still change.
        raise ValidationError(_("This workshop is a draft. Publish it before inviting people."))
    if (refusal := why_not_invitable(person=person, dialogue_id=workshop.series.dialogue_id)) is not None:
        raise ValidationError(refusal)
    invitation, created = Invitation.objects.get_or_create(workshop=workshop, person=person)
    if person.user_id:
        grant("dialogues.view_workshop", person.user, workshop)
    if created:
        record_event(
            actor=by,
            action=Action.WORKSHOP_INVITED,
            target=invitation,
            detail={"workshop": workshop.pk, "person": person.pk},
        )
    return invitation


def _move_invitation(invitation: Invitation, status: str, now: dt.datetime | None) -> tuple[Invitation, str]:
    """Move a locked invitation to `status` if the transitions and the clock allow it. Returns it with the
    status it had before (the same as `status` when nothing changed); the callers write the audit row."""
    invitation = Invitation.objects.select_for_update().select_related("workshop").get(pk=invitation.pk)
    previous = invitation.status
    if previous == status:
        return invitation, previous
    if status not in INVITATION_TRANSITIONS[InvitationStatus(invitation.status)]:
        raise ValidationError(
            _("An invitation that is %(current)s cannot become %(wanted)s.")
            % {
                "current": InvitationStatus(invitation.status).label.lower(),
                "wanted": InvitationStatus(status).label.lower(),
            }
        )
    now = now or timezone.now()
    if status in ATTENDANCE and invitation.workshop.starts_at > now:
        raise ValidationError(_("Attendance can be recorded once the workshop has started."))
    if status not in ATTENDANCE and invitation.workshop.ends_at < now:
        raise ValidationError(
            _("This workshop is over; replies can no longer change. Record attendance instead.")
        )
    invitation.status = status
    if status in {InvitationStatus.ACCEPTED, InvitationStatus.DECLINED}:
        invitation.responded_at = now
    invitation.save(update_fields=["status", "responded_at"])
    return invitation, previous


def _record_move(action: Action, invitation: Invitation, previous: str, *, by: User, **detail) -> None:
    record_event(
        actor=by,
        action=action,
        target=invitation,
        detail={"from": previous, "to": str(invitation.status), **detail},
    )


@transaction.atomic
def set_invitation_status(
    *, invitation: Invitation, status: str, by: User, now: dt.datetime | None = None
) -> Invitation:
    """Any allowed move of an invitation (the demo and tests walk them); pages use the services below."""
    invitation, previous = _move_invitation(invitation, status, now)
    if previous != invitation.status:
        _record_move(Action.INVITATION_STATUS_CHANGED, invitation, previous, by=by)
    return invitation


def _open_login_links(workshop: Workshop, people, by: User | None, base_url: str | None) -> None:
    """Give each invited person without a login the link to set one up that their invitation e-mail carries
    (under the login invitations' own rules: someone with no e-mail on file, or whose address is already a
    login, gets none and is asked to answer the facilitators instead). Only with `base_url`: without it, the
    e-mail could not carry a link anyway."""
    if not base_url:
        return
    for person in people:
        if person.user_id or not person.email:
            continue
        try:
            issue_login_link(
                dialogue=workshop.series.dialogue,
                person=person,
                by=by,
                carried_by=str(Action.WORKSHOP_INVITED),
            )
        except ValidationError:
            continue


@transaction.atomic
def invite_people(
    *,
    workshop: Workshop,
    people,
    by: User,
    now: dt.datetime | None = None,
    base_url: str | None = None,
) -> list[Invitation]:
    """Invite people (members of the dialogue) who are not invited yet, and notify them. Returns the new
    invitations; people already invited are left as they are. With `base_url` (where Trackii is served), the
    e-mail to someone without a login carries a link to set one up."""
    if workshop.ends_at < (now or timezone.now()):
        raise ValidationError(_("This workshop is over; nobody can be invited to it any more."))
    lock_series(series_id=workshop.series_id)
    already = set(workshop.invitations.values_list("person_id", flat=True))
    # Every refusal at once, next to the form's list of people (a person may have left, or been cut off,
    # since the page was drawn).
    refusals = [
        refusal
        for person in people
        if person.pk not in already
        and (refusal := why_not_invitable(person=person, dialogue_id=workshop.series.dialogue_id))
    ]
    if refusals:
        raise ValidationError({"people": refusals})
    created = [invite(workshop=workshop, person=p, by=by) for p in people if p.pk not in already]
    _open_login_links(workshop, [i.person for i in created], by, base_url)
    queue_notifications(
        workshop=workshop,
        people=[i.person for i in created],
        kind=NotificationKind.INVITED,
        base_url=base_url or "",
    )
    return created


def withdrawal_refusal(*, invitation: Invitation, now: dt.datetime | None = None) -> str:
    """Why this invitation cannot be withdrawn, or "": asked by the service and by the page that confirms."""
    if invitation.status in ATTENDANCE or invitation.workshop.ends_at < (now or timezone.now()):
        return "This workshop is over; record attendance instead of withdrawing."
    return ""


@transaction.atomic
def withdraw_workshop_invitation(*, invitation: Invitation, by: User, now: dt.datetime | None = None) -> None:
    """Take an invitation back: the person no longer sees the workshop and is told so."""
    workshop, person = invitation.workshop, invitation.person
    if refusal := withdrawal_refusal(invitation=invitation, now=now):
        raise ValidationError(refusal)
    record_event(
        actor=by,
        action=Action.INVITATION_WITHDRAWN,
        target=invitation,
        detail={"workshop": workshop.pk, "person": person.pk},
    )
    invitation.delete()
    if person.user_id:
        revoke("dialogues.view_workshop", person.user, workshop)
    if workshop.status != WorkshopStatus.CANCELLED:
        queue_notifications(workshop=workshop, people=[person], kind=NotificationKind.WITHDRAWN)


@transaction.atomic
def reinvite(
    *, invitation: Invitation, by: User, now: dt.datetime | None = None, base_url: str | None = None
) -> Invitation:
    """Ask someone who declined again: their answer is reset and they are notified (with `base_url`, someone
    without a login gets a link to set one up, as in `invite_people`)."""
    if invitation.status != InvitationStatus.DECLINED:
        raise ValidationError(_("Only someone who declined can be invited again."))
    invitation, previous = _move_invitation(invitation, InvitationStatus.INVITED, now)
    if invitation.answer_recorded_by_id is not None:
        invitation.answer_recorded_by = None
        invitation.save(update_fields=["answer_recorded_by"])
    _record_move(Action.INVITATION_RENEWED, invitation, previous, by=by)
    _open_login_links(invitation.workshop, [invitation.person], by, base_url)
    queue_notifications(
        workshop=invitation.workshop,
        people=[invitation.person],
        kind=NotificationKind.REINVITED,
        base_url=base_url or "",
    )
    return invitation


@transaction.atomic
def respond_to_invitation(
    *,
    invitation: Invitation,
    status: str,
    by: User,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> Invitation:
    """A participant's one-click answer, with an optional note on their availability."""
    if status not in {InvitationStatus.ACCEPTED, InvitationStatus.DECLINED}:
        raise ValidationError(_("Answer with accept or decline."))
    if invitation.workshop.status == WorkshopStatus.CANCELLED:
        raise ValidationError(_("This workshop is cancelled; there is nothing to answer."))
    invitation, previous = _move_invitation(invitation, status, now)
    changed = ["status"] if previous != invitation.status else []
    if invitation.answer_recorded_by_id is not None:
        # Their own answer now, not the one the facilitators recorded for them.
        invitation.answer_recorded_by = None
        invitation.save(update_fields=["answer_recorded_by"])
        changed.append("answer_recorded_by")
    if note is not None and (note.strip() or None) != invitation.availability_note:
        invitation.availability_note = note.strip() or None
        invitation.save(update_fields=["availability_note"])
        changed.append("availability_note")
    if changed:
        # The note is the participant's own words: the row names the field, never the text.
        _record_move(Action.INVITATION_ANSWERED, invitation, previous, by=by, fields=changed)
    return invitation


@transaction.atomic
def record_attendance(
    *, invitation: Invitation, status: str, by: User, now: dt.datetime | None = None
) -> Invitation:
    """Mark someone attended or absent once the workshop has started; the workshop counts as held."""
    if status not in ATTENDANCE:
        raise ValidationError(_("Attendance is either attended or absent."))
    invitation, previous = _move_invitation(invitation, status, now)
    if previous != invitation.status:
        _record_move(Action.ATTENDANCE_RECORDED, invitation, previous, by=by)
    Workshop.objects.filter(pk=invitation.workshop_id, status=WorkshopStatus.SCHEDULED).update(
        status=WorkshopStatus.HELD
    )
    return invitation
