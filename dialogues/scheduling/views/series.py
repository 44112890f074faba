"""A dialogue's workshop series: starting one, and its page, where those who schedule add a workshop, a
recurring run, or one that already took place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.conflicts import selectors as conflicts
from dialogues.enums import Repeat
from dialogues.http import GET_POST
from dialogues.permissions import dialogue_access
from dialogues.scheduling import selectors, services
from dialogues.scheduling.forms import ScheduleForm, SeriesForm
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status


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
        messages.success(
            request, _("Series “%(title)s” created. Now schedule its workshops.") % {"title": series.title}
        )
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # What a recorded workshop and a scheduled run are both made of.
        common = {
            "series": series,
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "timezone_name": data["timezone"],
            "venue": data["venue"] or None,
            "format": data["format"],
            "title": data["title"],
            "by": request.user,
        }
        try:
            if data["already_held"]:
                workshop = services.record_held_workshop(attended=data["attended"], **common)
            else:
                workshops = services.schedule_run(
                    repeat=data["repeat"],
                    interval=data["interval"] or 1,
                    count=data["count"],
                    until=data["until"],
                    **common,
                )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if data["already_held"]:
                attending = len(data["attended"])
                messages.success(
                    request,
                    _(
                        "Workshop %(number)s is recorded as held, with %(count)d attending. Nobody "
                        "was e-mailed."
                    )
                    % {"number": workshop.number, "count": attending},
                )
                return redirect("dialogues:workshop_detail", dialogue_id=dialogue.pk, workshop_id=workshop.pk)
            messages.success(
                request,
                ngettext(
                    "%(count)d workshop scheduled. Build the agenda and invite people from each "
                    "workshop's links.",
                    "%(count)d workshops scheduled. Build the agenda and invite people from each "
                    "workshop's links.",
                    len(workshops),
                )
                % {"count": len(workshops)},
            )
            # The facilitation team's other bookings on the new dates, said at once.
            found = conflicts.clashes(workshops=workshops, access=dialogue_access(request.user))
            for workshop in workshops:
                for clash in found.get(workshop.pk, ()):
                    messages.warning(
                        request,
                        _("Workshop %(number)s: %(problem)s %(advice)s")
                        % {"number": workshop.number, "problem": clash.problem, "advice": clash.advice},
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
