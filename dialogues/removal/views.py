"""Pages of removal: the roster's "Remove" (with the choice to leave a former member the sealed summaries of
workshops they attended) and withdrawing that choice later. Each needs `manage_members` on the dialogue, and
the membership must be of that dialogue: otherwise it is the 404 of a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from dialogues import selectors
from dialogues.http import POST
from dialogues.models import Dialogue
from dialogues.removal import selectors as removal_selectors
from dialogues.removal import services as removal_services
from dialogues.removal.forms import RemoveMemberForm
from dialogues.services import revoke_role
from participants.models import Membership
from trackii.permissions import fetch_or_404


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
