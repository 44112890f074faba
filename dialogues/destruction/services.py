"""Destroying a concluded dialogue (issue 23, docs/decisions/0027). One convenor asks, with a reason; a
different convenor confirms, and `destroy_dialogue` crypto-shreds it: its data key is destroyed, so every
value encrypted under it (names, notes, venues, summaries, comments, PDFs) is unreadable, in the database and
in every backup. Either convenor may withdraw a request not yet confirmed. The retention setting destroys a
concluded dialogue by itself after `TRACKII_DESTROY_AFTER_MONTHS`, with a notice to its convenors 30 days
ahead.
Keyword-only, one transaction each, safe to repeat."""

import datetime as dt
import logging

from celery import current_app
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dialogues.destruction import selectors
from dialogues.enums import DialogueStatus
from dialogues.models import (
    Dialogue,
    DialogueDestruction,
    Notification,
    Outcome,
    RetentionNotice,
    Side,
    Summary,
)
from dialogues.summaries.documents import SEAL_KIND as SUMMARY_SEAL_KIND
from trackii.accounts.languages import language_of
from trackii.accounts.models import AccountInvitation, User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.datakeys import destroy_data_key
from trackii.inputs import plain_text
from trackii.sealing.enums import SealJobState
from trackii.sealing.models import SealJob

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 1000
TELL_TASK = "dialogues.tell_convenors_of_destruction"
DESTROYED_SUBJECT = gettext_noop("A dialogue was destroyed in Trackii")
NOTICE_SUBJECT = gettext_noop("A dialogue will be destroyed in Trackii")
RETENTION_REASON = "retention: %(months)d months after conclusion"


def check_reason(reason: str) -> str:
    """The rule for a destruction's reason: required, plain text, short. The form asks it too."""
    try:
        text = plain_text(reason or "")
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    if not text:
        raise ValidationError(
            {"reason": _("Say why the dialogue is destroyed, in a sentence or two, without names.")}
        )
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX_LENGTH}}
        )
    return text


def _check_destroyable(dialogue: Dialogue) -> None:
    if DialogueDestruction.objects.filter(dialogue=dialogue, destroyed_at__isnull=False).exists():
        raise ValidationError(_("This dialogue is already destroyed."))
    if dialogue.status != DialogueStatus.CONCLUDED:
        raise ValidationError(
            _("Only a concluded dialogue can be destroyed. Conclude it first, from its dashboard.")
        )


def _check_convenor(dialogue: Dialogue, by: User) -> None:
    if not selectors.convenes(user=by, dialogue=dialogue):
        raise ValidationError(_("Only a convenor of this dialogue can do this."))


@transaction.atomic
def request_destruction(*, dialogue: Dialogue, reason: str, by: User) -> DialogueDestruction:
    """Ask for the dialogue's destruction. Nothing is destroyed until a different convenor confirms. Asking
    while a request is open changes nothing and returns it."""
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    reason = check_reason(reason)
    _check_destroyable(dialogue)
    _check_convenor(dialogue, by)
    current = selectors.current_destruction(dialogue=dialogue)
    if current is not None:
        return current
    if len(selectors.convenor_logins(dialogue=dialogue)) < 2:  # two people: the point of it
        raise ValidationError(
            _(
                "A second convenor must confirm a destruction, and this dialogue has only one convenor who "
                "can sign in. Add a second convenor on the roster first."
            )
        )
    destruction = DialogueDestruction.objects.create(dialogue=dialogue, requested_by=by, reason=reason)
    record_event(actor=by, action=Action.DIALOGUE_DESTRUCTION_REQUESTED, target=destruction)
    return destruction


def _open(destruction: DialogueDestruction) -> DialogueDestruction:
    destruction = DialogueDestruction.objects.select_for_update().get(pk=destruction.pk)
    if destruction.destroyed_at is not None:
        raise ValidationError(_("This dialogue is already destroyed."))
    if destruction.withdrawn_at is not None:
        raise ValidationError(_("This request was withdrawn. A convenor may ask again."))
    return destruction


def _lock_dialogue(destruction: DialogueDestruction) -> Dialogue:
    """The dialogue first, then its destruction (`_open`, `destroy_dialogue`): the order every service here
    takes them in, so that a confirmation and the retention run never wait on each other."""
    return Dialogue.objects.select_for_update().get(pk=destruction.dialogue_id)


@transaction.atomic
def withdraw_destruction(*, destruction: DialogueDestruction, by: User) -> DialogueDestruction:
    """Either convenor withdraws a request not yet confirmed; it stays on the page as withdrawn."""
    dialogue = _lock_dialogue(destruction)
    destruction = _open(destruction)
    _check_convenor(dialogue, by)
    destruction.withdrawn_at, destruction.withdrawn_by = timezone.now(), by
    destruction.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record_event(actor=by, action=Action.DIALOGUE_DESTRUCTION_WITHDRAWN, target=destruction)
    return destruction


