"""Staff changes that take two administrators: one asks (a StaffRequest), a different one confirms, and only
then does anything change (docs/decisions/0020). Keyword-only, one transaction each; refusals raise
ValidationError in words the administrator can act on."""

import datetime as dt
import secrets

from celery import current_app
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from trackii.accounts import conf
from trackii.accounts.fields import normalise_login
from trackii.accounts.languages import language_of, supported
from trackii.accounts.models import User
from trackii.accounts.services import (
    InvitationUnusable,  # one refusal for every unusable link
    end_all_sessions,
)
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.staff.enums import RequestKind, RequestStatus
from trackii.staff.models import StaffInvitation, StaffRequest
from trackii.staff.requests.selectors import (
    invitation_link,
    invitation_token,
    open_invitation,
    staff_roles_of,
    token_hash,
)
from trackii.staff.roles import GROUPS, Role, is_administrator
from trackii.staff.selectors import other_administrators

REQUEST_LIFETIME = dt.timedelta(days=7)
REASON_MAX = 1000
INVITATION_SUBJECT = gettext_noop("Your Trackii invitation")  # neutral, like every login invitation's
INVITATION_TASK = "trackii.staff.send_staff_invitation_email"

SUPERUSER_REFUSAL = gettext_lazy(
    "This account is a superuser. Superuser status is set only from the command line, and nothing about a "
    "superuser's account is changed from these pages."
)
LAST_ADMINISTRATOR_REFUSAL = gettext_lazy(
    "This is the last administrator. Grant the administrator role to someone else first, so that someone "
    "can still administer Trackii."
)

ALREADY = {
    Role.AUDITOR: gettext_lazy("This account is already an auditor."),
    Role.ADMINISTRATOR: gettext_lazy("This account is already an administrator."),
}
NOT_ONE = {
    Role.AUDITOR: gettext_lazy("This account is not an auditor."),
    Role.ADMINISTRATOR: gettext_lazy("This account is not an administrator."),
}


def _require_administrator(by: User) -> None:
    if not is_administrator(by):
        raise ValidationError(_("Only an administrator can do this."))


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Say why: the second administrator and the auditors read it.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(limit)s characters.") % {"limit": REASON_MAX}}
        )
    return reason


def _role(role: str) -> Role:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose auditor or administrator.")})
    return Role(role)


def _check_account(account: User, *, kind: str) -> None:
    if account.is_superuser:
        raise ValidationError(SUPERUSER_REFUSAL)
    # Removing a role from a disabled account is how a rogue administrator is cut off for good: asking
    # that it be enabled first would hand them the role back until a second administrator confirmed.
    if not account.is_active and kind != RequestKind.REMOVE_ROLE:
        raise ValidationError(_("This account is disabled. Enable it before changing its staff roles."))


def _check_change(*, kind: str, role: str, account: User) -> None:
    """The rules a change must meet when it is asked for and again when it is confirmed."""
    _check_account(account, kind=kind)
    held = staff_roles_of(user=account)
    if kind == RequestKind.GRANT_ROLE and role in held:
        raise ValidationError({"role": ALREADY[role]})
    if kind == RequestKind.REMOVE_ROLE:
        if role not in held:
            raise ValidationError({"role": NOT_ONE[role]})
        if role == Role.ADMINISTRATOR and not other_administrators(user=account).exists():
            raise ValidationError(LAST_ADMINISTRATOR_REFUSAL)
    if kind == RequestKind.RESET_SECOND_FACTOR:
        from allauth.mfa.models import Authenticator

        if not Authenticator.objects.filter(user=account).exists():
            raise ValidationError(_("This account has no second factor to reset."))


def _expire_stale(now) -> None:
    """Housekeeping, not an act: pending requests past their time are marked expired (and their
    invitations withdrawn), so the same change may be asked for again."""
    stale = StaffRequest.objects.filter(status=RequestStatus.PENDING, expires_at__lte=now)
    StaffInvitation.objects.filter(request__in=stale, revoked_at__isnull=True, used_at__isnull=True).update(
        revoked_at=now
    )
    stale.update(status=RequestStatus.EXPIRED)
    # A confirmed invitation whose link ran out frees its address too.
    StaffInvitation.objects.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now).update(
        revoked_at=now
    )


@transaction.atomic
def invite_staff(*, email: str, role: str, reason: str = "", language: str = "", by: User) -> StaffRequest:
    """Ask to invite a new member of staff. Nothing is sent yet: the link is e-mailed once a second
    administrator confirms (`confirm_request`)."""
    _require_administrator(by)
    role = _role(role)
    reason = _reason(reason, required=False)
    email = normalise_login(email or "")
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter an e-mail address such as name@example.org.")}) from None
    if User.objects.filter(email=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "A login with this address already exists. Ask for the role on that account instead."
                )
            }
        )
    now = timezone.now()
    _expire_stale(now)
    invitation = StaffInvitation(
        email=email, nonce=secrets.token_hex(32), created_at=now, language=supported(language) or ""
    )
    invitation.token_hash = token_hash(token=invitation_token(invitation=invitation))
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError(
            {"email": _("An invitation to this address is already open. Cancel it first, or let it expire.")}
        ) from None
    staff_request = StaffRequest.objects.create(
        kind=RequestKind.INVITE,
        role=role,
        invitation=invitation,
        requested_by=by,
        reason=reason,
        created_at=now,
        expires_at=now + REQUEST_LIFETIME,
    )
    record_event(
        actor=by, action=Action.STAFF_INVITATION_REQUESTED, target=staff_request, detail={"role": str(role)}
    )
    return staff_request


