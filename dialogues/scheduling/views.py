"""The facilitators' workspace for workshops: series, scheduling, editing, cloning and cancelling workshops,
agendas and invitations, and the workshop page everyone with access reads. Reading the workspace needs
`view_all_workshops` on the dialogue, changing it `schedule_workshops`. Every object comes through a selector
and `fetch_or_404`, so what a user may not touch is the same 404 as what does not exist, for every method."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.enums import InvitationStatus, Repeat, WorkshopStatus
from dialogues.http import GET_POST, POST
from dialogues.models import AgendaItem, Invitation
from dialogues.permissions import dialogue_access
from dialogues.scheduling import selectors, services
from dialogues.scheduling.forms import (
    AgendaItemForm,
    AttendanceForm,
    ScheduleForm,
    SeriesForm,
    WorkshopEditForm,
    WorkshopInviteForm,
)
from dialogues.scheduling.recurrence import wall_clock
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status, show_refusal


@login_required
@require_http_methods(["GET", "HEAD"])
def workshop_detail(request, dialogue_id: int, workshop_id: int):
    workshop = fetch_or_404(
        request,
        dialogue_selectors.workshops_for_user(user=request.user).filter(series__dialogue_id=dialogue_id),
        pk=workshop_id,
    )
    access = dialogue_access(request.user)
    now = timezone.now()
    can_draft = access.has(workshop.series.dialogue_id, "draft_summaries")
    held = workshop.status != WorkshopStatus.CANCELLED and workshop.starts_at <= now
    context = {
        "workshop": workshop,
        "dialogue": workshop.series.dialogue,
        "agenda": selectors.agenda_for(workshop=workshop, access=access),
        "can_plan": access.has(workshop.series.dialogue_id, "view_all_workshops"),
        "can_schedule": access.has(workshop.series.dialogue_id, "schedule_workshops"),
        "can_draft": can_draft,
        "viewer_tz": dialogue_selectors.display_timezone(user=request.user),
        # Read (one query) only once the workshop has taken place: before that it has no summary.
        "held": held,
        "over": workshop.status != WorkshopStatus.CANCELLED and workshop.ends_at <= now,
        # A summary needs someone who was in the room (one query, for those who write summaries).
        "attendees": selectors.recorded_attendees(workshop=workshop) if held and can_draft else None,
        "summaries": dialogue_selectors.summaries_for_user(user=request.user)
        .filter(workshop=workshop)
        .defer("body", "sealed_pdf")
        .order_by("-version"),
    }
    return render(request, "dialogues/scheduling/workshop_detail.html", context)


def _workshop(request, dialogue_id: int, workshop_id: int, codename: str):
    return fetch_or_404(
        request,
        selectors.workshops_with(user=request.user, codename=codename).filter(
            series__dialogue_id=dialogue_id
        ),
        pk=workshop_id,
    )


@login_required
@require_http_methods(GET_POST)
def series_create(request, dialogue_id: int):
    dialogue = fetch_or_404(
        request,
        dialogue_selectors.dialogues_for_user(user=request.user, codename="schedule_workshops"),
        pk=dialogue_id,
    )
    form = SeriesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        series = services.create_series(dialogue=dialogue, by=request.user, **form.cleaned_data)
        messages.success(request, f"Series “{series.title}” created. Now schedule its workshops.")
        return redirect("dialogues:series_detail", dialogue_id=dialogue.pk, series_id=series.pk)
    return render(
        request,
        "dialogues/scheduling/series_form.html",
        {"dialogue": dialogue, "form": form},
        status=form_status(form),
    )


@login_required
@require_http_methods(GET_POST)
def series_detail(request, dialogue_id: int, series_id: int):
    """A series' workshops, and (for those who schedule) the form that adds one or a recurring run."""
    codename = "schedule_workshops" if request.method == "POST" else "view_all_workshops"
    series = fetch_or_404(
        request,
        selectors.series_for_user(user=request.user, codename=codename).filter(dialogue_id=dialogue_id),
        pk=series_id,
    )
    dialogue = series.dialogue
    can_schedule = dialogue_access(request.user).has(dialogue.pk, "schedule_workshops")
    # The members a past workshop may list as attendees: read only for those who schedule.
    people = selectors.member_choices(dialogue=dialogue) if can_schedule else {}
    form = ScheduleForm(
        request.POST if request.method == "POST" else None,
        initial={"repeat": Repeat.NONE, "interval": 1},
        people=people,
    )
    if request.method == "POST" and form.is_valid() and form.cleaned_data["already_held"]:
        data = form.cleaned_data
        try:
            workshop = services.record_held_workshop(
                series=series,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                timezone_name=data["timezone"],
                attended=data["attended"],
                venue=data["venue"] or None,
                format=data["format"],
                title=data["title"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"Workshop {workshop.number} is recorded as held, with {len(data['attended'])} attending. "
                "Nobody was e-mailed.",
            )
            return redirect("dialogues:workshop_detail", dialogue_id=dialogue.pk, workshop_id=workshop.pk)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workshops = services.schedule_run(
                series=series,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                timezone_name=data["timezone"],
                repeat=data["repeat"],
                interval=data["interval"] or 1,
                count=data["count"],
                until=data["until"],
                venue=data["venue"] or None,
                format=data["format"],
                title=data["title"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{len(workshops)} workshop{'s' if len(workshops) != 1 else ''} scheduled. "
                "Build the agenda and invite people from each workshop's links.",
            )
            return redirect("dialogues:series_detail", dialogue_id=dialogue.pk, series_id=series.pk)
    workshops = selectors.workshops_with_counts(workshops=series.workshops.all()).order_by("starts_at")
    context = {
        "dialogue": dialogue,
        "series": series,
        "workshops": workshops,
        "form": form,
        "can_schedule": can_schedule,
        "viewer_tz": dialogue_selectors.display_timezone(user=request.user),
    }
    return render(request, "dialogues/scheduling/series_detail.html", context, status=form_status(form))


@login_required
@require_http_methods(GET_POST)
def workshop_edit(request, dialogue_id: int, workshop_id: int):
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    initial = {
        "title": workshop.title,
        "starts_at": wall_clock(workshop.starts_at, workshop.timezone),
        "ends_at": wall_clock(workshop.ends_at, workshop.timezone),
        "timezone": workshop.timezone,
        "venue": workshop.venue or "",
        "format": workshop.format,
        "scope": "one",
    }
    form = WorkshopEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.reschedule_workshop(
                workshop=workshop,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                timezone_name=data["timezone"],
                venue=data["venue"],
                format=data["format"],
                title=data["title"],
                following=data["scope"] == "following",
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"Saved. {len(changed)} workshop{'s' if len(changed) != 1 else ''} changed"
                + ("; the people invited will be told by e-mail." if changed else "."),
            )
            return redirect("dialogues:workshop_detail", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    context = {"dialogue": workshop.series.dialogue, "workshop": workshop, "form": form}
    return render(request, "dialogues/scheduling/workshop_edit.html", context, status=form_status(form))


@login_required
@require_http_methods(POST)
def workshop_clone(request, dialogue_id: int, workshop_id: int):
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    try:
        new = services.clone_next_workshop(workshop=workshop, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("dialogues:workshop_detail", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    messages.success(
        request,
        f"Workshop {new.number} is scheduled with the same venue, agenda and invitations. "
        "Check its date and times below.",
    )
    return redirect("dialogues:workshop_edit", dialogue_id=dialogue_id, workshop_id=new.pk)


@login_required
@require_http_methods(POST)
def workshop_cancel(request, dialogue_id: int, workshop_id: int):
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    try:
        services.cancel_workshop(workshop=workshop, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, "The workshop is cancelled; the people invited will be told by e-mail.")
    return redirect("dialogues:workshop_detail", dialogue_id=dialogue_id, workshop_id=workshop.pk)


def _agenda_page(request, workshop, form, *, status=200):
    context = {
        "dialogue": workshop.series.dialogue,
        "workshop": workshop,
        "items": workshop.agenda_items.order_by("position", "id"),
        "form": form,
    }
    template = "dialogues/scheduling/agenda.html"
    if request.htmx:
        # htmx swaps only 2xx answers: a form with errors comes back as 200 with the errors in it.
        return render(request, template + "#builder", context)
    return render(request, template, context, status=status)


@login_required
@require_http_methods(GET_POST)
def agenda(request, dialogue_id: int, workshop_id: int):
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    form = AgendaItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agenda_item(workshop=workshop, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if not request.htmx:
                return redirect("dialogues:agenda", dialogue_id=dialogue_id, workshop_id=workshop.pk)
            form = AgendaItemForm()
    return _agenda_page(request, workshop, form, status=form_status(form))


@login_required
@require_http_methods(POST)
def agenda_item(request, dialogue_id: int, workshop_id: int, item_id: int):
    """Move an item up or down, flip its facilitators-only flag, or remove it."""
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    item = fetch_or_404(request, AgendaItem.objects.filter(workshop=workshop), pk=item_id)
    action = request.POST.get("action")
    if action in ("up", "down"):
        services.move_agenda_item(item=item, steps=-1 if action == "up" else 1, by=request.user)
    elif action == "toggle":
        services.set_agenda_item_facilitators_only(
            item=item, facilitators_only=not item.facilitators_only, by=request.user
        )
    elif action == "delete":
        services.remove_agenda_item(item=item, by=request.user)
    else:
        return HttpResponse("Unknown action.", status=400, content_type="text/plain")
    if request.htmx:
        return _agenda_page(request, workshop, AgendaItemForm())
    return redirect("dialogues:agenda", dialogue_id=dialogue_id, workshop_id=workshop.pk)


@login_required
@require_http_methods(GET_POST)
def invitations(request, dialogue_id: int, workshop_id: int):
    codename = "schedule_workshops" if request.method == "POST" else "view_all_workshops"
    workshop = _workshop(request, dialogue_id, workshop_id, codename)
    dialogue = workshop.series.dialogue
    members = list(selectors.invitable_members(dialogue=dialogue))
    form = WorkshopInviteForm(
        request.POST if request.method == "POST" else None, dialogue=dialogue, members=members
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.invite_people(
                workshop=workshop, people=form.cleaned_data["chosen"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{len(created)} {'person' if len(created) == 1 else 'people'} invited; "
                "they will be told by e-mail."
                if created
                else "Everyone chosen was already invited.",
            )
            return redirect("dialogues:invitations", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    now = timezone.now()
    warnings = selectors.workshop_warnings(dialogue=dialogue, workshops=[workshop], today=now.date(), now=now)
    context = {
        "dialogue": dialogue,
        "workshop": workshop,
        "invitations": selectors.invitations_for_workshop(workshop=workshop),
        "warnings": warnings.get(workshop.pk, []),
        "form": form,
        "can_schedule": dialogue_access(request.user).has(dialogue.pk, "schedule_workshops"),
        "started": workshop.starts_at <= now,
        "over": workshop.ends_at < now,
        "cancelled": workshop.status == WorkshopStatus.CANCELLED,
        "held": workshop.status == WorkshopStatus.HELD,
    }
    return render(request, "dialogues/scheduling/invitations.html", context, status=form_status(form))


@login_required
@require_http_methods(GET_POST)
def workshop_held(request, dialogue_id: int, workshop_id: int):
    """ "Mark as held": once a workshop has ended, who attended; on a held one, correcting it."""
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    invitations = list(selectors.invitations_for_workshop(workshop=workshop))
    people = selectors.attendance_choices(workshop=workshop, invitations=invitations)
    recorded = [i for i in invitations if i.status == InvitationStatus.ATTENDED]
    # Before any attendance is recorded, those who accepted are ticked: most of them came.
    expected = recorded or [i for i in invitations if i.status == InvitationStatus.ACCEPTED]
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        initial={"attended": [str(i.person_id) for i in expected]},
        people=people,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_workshop_held(
                workshop=workshop, attended=form.cleaned_data["attended"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"Workshop {workshop.number} is marked as held, with {len(form.cleaned_data['attended'])} "
                "attending. Nobody was e-mailed.",
            )
            return redirect("dialogues:workshop_detail", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    context = {
        "dialogue": workshop.series.dialogue,
        "workshop": workshop,
        "form": form,
        "over": workshop.ends_at <= timezone.now(),
        "cancelled": workshop.status == WorkshopStatus.CANCELLED,
    }
    return render(request, "dialogues/scheduling/workshop_held.html", context, status=form_status(form))


INVITATION_ACTIONS = {
    "withdraw": (
        lambda inv, by: services.withdraw_workshop_invitation(invitation=inv, by=by),
        "Invitation withdrawn; they will be told.",
    ),
    "reinvite": (
        lambda inv, by: services.reinvite(invitation=inv, by=by),
        "Invited again; they will be told.",
    ),
    "attended": (
        lambda inv, by: services.record_attendance(invitation=inv, status=InvitationStatus.ATTENDED, by=by),
        "Marked as attended.",
    ),
    "absent": (
        lambda inv, by: services.record_attendance(invitation=inv, status=InvitationStatus.ABSENT, by=by),
        "Marked as absent.",
    ),
}


@login_required
@require_http_methods(POST)
def invitation_action(request, dialogue_id: int, workshop_id: int, invitation_id: int):
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    invitation = fetch_or_404(
        request,
        Invitation.objects.filter(workshop=workshop).select_related("person", "workshop"),
        pk=invitation_id,
    )
    action = INVITATION_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponse("Unknown action.", status=400, content_type="text/plain")
    run, done = action
    try:
        run(invitation, request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, f"{invitation.person.pseudonym}: {done}")
    return redirect("dialogues:invitations", dialogue_id=dialogue_id, workshop_id=workshop.pk)
