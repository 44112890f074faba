"""Accounts: invitations, onboarding, sessions and disabling. Keyword-only, one transaction each, safe to
repeat; refusals raise ValidationError with words the person can act on."""

import datetime as dt
import secrets

from celery import current_app
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trackii.accounts import conf
from trackii.accounts.languages import supported, writing_to
from trackii.accounts.models import AccountInvitation, User
from trackii.accounts.selectors import invitation_link, invitation_token, open_invitation, token_hash
from trackii.audit.enums import Action, Outcome
from trackii.audit.services import record_event
from trackii.hooks import domain

# Neutral on purpose: a subject line is seen by anyone who glances at an inbox or a mail server's logs.
INVITATION_SUBJECT = gettext_lazy("Your Trackii invitation")
# Queued by name, so this module does not import the task that calls it (tasks are leaves).
INVITATION_TASK = "trackii.accounts.send_invitation_email"
# A link carried by another e-mail is reused while it has this much time left, so a person invited to two
# workshops in a week gets the same link twice rather than one that the second e-mail kills.
REUSE_MARGIN = dt.timedelta(days=2)


class InvitationUnusable(Exception):
    """The link is expired, used, withdrawn or was never valid. Callers answer all four alike."""


def _in_dialogue(person, dialogue) -> bool:
    return domain().people_of_dialogue(dialogue=dialogue).filter(pk=person.pk).exists()


def _refuse_invitation(*, dialogue, person) -> None:
    """The rules every link to set up a login obeys, whichever e-mail carries it."""
    if person.user_id:
        raise ValidationError(_("This person already has a login."))
    if not person.email:
        raise ValidationError(_("There is no e-mail address on file for this person. Add one first."))
    if not _in_dialogue(person, dialogue):
        raise ValidationError(_("Only people who belong to this dialogue can be invited from here."))
    if domain().people_cut_off().filter(pk=person.pk).exists():
        raise ValidationError(
            _(
                "This person's access is cut off. A convenor must restore it on the roster before they can "
                "be invited."
            )
        )
    if User.objects.filter(email__iexact=person.email.strip()).exists():
        raise ValidationError(
            _("A login with this person's e-mail address already exists. Ask an administrator to link it.")
        )


