"""Invited people without a login: login invitations for all of a workshop's invited people at once, and the
answer a facilitator records for someone who answers them by phone or in person rather than in Trackii."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.models import Invitation, Workshop
from dialogues.scheduling.selectors import invitations_with_login_state, login_candidates
from dialogues.scheduling.services.invitations import _move_invitation, why_not_invitable
from participants.selectors import pseudonyms_in
from trackii.accounts.models import User
from trackii.accounts.services import invite_person
from trackii.audit.enums import Action
from trackii.audit.services import record_event

ANSWERS = frozenset({InvitationStatus.ACCEPTED, InvitationStatus.DECLINED})


@dataclass(frozen=True)
class LoginInvitationsSent:
    """Pseudonyms of the people sent a login invitation, and of those skipped with why."""

    sent: list[str]
    skipped: list[tuple[str, str]]


@transaction.atomic
def send_login_invitations(*, workshop: Workshop, by: User, base_url: str) -> LoginInvitationsSent:
    """Send each invited person of the workshop who has no login, an e-mail address on file, still belongs to
    the dialogue, is not cut off and has no open login invitation of the dialogue a link to set one up,
    exactly as the roster's login invitation does (`invite_person`: its e-mail, its audit row per person).
    Sending again sends nothing new: those just sent have an open invitation now."""
    # Two facilitators pressing the button at once: the second waits, then finds the links already open.
    workshop = Workshop.objects.select_for_update().select_related("series__dialogue").get(pk=workshop.pk)
    candidates = login_candidates(invitations=invitations_with_login_state(workshop=workshop))
    sent, skipped = [], list(candidates.skipped)
    for person in candidates.ready:
        try:
            invite_person(dialogue=workshop.series.dialogue, person=person, by=by, base_url=base_url)
        except ValidationError as error:
            skipped.append((person.pseudonym_here, " ".join(error.messages).rstrip(".")))
        else:
            sent.append(person.pseudonym_here)
    return LoginInvitationsSent(sent=sent, skipped=skipped)


@transaction.atomic
def record_answer(
    *,
    invitation: Invitation,
    answer: str,
    by: User,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> Invitation:
    """A facilitator records the answer of an invited person who has no login (given by phone, by letter, in
    person), with an optional note kept like the person's own availability note. Someone with a login answers
    for themselves: recording for them is refused. Recording the same answer again changes nothing."""
    if answer not in ANSWERS:
        raise ValidationError({"answer": _("Choose accepted or declined.")})
    invitation = Invitation.objects.select_related("person", "workshop__series").get(pk=invitation.pk)
    person, workshop = invitation.person, invitation.workshop
    if person.user_id:
        raise ValidationError(
            _(
                "%(pseudonym)s has a login and answers for themselves on their own page. "
                "Ask them to answer there."
            )
            % {
                "pseudonym": pseudonyms_in(
                    dialogue_id=workshop.series.dialogue_id, person_ids=[person.pk]
                ).get(person.pk, "—")
            }
        )
    if workshop.status == WorkshopStatus.CANCELLED:
        raise ValidationError(_("This workshop is cancelled; there is nothing to answer."))
    if (refusal := why_not_invitable(person=person, dialogue_id=workshop.series.dialogue_id)) is not None:
        raise ValidationError(refusal)
    invitation, previous = _move_invitation(invitation, answer, now)
    changed = ["status"] if previous != invitation.status else []
    note = (note or "").strip() or None
    if note != invitation.availability_note:
        invitation.availability_note = note
        changed.append("availability_note")
    if invitation.answer_recorded_by_id is None:
        changed.append("answer_recorded_by")
    if not changed:
        return invitation
    invitation.answer_recorded_by = by
    invitation.save(update_fields=["availability_note", "answer_recorded_by"])
    # The note is the person's words as a facilitator took them down: the row names the field, not the text.
    record_event(
        actor=by,
        action=Action.INVITATION_ANSWER_RECORDED,
        target=invitation,
        detail={"from": previous, "to": str(invitation.status), "fields": changed},
    )
    return invitation
