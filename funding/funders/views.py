"""The convenors' funders: the list, recording a funder, its page (details and officers). A funder's page
opens for someone who manages one of its grants, or any convenor while it has none (funding/permissions.py);
anyone else gets the same 404 as for a funder that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from dialogues.selectors import people_known_to
from funding.funders import selectors, services
from funding.funders.forms import FunderForm, OfficerForm
from funding.grants.selectors import grants_for_user
from funding.permissions import require_funding_manager
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status

GET, GET_POST, POST = ["GET", "HEAD"], ["GET", "HEAD", "POST"], ["POST"]


@login_required
@require_http_methods(GET)
def funder_list(request):
    require_funding_manager(request)
    return render(
        request,
        "funding/funders/funder_list.html",
        {"funders": selectors.funders_with_officers(user=request.user)},
    )


@login_required
@require_http_methods(GET_POST)
def funder_create(request):
    require_funding_manager(request)
    form = FunderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            funder = services.record_funder(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                gettext("%(funder)s is recorded. Add its officers, then record its grants.")
                % {"funder": funder.name},
            )
            return redirect("funding:funder_detail", funder_id=funder.pk)
    return render(request, "funding/funders/funder_form.html", {"form": form}, status=form_status(form))


def _funder(request, funder_id: int):
    return fetch_or_404(request, selectors.funders_for_user(user=request.user), pk=funder_id)


def _funder_page(request, funder, *, form=None, officer_form=None, status: int = 200):
    context = {
        "funder": funder,
        "form": form
        or FunderForm(initial={"name": funder.name, "kind": funder.kind, "country": funder.country}),
        "officer_form": officer_form
        or OfficerForm(people=people_known_to(user=request.user), prefix="officer"),
        "officers": funder.officers.select_related("user").order_by("pseudonym"),
        "grants": grants_for_user(user=request.user).filter(funder=funder, can_manage=True),
    }
    return render(request, "funding/funders/funder_detail.html", context, status=status)


@login_required
@require_http_methods(GET_POST)
def funder_detail(request, funder_id: int):
    funder = _funder(request, funder_id)
    if request.method != "POST":
        return _funder_page(request, funder)
    form = FunderForm(request.POST)
    if form.is_valid():
        try:
            services.update_funder(funder=funder, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("The funder was saved."))
            return redirect("funding:funder_detail", funder_id=funder.pk)
    funder.refresh_from_db()  # the heading keeps the stored name, the form what was typed
    return _funder_page(request, funder, form=form, status=400)


@login_required
@require_http_methods(POST)
def officer_add(request, funder_id: int):
    funder = _funder(request, funder_id)
    form = OfficerForm(request.POST, people=people_known_to(user=request.user), prefix="officer")
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = services.add_officer_with_person(
                funder=funder,
                person=data.get("person"),
                name=data["name"],
                email=data["email"] or None,
                by=request.user,
            )
        except ValidationError as error:
            if "person" in getattr(error, "error_dict", {}):  # the service's refusal of this person
                form.add_error("pseudonym" if data.get("person") else "name", error.message_dict["person"])
            else:
                add_errors(form, error)
        else:
            messages.success(
                request,
                gettext("%(pseudonym)s is now an officer of %(funder)s.")
                % {"pseudonym": person.pseudonym, "funder": funder.name},
            )
            return redirect("funding:funder_detail", funder_id=funder.pk)
    if form.refused_unknown_person:
        services.record_refused_officer_lookup(funder=funder, by=request.user)
    return _funder_page(request, funder, officer_form=form, status=400)


@login_required
@require_http_methods(POST)
def officer_remove(request, funder_id: int, person_id: int):
    funder = _funder(request, funder_id)
    person = fetch_or_404(request, funder.officers.all(), pk=person_id)
    services.remove_officer(funder=funder, person=person, by=request.user)
    messages.success(
        request,
        gettext("%(pseudonym)s is no longer an officer of %(funder)s: their access ended now.")
        % {"pseudonym": person.pseudonym, "funder": funder.name},
    )
    return redirect("funding:funder_detail", funder_id=funder.pk)
