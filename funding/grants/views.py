"""Grants: the funding list, a grant's page (what each viewer may see of it), and the convenors' changes to a
grant, its conditions and its expenses; the accountant's CSV. Every grant comes through a selector and
`fetch_or_404`, so a grant the user may not see, or may not change, is the same 404 as one that does not
exist, for every method. A service's refusal that is about the grant rather than a field (its status moved on
meanwhile) is said at the top of the grant's page, where the form it came from may no longer be shown."""

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from funding.approval.selectors import answers_of, memberships_asked, with_answer_counts
from funding.disclosures.selectors import disclosures_context
from funding.enums import GRANT_SPENDING, GRANT_TERMS_OPEN, GRANT_TRANSITIONS, GrantStatus
from funding.funders.selectors import all_funders
from funding.grants import export, selectors, services
from funding.grants.forms import (
    ConditionForm,
    ExpenseForm,
    GrantForm,
    GrantStatusForm,
    GrantTermsForm,
    RulingForm,
)
from funding.insight.selectors import activity_of
from funding.permissions import grant_viewer, manages_some_funding, require_funding_manager
from trackii.charts.export import in_source_language
from trackii.inputs import parse_id
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status, show_refusal

GET, GET_POST, POST = ["GET", "HEAD"], ["GET", "HEAD", "POST"], ["POST"]
# What each status move is called on the convenors' buttons.
MOVE_LABELS = {
    GrantStatus.ACCEPTED: gettext_lazy("Accept the grant"),
    GrantStatus.DECLINED: gettext_lazy("Decline the grant"),
    GrantStatus.ACTIVE: gettext_lazy("Make the grant active"),
    GrantStatus.CLOSED: gettext_lazy("Close the grant"),
}


def _managed_grant(request, grant_id: int):
    return fetch_or_404(
        request, selectors.grants_for_user(user=request.user).filter(can_manage=True), pk=grant_id
    )


def grant_url(grant) -> str:
    return reverse("funding:grant_detail", args=[grant.pk])


@login_required
@require_http_methods(GET)
def grant_list(request):
    """Convenors: every grant they manage, with the members' answers. Members: who funds their dialogues,
    and where to give their answer. A funder's officer: the grants that funder made, and nothing else."""
    can_record = manages_some_funding(request.user)
    grants = selectors.grants_for_user(user=request.user)
    if can_record:
        grants = with_answer_counts(grants=grants)
    grants = list(grants)
    context = {
        "grants": grants,
        "can_record": can_record,
        "show_amounts": any(g.sees_budget for g in grants),
        "is_officer": any(g.as_officer for g in grants),
        "asked": memberships_asked(user=request.user),
    }
    return render(request, "funding/grants/grant_list.html", context)


def _grant_page(request, grant, *, status: int = 200, **forms):
    viewer = grant_viewer(grant)
    conditions = list(selectors.conditions_of(grant=grant))
    managing = viewer == "manager"
    terms_open = grant.status in GRANT_TERMS_OPEN
    if managing and terms_open:
        for condition in conditions:
            condition.form = forms.get("ruling_forms", {}).get(condition.pk) or RulingForm(
                prefix=f"condition-{condition.pk}",
                initial={
                    "ruling": condition.proposed_ruling or condition.ruling,
                    "rationale": condition.rationale,
                }
                if condition.ruled_by_id
                else None,
            )
    context = {
        "grant": grant,
        "viewer": viewer,
        "conditions": conditions,
        "terms_open": terms_open,
        "spending": grant.status in GRANT_SPENDING,
        "threshold": settings.TRACKII_SMALL_COUNT_THRESHOLD,
    }
    if viewer != "member":
        context["budget"] = selectors.budget_of(grant=grant)
        context["activity"] = activity_of(grant=grant)
    if viewer in {"manager", "team"}:
        context["expenses"] = selectors.expenses_of(grant=grant)
    if viewer in {"manager", "funder"}:
        context["disclosure_section"] = disclosures_context(grant=grant, managing=managing)
    if managing:
        answers = list(answers_of(dialogue_id=grant.dialogue_id)) if grant.dialogue_id else None
        context.update(
            moves=[
                (move, MOVE_LABELS[move])
                for move in GrantStatus
                if move in GRANT_TRANSITIONS[GrantStatus(grant.status)]
            ],
            blockers=selectors.activation_blockers(conditions=conditions),
            condition_form=forms.get("condition_form") or ConditionForm(),
            expense_form=forms.get("expense_form") or ExpenseForm(),
            answers=answers,
            answer_counts=Counter(m.funding_consent for m in answers or ()),
        )
    return render(request, "funding/grants/grant_detail.html", context, status=status)


@login_required
@require_http_methods(GET)
def grant_detail(request, grant_id: int):
    grant = fetch_or_404(request, selectors.grants_for_user(user=request.user), pk=grant_id)
    return _grant_page(request, grant)


