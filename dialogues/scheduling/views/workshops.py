"""The workshop page everyone with access reads, and the facilitators' changes to one workshop: moving it
(with the clashes new dates bring, before saving), scheduling the next one like it, cancelling it and
marking it held. `_workshop` opens a workshop of the dialogue with a permission, for every page of the
package."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.conflicts import selectors as conflicts
from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.http import GET_POST, POST
from dialogues.models import Workshop
from dialogues.permissions import dialogue_access
from dialogues.scheduling import selectors, services
from dialogues.scheduling.forms import AttendanceForm, WorkshopEditForm
from dialogues.scheduling.recurrence import localize, wall_clock
from trackii.confirmation import Confirmation, ask, confirmed
from trackii.dates import localised
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
                ngettext(
                    "Saved. %(count)d workshop changed; the people invited will be told by e-mail.",
                    "Saved. %(count)d workshops changed; the people invited will be told by e-mail.",
                    len(changed),
                )
                % {"count": len(changed)}
                if changed
                else _("Saved. 0 workshops changed."),
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
        _(
            "Workshop %(number)s is scheduled with the same venue, agenda and invitations. "
            "Check its date and times below."
        )
        % {"number": new.number},
    )
    return redirect("dialogues:workshop_edit", dialogue_id=dialogue_id, workshop_id=new.pk)


def _breadcrumbs(workshop) -> list[tuple[str, str]]:
    dialogue = workshop.series.dialogue
    return [
        (reverse("home"), _("Your dialogues")),
        (reverse("dialogues:dashboard", args=[dialogue.pk]), dialogue.codename),
        (
            reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk]),
            _("workshop %(number)s") % {"number": workshop.number},
        ),
    ]


def _cancel_confirmation(request, workshop) -> Confirmation:
    expected = selectors.expected_people(workshop=workshop).count()
    return Confirmation(
        title=_("Cancel workshop %(number)s of %(series)s?")
        % {"number": workshop.number, "series": workshop.series.title},
        action=request.path,
        button=_("Yes, cancel the workshop"),
        back=reverse("dialogues:workshop_detail", args=[workshop.series.dialogue_id, workshop.pk]),
        back_label=_("No, keep the workshop and go back"),
        happens=[
            _(
                "The workshop of %(day)s is marked cancelled. It stays in its series and on calendars, "
                "as cancelled."
            )
            % {"day": date_format(workshop.local_starts_at, localised("j F Y"))},
            _("Its invitations can no longer be answered or changed."),
        ],
        told=ngettext(
            "The %(count)d person still expected (invited, or who accepted) hear of it by e-mail, "
            "which names "
            "only the dialogue's codename.",
            "The %(count)d people still expected (invited, or who accepted) hear of it by e-mail, "
            "which names "
            "only the dialogue's codename.",
            expected,
        )
        % {"count": expected}
        if expected
        else _("Nobody: no one is expected at this workshop."),
        final=_(
            "A cancelled workshop cannot be brought back. To meet after all, schedule a new one: “Schedule "
            "the next one like this” on the workshop page copies its venue, agenda and invitations."
        ),
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
                request,
                _("This workshop is %(status)s: nothing to cancel.")
                % {"status": workshop.get_status_display().lower()},
            )
            return back
        return ask(request, _cancel_confirmation(request, workshop))
    try:
        services.cancel_workshop(workshop=workshop, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The workshop is cancelled; the people invited will be told by e-mail."))
    return back


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
                _("Workshop %(number)s is marked as held, with %(count)d attending. Nobody was e-mailed.")
                % {"number": workshop.number, "count": len(form.cleaned_data["attended"])},
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