@transaction.atomic
def confirm_destruction(*, destruction: DialogueDestruction, by: User) -> DialogueDestruction:
    """A second convenor, one who held the role before the request was made, confirms: the dialogue is
    destroyed now (`destroy_dialogue`). Everything is checked again here: still concluded, not destroyed
    meanwhile (by the retention setting), still open, still a convenor."""
    dialogue = _lock_dialogue(destruction)
    _check_destroyable(dialogue)
    destruction = _open(destruction)
    _check_convenor(dialogue, by)
    if destruction.requested_by_id == by.pk:
        raise ValidationError(
            _("You asked for this destruction: a different convenor of the dialogue must confirm it.")
        )
    if not selectors.convenor_before(user=by, dialogue=dialogue, moment=destruction.requested_at):
        # Else one person could meet the rule alone: ask, then make a second account convenor to confirm.
        raise ValidationError(
            _(
                "You became a convenor of this dialogue after this destruction was requested: a convenor "
                "who held the role before the request must confirm it."
            )
        )
    return destroy_dialogue(dialogue=dialogue, destruction=destruction, by=by)


def _neutralise(dialogue: Dialogue) -> None:
    """Set what of the dialogue is still stored as plain text (not under its data key) to neutral
    placeholders: the sides' names and descriptions, the recipients of its
    transfers. Its titles, conflict, ground rules, agendas and outcomes are under its key (decision 0025) and
    go with it. The codename stays: it is the neutral name."""
    sides = list(Side.objects.filter(dialogue=dialogue).order_by("pk").values_list("pk", flat=True))
    # Names are unique per dialogue: a temporary name first, so "Side 2" never meets a side already so called.
    for pk in sides:
        Side.objects.filter(pk=pk).update(name=f"~{pk}", description="")
    for n, pk in enumerate(sides, start=1):
        Side.objects.filter(pk=pk).update(name=f"Side {n}")
    outcomes = Outcome.objects.filter(dialogue=dialogue)
    outcomes.exclude(transfer_to="").update(transfer_to="—")  # a transfer names a recipient (a constraint)


