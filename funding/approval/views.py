"""A participant's own page on the funding of their dialogue: who funds it, for what, on what terms (the
conditions and the Third Party's rulings), and their answer. Amounts are not shown: they are the Third
Party's and the funder's business, and the terms are what members are asked to judge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from funding.approval import selectors, services
from funding.approval.forms import AnswerForm
from participants.enums import FundingConsent
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status

GET_POST = ["GET", "HEAD", "POST"]


@login_required
@require_http_methods(GET_POST)
def approval(request, dialogue_id: int):
    membership = fetch_or_404(
        request, selectors.memberships_asked(user=request.user), dialogue_id=dialogue_id
    )
    note = getattr(membership, "funding_note", None)
    initial = {"note": note.text if note else ""}
    if membership.funding_consent != FundingConsent.PENDING:
        initial["consent"] = membership.funding_consent
    form = AnswerForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_funding(membership=membership, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if form.cleaned_data["consent"] == FundingConsent.APPROVED:
                thanks = gettext("Thank you: your approval is recorded. The convenors can see it.")
            else:
                thanks = gettext("Thank you: your objection is recorded. The convenors can see it.")
            messages.success(request, thanks)
            return redirect("funding:approval", dialogue_id=dialogue_id)
    grants = list(selectors.arrangements_of(dialogue_id=dialogue_id))
    context = {"membership": membership, "dialogue": membership.dialogue, "grants": grants, "form": form}
    return render(request, "funding/approval/approval.html", context, status=form_status(form))