def _issue_invitation(*, dialogue, person, by: User, **detail) -> AccountInvitation:
    now = timezone.now()
    # A new link replaces this dialogue's earlier one; another dialogue's invitation is left alone (a convenor
    # here must not learn of it, nor cancel it).
    AccountInvitation.objects.filter(
        person=person, dialogue=dialogue, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = AccountInvitation(
        person=person,
        dialogue=dialogue,
        nonce=secrets.token_hex(32),
        invited_by=by,
        created_at=now,
        expires_at=now + conf.invitation_lifetime(),
    )
    invitation.token_hash = token_hash(token=invitation_token(invitation=invitation))
    invitation.save()
    record_event(actor=by, action=Action.ACCOUNT_INVITED, target=invitation, detail=detail or None)
    return invitation


@transaction.atomic
def invite_person(*, dialogue, person, by: User, base_url: str) -> AccountInvitation:
    """Send a person of the dialogue a link to set up their login. Inviting them again withdraws the
    earlier link. The e-mail goes out from a Celery task once this transaction has committed."""
    person = type(person).objects.select_for_update().get(pk=person.pk)
    _refuse_invitation(dialogue=dialogue, person=person)
    invitation = _issue_invitation(dialogue=dialogue, person=person, by=by)
    transaction.on_commit(lambda: current_app.send_task(INVITATION_TASK, args=[invitation.pk, base_url]))
    return invitation


@transaction.atomic
def issue_login_link(*, dialogue, person, by: User | None, carried_by: str) -> AccountInvitation:
    """A link to set up a login that another e-mail of the dialogue carries (`carried_by` names that e-mail
    in the audit row), under the same rules as `invite_person` and with no e-mail of its own. The
    dialogue's open link is reused while it has at least `REUSE_MARGIN` left (the person may already hold it
    from an earlier e-mail); otherwise a new one replaces it."""
    person = type(person).objects.select_for_update().get(pk=person.pk)
    _refuse_invitation(dialogue=dialogue, person=person)
    current = AccountInvitation.objects.filter(
        person=person,
        dialogue=dialogue,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now() + REUSE_MARGIN,
    ).first()
    if current is not None:
        return current
    return _issue_invitation(dialogue=dialogue, person=person, by=by, carried_by=carried_by)


@transaction.atomic
def revoke_invitation(*, invitation: AccountInvitation, by: User) -> AccountInvitation:
    invitation = AccountInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is not None:
        return invitation
    if invitation.used_at is not None:
        raise ValidationError(_("This invitation has already been used; the person has a login now."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_event(actor=by, action=Action.ACCOUNT_INVITATION_REVOKED, target=invitation)
    return invitation


def send_invitation(*, invitation_id: int, base_url: str) -> bool:
    """E-mail the link if the invitation is still open and not yet sent, and record that it went (the
    system's row: a task sends it). Returns whether a mail went out. A worker that dies between sending and
    recording sends the same link once more, never a different one."""
    invitation = AccountInvitation.objects.select_related("person").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open() or invitation.sent_at is not None:
        return False
    link = invitation_link(invitation=invitation, base_url=base_url)
    # The person has no login yet: the languages on their record choose the e-mail's.
    with writing_to(None, spoken=invitation.person.languages):
        body = render_to_string(
            "accounts/email/invitation.txt", {"link": link, "expires_at": invitation.expires_at}
        )
        subject = str(INVITATION_SUBJECT)
    send_mail(subject, body, None, [invitation.person.email])
    with transaction.atomic():
        record_invitation_sent(invitation=invitation)
    return True


def record_invitation_sent(*, invitation: AccountInvitation) -> None:
    """Note that a link went out (in `send_invitation`'s own e-mail or in another e-mail that carries it),
    the first time only: the system's row, as a task sends it. Call it inside the sending transaction."""
    if AccountInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    ):
        record_event(actor=None, action=Action.ACCOUNT_INVITATION_SENT, target=invitation)


@transaction.atomic
def accept_invitation(*, token: str, password: str, accept_ground_rules: bool) -> User:
    """Turn an open invitation into a login for its person: the account, its grants, the ground rules
    accepted, the link used up and the audit rows, together or not at all."""
    found = open_invitation(token=token)
    if found is None:
        raise InvitationUnusable
    invitation = (
        AccountInvitation.objects.select_for_update().select_related("person", "dialogue").get(pk=found.pk)
    )
    person = invitation.person
    if not invitation.is_open() or person.user_id or not person.email:
        raise InvitationUnusable
    if domain().people_cut_off().filter(pk=person.pk).exists():
        raise InvitationUnusable  # the cut-off withdrew the link; this holds even if one slipped through
    membership = domain().membership_in(person=person, dialogue=invitation.dialogue)
    if membership is not None and not accept_ground_rules:
        raise ValidationError(
            {"accept_ground_rules": _("Please read and accept the ground rules to continue.")}
        )
    user = User(email=person.email)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise InvitationUnusable from None
    person.user = user
    person.save(update_fields=["user"])
    domain().person_onboarded(person=person, membership=membership)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record_event(actor=user, action=Action.ACCOUNT_CREATED, target=invitation)
    return user


def _end_tracked_sessions(user: User) -> int:
    from allauth.usersessions.models import UserSession

    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def end_all_sessions(*, user: User, by: User) -> User:
    """Log the account out everywhere: every session, tracked or not, fails its next request, and the private
    calendar feed's address stops working (a feed is a login of its own for whoever holds the address)."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    ended = _end_tracked_sessions(user)
    record_event(actor=by, action=Action.SESSIONS_ENDED, target=user, detail={"tracked": ended})
    for calendar_id in domain().end_feeds(user=user):
        record_event(
            actor=by,
            action=Action.FEED_REVOKED,
            target_type="dialogues.personalcalendar",
            target_id=calendar_id,
            detail={"with": str(Action.SESSIONS_ENDED)},
        )
    return user


@transaction.atomic
def record_refused_login(*, user: User) -> None:
    """Audit a login refused after every factor was right, because the person is cut off (the login page
    tells them only that they cannot sign in now)."""
    record_event(actor=user, action=Action.LOGIN_REFUSED, outcome=Outcome.DENIED, target=user)


@transaction.atomic
def disable_account(*, user: User, by: User | None) -> User:
    """Stop an account at once: no new login, and its open sessions fail their next request."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    user.is_active = False
    user.session_epoch = F("session_epoch") + 1
    user.save(update_fields=["is_active", "session_epoch"])
    user.refresh_from_db(fields=["session_epoch"])
    _end_tracked_sessions(user)
    record_event(actor=by, action=Action.ACCOUNT_DISABLED, target=user)
    return user


@transaction.atomic
def choose_language(*, user: User, language: str, by: User) -> User:
    """Keep the interface language a person chose: their pages and the e-mails they are sent use it from now
    on. Choosing the language already kept writes nothing."""
    code = supported(language)
    if code is None:
        raise ValidationError(_("Trackii is not available in that language."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.language == code:
        return user
    user.language = code
    user.save(update_fields=["language"])
    record_event(actor=by, action=Action.LANGUAGE_CHANGED, target=user)
    return user