def _end_pending(dialogue: Dialogue, now: dt.datetime) -> dict:
    """What was waiting to go out with the dialogue's content: unsent e-mails, seal jobs not finished, open
    links to set up a login that the dialogue sent."""
    dropped, _rows = Notification.objects.filter(
        workshop__series__dialogue=dialogue, sent_at__isnull=True
    ).delete()
    summaries = Summary.objects.filter(workshop__series__dialogue=dialogue).values("pk")
    seal_jobs = (
        SealJob.objects.filter(kind=SUMMARY_SEAL_KIND, object_id__in=summaries)
        .exclude(state__in=[SealJobState.DONE, SealJobState.FAILED])
        .update(state=SealJobState.FAILED, finished_at=now, error="The dialogue was destroyed.")
    )
    links = AccountInvitation.objects.filter(
        dialogue=dialogue, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    return {"notifications_dropped": dropped, "seal_jobs_ended": seal_jobs, "login_links_withdrawn": links}


@transaction.atomic
def destroy_dialogue(
    *, dialogue: Dialogue, destruction: DialogueDestruction, by: User | None
) -> DialogueDestruction:
    """Crypto-shred the dialogue, in one transaction: neutral placeholders for its plain-text fields, what was
    waiting to go out ended, its data key destroyed (its keystore file goes when this commits), the
    destruction recorded with ids only, and its convenors told by e-mail once it has committed. `by` is the
    confirming convenor, or None for the retention setting."""
    destruction = DialogueDestruction.objects.select_for_update().get(pk=destruction.pk)
    if destruction.destroyed_at is not None:
        return destruction
    if selectors.keys_its_values_are_under(dialogue=dialogue) - {dialogue.data_key_id}:
        raise ValidationError(
            _(
                "This dialogue's values are not all under its own key: the database was changed outside "
                "Trackii. Nothing was destroyed; an administrator must check the database first."
            )
        )
    now = timezone.now()
    _neutralise(dialogue)
    ended = _end_pending(dialogue, now)
    if dialogue.data_key_id:  # every dialogue has one since issue 23; its keystore file goes at commit
        destroy_data_key(dialogue.data_key_id)
    destruction.destroyed_at, destruction.confirmed_by = now, by
    destruction.save(update_fields=["destroyed_at", "confirmed_by"])
    record_event(
        actor=by,
        action=Action.DIALOGUE_DESTROYED,
        target=destruction,
        detail={"dialogue": dialogue.pk, "destruction": destruction.pk, **ended},
    )
    transaction.on_commit(lambda: current_app.send_task(TELL_TASK, args=[destruction.pk]))
    return destruction


def _write(users: list[User], *, subject: str, template: str, context: dict) -> int:
    """One e-mail per login, each in its own language. Only the codename and dates: nothing else of the
    dialogue is readable any more, and an e-mail is no place for it anyway."""
    sent = 0
    for user in users:
        with translation.override(language_of(user)):
            body = render_to_string(template, context)
            send_mail(_(subject), body, None, [user.email])
        sent += 1
    return sent


def tell_convenors_of_destruction(*, destruction_id: int) -> int:
    """E-mail the destroyed dialogue's convenors, once (a task after the destruction commits; safe to run
    twice). Returns how many were written to."""
    with transaction.atomic():
        destruction = (
            DialogueDestruction.objects.select_for_update()
            .select_related("dialogue")
            .filter(pk=destruction_id, destroyed_at__isnull=False, told_at__isnull=True)
            .first()
        )
        if destruction is None:
            return 0
        destruction.told_at = timezone.now()
        destruction.save(update_fields=["told_at"])
    dialogue = destruction.dialogue
    return _write(
        selectors.convenor_logins(dialogue=dialogue),
        subject=DESTROYED_SUBJECT,
        template="dialogues/destruction/email/destroyed.txt",
        context={"codename": dialogue.codename, "destroyed_at": destruction.destroyed_at},
    )


def send_retention_notice(*, dialogue: Dialogue, destroy_on: dt.date) -> RetentionNotice | None:
    """Tell the convenors, once, that the retention setting destroys the dialogue on `destroy_on`. The notice
    and its audit row are committed first, then the e-mails go: a mail server that fails raises here but
    cannot undo the notice, whose date the dialogue's pages show. None if a notice was sent before."""
    with transaction.atomic():
        dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
        if RetentionNotice.objects.filter(dialogue=dialogue).exists():
            return None
        notice = RetentionNotice.objects.create(dialogue=dialogue, destroy_on=destroy_on)
        convenors = selectors.convenor_logins(dialogue=dialogue)
        record_event(
            actor=None,
            action=Action.DIALOGUE_DESTRUCTION_NOTICE_SENT,
            target=notice,
            detail={"destroy_on": destroy_on.isoformat(), "convenors": len(convenors)},
        )
    _write(
        convenors,
        subject=NOTICE_SUBJECT,
        template="dialogues/destruction/email/notice.txt",
        context={"codename": dialogue.codename, "destroy_on": destroy_on},
    )
    return notice


@transaction.atomic
def destroy_by_retention(*, dialogue: Dialogue) -> DialogueDestruction:
    """The retention setting's destruction: an open request by a convenor is taken over, else one is made."""
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    reason = RETENTION_REASON % {"months": selectors.retention_months() or 0}
    destruction = selectors.current_destruction(dialogue=dialogue)
    if destruction is not None and destruction.destroyed_at is not None:
        return destruction
    if destruction is not None:
        destruction.withdrawn_at = timezone.now()  # superseded by the retention's own destruction
        destruction.save(update_fields=["withdrawn_at"])
    destruction = DialogueDestruction.objects.create(dialogue=dialogue, requested_by=None, reason=reason)
    return destroy_dialogue(dialogue=dialogue, destruction=destruction, by=None)


def apply_destruction_retention(*, today: dt.date | None = None) -> dict:
    """The daily run (beat): the notices that are due, then the destructions whose day has come. Each
    dialogue on its own, in a transaction of its own: one that fails (a mail server down, a key store that
    cannot be written) is logged and counted in `failed`, and the run goes on with the next. A notice whose
    e-mails failed stays sent (its date stands, on the dialogue's pages); a destruction that failed was
    rolled back and is tried again the next day. Nothing when TRACKII_DESTROY_AFTER_MONTHS is not set."""
    today = today or timezone.localdate()
    due_notice, due_destroy = selectors.due_for_retention(today=today)
    counts = {"notices": 0, "destroyed": 0, "failed": 0}
    for dialogue in due_notice:
        # Never fewer than NOTICE_DAYS' notice, even where the setting was turned on late.
        destroy_on = max(
            selectors.scheduled_destruction(dialogue=dialogue),
            today + dt.timedelta(days=selectors.NOTICE_DAYS),
        )
        try:
            counts["notices"] += send_retention_notice(dialogue=dialogue, destroy_on=destroy_on) is not None
        except Exception:
            logger.exception("Retention notice of dialogue %s failed; the run goes on", dialogue.pk)
            counts["failed"] += 1
    for dialogue in due_destroy:
        try:
            destroy_by_retention(dialogue=dialogue)
        except Exception:
            logger.exception("Retention destruction of dialogue %s failed; tried again tomorrow", dialogue.pk)
            counts["failed"] += 1
        else:
            counts["destroyed"] += 1
    return counts