@transaction.atomic
def request_change(*, account: User, kind: str, role: str = "", reason: str = "", by: User) -> StaffRequest:
    """Ask for a staff role to be granted or removed, or a second factor reset, on an existing account. It
    takes effect only when a different administrator confirms it."""
    _require_administrator(by)
    if kind not in (RequestKind.GRANT_ROLE, RequestKind.REMOVE_ROLE, RequestKind.RESET_SECOND_FACTOR):
        raise ValidationError({"kind": _("Choose what should change.")})
    account = User.objects.select_for_update().get(pk=account.pk)
    resetting = kind == RequestKind.RESET_SECOND_FACTOR
    role = "" if resetting else _role(role)
    reason = _reason(reason, required=resetting)
    _check_change(kind=kind, role=role, account=account)
    now = timezone.now()
    _expire_stale(now)
    if StaffRequest.objects.filter(
        account=account, kind=kind, role=role, status=RequestStatus.PENDING
    ).exists():
        raise ValidationError(_("The same change is already waiting for a second administrator."))
    staff_request = StaffRequest.objects.create(
        kind=kind,
        role=role,
        account=account,
        requested_by=by,
        reason=reason,
        created_at=now,
        expires_at=now + REQUEST_LIFETIME,
    )
    action = Action.SECOND_FACTOR_RESET_REQUESTED if resetting else Action.STAFF_ROLE_REQUESTED
    record_event(
        actor=by,
        action=action,
        target=staff_request,
        detail={"kind": str(kind), "role": str(role), "account": account.pk},
    )
    return staff_request


def _pending(staff_request: StaffRequest) -> StaffRequest:
    staff_request = StaffRequest.objects.select_for_update().get(pk=staff_request.pk)
    if staff_request.status != RequestStatus.PENDING:
        raise ValidationError(
            _("This request is no longer waiting: it was %(status)s.")
            % {"status": staff_request.get_status_display().lower()}
        )
    if not staff_request.is_pending():
        raise ValidationError(_("This request has expired. Ask for the change again if it is still needed."))
    return staff_request


def _check_second_administrator(staff_request: StaffRequest, by: User) -> None:
    _require_administrator(by)
    if staff_request.requested_by_id == by.pk:
        raise ValidationError(
            _("You asked for this change: a different administrator must confirm or decline it.")
        )
    if staff_request.account_id == by.pk:
        raise ValidationError(
            _("This change is to your own account: a different administrator must decide it.")
        )


@transaction.atomic
def confirm_request(*, staff_request: StaffRequest, by: User, base_url: str) -> StaffRequest:
    """The second administrator's yes, and the change itself, together or not at all."""
    staff_request = _pending(staff_request)
    _check_second_administrator(staff_request, by)
    if staff_request.kind != RequestKind.INVITE:
        # The administrators' group row, as disable_login takes it first: two changes that each leave one
        # administrator (two confirmations removing each other's role, or one and a disabling) run one after
        # the other, so the second sees the first and the last administrator always stays.
        Group.objects.select_for_update().filter(name=GROUPS[Role.ADMINISTRATOR]).first()
        account = User.objects.select_for_update().get(pk=staff_request.account_id)
        _check_change(kind=staff_request.kind, role=staff_request.role, account=account)
    now = timezone.now()
    staff_request.status, staff_request.decided_by, staff_request.decided_at = (
        RequestStatus.CONFIRMED,
        by,
        now,
    )
    staff_request.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor=by,
        action=Action.STAFF_REQUEST_CONFIRMED,
        target=staff_request,
        detail={"kind": staff_request.kind},
    )
    if staff_request.kind == RequestKind.INVITE:
        _issue_link(staff_request=staff_request, now=now, base_url=base_url)
    elif staff_request.kind == RequestKind.GRANT_ROLE:
        _grant_role(account=account, role=staff_request.role, staff_request=staff_request, by=by)
    elif staff_request.kind == RequestKind.REMOVE_ROLE:
        _remove_role(account=account, role=staff_request.role, staff_request=staff_request, by=by)
    else:
        _reset_second_factor(account=account, staff_request=staff_request, by=by)
    return staff_request


def _issue_link(*, staff_request: StaffRequest, now, base_url: str) -> None:
    invitation = StaffInvitation.objects.select_for_update().get(pk=staff_request.invitation_id)
    invitation.expires_at = now + conf.invitation_lifetime()
    invitation.save(update_fields=["expires_at"])
    transaction.on_commit(lambda: current_app.send_task(INVITATION_TASK, args=[invitation.pk, base_url]))


def _set_role(*, account: User, role: str) -> None:
    account.groups.add(Group.objects.get_or_create(name=GROUPS[Role(role)])[0])
    if not account.is_staff:
        account.is_staff = True
        account.save(update_fields=["is_staff"])


