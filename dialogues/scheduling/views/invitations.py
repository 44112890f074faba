"""A workshop's invitations page: inviting members (with their clashes seen first), withdrawing, inviting
again and recording attendance one by one, and the invited people without a login: their login
invitations at once, and the answers the facilitators record for them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from dialogues.conflicts import selectors as conflicts
from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.http import GET_POST, POST
from dialogues.models import Invitation
from dialogues.permissions import dialogue_access
from dialogues.scheduling import selectors, services
from dialogues.scheduling.forms import RecordAnswerForm, WorkshopInviteForm
from dialogues.scheduling.views.workshops import _breadcrumbs, _workshop
from participants.selectors import pseudonym_in
from trackii.confirmation import Confirmation, ask, confirmed
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status, show_refusal


@login_required
@require_http_methods(GET_POST)
def invitations(request, dialogue_id: int, workshop_id: int):
    codename = "schedule_workshops" if request.method == "POST" else "view_all_workshops"
    workshop = _workshop(request, dialogue_id, workshop_id, codename)
    dialogue = workshop.series.dialogue
    members = list(selectors.invitable_members(dialogue=dialogue))
    access = dialogue_access(request.user)
    now = timezone.now()
    can_schedule = access.has(dialogue.pk, "schedule_workshops")
    can_invite = can_schedule and workshop.ends_at >= now and workshop.status != WorkshopStatus.CANCELLED
    # Who clashes with the workshop, the members one might invite too: seen before inviting, not after.
    clashes = conflicts.clashes_of(workshop=workshop, access=access, candidates=can_invite)
    form = WorkshopInviteForm(
        request.POST if request.method == "POST" else None,
        dialogue=dialogue,
        members=members,
        notes=conflicts.by_person([c for c in clashes if c.role != conflicts.STAFF]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.invite_people(
                workshop=workshop,
                people=form.cleaned_data["chosen"],
                by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d person invited; they will be told by e-mail.",
                    "%(count)d people invited; they will be told by e-mail.",
                    len(created),
                )
                % {"count": len(created)}
                if created
                else _("Everyone chosen was already invited."),
            )
            return redirect("dialogues:invitations", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    warnings = selectors.workshop_warnings(
        dialogue=dialogue, workshops=[workshop], today=now.date(), people=False, now=now
    )
    context = {
        "dialogue": dialogue,
        "workshop": workshop,
        **_without_login(request, workshop),
        "warnings": warnings.get(workshop.pk, []),
        "clashes": [c for c in clashes if c.role != conflicts.MEMBER],
        "form": form,
        "can_schedule": can_schedule,
        "started": workshop.starts_at <= now,
        "over": workshop.ends_at < now,
        "cancelled": workshop.status == WorkshopStatus.CANCELLED,
        "held": workshop.status == WorkshopStatus.HELD,
    }
    return render(request, "dialogues/scheduling/invitations.html", context, status=form_status(form))


INVITATION_ACTIONS = {
    "withdraw": (
        lambda inv, by, base_url: services.withdraw_workshop_invitation(invitation=inv, by=by),
        gettext_lazy("Invitation withdrawn; they will be told. To undo, invite them again below."),
    ),
    "reinvite": (
        lambda inv, by, base_url: services.reinvite(invitation=inv, by=by, base_url=base_url),
        gettext_lazy("Invited again; they will be told."),
    ),
    "attended": (
        lambda inv, by, base_url: services.record_attendance(
            invitation=inv, status=InvitationStatus.ATTENDED, by=by
        ),
        gettext_lazy("Marked as attended."),
    ),
    "absent": (
        lambda inv, by, base_url: services.record_attendance(
            invitation=inv, status=InvitationStatus.ABSENT, by=by
        ),
        gettext_lazy("Marked as absent."),
    ),
}


def _withdraw_confirmation(request, workshop, invitation) -> Confirmation:
    person, pseudonym = invitation.person, invitation.pseudonym_here
    invitations_url = reverse("dialogues:invitations", args=[workshop.series.dialogue_id, workshop.pk])
    answered = invitation.status != InvitationStatus.INVITED
    return Confirmation(
        title=_("Withdraw %(pseudonym)s's invitation to workshop %(number)s?")
        % {"pseudonym": pseudonym, "number": workshop.number},
        action=request.path,
        button=_("Yes, withdraw %(pseudonym)s's invitation") % {"pseudonym": pseudonym},
        back=invitations_url,
        back_label=_("No, keep the invitation and go back"),
        hidden={"action": "withdraw"},
        happens=[
            _("%(name)s (%(pseudonym)s) no longer sees this workshop, its agenda or its venue.")
            % {"name": person.name, "pseudonym": pseudonym},
            _("Their answer (%(answer)s) is not kept.") % {"answer": invitation.get_status_display().lower()}
            if answered
            else _("They have not answered yet."),
        ],
        told=_("%(pseudonym)s is told by e-mail, which names only the dialogue's codename.")
        % {"pseudonym": pseudonym}
        if workshop.status != WorkshopStatus.CANCELLED
        else _("Nobody: the workshop is cancelled."),
        undo=_(
            "Invite them again with “Invite” on the invitations page: they are told again and answer anew."
        ),
        breadcrumbs=[*_breadcrumbs(workshop), (invitations_url, "invitations")],
    )


@login_required
@require_http_methods(GET_POST)
def invitation_action(request, dialogue_id: int, workshop_id: int, invitation_id: int):
    """Attendance, inviting again, and withdrawing; withdrawing asks first (a GET of this URL, or a POST
    without the confirmation, shows what it does)."""
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    invitation = fetch_or_404(
        request,
        Invitation.objects.filter(workshop=workshop)
        .select_related("person", "workshop")
        .annotate(pseudonym_here=pseudonym_in(dialogue_ref="workshop__series__dialogue")),
        pk=invitation_id,
    )
    back = redirect("dialogues:invitations", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    name = request.POST.get("action", "") if request.method == "POST" else "withdraw"
    action = INVITATION_ACTIONS.get(name)
    if action is None:
        return HttpResponse("Unknown action.", status=400, content_type="text/plain")
    if name == "withdraw" and not confirmed(request):
        refusal = services.withdrawal_refusal(invitation=invitation)
        if refusal:
            messages.error(request, refusal)
            return back
        return ask(request, _withdraw_confirmation(request, workshop, invitation))
    run, done = action
    try:
        # The site's address lets an e-mail to someone without a login carry the link to set one up.
        run(invitation, request.user, request.build_absolute_uri("/"))
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, f"{invitation.pseudonym_here}: {done}"
        )  # a pseudonym, then translated words
    return back


def _without_login(request, workshop) -> dict:
    """The invitations page's rows, with what it shows about people without a login: who may be sent a login
    invitation now (the button is for those who manage the dialogue's members, as on the roster)."""
    invitations = list(selectors.invitations_with_login_state(workshop=workshop))
    return {
        "invitations": invitations,
        "login_candidates": selectors.login_candidates(invitations=invitations),
        "can_invite_logins": dialogue_access(request.user).has(workshop.series.dialogue_id, "manage_members"),
    }


@login_required
@require_http_methods(POST)
def send_login_invitations(request, dialogue_id: int, workshop_id: int):
    """One button for every invited person without a login, for those who may send login invitations."""
    workshop = _workshop(request, dialogue_id, workshop_id, "manage_members")
    result = services.send_login_invitations(
        workshop=workshop, by=request.user, base_url=request.build_absolute_uri("/")
    )
    count = len(result.sent)
    if result.sent:
        text = ngettext(
            "%(count)d login invitation sent (%(who)s).", "%(count)d login invitations sent (%(who)s).", count
        ) % {"count": count, "who": ", ".join(result.sent)}
    else:
        text = _("0 login invitations sent.")
    if result.skipped:
        text += " " + _("Not sent to: %(who)s.") % {
            "who": "; ".join(f"{who} ({why})" for who, why in result.skipped)
        }
    (messages.success if count else messages.info)(request, text)
    return redirect("dialogues:invitations", dialogue_id=dialogue_id, workshop_id=workshop.pk)


@login_required
@require_http_methods(GET_POST)
def invitation_answer(request, dialogue_id: int, workshop_id: int, invitation_id: int):
    """A facilitator records the answer of an invited person who has no login."""
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    invitation = fetch_or_404(
        request,
        Invitation.objects.filter(workshop=workshop)
        .select_related("person", "workshop")
        .annotate(pseudonym_here=pseudonym_in(dialogue_ref="workshop__series__dialogue")),
        pk=invitation_id,
    )
    initial = {"note": invitation.availability_note or ""}
    if invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED):
        initial["answer"] = invitation.status
    form = RecordAnswerForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_answer(
                invitation=invitation,
                answer=form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("%(pseudonym)s: answer recorded.") % {"pseudonym": invitation.pseudonym_here}
            )
            return redirect("dialogues:invitations", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    context = {
        "dialogue": workshop.series.dialogue,
        "workshop": workshop,
        "invitation": invitation,
        "form": form,
    }
    return render(request, "dialogues/scheduling/invitation_answer.html", context, status=form_status(form))
