"""The facilitators' workspace for workshops: series, scheduling, editing, cloning and cancelling workshops,
agendas and invitations, and the workshop page everyone with access reads. Reading the workspace needs
`view_all_workshops` on the dialogue, changing it `schedule_workshops`. Every object comes through a selector
and `fetch_or_404`, so what a user may not touch is the same 404 as what does not exist, for every method."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.conflicts import selectors as conflicts
from dialogues.enums import InvitationStatus, Repeat, WorkshopStatus
from dialogues.http import GET_POST, POST
from dialogues.models import AgendaItem, Invitation, Workshop
from dialogues.permissions import dialogue_access
from dialogues.scheduling import selectors, services
from dialogues.scheduling.forms import (
    AgendaItemForm,
    AttendanceForm,
    RecordAnswerForm,
    ScheduleForm,
    SeriesForm,
    WorkshopEditForm,
    WorkshopInviteForm,
)
from dialogues.scheduling.recurrence import localize, wall_clock
from dialogues.scheduling.run_sheet import run_sheet_context, run_sheet_filename
from dialogues.scheduling.timetable import lay_out, workshop_days
from trackii.confirmation import Confirmation, ask, confirmed
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
    can_plan = access.has(workshop.series.dialogue_id, "view_all_workshops")
    now = timezone.now()
    can_draft = access.has(workshop.series.dialogue_id, "draft_summaries")
    held = workshop.status != WorkshopStatus.CANCELLED and workshop.starts_at <= now
    context = {
        "workshop": workshop,
        "dialogue": workshop.series.dialogue,
        "agenda": selectors.agenda_timetable(workshop=workshop, access=access),
        "can_plan": can_plan,
        # The facilitation team's and the invitees' other bookings on these days: for those who plan.
        "clashes": conflicts.clashes_of(workshop=workshop, access=access) if can_plan else (),
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
        zones_in_use=dialogue_selectors.timezones_in_use(user=request.user) if can_schedule else (),
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
            # The facilitation team's other bookings on the new dates, said at once.
            found = conflicts.clashes(workshops=workshops, access=dialogue_access(request.user))
            for workshop in workshops:
                for clash in found.get(workshop.pk, ()):
                    messages.warning(request, f"Workshop {workshop.number}: {clash.problem} {clash.advice}")
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
    form = WorkshopEditForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        zones_in_use=dialogue_selectors.timezones_in_use(user=request.user),
    )
    clashes, seen = [], ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seen = _dates_key(data)
        # New dates that bring clashes are shown first, and saved once the facilitator says "Save anyway"
        # for these very dates (the key of what they saw comes back with the button).
        if request.POST.get("clashes_seen") != seen:
            clashes = _clashes_a_move_adds(request, workshop, data)
    if request.method == "POST" and form.is_valid() and not clashes:
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
    context = {
        "dialogue": workshop.series.dialogue,
        "workshop": workshop,
        "form": form,
        "clashes": clashes,
        "seen": seen,
    }
    return render(request, "dialogues/scheduling/workshop_edit.html", context, status=form_status(form))


def _dates_key(data: dict) -> str:
    return f"{data['starts_at']:%Y-%m-%dT%H:%M}/{data['ends_at']:%Y-%m-%dT%H:%M}/{data['timezone']}"


def _clashes_a_move_adds(request, workshop, data: dict) -> list:
    """The clashes the new dates would bring that the workshop does not have now (none when the times stay,
    or are ones the service refuses: it says why)."""
    try:
        starts_at = localize(data["starts_at"], data["timezone"])
        ends_at = localize(data["ends_at"], data["timezone"])
    except (OverflowError, ValueError):
        return []
    if ends_at <= starts_at or (starts_at, ends_at) == (workshop.starts_at, workshop.ends_at):
        return []
    moved = Workshop(
        pk=workshop.pk,
        series=workshop.series,
        status=workshop.status,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=data["timezone"],
    )
    access = dialogue_access(request.user)
    now = {c.key for c in conflicts.clashes_of(workshop=workshop, access=access)}
    return [c for c in conflicts.clashes_of(workshop=moved, access=access) if c.key not in now]


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


def _breadcrumbs(workshop) -> list[tuple[str, str]]:
    dialogue = workshop.series.dialogue
    return [
        (reverse("home"), "Your dialogues"),
        (reverse("dialogues:dashboard", args=[dialogue.pk]), dialogue.codename),
        (
            reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk]),
            f"workshop {workshop.number}",
        ),
    ]


def _cancel_confirmation(request, workshop) -> Confirmation:
    expected = selectors.expected_people(workshop=workshop).count()
    return Confirmation(
        title=f"Cancel workshop {workshop.number} of {workshop.series.title}?",
        action=request.path,
        button="Yes, cancel the workshop",
        back=reverse("dialogues:workshop_detail", args=[workshop.series.dialogue_id, workshop.pk]),
        back_label="No, keep the workshop and go back",
        happens=[
            f"The workshop of {workshop.local_starts_at:%-d %B %Y} is marked cancelled. It stays in its "
            "series and on calendars, as cancelled.",
            "Its invitations can no longer be answered or changed.",
        ],
        told=f"The {expected} {'person' if expected == 1 else 'people'} still expected (invited, or who "
        "accepted) hear of it by e-mail, which names only the dialogue's codename."
        if expected
        else "Nobody: no one is expected at this workshop.",
        final="A cancelled workshop cannot be brought back. To meet after all, schedule a new one: “Schedule "
        "the next one like this” on the workshop page copies its venue, agenda and invitations.",
        breadcrumbs=_breadcrumbs(workshop),
    )


@login_required
@require_http_methods(GET_POST)
def workshop_cancel(request, dialogue_id: int, workshop_id: int):
    """Cancelling a workshop: a confirmation page (GET, or a POST without the confirmation) saying who will be
    told; the cancellation once confirmed."""
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    back = redirect("dialogues:workshop_detail", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    if not confirmed(request):
        if workshop.status in (WorkshopStatus.CANCELLED, WorkshopStatus.HELD):
            messages.info(
                request, f"This workshop is {workshop.get_status_display().lower()}: nothing to cancel."
            )
            return back
        return ask(request, _cancel_confirmation(request, workshop))
    try:
        services.cancel_workshop(workshop=workshop, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, "The workshop is cancelled; the people invited will be told by e-mail.")
    return back


def _agenda_form(workshop, data=None, **kwargs) -> AgendaItemForm:
    return AgendaItemForm(data, days=workshop_days(workshop), timezone_name=workshop.timezone, **kwargs)


def _agenda_page(request, workshop, form, *, status=200):
    timetable = lay_out(
        workshop=workshop, items=list(workshop.agenda_items.order_by(*selectors.AGENDA_ORDER))
    )
    for day in timetable.days:
        for index, slot in enumerate(day.slots):
            before = day.slots[index - 1].item if index else None
            after = day.slots[index + 1].item if index + 1 < len(day.slots) else None
            slot.can_up = services.can_move(slot.item, before)
            slot.can_down = services.can_move(slot.item, after)
    context = {
        "dialogue": workshop.series.dialogue,
        "workshop": workshop,
        "timetable": timetable,
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
    form = _agenda_form(workshop, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agenda_item(workshop=workshop, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if not request.htmx:
                return redirect("dialogues:agenda", dialogue_id=dialogue_id, workshop_id=workshop.pk)
            form = _agenda_form(workshop)
    return _agenda_page(request, workshop, form, status=form_status(form))


@login_required
@require_http_methods(POST)
def agenda_item(request, dialogue_id: int, workshop_id: int, item_id: int):
    """Move an item up or down, hide it from participants or show it to them, or remove it."""
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    item = fetch_or_404(request, AgendaItem.objects.filter(workshop=workshop), pk=item_id)
    action = request.POST.get("action")
    if action in ("up", "down"):
        services.move_agenda_item(item=item, steps=-1 if action == "up" else 1, by=request.user)
    elif action in ("hide", "show", "toggle"):
        # "toggle" is what pages loaded before the buttons said what they do still send.
        hide = not item.facilitators_only if action == "toggle" else action == "hide"
        services.set_agenda_item_facilitators_only(item=item, facilitators_only=hide, by=request.user)
    elif action == "delete":
        services.remove_agenda_item(item=item, by=request.user)
    else:
        return HttpResponse("Unknown action.", status=400, content_type="text/plain")
    if request.htmx:
        return _agenda_page(request, workshop, _agenda_form(workshop))
    return redirect("dialogues:agenda", dialogue_id=dialogue_id, workshop_id=workshop.pk)


@login_required
@require_http_methods(GET_POST)
def agenda_item_edit(request, dialogue_id: int, workshop_id: int, item_id: int):
    """Change an item: its title, day, start time, length, notes, and whether participants see it."""
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    item = fetch_or_404(request, AgendaItem.objects.filter(workshop=workshop), pk=item_id)
    initial = {name: getattr(item, name) for name in services.EDITABLE_AGENDA_FIELDS}
    form = _agenda_form(workshop, request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_agenda_item(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"“{item.title}” saved.")
            return redirect("dialogues:agenda", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    context = {"dialogue": workshop.series.dialogue, "workshop": workshop, "item": item, "form": form}
    return render(request, "dialogues/scheduling/agenda_item_edit.html", context, status=form_status(form))


def _run_sheet_workshop(request, dialogue_id: int, workshop_id: int):
    # The facilitation team: those who see the facilitators-only items (view_all_workshops).
    return _workshop(request, dialogue_id, workshop_id, "view_all_workshops")


@login_required
@require_http_methods(["GET", "HEAD"])
def run_sheet(request, dialogue_id: int, workshop_id: int):
    """The run sheet as a page, laid out to print one day per sheet."""
    workshop = _run_sheet_workshop(request, dialogue_id, workshop_id)
    items = list(workshop.agenda_items.order_by(*selectors.AGENDA_ORDER))
    context = {"dialogue": workshop.series.dialogue, **run_sheet_context(workshop=workshop, items=items)}
    return render(request, "dialogues/scheduling/run_sheet.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def run_sheet_pdf(request, dialogue_id: int, workshop_id: int):
    workshop = _run_sheet_workshop(request, dialogue_id, workshop_id)
    items = list(workshop.agenda_items.order_by(*selectors.AGENDA_ORDER))
    pdf = services.download_run_sheet(workshop=workshop, items=items, by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{run_sheet_filename(workshop)}"'
    response["Cache-Control"] = "no-store"
    return response


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
                f"{len(created)} {'person' if len(created) == 1 else 'people'} invited; "
                "they will be told by e-mail."
                if created
                else "Everyone chosen was already invited.",
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
        "Invitation withdrawn; they will be told. To undo, invite them again below.",
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


def _withdraw_confirmation(request, workshop, invitation) -> Confirmation:
    person = invitation.person
    invitations_url = reverse("dialogues:invitations", args=[workshop.series.dialogue_id, workshop.pk])
    answered = invitation.status != InvitationStatus.INVITED
    return Confirmation(
        title=f"Withdraw {person.pseudonym}'s invitation to workshop {workshop.number}?",
        action=request.path,
        button=f"Yes, withdraw {person.pseudonym}'s invitation",
        back=invitations_url,
        back_label="No, keep the invitation and go back",
        hidden={"action": "withdraw"},
        happens=[
            f"{person.name} ({person.pseudonym}) no longer sees this workshop, its agenda or its venue.",
            f"Their answer ({invitation.get_status_display().lower()}) is not kept."
            if answered
            else "They have not answered yet.",
        ],
        told=f"{person.pseudonym} is told by e-mail, which names only the dialogue's codename."
        if workshop.status != WorkshopStatus.CANCELLED
        else "Nobody: the workshop is cancelled.",
        undo="Invite them again with “Invite” on the invitations page: they are told again and answer anew.",
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
        Invitation.objects.filter(workshop=workshop).select_related("person", "workshop"),
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
        run(invitation, request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, f"{invitation.person.pseudonym}: {done}")
    return back


# --- Invited people without a login --------------------------------------------------------------------


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
    text = f"{count} login invitation{'s' if count != 1 else ''} sent" + (
        f" ({', '.join(result.sent)})." if result.sent else "."
    )
    if result.skipped:
        text += " Not sent to: " + "; ".join(f"{who} ({why})" for who, why in result.skipped) + "."
    (messages.success if count else messages.info)(request, text)
    return redirect("dialogues:invitations", dialogue_id=dialogue_id, workshop_id=workshop.pk)


@login_required
@require_http_methods(GET_POST)
def invitation_answer(request, dialogue_id: int, workshop_id: int, invitation_id: int):
    """A facilitator records the answer of an invited person who has no login."""
    workshop = _workshop(request, dialogue_id, workshop_id, "schedule_workshops")
    invitation = fetch_or_404(
        request,
        Invitation.objects.filter(workshop=workshop).select_related("person", "workshop"),
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
            messages.success(request, f"{invitation.person.pseudonym}: answer recorded.")
            return redirect("dialogues:invitations", dialogue_id=dialogue_id, workshop_id=workshop.pk)
    context = {
        "dialogue": workshop.series.dialogue,
        "workshop": workshop,
        "invitation": invitation,
        "form": form,
    }
    return render(request, "dialogues/scheduling/invitation_answer.html", context, status=form_status(form))
