"""Staff requests: inviting staff, asking for a role change or a second-factor reset, and a second
administrator's confirmation. Administrators act; auditors may read the list; everyone else gets the 404."""

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from trackii.accounts import conf
from trackii.accounts.forms import AcceptInvitationForm
from trackii.accounts.models import User
from trackii.confirmation import Confirmation, ask, confirmed
from trackii.permissions import fetch_or_404, refuse
from trackii.refusals import add_errors, form_status, show_refusal
from trackii.staff.enums import RequestKind
from trackii.staff.models import StaffRequest
from trackii.staff.requests import selectors, services
from trackii.staff.requests.forms import StaffChangeForm, StaffInviteForm
from trackii.staff.roles import GROUPS, Role, is_administrator, is_auditor

# Whole sentences per role, so that each language can make "auditor" and "administrator" agree.
NEW_LOGIN_IS = {
    Role.AUDITOR: gettext_lazy(
        "The new login is an auditor: it reads the whole audit log, client addresses included, and no "
        "dialogue content."
    ),
    Role.ADMINISTRATOR: gettext_lazy(
        "The new login is an administrator: it invites staff, asks for and confirms staff changes, and "
        "manages accounts."
    ),
}
BECOMES = {
    Role.AUDITOR: gettext_lazy(
        "%(subject)s becomes an auditor: it reads the whole audit log, client addresses included, and no "
        "dialogue content."
    ),
    Role.ADMINISTRATOR: gettext_lazy(
        "%(subject)s becomes an administrator: it invites staff, asks for and confirms staff changes, and "
        "manages accounts."
    ),
}
NO_LONGER = {
    Role.AUDITOR: gettext_lazy(
        "%(subject)s is no longer an auditor; with no staff role left, no longer staff."
    ),
    Role.ADMINISTRATOR: gettext_lazy(
        "%(subject)s is no longer an administrator; with no staff role left, no longer staff."
    ),
}


ROLE_UNDO = gettext_lazy(
    "A role can be removed, or granted again, with another request that a second administrator confirms."
)
RESET_FINAL = gettext_lazy(
    "The removed second factors cannot be restored: the person sets up a new authenticator."
)


def _require_administrator(request, attempted: str) -> None:
    if not is_administrator(request.user):
        refuse(request, target_type="staff.staffrequest", attempted=attempted)


def _open_request(request, request_id: int, attempted: str) -> StaffRequest:
    _require_administrator(request, attempted)
    return fetch_or_404(request, StaffRequest.objects.select_related("account", "invitation"), pk=request_id)


def login_label(account: User) -> str:
    """A login as staff pages name it: its number and, when it belongs to a person on file, their pseudonym.
    A staff colleague's address is added, so administrators know whom they confirm; anyone else's never is:
    logins are not listed by address (decision 0013), and asking for a change to a participant's login must
    not become a way of reading the address behind a pseudonym."""
    person = getattr(account, "person", None)
    label = _("Login %(number)s") % {"number": account.pk} + (
        f" · {person.pseudonym}" if person is not None else ""
    )
    return f"{label} ({account.email})" if account.is_staff or account.is_superuser else label


def subject_of(staff_request: StaffRequest, *, addresses: bool) -> str:
    """Whom a request is about: a login by its number and pseudonym; an invitation by the address it goes to,
    for administrators only (there is no login yet to name it by)."""
    if staff_request.account_id:
        return login_label(staff_request.account)
    return staff_request.invitation.email if addresses else _("an invited address")


def _labelled(account: User) -> User:
    account.label = login_label(account)
    return account


def _roles_in_words(account: User) -> str:
    if account.is_superuser:
        return _("Superuser (set from the command line)")
    names = {group.name for group in account.groups.all()}  # prefetched
    words = [role.label.lower() for role, group in GROUPS.items() if group in names]
    return ", ".join(words) + ("" if account.is_active else " · " + _("disabled"))


