"""Onboarding by invitation, the account page, and the convenor's logins page."""

import datetime as dt

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language

from trackii.accounts import conf, selectors, services
from trackii.accounts.forms import AcceptInvitationForm, LoginInviteForm
from trackii.accounts.languages import INTERFACE_LANGUAGES
from trackii.accounts.models import AccountInvitation
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status, show_refusal

SECURITY_CONTACT_DAYS = 365


def _unusable(request):
    # One page for a link that expired, was used, was withdrawn or never existed: it names no dialogue and
    # does not say which of the four it was, so a forwarded or guessed link teaches nothing.
    # Nor does it echo the link: the language menu leads home rather than back to it.
    return render(request, "accounts/invitation_unusable.html", {"next_page": "/"}, status=410)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def welcome(request, token: str):
    invitation = selectors.open_invitation(token=token)
    if invitation is None or invitation.person.user_id:
        return _unusable(request)
    membership = selectors.invitation_membership(invitation=invitation)
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None,
        needs_ground_rules=membership is not None,
        email=invitation.person.email,
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token,
                password=form.cleaned_data["password1"],
                accept_ground_rules=bool(form.cleaned_data.get("accept_ground_rules")),
            )
        except services.InvitationUnusable:
            return _unusable(request)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if request.user.is_authenticated:
                logout(request)
            # allauth's own login, so its session tracking applies as for any login; like every login it
            # counts as a fresh re-authentication (AccountAdapter.login), so setting up an authenticator right
            # after does not ask for the password a second time.
            record_authentication(request, user, method="password")
            return perform_login(request, user, redirect_url=reverse("home"))
    context = {
        "form": form,
        "email": invitation.person.email,
        "ground_rules": invitation.dialogue.ground_rules if membership is not None else "",
        "expires_at": invitation.expires_at,
    }
    return render(request, "accounts/welcome.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "HEAD"])
def account(request):
    from allauth.mfa.models import Authenticator

    person = getattr(request.user, "person", None)
    memberships, roles = selectors.own_memberships(user=request.user)
    context = {
        "person": person,
        "memberships": memberships,
        "facilitator_roles": roles,
        "authenticators": Authenticator.objects.filter(user=request.user).order_by("type"),
        "mfa_required": selectors.requires_mfa(user=request.user),
        "sessions": selectors.own_sessions(user=request.user),
        "idle_minutes": int(conf.session_idle().total_seconds() // 60),
        "absolute_hours": int(conf.session_absolute().total_seconds() // 3600),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def login_email(request):
    """Stands in for allauth's e-mail page. There, anyone could add addresses to log in with, and allauth
    would store each in clear; a Trackii login has one address, set when the login is created and stored
    encrypted (docs/decisions/0006)."""
    messages.info(request, _("The e-mail address you log in with is set when your login is created."))
    return redirect("accounts:account")


@login_required
@require_http_methods(["POST"])
def log_out_everywhere(request):
    services.end_all_sessions(user=request.user, by=request.user)
    logout(request)
    messages.success(request, _("You have been logged out on every device, this one included."))
    return redirect("account_login")


def _invitations_dialogue(request, dialogue_id: int):
    """The dialogue of this logins page, for a convenor who manages its members (404 for anyone else)."""
    return fetch_or_404(request, selectors.invitation_dialogues(user=request.user), pk=dialogue_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dialogue_invitations(request, dialogue_id: int):
    """A convenor sends people of the dialogue who have no login a link to set one up."""
    dialogue = _invitations_dialogue(request, dialogue_id)
    people = selectors.invitable_members(dialogue=dialogue)
    form = LoginInviteForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.invite_person(
                dialogue=dialogue,
                person=person,
                by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("An invitation is on its way to %(pseudonym)s.") % {"pseudonym": person.called}
            )
            return redirect("accounts:invitations", dialogue_id=dialogue.pk)
    context = {
        "dialogue": dialogue,
        "form": form,
        "people": people,
        "invitations": selectors.open_invitations(dialogue=dialogue),
        "lifetime_days": conf.invitation_lifetime().days,
    }
    return render(request, "accounts/invitations.html", context, status=form_status(form))


@login_required
@require_http_methods(["POST"])
def withdraw_login_invitation(request, dialogue_id: int, invitation_id: int):
    dialogue = _invitations_dialogue(request, dialogue_id)
    invitation = fetch_or_404(request, AccountInvitation.objects.filter(dialogue=dialogue), pk=invitation_id)
    try:
        services.revoke_invitation(invitation=invitation, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The invitation is withdrawn; its link no longer works."))
    return redirect("accounts:invitations", dialogue_id=dialogue.pk)


@require_http_methods(["POST"])
def choose_language(request):
    """Django's `set_language` (the language cookie, then back to `next` if it is a page of this site), and
    for a signed-in person their choice kept on their login, so it follows them to every device and e-mail."""
    language = request.POST.get("language", "")
    if language not in INTERFACE_LANGUAGES:
        # set_language would keep any language Django itself speaks in the cookie; only Trackii's are kept.
        request.POST = request.POST.copy()
        request.POST.pop("language", None)
    elif request.user.is_authenticated:
        services.choose_language(user=request.user, language=language, by=request.user)
    return set_language(request)


@require_http_methods(["GET", "HEAD"])
def security_txt(request):
    """RFC 9116. The contact comes from TRACKII_SECURITY_CONTACT; the file expires a year from each read, so
    it never goes stale while the deployment runs."""
    from django.conf import settings

    contact = getattr(settings, "TRACKII_SECURITY_CONTACT", "") or "mailto:security@trackii.invalid"
    expires = (timezone.now() + dt.timedelta(days=SECURITY_CONTACT_DAYS)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en",
        f"Canonical: {request.build_absolute_uri()}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
