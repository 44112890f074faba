"""Pages of a dialogue. Each view gets its objects through a selector and `fetch_or_404`, so an object the
user may not see is the same 404 as one that does not exist, for every method."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dialogues import selectors, services
from dialogues.enums import DialogueRole, WorkshopStatus
from dialogues.forms import AddMemberForm, BreakGlassForm, ChangeRoleForm, add_errors
from dialogues.models import Dialogue
from dialogues.permissions import can_manage_members, can_see_names, dialogue_access
from participants.models import Membership
from participants.services import create_person
from trackii.audit.enums import Action, Outcome
from trackii.audit.services import record_event
from trackii.permissions import fetch_or_404


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request):
    dialogues = list(selectors.dialogues_with_convenor_flag(request.user))
    # A convenor may open new dialogues for the same Third Party (docs/decisions/0004-scheduling.md).
    can_create = any(d.convenes for d in dialogues)
    return render(request, "dialogues/home.html", {"dialogues": dialogues, "can_create": can_create})


@login_required
@require_http_methods(["GET", "HEAD"])
def dialogue_detail(request, dialogue_id: int):
    dialogue = fetch_or_404(request, selectors.dialogues_for_user(request.user), pk=dialogue_id)
    access = dialogue_access(request.user)
    now = timezone.now()
    workshops = (
        selectors.workshops_for_user(request.user)
        .filter(series__dialogue=dialogue, ends_at__gte=now)
        .order_by("starts_at")[:10]
    )
    members = list(selectors.roster(dialogue=dialogue))
    columns = [(side.name, [m for m in members if m.side_id == side.pk]) for side in dialogue.sides.all()]
    unaligned = [m for m in members if m.side_id is None]
    if unaligned:
        columns.append(("Observers and resource persons", unaligned))
    context = {
        "dialogue": dialogue,
        "columns": columns,
        "show_names": can_see_names(access, dialogue),
        "can_manage": can_manage_members(access, dialogue),
        "can_plan": access.has(dialogue.pk, "view_all_workshops"),
        "workshops": workshops,
        "break_glass": selectors.active_break_glass(dialogue=dialogue, now=now)
        if can_manage_members(access, dialogue)
        else (),
    }
    return render(request, "dialogues/dialogue_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def workshop_detail(request, dialogue_id: int, workshop_id: int):
    workshop = fetch_or_404(
        request,
        selectors.workshops_for_user(request.user).filter(series__dialogue_id=dialogue_id),
        pk=workshop_id,
    )
    access = dialogue_access(request.user)
    context = {
        "workshop": workshop,
        "dialogue": workshop.series.dialogue,
        "agenda": selectors.agenda_for(workshop=workshop, access=access),
        "can_plan": access.has(workshop.series.dialogue_id, "view_all_workshops"),
        "can_schedule": access.has(workshop.series.dialogue_id, "schedule_workshops"),
        "can_draft": access.has(workshop.series.dialogue_id, "draft_summaries"),
        "viewer_tz": selectors.display_timezone(request.user),
        # Read (one query) only once the workshop has taken place: before that it has no summary.
        "held": workshop.status != WorkshopStatus.CANCELLED and workshop.starts_at <= timezone.now(),
        "summaries": selectors.summaries_for_user(request.user)
        .filter(workshop=workshop)
        .defer("body", "sealed_pdf")
        .order_by("-version"),
    }
    return render(request, "dialogues/workshop_detail.html", context)


def _managed_dialogue(request, dialogue_id: int) -> Dialogue:
    return fetch_or_404(
        request, selectors.dialogues_for_user(request.user, codename="manage_members"), pk=dialogue_id
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def members(request, dialogue_id: int):
    """The convenor's roster: who is in the dialogue, on which side, in which role, and whether they have
    accepted the ground rules; add a person with a side and a role."""
    dialogue = _managed_dialogue(request, dialogue_id)
    form = AddMemberForm(
        request.POST if request.method == "POST" else None,
        dialogue=dialogue,
        people=selectors.people_known_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = data.get("person") or create_person(name=data["name"], email=data["email"] or None)
                services.assign_role(
                    dialogue=dialogue,
                    person=person,
                    role=data["role"],
                    side=data.get("side"),
                    by=request.user,
                    request=request,
                )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"{person.pseudonym} is now {DialogueRole(data['role']).label.lower()} here."
            )
            return redirect("dialogues:members", dialogue_id=dialogue.pk)
    if form.refused_unknown_person:
        record_event(
            actor=request.user,
            action=Action.DENIED,
            outcome=Outcome.DENIED,
            target=dialogue,
            request=request,
            detail={"attempted": "add a person on file by e-mail"},
        )
    context = {
        "dialogue": dialogue,
        "form": form,
        "members": selectors.roster(dialogue=dialogue),
        "facilitators": dialogue.facilitators.select_related("person").order_by("role", "person__pseudonym"),
        "role_form": ChangeRoleForm(dialogue=dialogue),
        # Once for the whole roster: each row's side menu reuses it.
        "sides": list(dialogue.sides.all()),
    }
    return render(request, "dialogues/members.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["POST"])
def member_change(request, dialogue_id: int, membership_id: int):
    dialogue = _managed_dialogue(request, dialogue_id)
    membership = fetch_or_404(
        request, Membership.objects.filter(dialogue=dialogue, left_on__isnull=True), pk=membership_id
    )
    form = ChangeRoleForm(request.POST, dialogue=dialogue)
    if form.is_valid():
        services.assign_role(
            dialogue=dialogue,
            person=membership.person,
            role=form.cleaned_data["role"],
            side=form.cleaned_data["side"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"{membership.person.pseudonym}'s role was changed.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("dialogues:members", dialogue_id=dialogue.pk)


@login_required
@require_http_methods(["POST"])
def member_remove(request, dialogue_id: int, membership_id: int):
    dialogue = _managed_dialogue(request, dialogue_id)
    membership = fetch_or_404(
        request, Membership.objects.filter(dialogue=dialogue, left_on__isnull=True), pk=membership_id
    )
    services.revoke_role(
        dialogue=dialogue, person=membership.person, role=membership.role, by=request.user, request=request
    )
    messages.success(
        request, f"{membership.person.pseudonym} was removed from this dialogue. Their access ended now."
    )
    return redirect("dialogues:members", dialogue_id=dialogue.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def break_glass(request):
    """An administrator's emergency access: time-limited, with a reason, visible to the convenors."""
    if not request.user.is_superuser:
        raise Http404
    dialogues = Dialogue.objects.only("id", "codename").order_by("codename")
    form = BreakGlassForm(request.POST if request.method == "POST" else None, dialogues=dialogues)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_break_glass(
                user=request.user,
                dialogue=form.cleaned_data["dialogue"],
                reason=form.cleaned_data["reason"],
                minutes=form.cleaned_data["minutes"],
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.warning(
                request,
                f"Break-glass access to {grant.dialogue.codename} until "
                f"{timezone.localtime(grant.expires_at):%H:%M %Z}. "
                "Its convenors can see this, and every page you open is in the audit log.",
            )
            return redirect("dialogues:dialogue_detail", dialogue_id=grant.dialogue_id)
    grants = request.user.break_glass_grants.select_related("dialogue")[:20]
    return render(
        request,
        "dialogues/break_glass.html",
        {"form": form, "grants": grants, "now": timezone.now()},
        status=400 if form.errors else 200,
    )
