"""A dialogue's outcomes: the list, recording one, and one outcome's road to Track One with the form that
records the next stage it reached. Reading needs `view_outcomes` (the facilitation team, a break-glass
reader); recording needs `manage_dialogue` (convenors and facilitators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from dialogues.enums import OutcomeStage
from dialogues.http import GET, GET_POST
from dialogues.models import Dialogue
from dialogues.outcomes import selectors, services
from dialogues.outcomes.forms import OutcomeForm, StageForm
from dialogues.permissions import can_view_insight, dialogue_access
from dialogues.selectors import dialogues_for_user
from trackii.permissions import fetch_or_404, refuse
from trackii.refusals import form_status, show_refusal


def _dialogue(request, dialogue_id: int, codename: str) -> Dialogue:
    return fetch_or_404(request, dialogues_for_user(user=request.user, codename=codename), pk=dialogue_id)


@login_required
@require_http_methods(GET)
def outcome_list(request, dialogue_id: int):
    dialogue = _dialogue(request, dialogue_id, "view_outcomes")
    access = dialogue_access(request.user)
    context = {
        "dialogue": dialogue,
        "outcomes": list(selectors.outcomes_of(dialogue=dialogue)),
        "stages": OutcomeStage,
        "can_manage": access.has(dialogue.pk, "manage_dialogue"),
        "can_view_insight": can_view_insight(access, dialogue.pk),
    }
    return render(request, "dialogues/outcomes/outcome_list.html", context)


@login_required
@require_http_methods(GET_POST)
def outcome_create(request, dialogue_id: int):
    dialogue = _dialogue(request, dialogue_id, "manage_dialogue")
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        dialogue=dialogue,
        initial={"reached_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.record_outcome(
                dialogue=dialogue,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                workshop=data["workshop"],
                transfer_to=data["transfer_to"],
                reached_on=data["reached_on"],
                channel=data["channel"],
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, gettext("The outcome was recorded as an idea raised."))
            return redirect("dialogues:outcome_detail", dialogue_id=dialogue.pk, outcome_id=outcome.pk)
    context = {"dialogue": dialogue, "form": form}
    return render(request, "dialogues/outcomes/outcome_form.html", context, status=form_status(form))


@login_required
@require_http_methods(GET_POST)
def outcome_detail(request, dialogue_id: int, outcome_id: int):
    """The outcome, its steps in order, and (for those who record outcomes) the form for its next stage."""
    access = dialogue_access(request.user)
    if request.method == "POST" and not access.has(dialogue_id, "manage_dialogue"):
        refuse(request, target_type="dialogues.outcome", target_id=str(outcome_id), attempted="outcome_stage")
    dialogue = _dialogue(request, dialogue_id, "view_outcomes")
    outcome = fetch_or_404(
        request,
        selectors.outcomes_for_user(user=request.user).filter(dialogue=dialogue).select_related("workshop"),
        pk=outcome_id,
    )
    can_manage = access.has(dialogue.pk, "manage_dialogue")
    upcoming = selectors.next_stage(outcome)
    form = None
    if can_manage and (upcoming or request.method == "POST"):
        form = StageForm(
            request.POST if request.method == "POST" else None,
            carriers=selectors.possible_carriers(dialogue=dialogue),
            initial={"stage": upcoming, "reached_on": timezone.localdate()},
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            step = services.record_outcome_stage(
                outcome=outcome,
                stage=data["stage"],
                reached_on=data["reached_on"],
                channel=data["channel"],
                carriers=data["carriers"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(
                request,
                gettext("Recorded: %(stage)s on %(day)s.")
                % {"stage": step.get_stage_display().lower(), "day": date_format(step.reached_on, "j F Y")},
            )
            return redirect("dialogues:outcome_detail", dialogue_id=dialogue.pk, outcome_id=outcome.pk)
    context = {
        "dialogue": dialogue,
        "outcome": outcome,
        "steps": selectors.steps_of(outcome=outcome),
        "next_stage": OutcomeStage(upcoming).label if upcoming else None,
        "next_stage_value": upcoming,
        "form": form,
        "can_view_insight": can_view_insight(access, dialogue.pk),
    }
    return render(request, "dialogues/outcomes/outcome_detail.html", context, status=form_status(form))
