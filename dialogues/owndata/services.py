"""A person's own data (issue 23, decision 0028): reading and downloading it (audited), asking for it to be
erased, and a convenor's answer: erase or decline. Keyword-only, one transaction each, safe to repeat.

Erasure reuses the removal pieces: `revoke_role` for every role the person holds (invitations ahead,
unsent e-mails and a dialogue's login links go with it), `end_all_sessions` and `disable_account` for the
login (as a cut-off ends sessions and the calendar feed), `remove_name_form` for the other forms of their
name. What stays, and why, is in the decision: the audit rows (ids and the pseudonym), sealed summaries and
the copies issued (they never named the person)."""

import logging

from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogues.enums import DialogueRole
from dialogues.models import Dialogue, Invitation, Notification, ReviewComment, Unavailability
from dialogues.services import revoke_role
from participants.enums import ErasureOutcome, Proximity, Risk
from participants.models import ErasureRequest, Membership, Person, PersonName
from participants.services import remove_name_form
from trackii.accounts.languages import writing_to
from trackii.accounts.models import AccountInvitation, User
from trackii.accounts.services import disable_account, end_all_sessions, revoke_invitation
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.datakeys import destroy_data_key

log = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 2000
ANSWER_SUBJECT = gettext_lazy("Your request to Trackii about your data")
# Where an erased login's address was: a reserved domain (RFC 2606) that never receives mail.
ERASED_LOGIN = "erased-{pk}@erased.invalid"


def view_own_data(*, person: Person, by: User) -> None:
    """Audit a person reading their own data page (no transaction of its own: one statement)."""
    record_event(actor=by, action=Action.OWN_DATA_VIEWED, target=person)


def export_own_data(*, person: Person, by: User) -> None:
    """Audit a person downloading their own data as JSON, before a byte of it is written."""
    record_event(actor=by, action=Action.OWN_DATA_EXPORTED, target=person, detail={"format": "json"})


def check_text(text: str, *, field: str, required: bool, ask: str) -> str:
    text = (text or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("This text contains a character that cannot be stored (NUL).")})
    if required and not text:
        raise ValidationError({field: ask})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {field: _("Keep it under %(count)d characters.") % {"count": MESSAGE_MAX_LENGTH}}
        )
    return text


@transaction.atomic
def request_erasure(*, person: Person, message: str, by: User) -> ErasureRequest:
    """Ask for the person's data to be erased. A request already waiting is returned as it is (its message
    unchanged): one open request at a time."""
    message = check_text(message, field="message", required=False, ask="")
    person = Person.objects.select_for_update().get(pk=person.pk)
    waiting = ErasureRequest.objects.filter(person=person, outcome="").first()
    if waiting is not None:
        return waiting
    row = ErasureRequest.objects.create(person=person, requested_at=timezone.now(), message=message)
    # Ids only: the message is the person's own words, encrypted on the row.
    record_event(
        actor=by,
        action=Action.ERASURE_REQUESTED,
        target=row,
        detail={"person": person.pseudonym, "with_message": bool(message)},
    )
    return row


@transaction.atomic
def withdraw_erasure_request(*, person: Person, by: User) -> ErasureRequest | None:
    """The person takes back their open request: it is deleted (nothing was done yet). None if none."""
    row = ErasureRequest.objects.select_for_update().filter(person=person, outcome="").first()
    if row is None:
        return None
    pk = row.pk
    row.delete()
    record_event(
        actor=by,
        action=Action.ERASURE_WITHDRAWN,
        target_type="participants.erasurerequest",
        target_id=pk,
        detail={"person": person.pseudonym},
    )
    return row


def _open(erasure_request: ErasureRequest, by: User) -> ErasureRequest | None:
    row = (
        ErasureRequest.objects.select_for_update(of=("self",))
        .select_related("person__user")
        .get(pk=erasure_request.pk)
    )
    if not row.is_open:
        return None
    if row.person.user_id is not None and row.person.user_id == by.pk:
        raise ValidationError(
            _("Someone else answers your own request: another convenor or an administrator.")
        )
    return row


@transaction.atomic
def decline_erasure(*, erasure_request: ErasureRequest, reason: str, by: User) -> ErasureRequest:
    """Decline with a reason the person reads on their data page (and an e-mail telling them to look). An
    answered request is returned unchanged."""
    reason = check_text(
        reason,
        field="reason",
        required=True,
        ask=_("Say why, in words the person understands: they read it on their data page."),
    )
    row = _open(erasure_request, by)
    if row is None:
        return ErasureRequest.objects.get(pk=erasure_request.pk)
    row.outcome, row.decline_reason = ErasureOutcome.DECLINED, reason
    row.handled_by, row.handled_at = by, timezone.now()
    row.save(update_fields=["outcome", "decline_reason", "handled_by", "handled_at"])
    record_event(
        actor=by, action=Action.ERASURE_DECLINED, target=row, detail={"person": row.person.pseudonym}
    )
    _tell_after_commit(row.person, template="dialogues/owndata/email/declined.txt")
    return row


def _tell_after_commit(person: Person, *, template: str, address: str | None = None) -> None:
    """E-mail the person once the transaction commits, from this process. For an erasure the address is
    read before it is destroyed and held only in memory: a queued task would have to carry it through the
    broker, or find nothing left to write to (decision 0028)."""
    user = person.user
    address = address or (user.email if user is not None else person.email)
    if not address:
        return
    with writing_to(user, spoken=person.languages):
        body = render_to_string(template, {"pseudonym": person.pseudonym})
        subject = str(ANSWER_SUBJECT)

    def send() -> None:
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # the answer stands: the page says so; the log says a mail failed, not to whom
            log.exception("The e-mail answering erasure request of %s could not be sent.", person.pseudonym)

    transaction.on_commit(send)