@login_required
@require_http_methods(["GET", "HEAD"])
def requests_list(request):
    administrator = is_administrator(request.user)
    if not administrator and not is_auditor(request.user):
        refuse(request, target_type="staff.staffrequest", attempted="requests_list")
    rows = []
    for group in (selectors.pending_requests(), selectors.recent_requests()):
        rows.append([(item, subject_of(item, addresses=administrator)) for item in group])
    context = {
        "pending": rows[0],
        "recent": rows[1],
        "administrator": administrator,
        "staff": [(_labelled(account), _roles_in_words(account)) for account in selectors.current_staff()]
        if administrator
        else (),
        "lifetime_days": services.REQUEST_LIFETIME.days,
    }
    return render(request, "staff/requests/list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invite(request):
    _require_administrator(request, "invite")
    form = StaffInviteForm(
        request.POST if request.method == "POST" else None, initial={"language": translation.get_language()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_staff(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The invitation waits for a second administrator. "
                    "The e-mail goes out once they confirm it."
                ),
            )
            return redirect("staff:requests")
    context = {"form": form, "lifetime_days": services.REQUEST_LIFETIME.days}
    return render(request, "staff/requests/invite.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_new(request, account_id: int):
    """Ask for a staff role to be granted or removed, or a second factor reset, on one account."""
    _require_administrator(request, "request_new")
    account = fetch_or_404(request, User.objects.all(), pk=account_id)
    form = StaffChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not account.is_superuser and form.is_valid():
        try:
            services.request_change(account=account, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Asked. A second administrator must confirm it before anything changes.")
            )
            return redirect("staff:requests")
    context = {
        "account": account,
        "account_label": login_label(account),
        "form": form,
        "roles": sorted(selectors.staff_roles_of(user=account)),
        "superuser_refusal": services.SUPERUSER_REFUSAL if account.is_superuser else "",
    }
    status = 400 if request.method == "POST" and account.is_superuser else form_status(form)
    return render(request, "staff/requests/new.html", context, status=status)


def _happens(staff_request: StaffRequest, subject: str) -> list[str]:
    role = Role(staff_request.role) if staff_request.role else None
    words = {"subject": subject}
    ends = _("%(subject)s is logged out everywhere, so their next login follows the new rules.") % words
    if staff_request.kind == RequestKind.INVITE:
        days = conf.invitation_lifetime().days
        return [
            translation.ngettext(
                "Trackii e-mails %(subject)s a link that works once, for %(days)s day.",
                "Trackii e-mails %(subject)s a link that works once, for %(days)s days.",
                days,
            )
            % {**words, "days": days},
            _(
                "Whoever opens it chooses a password, then sets up an authenticator app "
                "before any page opens."
            ),
            str(NEW_LOGIN_IS[role]),
        ]
    if staff_request.kind == RequestKind.GRANT_ROLE:
        return [BECOMES[role] % words, ends]
    if staff_request.kind == RequestKind.REMOVE_ROLE:
        return [NO_LONGER[role] % words, ends]
    return [
        _(
            "Every second factor of %(subject)s is removed: authenticator apps, security keys and recovery "
            "codes."
        )
        % words,
        _("%(subject)s is logged out everywhere and must set up a new authenticator at the next login.")
        % words,
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_confirm(request, request_id: int):
    staff_request = _open_request(request, request_id, "request_confirm")
    if not confirmed(request):
        subject = subject_of(staff_request, addresses=True)
        if not staff_request.is_pending() or staff_request.requested_by_id == request.user.pk:
            show_refusal(
                request, ValidationError(_("Only a different administrator can confirm a waiting request."))
            )
            return redirect("staff:requests")
        reason = staff_request.reason
        return ask(
            request,
            Confirmation(
                title=_("Confirm: %(request)s?") % {"request": staff_request.get_kind_display().lower()},
                action=request.path,
                button=_("Yes, confirm it"),
                back=reverse("staff:requests"),
                back_label=_("No, leave it waiting"),
                happens=_happens(staff_request, subject),
                told=(
                    _("The audit log records who asked, that you confirmed, and the reason: %(reason)s.")
                    % {"reason": reason}
                    if reason
                    else _("The audit log records who asked, that you confirmed, and the reason.")
                ),
                final=str(RESET_FINAL) if staff_request.kind == RequestKind.RESET_SECOND_FACTOR else "",
                undo="" if staff_request.kind == RequestKind.RESET_SECOND_FACTOR else str(ROLE_UNDO),
                breadcrumbs=[(reverse("staff:requests"), _("Staff requests"))],
            ),
        )
    try:
        services.confirm_request(
            staff_request=staff_request, by=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Confirmed. The change has been made."))
    return redirect("staff:requests")


@login_required
@require_http_methods(["POST"])
def request_decline(request, request_id: int):
    staff_request = _open_request(request, request_id, "request_decline")
    try:
        services.decline_request(staff_request=staff_request, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Declined. Nothing has changed."))
    return redirect("staff:requests")


@login_required
@require_http_methods(["POST"])
def request_cancel(request, request_id: int):
    staff_request = _open_request(request, request_id, "request_cancel")
    try:
        services.cancel_request(staff_request=staff_request, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Cancelled. Nothing has changed."))
    return redirect("staff:requests")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def welcome(request, token: str):
    """A new member of staff sets a password; the second factor follows at once (the middleware)."""
    invitation = selectors.open_invitation(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_unusable.html", {"next_page": "/"}, status=410)
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None, needs_ground_rules=False, email=invitation.email
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_staff_invitation(token=token, password=form.cleaned_data["password1"])
        except services.InvitationUnusable:
            return render(request, "accounts/invitation_unusable.html", {"next_page": "/"}, status=410)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if request.user.is_authenticated:
                logout(request)
            record_authentication(request, user, method="password")
            landing = "audit:overview" if invitation.request.role == Role.AUDITOR else "staff:requests"
            return perform_login(request, user, redirect_url=reverse(landing))
    context = {
        "form": form,
        "email": invitation.email,
        "ground_rules": "",
        "expires_at": invitation.expires_at,
    }
    return render(request, "accounts/welcome.html", context, status=form_status(form))