def _grant_role(*, account: User, role: str, staff_request: StaffRequest, by: User) -> None:
    _set_role(account=account, role=role)
    record_event(
        actor=by,
        action=Action.STAFF_ROLE_GRANTED,
        target=account,
        detail={"role": role, "request": staff_request.pk},
    )
    # The second-factor requirement is decided once per login: a fresh login asks this account to enrol.
    end_all_sessions(user=account, by=by)


def _remove_role(*, account: User, role: str, staff_request: StaffRequest, by: User) -> None:
    account.groups.remove(*Group.objects.filter(name=GROUPS[Role(role)]))
    if not staff_roles_of(user=account) and account.is_staff:
        account.is_staff = False
        account.save(update_fields=["is_staff"])
    record_event(
        actor=by,
        action=Action.STAFF_ROLE_REMOVED,
        target=account,
        detail={"role": role, "request": staff_request.pk},
    )
    end_all_sessions(user=account, by=by)


def _reset_second_factor(*, account: User, staff_request: StaffRequest, by: User) -> None:
    from allauth.mfa.models import Authenticator

    removed, _ = Authenticator.objects.filter(user=account).delete()
    record_event(
        actor=by,
        action=Action.SECOND_FACTOR_RESET,
        target=account,
        detail={"removed": removed, "request": staff_request.pk},
    )
    end_all_sessions(user=account, by=by)


def _withdraw_invitation(staff_request: StaffRequest, now) -> None:
    if staff_request.invitation_id:
        StaffInvitation.objects.filter(
            pk=staff_request.invitation_id, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)


def _close(staff_request: StaffRequest, *, status: str, action: Action, by: User) -> StaffRequest:
    """A request that will not be carried out: its status, the invitation it carried withdrawn, one row."""
    now = timezone.now()
    staff_request.status, staff_request.decided_by, staff_request.decided_at = status, by, now
    staff_request.save(update_fields=["status", "decided_by", "decided_at"])
    _withdraw_invitation(staff_request, now)
    record_event(actor=by, action=action, target=staff_request, detail={"kind": staff_request.kind})
    return staff_request


@transaction.atomic
def decline_request(*, staff_request: StaffRequest, by: User) -> StaffRequest:
    staff_request = _pending(staff_request)
    _check_second_administrator(staff_request, by)
    return _close(staff_request, status=RequestStatus.DECLINED, action=Action.STAFF_REQUEST_DECLINED, by=by)


@transaction.atomic
def cancel_request(*, staff_request: StaffRequest, by: User) -> StaffRequest:
    staff_request = _pending(staff_request)
    if staff_request.requested_by_id != by.pk:
        raise ValidationError(
            _("Only the administrator who asked for this change can cancel it. You may decline it.")
        )
    return _close(staff_request, status=RequestStatus.CANCELLED, action=Action.STAFF_REQUEST_CANCELLED, by=by)


def send_staff_invitation(*, invitation_id: int, base_url: str) -> bool:
    """E-mail the link if the invitation is open and not yet sent, and record that it went (the system's
    row: a task sends it). Returns whether a mail went out."""
    invitation = StaffInvitation.objects.filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open() or invitation.sent_at is not None:
        return False
    link = invitation_link(invitation=invitation, base_url=base_url)
    # In the language the inviting administrator chose for the invitee (language_of: else Trackii's default).
    with translation.override(language_of(None, spoken=[invitation.language])):
        context = {"link": link, "expires_at": invitation.expires_at}
        body = render_to_string("staff/email/invitation.txt", context)
        send_mail(_(INVITATION_SUBJECT), body, None, [invitation.email])
    with transaction.atomic():
        if StaffInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        ):
            record_event(actor=None, action=Action.STAFF_INVITATION_SENT, target=invitation)
    return True


@transaction.atomic
def accept_staff_invitation(*, token: str, password: str) -> User:
    """Turn a confirmed staff invitation into a login holding its role: the account, the role, the link
    used up and the audit row, together or not at all. The second factor is asked for at the login that
    follows (trackii.accounts.middleware.RequireMFAMiddleware: staff must enrol)."""
    found = open_invitation(token=token)
    if found is None:
        raise InvitationUnusable
    invitation = StaffInvitation.objects.select_for_update().get(pk=found.pk)
    staff_request = StaffRequest.objects.get(invitation=invitation)
    if not invitation.is_open() or staff_request.status != RequestStatus.CONFIRMED:
        raise InvitationUnusable
    user = User(email=invitation.email, is_staff=True, language=invitation.language)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise InvitationUnusable from None  # a login with this address appeared meanwhile
    _set_role(account=user, role=staff_request.role)
    invitation.used_at, invitation.account = timezone.now(), user
    invitation.save(update_fields=["used_at", "account"])
    StaffRequest.objects.filter(pk=staff_request.pk).update(account=user)
    record_event(
        actor=user,
        action=Action.STAFF_INVITATION_ACCEPTED,
        target=user,
        detail={"role": staff_request.role, "request": staff_request.pk},
    )
    return user