@login_required
@require_http_methods(GET_POST)
def grant_create(request):
    require_funding_manager(request)
    dialogues, third_parties = selectors.recipients_for(user=request.user)
    initial = {}  # preselected from the page the convenor came from
    for field, parameter in (("recipient", "dialogue"), ("funder", "funder")):
        if (chosen := parse_id(request.GET.get(parameter))) is not None:
            initial[field] = str(chosen)
    form = GrantForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        funders=all_funders(),
        dialogues=dialogues,
        third_parties=third_parties,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dialogue, third_party = data["recipient"]
        try:
            grant = services.record_grant(
                funder=data["funder"],
                dialogue=dialogue,
                third_party=third_party,
                reference=data["reference"],
                amount=data["amount"],
                currency=data["currency"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                purpose=data["purpose"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, gettext("The grant is recorded as proposed. Now record the funder's conditions.")
            )
            return redirect("funding:grant_detail", grant_id=grant.pk)
    return render(request, "funding/grants/grant_form.html", {"form": form}, status=form_status(form))


@login_required
@require_http_methods(GET_POST)
def grant_edit(request, grant_id: int):
    grant = _managed_grant(request, grant_id)
    form = GrantTermsForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(grant, name) for name in GrantTermsForm.base_fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_grant(grant=grant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("The grant's terms were saved."))
            return redirect("funding:grant_detail", grant_id=grant.pk)
    context = {"form": form, "grant": grant, "terms_open": grant.status in GRANT_TERMS_OPEN}
    return render(request, "funding/grants/grant_form.html", context, status=form_status(form))


@login_required
@require_http_methods(POST)
def grant_status(request, grant_id: int):
    grant = _managed_grant(request, grant_id)
    form = GrantStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose the status to move the grant to."))
    else:
        try:
            grant = services.change_grant_status(
                grant=grant, status=form.cleaned_data["status"], by=request.user
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(
                request,
                gettext("The grant is now %(status)s.") % {"status": grant.get_status_display().lower()},
            )
    return redirect("funding:grant_detail", grant_id=grant.pk)


@login_required
@require_http_methods(POST)
def condition_add(request, grant_id: int):
    grant = _managed_grant(request, grant_id)
    form = ConditionForm(request.POST)
    if form.is_valid():
        try:
            condition = services.record_condition(grant=grant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # about the grant, not a field
                show_refusal(request, error)
                return redirect(f"{grant_url(grant)}#conditions")
            add_errors(form, error)
        else:
            if condition.flagged:
                recorded = gettext(
                    "The condition is recorded and awaits your ruling. It is flagged: accepting it needs a "
                    "second convenor."
                )
            else:
                recorded = gettext("The condition is recorded and awaits your ruling.")
            messages.success(request, recorded)
            return redirect(f"{grant_url(grant)}#condition-{condition.pk}")
    return _grant_page(request, grant, status=400, condition_form=form)


def _condition(request, grant, condition_id: int):
    return fetch_or_404(request, grant.conditions.all(), pk=condition_id)


@login_required
@require_http_methods(POST)
def condition_rule(request, grant_id: int, condition_id: int):
    grant = _managed_grant(request, grant_id)
    condition = _condition(request, grant, condition_id)
    form = RulingForm(request.POST, prefix=f"condition-{condition.pk}")
    if form.is_valid():
        try:
            condition = services.rule_on_condition(condition=condition, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # about the grant, not a field
                show_refusal(request, error)
                return redirect(f"{grant_url(grant)}#condition-{condition.pk}")
            add_errors(form, error)
        else:
            if selectors.awaiting_confirmation(condition=condition):
                messages.success(
                    request,
                    gettext(
                        "Your ruling is recorded. This condition is flagged, so another convenor must "
                        "confirm it before it counts."
                    ),
                )
            else:
                messages.success(
                    request,
                    gettext("Ruling recorded: %(ruling)s.")
                    % {"ruling": condition.get_ruling_display().lower()},
                )
            return redirect(f"{grant_url(grant)}#condition-{condition.pk}")
    return _grant_page(request, grant, status=400, ruling_forms={condition.pk: form})


@login_required
@require_http_methods(POST)
def condition_confirm(request, grant_id: int, condition_id: int):
    grant = _managed_grant(request, grant_id)
    condition = _condition(request, grant, condition_id)
    try:
        condition = services.confirm_condition(condition=condition, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            gettext("You confirmed the ruling: the condition is %(ruling)s.")
            % {"ruling": condition.get_ruling_display().lower()},
        )
    return redirect(f"{grant_url(grant)}#condition-{condition.pk}")


@login_required
@require_http_methods(POST)
def expense_add(request, grant_id: int):
    grant = _managed_grant(request, grant_id)
    form = ExpenseForm(request.POST)
    if form.is_valid():
        try:
            services.record_expense(grant=grant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # about the grant, not a field
                show_refusal(request, error)
                return redirect(f"{grant_url(grant)}#budget")
            add_errors(form, error)
        else:
            messages.success(request, gettext("The expense is recorded."))
            return redirect(f"{grant_url(grant)}#budget")
    return _grant_page(request, grant, status=400, expense_form=form)


@login_required
@require_http_methods(POST)
def expense_remove(request, grant_id: int, expense_id: int):
    grant = _managed_grant(request, grant_id)
    expense = fetch_or_404(request, grant.expenses.all(), pk=expense_id)
    try:
        services.remove_expense(expense=expense, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, gettext("The expense was removed."))
    return redirect(f"{grant_url(grant)}#budget")


@login_required
@require_http_methods(GET)
@in_source_language
def grant_export(request):
    """Every grant the convenor manages (their dialogues' grants and their Third Party's core budget) and its
    expenses, one row each, for the accountant. Dialogues appear by codename only."""
    require_funding_manager(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="trackii-grants-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    export.write_grants_csv(out=response, grants=selectors.export_grants(user=request.user), by=request.user)
    return response
