"""Pages of removal and the emergency cut-off: the roster's "Remove" (with the choice to leave a former member
the sealed summaries of workshops they attended), withdrawing that choice later, cutting one person off from
every dialogue after a confirmation page, and restoring them. Each needs `manage_members` on the dialogue,
and the membership or person must be of that dialogue: otherwise it is the 404 of a missing one, so a
convenor can neither cut off nor learn about anyone outside the dialogues they convene."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dialogues import selectors
from dialogues.http import GET_POST, POST
from dialogues.models import Dialogue
from dialogues.removal import selectors as removal_selectors
from dialogues.removal import services as removal_services
from dialogues.removal.forms import CutOffForm, RemoveMemberForm
from dialogues.services import revoke_role
from participants.models import Membership
from participants.selectors import standing_cut_offs
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status, show_refusal


def _convened(request, dialogue_id: int) -> Dialogue:
    return fetch_or_404(
        request, selectors.dialogues_for_user(user=request.user, codename="manage_members"), pk=dialogue_id
    )


def _to_roster(dialogue: Dialogue):
    return redirect("dialogues:members", dialogue_id=dialogue.pk)


def _summaries(n: int) -> str:
    return f"{n} sealed {'summary' if n == 1 else 'summaries'}"


@login_required
@require_http_methods(POST)
def member_remove(request, dialogue_id: int, membership_id: int):
    dialogue = _convened(request, dialogue_id)
    membership = fetch_or_404(
        request,
        Membership.objects.filter(dialogue=dialogue, left_on__isnull=True).select_related("person"),
        pk=membership_id,
    )
    form = RemoveMemberForm(request.POST)
    keep = form.is_valid() and form.cleaned_data["keep_sealed_summaries"]
    person = membership.person
    revoke_role(
        dialogue=dialogue, person=person, role=membership.role, by=request.user, keep_sealed_summaries=keep
    )
    if keep:
        kept = removal_selectors.kept_summary_count(membership=membership)
        messages.success(
            request,
            f"{person.pseudonym} was removed from this dialogue and keeps read access to {_summaries(kept)} "
            "of workshops they attended. Everything else of the dialogue ended for them now.",
        )
    else:
        messages.success(
            request, f"{person.pseudonym} was removed from this dialogue. Their access ended now."
        )
    return _to_roster(dialogue)


@login_required
@require_http_methods(POST)
def kept_summaries_withdraw(request, dialogue_id: int, membership_id: int):
    dialogue = _convened(request, dialogue_id)
    membership = fetch_or_404(
        request, Membership.objects.filter(dialogue=dialogue).select_related("person"), pk=membership_id
    )
    had = membership.keeps_sealed_summaries
    removal_services.withdraw_kept_summaries(membership=membership, by=request.user)
    pseudonym = membership.person.pseudonym
    if had:
        messages.success(request, f"{pseudonym} can no longer read this dialogue's sealed summaries.")
    else:
        messages.info(request, f"{pseudonym} had no read access left to withdraw.")
    return _to_roster(dialogue)


@login_required
@require_http_methods(GET_POST)
def person_cut_off(request, dialogue_id: int, person_id: int):
    """The confirmation page of the emergency cut-off, and the cut-off itself once a reason is given."""
    dialogue = _convened(request, dialogue_id)
    person = fetch_or_404(
        request,
        removal_selectors.people_of_dialogue(dialogue=dialogue).select_related("user"),
        pk=person_id,
    )
    form = CutOffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            removal_services.cut_off_person(
                person=person, dialogue=dialogue, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{person.pseudonym} is cut off: signed out everywhere, calendar feed stopped, invitations "
                "withdrawn, e-mails not yet sent dropped. They cannot log in until a convenor restores them.",
            )
            return _to_roster(dialogue)
    context = {
        "dialogue": dialogue,
        "person": person,
        "form": form,
        "is_self": person.user_id is not None and person.user_id == request.user.pk,
        "standing": standing_cut_offs().filter(person=person).first(),
    }
    return render(request, "dialogues/removal/cut_off.html", context, status=form_status(form))


@login_required
@require_http_methods(POST)
def person_restore(request, dialogue_id: int, person_id: int):
    dialogue = _convened(request, dialogue_id)
    person = fetch_or_404(
        request, removal_selectors.people_concerned_by_cut_offs(dialogue=dialogue), pk=person_id
    )
    try:
        lifted = removal_services.restore_person(person=person, dialogue=dialogue, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        if lifted is None:
            messages.info(request, f"{person.pseudonym} was not cut off.")
        else:
            messages.success(
                request,
                f"{person.pseudonym} may log in again. Invitations withdrawn by the cut-off stay withdrawn: "
                "invite them again where they should be.",
            )
    return _to_roster(dialogue)