def _end_roles(person: Person, by: User) -> tuple[int, int]:
    """Every membership and facilitation role ends through revoke_role, as a convenor's removal does."""
    memberships = list(
        Membership.objects.filter(person=person, left_on__isnull=True).select_related("dialogue")
    )
    for membership in memberships:
        revoke_role(dialogue=membership.dialogue, person=person, role=membership.role, by=by)
    # A former member left their sealed summaries reads them no longer.
    Membership.objects.filter(person=person, keeps_sealed_summaries=True).update(keeps_sealed_summaries=False)
    roles = list(person.facilitator_roles.select_related("dialogue"))
    for role in roles:
        revoke_role(dialogue=role.dialogue, person=person, role=DialogueRole(role.role), by=by)
    return len(memberships), len(roles)


def _end_login(person: Person, by: User) -> int | None:
    """Sessions and calendar feed end (as a cut-off), the login is disabled, its address replaced by a
    placeholder that receives nothing, its second factors and role groups removed."""
    user = person.user
    if user is None:
        return None
    end_all_sessions(user=user, by=by)
    disable_account(user=user, by=by)
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    User.objects.filter(pk=user.pk).update(language="")
    user.email = ERASED_LOGIN.format(pk=user.pk)
    user.set_unusable_password()
    user.save(update_fields=["email", "password"])
    return user.pk


def _live_dialogues():
    """The dialogues whose data key is not destroyed (decision 0027): only their rows can still be written."""
    return Dialogue.objects.filter(data_key__destroyed_at__isnull=True)


def _clear_person(person: Person) -> None:
    """What the live database holds of the person, overwritten before their key is destroyed (which makes the
    copies in earlier backups unreadable): their name becomes their pseudonym, never an empty name the
    attribution guard could trip on while the key still reads."""
    person.name = person.pseudonym
    person.email = person.phone = person.affiliation = person.notes = None
    person.languages = []
    person.proximity, person.risk = Proximity.OTHER, Risk.NORMAL
    person.save(
        update_fields=["name", "email", "phone", "affiliation", "notes", "languages", "proximity", "risk"]
    )
    # Their own words elsewhere: availability notes, review comments and the notes with their funding
    # answers (the facilitators' responses and the comments' status stay, for the review's history). Sealed
    # summaries never held them. Row by row: each is encrypted under its own dialogue's key, which a bulk
    # update() cannot choose. A destroyed dialogue's rows are left as they are: their words went with its
    # key, and nothing can be written under a destroyed key (KeyDestroyed would undo the whole erasure).
    invitations = Invitation.objects.filter(person=person, workshop__series__dialogue__in=_live_dialogues())
    for invitation in invitations.exclude(availability_note=None):
        invitation.availability_note = None
        invitation.save(update_fields=["availability_note"])
    comments = ReviewComment.objects.filter(
        author=person, summary__workshop__series__dialogue__in=_live_dialogues()
    )
    for comment in comments:
        comment.body = comment.suggested_text = comment.quote = ""
        comment.save(update_fields=["body", "suggested_text", "quote"])
    # Through the membership's reverse accessor: funding stands above dialogues (the layers), so its model
    # is not imported here.
    for membership in (
        Membership.objects.filter(person=person, dialogue__in=_live_dialogues(), funding_note__isnull=False)
        .exclude(funding_note__text=None)
        .select_related("funding_note")
    ):
        note = membership.funding_note
        note.text = None
        note.save(update_fields=["text"])
    Unavailability.objects.filter(person=person).delete()


@transaction.atomic
def erase_person(*, erasure_request: ErasureRequest, by: User) -> ErasureRequest:
    """Answer a request by erasing the person, in one transaction: every role ends, open login links are
    withdrawn and unsent e-mails dropped, the login is disabled with its address replaced, the other forms of
    their name are deleted, what is left of them is overwritten and their data key destroyed. Audit rows,
    sealed summaries and copies stay. An answered request is returned unchanged."""
    row = _open(erasure_request, by)
    if row is None:
        return ErasureRequest.objects.get(pk=erasure_request.pk)
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=row.person_id)
    address = person.user.email if person.user_id else person.email
    languages = list(person.languages or [])
    memberships, roles = _end_roles(person, by)
    for invitation in AccountInvitation.objects.filter(
        person=person, used_at__isnull=True, revoked_at__isnull=True
    ):
        revoke_invitation(invitation=invitation, by=by)
    dropped, _rows = Notification.objects.filter(person=person, sent_at__isnull=True).delete()
    for form in PersonName.objects.filter(person=person).select_related("person"):
        remove_name_form(name_form=form, by=by)
    login = _end_login(person, by)
    _clear_person(person)
    row.outcome, row.message = ErasureOutcome.ERASED, ""
    row.handled_by, row.handled_at = by, timezone.now()
    row.save(update_fields=["outcome", "message", "handled_by", "handled_at"])
    # Last of the writes under the person's key (nothing can be written under it afterwards): from the commit
    # on, what earlier backups hold of them cannot be read either.
    key_id = person.data_key_id
    if key_id:
        destroy_data_key(key_id)
    record_event(
        actor=by,
        action=Action.PERSON_ERASED,
        target=person,
        detail={
            "request": row.pk,
            "person": person.pseudonym,
            "login": login,
            "memberships_ended": memberships,
            "roles_ended": roles,
            "notifications_dropped": dropped,
            "data_key": key_id,
        },
    )
    person.languages = languages  # in memory only: the goodbye is written in their language
    _tell_after_commit(person, template="dialogues/owndata/email/erased.txt", address=address)
    return row
