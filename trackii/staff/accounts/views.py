"""The staff's pages on logins. Auditors and administrators read them; only administrators act. Everyone
else gets the ordinary 404 (audited as denied), for a login that exists and one that does not alike."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trackii.accounts.models import User
from trackii.confirmation import Confirmation, ask, confirmed
from trackii.inputs import parse_id
from trackii.permissions import fetch_or_404, refuse
from trackii.refusals import form_status, show_refusal
from trackii.staff.accounts import selectors, services
from trackii.staff.accounts.forms import AccountSearchForm
from trackii.staff.roles import is_administrator, is_auditor

TARGET = "accounts.user"


def _require_staff(request, attempted: str) -> None:
    if not (is_auditor(request.user) or is_administrator(request.user)):
        refuse(request, target_type=TARGET, attempted=attempted)


def _administered(request, account_id: int, attempted: str) -> User:
    """The login an administrator acts on; the 404 for anyone else and for a login that does not exist."""
    if not is_administrator(request.user):
        refuse(request, target_type=TARGET, target_id=str(account_id), attempted=attempted)
    user = selectors.account(account_id=account_id).first()
    if user is None:
        refuse(request, target_type=TARGET, target_id=str(account_id), attempted=attempted)
    return user


@require_http_methods(["GET", "HEAD"])
def account_list(request):
    _require_staff(request, "staff_account_list")
    form = AccountSearchForm(request.GET or None)
    page, query = None, ""
    if not form.is_bound:
        page = services.search_accounts(search=None, by=request.user)
    elif form.is_valid():
        data = form.cleaned_data
        page = services.search_accounts(
            search=selectors.understand(data["q"]),
            by=request.user,
            before=data["before"],
            role=data["role"],
            disabled=data["disabled"],
            no_second_factor=data["no_second_factor"],
            locked=data["locked"],
        )
        query = request.GET.copy()
        query.pop("before", None)
        query = query.urlencode()
    context = {
        "form": form,
        "page": page,
        "query": query,
        "rows": [(user, selectors.roles_of(user)) for user in page.accounts] if page else [],
    }
    return render(request, "staff/accounts/list.html", context, status=form_status(form))


@require_http_methods(["GET", "HEAD"])
def account_detail(request, account_id: int):
    _require_staff(request, "staff_account_detail")
    user = fetch_or_404(request, selectors.account(account_id=account_id), pk=account_id)
    selectors.mark_locked([user])
    administrator = is_administrator(request.user)
    auditor = is_auditor(request.user)
    context = {
        "account": user,
        "roles": selectors.roles_of(user),
        # Where a person logs in from is for auditors only, never for an administrator who is not one.
        "sessions": selectors.sessions_of(user=user, with_addresses=auditor),
        "show_addresses": auditor,
        "administrator": administrator,
        "may_disable": administrator
        and user.is_active
        and not user.is_superuser
        and user.pk != request.user.pk,
        "may_enable": administrator and not user.is_active and not user.is_superuser,
        "timeline": reverse("audit:account_timeline", args=[user.pk]) if auditor else None,
    }
    return render(request, "staff/accounts/detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def account_disable(request, account_id: int):
    user = _administered(request, account_id, "staff_account_disable")
    back = reverse("staff:account_detail", args=[user.pk])
    if not confirmed(request):
        label = _("Login %(number)s") % {"number": user.pk} + (
            f" ({user.pseudonym})" if user.pseudonym else ""
        )
        return ask(
            request,
            Confirmation(
                title=_("Disable %(login)s?") % {"login": label},
                action=request.path,
                button=_("Yes, disable this account"),
                back=back,
                back_label=_("No, leave it active"),
                happens=[
                    _("Nobody can log in with this account until an administrator re-enables it."),
                    _("Every open session of the account ends at its next request, on every device."),
                    _("The disabling is recorded in the audit log under your name."),
                ],
                told=_("Nobody is told by e-mail: the person finds the login page at their next request."),
                undo=_(
                    "An administrator can enable the account again from its page; the person logs in again."
                ),
                breadcrumbs=[(reverse("staff:account_list"), _("Logins")), (back, label)],
            ),
        )
    try:
        services.disable_login(user=user, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The account is disabled and its sessions have ended."))
    return redirect(back)


@require_http_methods(["POST"])
def account_enable(request, account_id: int):
    user = _administered(request, account_id, "staff_account_enable")
    try:
        services.enable_login(user=user, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The account is enabled again. The person can log in."))
    return redirect("staff:account_detail", account_id=user.pk)


@require_http_methods(["POST"])
def account_sessions_end(request, account_id: int):
    user = _administered(request, account_id, "staff_account_sessions_end")
    services.end_sessions(user=user, by=request.user)
    messages.success(request, _("Every session of the account has ended."))
    if user.pk == request.user.pk:
        return redirect("account_login")
    return redirect("staff:account_detail", account_id=user.pk)


@require_http_methods(["POST"])
def account_session_end(request, account_id: int, session_id: int):
    user = _administered(request, account_id, "staff_account_session_end")
    number = parse_id(str(session_id))
    if number is None or not services.end_session(user=user, session_id=number, by=request.user):
        refuse(request, target_type="usersessions.usersession", target_id=str(session_id), attempted="end")
    messages.success(request, _("The session has ended."))
    return redirect("staff:account_detail", account_id=user.pk)
