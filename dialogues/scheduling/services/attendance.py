"""Workshops that took place: marking one held with who attended, and recording one held before Trackii was
used. Nobody is e-mailed about a workshop that is over: people recorded as attending get their invitation
row (status attended) and, with a login, the view_workshop grant, and nothing else."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogues.enums import InvitationStatus, WorkshopFormat, WorkshopStatus
from dialogues.models import Invitation, Workshop, WorkshopSeries
from dialogues.scheduling.services.numbering import lock_series
from dialogues.scheduling.services.workshops import _add_workshop
from participants.models import Person
from participants.selectors import is_cut_off
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.permissions import grant

NOBODY = gettext_lazy(
    "Tick at least one person who attended. If nobody came, the workshop did not take place: cancel it."
)


def why_not_attendee(*, person: Person, dialogue_id: int) -> str | None:
    """Why a person cannot be recorded as attending the dialogue's workshops, or None: only a current member
    who is not cut off (the record opens the workshop to them)."""
    membership = person.memberships.filter(dialogue_id=dialogue_id, left_on__isnull=True).first()
    if membership is None:
        # No pseudonym here, and the one of another dialogue must not show (decision 0026).
        return _("This person is not a member of this dialogue, so cannot be recorded as attending.")
    if Person.objects.filter(pk=person.pk).filter(is_cut_off()).exists():
        return _("%(pseudonym)s is cut off. A convenor must restore their access on the roster first.") % {
            "pseudonym": membership.pseudonym
        }
    return None


def _check_attendees(*, attended, dialogue_id: int, known: set[int]) -> None:
    """Every refusal at once, next to the form's list of people; people already invited are known."""
    if not attended:
        raise ValidationError({"attended": NOBODY})
    refusals = [
        refusal
        for person in attended
        if person.pk not in known and (refusal := why_not_attendee(person=person, dialogue_id=dialogue_id))
    ]
    if refusals:
        raise ValidationError({"attended": refusals})


def _record_attendee(*, workshop: Workshop, person: Person, by: User) -> Invitation:
    """A person who was in the room without an invitation in Trackii: their row says attended."""
    invitation = Invitation.objects.create(workshop=workshop, person=person, status=InvitationStatus.ATTENDED)
    if person.user_id:
        grant("dialogues.view_workshop", person.user, workshop)
    record_event(
        actor=by,
        action=Action.ATTENDANCE_RECORDED,
        target=invitation,
        detail={"from": None, "to": InvitationStatus.ATTENDED.value, "person": person.pk},
    )
    return invitation


@transaction.atomic
def mark_workshop_held(*, workshop: Workshop, attended, by: User, now: dt.datetime | None = None) -> Workshop:
    """Mark a workshop that has ended as held, with who attended: each person ticked attended (invited or
    not, a current member of the dialogue), everyone else invited absent, except that someone who declined
    and was not ticked stays declined. On a held workshop it corrects the attendance. Nobody is e-mailed.
    Safe to repeat: the same attendance again writes nothing."""
    now = now or timezone.now()
    lock_series(series_id=workshop.series_id)  # held fixes its number (decision 0018)
    workshop = Workshop.objects.select_for_update().select_related("series").get(pk=workshop.pk)
    if workshop.status == WorkshopStatus.CANCELLED:
        raise ValidationError(_("This workshop is cancelled; it cannot be marked as held."))
    if workshop.status == WorkshopStatus.DRAFT:
        raise ValidationError(_("This workshop is a draft: nobody was invited to it. Publish it first."))
    if workshop.ends_at > now:
        raise ValidationError(_("This workshop has not ended yet. Mark it as held once it is over."))
    invitations = {i.person_id: i for i in Invitation.objects.select_for_update().filter(workshop=workshop)}
    attended = list({person.pk: person for person in attended}.values())
    _check_attendees(attended=attended, dialogue_id=workshop.series.dialogue_id, known=set(invitations))
    present = {person.pk for person in attended}
    counts = {"attended": len(present), "absent": 0}
    for person_id, invitation in invitations.items():
        if person_id in present:
            status = InvitationStatus.ATTENDED
        elif invitation.status == InvitationStatus.DECLINED:
            continue
        else:
            status = InvitationStatus.ABSENT
            counts["absent"] += 1
        if invitation.status != status:
            previous = invitation.status
            invitation.status = status
            invitation.save(update_fields=["status"])
            record_event(
                actor=by,
                action=Action.ATTENDANCE_RECORDED,
                target=invitation,
                detail={"from": previous, "to": status.value},
            )
    for person in attended:
        if person.pk not in invitations:
            _record_attendee(workshop=workshop, person=person, by=by)
    if workshop.status != WorkshopStatus.HELD:
        previous = workshop.status
        workshop.status = WorkshopStatus.HELD
        workshop.save(update_fields=["status"])
        record_event(
            actor=by, action=Action.WORKSHOP_HELD, target=workshop, detail={"from": previous, **counts}
        )
    return workshop


@transaction.atomic
def record_held_workshop(
    *,
    series: WorkshopSeries,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    attended,
    by: User,
    venue: str | None = None,
    format: str = WorkshopFormat.IN_PERSON,
    title: str = "",
    now: dt.datetime | None = None,
) -> Workshop:
    """Record a workshop that already took place (before Trackii was used, say): it is created held, with
    an invitation marked attended for each person who came, and nobody is e-mailed. It takes its
    number by its date among the workshops nobody was told of yet (decision 0018). Naive times are read in
    the venue's time zone."""
    now = now or timezone.now()
    attended = list({person.pk: person for person in attended}.values())
    _check_attendees(attended=attended, dialogue_id=series.dialogue_id, known=set())
    workshop = _add_workshop(
        series=series,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone_name=timezone_name,
        venue=venue,
        format=format,
        title=title,
        status=WorkshopStatus.HELD,
        now=now,
    )
    if workshop.ends_at > now:
        raise ValidationError(
            {
                "ends_at": "A workshop that already took place has ended: this one ends in the future. "
                "To schedule it, leave “This workshop already took place” unticked."
            }
        )
    record_event(
        actor=by, action=Action.WORKSHOP_RECORDED, target=workshop, detail={"attended": len(attended)}
    )
    for person in attended:
        _record_attendee(workshop=workshop, person=person, by=by)
    return workshop
