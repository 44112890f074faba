"""A workshop's agenda: the builder laid out in time (adding, moving, hiding from participants, removing and
changing items) and the facilitation team's run sheet, as a printable page and as a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogues.http import GET_POST, POST
from dialogues.models import AgendaItem
from dialogues.scheduling import selectors, services
from dialogues.scheduling.forms import AgendaItemForm
from dialogues.scheduling.run_sheet import run_sheet_context, run_sheet_filename
from dialogues.scheduling.timetable import lay_out, workshop_days
from dialogues.scheduling.views.workshops import _workshop
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status


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
            messages.success(request, _("“%(title)s” saved.") % {"title": item.title})
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
