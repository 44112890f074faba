"""Pages of removal and the emergency cut-off: the roster's "Remove" (with the choice to leave a former member
the sealed summaries of workshops they attended), withdrawing that choice later, cutting one person off from
every dialogue after a confirmation page, and restoring them. Each needs `manage_members` on the dialogue,
and the membership or person must be of that dialogue: otherwise it is the 404 of a missing one, so a
convenor can neither cut off nor learn about anyone outside the dialogues they convene."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods

from dialogues import selectors
from dialogues.http import GET_POST, POST
from dialogues.models import Dialogue
from dialogues.removal import selectors as removal_selectors
from dialogues.removal import services as removal_services
from dialogues.removal.forms import CutOffForm, RemoveMemberForm
from dialogues.services import revoke_role
from participants.models import Membership
from participants.selectors import pseudonyms_in, standing_cut_offs
from trackii.confirmation import Confirmation, ask, confirmed
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status, show_refusal


def _convened(request, dialogue_id: int) -> Dialogue:
    return fetch_or_404(
        request, selectors.dialogues_for_user(user=request.user, codename="manage_members"), pk=dialogue_id
    )


def _to_roster(dialogue: Dialogue):
    return redirect("dialogues:members", dialogue_id=dialogue.pk)


def _called_here(dialogue: Dialogue, person) -> str:
    """How this dialogue's roster calls the person: a member's pseudonym here (decision 0026), else (the
    facilitation team) their name, which the convenor reads on the roster anyway."""
    return pseudonyms_in(dialogue_id=dialogue.pk, person_ids=[person.pk]).get(person.pk) or person.name


def _summaries(n: int) -> str:
    return ngettext("%(count)d sealed summary", "%(count)d sealed summaries", n) % {"count": n}


def _removal_confirmation(request, dialogue: Dialogue, membership: Membership) -> Confirmation:
    person, pseudonym = membership.person, membership.pseudonym
    ahead = removal_selectors.invitations_ahead(membership=membership).count()
    roster = reverse("dialogues:members", args=[dialogue.pk])
    return Confirmation(
        title=_("Remove %(name)s (%(pseudonym)s) from %(codename)s?")
        % {"name": person.name, "pseudonym": pseudonym, "codename": dialogue.codename},
        action=request.path,
        button=_("Yes, remove %(pseudonym)s") % {"pseudonym": pseudonym},
        back=roster,
        back_label=_("No, keep them and go back to the roster"),
        happens=[
            _(
                "Their role as %(role)s ends now: from their next click they reach nothing of this dialogue, "
                "unless you leave them the sealed summaries below."
            )
            % {"role": membership.get_role_display().lower()},
            _("Their invitations to workshops still ahead (%(count)d) are withdrawn.") % {"count": ahead}
            if ahead
            else _("They have no invitation to a workshop still ahead."),
            _(
                "E-mails about this dialogue not yet sent to them are dropped, and so is an unused "
                "link to set "
                "up a login that this dialogue sent them."
            ),
            _("Their other dialogues, and the record of what they attended here, stay as they are."),
        ],
        told=_(
            "Nobody is sent an e-mail, not even them. The roster lists them under “Former members”, and "
            "the removal is in the audit log."
        ),
        undo=_(
            "Add them again with “Add a person” on the roster (they are among the people on file): their "
            "role comes back, but the invitations withdrawn now have to be sent again."
        ),
        breadcrumbs=[
            (reverse("home"), _("Your dialogues")),
            (reverse("dialogues:dialogue_detail", args=[dialogue.pk]), dialogue.codename),
            (roster, pgettext("breadcrumb", "members")),
        ],
    )


@login_required
@require_http_methods(GET_POST)
def member_remove(request, dialogue_id: int, membership_id: int):
    """The roster's "Remove…": a confirmation page (GET, or a POST without the confirmation) with the choice
    to leave them the sealed summaries they attended; the removal itself once confirmed."""
    dialogue = _convened(request, dialogue_id)
    membership = fetch_or_404(
        request,
        Membership.objects.filter(dialogue=dialogue, left_on__isnull=True).select_related("person"),
        pk=membership_id,
    )
    form = RemoveMemberForm(request.POST if request.method == "POST" else None)
    keep = form.is_valid() and form.cleaned_data["keep_sealed_summaries"]
    if not confirmed(request):
        return ask(
            request,
            _removal_confirmation(request, dialogue, membership),
            form=RemoveMemberForm(initial={"keep_sealed_summaries": keep}),
        )
    person = membership.person
    revoke_role(
        dialogue=dialogue, person=person, role=membership.role, by=request.user, keep_sealed_summaries=keep
    )
    again = " " + _("To undo, add them again with “Add a person” below.")
    if keep:
        kept = removal_selectors.kept_summary_count(membership=membership)
        messages.success(
            request,
            _(
                "%(pseudonym)s was removed from this dialogue and keeps read access to %(summaries)s of "
                "workshops they attended. Everything else of the dialogue ended for them now."
            )
            % {"pseudonym": membership.pseudonym, "summaries": _summaries(kept)}
            + again,
        )
    else:
        messages.success(
            request,
            _("%(pseudonym)s was removed from this dialogue. Their access ended now.")
            % {"pseudonym": membership.pseudonym}
            + again,
        )
    return _to_roster(dialogue)


def _withdraw_kept_confirmation(request, dialogue: Dialogue, membership: Membership) -> Confirmation:
    person, kept = membership.person, removal_selectors.kept_summary_count(membership=membership)
    pseudonym = membership.pseudonym
    roster = reverse("dialogues:members", args=[dialogue.pk])
    return Confirmation(
        title=_("Withdraw %(pseudonym)s's read access to the sealed summaries?") % {"pseudonym": pseudonym},
        action=request.path,
        button=_("Yes, withdraw %(pseudonym)s's read access") % {"pseudonym": pseudonym},
        back=roster,
        back_label=_("No, leave it and go back to the roster"),
        happens=[
            _(
                "%(name)s (%(pseudonym)s) left this dialogue and can still read %(summaries)s of "
                "workshops they "
                "attended. From their next click they can read none of them."
            )
            % {"name": person.name, "pseudonym": pseudonym, "summaries": _summaries(kept)},
            _("The copies they have already downloaded are theirs: withdrawing cannot call them back."),
        ],
        told=_("Nobody is sent an e-mail, not even them. The withdrawal is in the audit log."),
        final=_(
            "Read access cannot be given back to a former member. Should they return, add them again: "
            "as a member they read what their workshops' audiences read."
        ),
        breadcrumbs=[
            (reverse("home"), _("Your dialogues")),
            (reverse("dialogues:dialogue_detail", args=[dialogue.pk]), dialogue.codename),
            (roster, pgettext("breadcrumb", "members")),
        ],
    )


@login_required
@require_http_methods(GET_POST)
def kept_summaries_withdraw(request, dialogue_id: int, membership_id: int):
    """A former member's kept read access, withdrawn after a confirmation page (nothing kept: the roster)."""
    dialogue = _convened(request, dialogue_id)
    membership = fetch_or_404(
        request, Membership.objects.filter(dialogue=dialogue).select_related("person"), pk=membership_id
    )
    had = membership.keeps_sealed_summaries
    if had and not confirmed(request):
        return ask(request, _withdraw_kept_confirmation(request, dialogue, membership))
    if not confirmed(request):
        messages.info(
            request,
            _("%(pseudonym)s has no read access left to withdraw.") % {"pseudonym": membership.pseudonym},
        )
        return _to_roster(dialogue)
    removal_services.withdraw_kept_summaries(membership=membership, by=request.user)
    pseudonym = membership.pseudonym
    if had:
        messages.success(
            request,
            _("%(pseudonym)s can no longer read this dialogue's sealed summaries.")
            % {"pseudonym": pseudonym},
        )
    else:
        messages.info(
            request, _("%(pseudonym)s had no read access left to withdraw.") % {"pseudonym": pseudonym}
        )
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
                _(
                    "%(pseudonym)s is cut off: signed out everywhere, calendar feed stopped, invitations "
                    "withdrawn, e-mails not yet sent dropped. They cannot log in until a convenor "
                    "restores them."
                )
                % {"pseudonym": _called_here(dialogue, person)},
            )
            return _to_roster(dialogue)
    context = {
        "dialogue": dialogue,
        "person": person,
        "pseudonym": _called_here(dialogue, person),
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
            messages.info(
                request, _("%(pseudonym)s was not cut off.") % {"pseudonym": _called_here(dialogue, person)}
            )
        else:
            messages.success(
                request,
                _(
                    "%(pseudonym)s may log in again. Invitations withdrawn by the cut-off stay withdrawn: "
                    "invite them again where they should be."
                )
                % {"pseudonym": _called_here(dialogue, person)},
            )
    return _to_roster(dialogue)
