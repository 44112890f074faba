"""Pages of destroying a concluded dialogue (issue 23): the destruction page (the request form, the open
request with its confirm and withdraw buttons, withdrawn requests, the retention date), the confirmation that
destroys it, and withdrawing a request. Only the dialogue's convenors reach them (`manage_members`); anyone
else gets the 404 of a missing dialogue. Once it is destroyed, DestroyedDialogueMiddleware answers instead."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.destruction import selectors, services
from dialogues.destruction.forms import DestructionRequestForm
from dialogues.enums import DialogueStatus
from dialogues.http import GET_POST, POST
from dialogues.models import Dialogue, DialogueDestruction
from trackii.confirmation import Confirmation, ask, confirmed
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status, show_refusal


def _convened(request, dialogue_id: int) -> Dialogue:
    return fetch_or_404(
        request,
        dialogue_selectors.dialogues_for_user(user=request.user, codename="manage_members"),
        pk=dialogue_id,
    )


def _to_page(dialogue: Dialogue):
    return redirect("dialogues:destruction", dialogue_id=dialogue.pk)


def _breadcrumbs(dialogue: Dialogue) -> list[tuple[str, str]]:
    return [
        (reverse("home"), _("Your dialogues")),
        (reverse("dialogues:dialogue_detail", args=[dialogue.pk]), dialogue.codename),
        (reverse("dialogues:destruction", args=[dialogue.pk]), pgettext("breadcrumb", "destroy")),
    ]


@login_required
@require_http_methods(GET_POST)
def destruction(request, dialogue_id: int):
    """The destruction page: what destroying does, who asked and why, and the form to ask (a POST)."""
    dialogue = _convened(request, dialogue_id)
    form = DestructionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_destruction(
                dialogue=dialogue, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Destruction requested. Nothing is destroyed until a different convenor of this dialogue "
                    "confirms it on this page; either of you may withdraw it until then."
                ),
            )
            return _to_page(dialogue)
    current = selectors.current_destruction(dialogue=dialogue)
    context = {
        "dialogue": dialogue,
        "form": form,
        "current": current,
        "requested": selectors.account_label(current.requested_by) if current else "",
        "asked_by_me": current is not None and current.requested_by_id == request.user.pk,
        # A convenor made after the request cannot confirm it (decision 0027): the page says so up front.
        "convenor_before": current is not None
        and selectors.convenor_before(user=request.user, dialogue=dialogue, moment=current.requested_at),
        "withdrawn": [
            (w, selectors.account_label(w.requested_by), selectors.account_label(w.withdrawn_by))
            for w in selectors.withdrawn_requests(dialogue=dialogue)
        ],
        "concluded": dialogue.status == DialogueStatus.CONCLUDED,
        "convenors": [f.person.pseudonym for f in selectors.convenors(dialogue=dialogue)],
        "destroy_on": selectors.scheduled_day(dialogue=dialogue),
        "breadcrumbs": _breadcrumbs(dialogue)[:2],
    }
    return render(request, "dialogues/destruction/page.html", context, status=form_status(form))


def _open_request(request, dialogue: Dialogue) -> DialogueDestruction:
    return fetch_or_404(
        request,
        DialogueDestruction.objects.filter(
            dialogue=dialogue, withdrawn_at__isnull=True, destroyed_at__isnull=True
        ),
    )


def _confirmation(request, dialogue: Dialogue, destruction: DialogueDestruction) -> Confirmation:
    codename = dialogue.codename
    return Confirmation(
        title=_("Destroy %(codename)s for good?") % {"codename": codename},
        action=request.path,
        button=_("Yes, destroy %(codename)s now") % {"codename": codename},
        back=reverse("dialogues:destruction", args=[dialogue.pk]),
        back_label=_("No, keep it and go back"),
        happens=[
            _(
                "The dialogue's data key is destroyed. Everything encrypted under it becomes unreadable: its "
                "title, conflict and ground rules, the titles of its series, workshops and agenda items, the "
                "names of its people as written in it, its notes, venues, summaries and their versions, "
                "review comments, outcomes, the ripeness log and every sealed PDF."
            ),
            _(
                "The few words of it not under its key are replaced: the sides become “Side 1”, “Side 2” "
                "and their descriptions are emptied, and transfers' recipients become “—”. E-mails about it "
                "not yet sent are dropped, sealing not finished is stopped, and unused links to set up a "
                "login that it sent stop working."
            ),
            _(
                "What stays readable: the codename %(codename)s, its dates, counts (of workshops, members, "
                "summaries), the pseudonyms of the people in it, this request with its reason, and the audit "
                "log, which holds ids, not content."
            )
            % {"codename": codename},
            _("Its members, and you, see a page “destroyed on …” wherever its pages were."),
        ],
        told=_(
            "Every convenor of %(codename)s is sent an e-mail that names only the codename. Nobody else is "
            "told; the destruction is in the audit log."
        )
        % {"codename": codename},
        final=_(
            "Nobody can read the destroyed values again: not you, not an administrator, and not from a "
            "backup made since this installation moved each dialogue's words under a key of its own, since "
            "that key was never in the backups. Backups made before that move still hold everything, as "
            "plain text or under the installation's key ring, which is not destroyed: retire them, or the "
            "dialogue stays readable in them. Anything downloaded before stays with whoever downloaded it."
        ),
        breadcrumbs=_breadcrumbs(dialogue),
    )


@login_required
@require_http_methods(GET_POST)
def destruction_confirm(request, dialogue_id: int):
    """A second convenor confirms: the confirmation page first (GET, or a POST without it), then the
    destruction."""
    dialogue = _convened(request, dialogue_id)
    destruction = _open_request(request, dialogue)
    if not confirmed(request):
        return ask(
            request,
            _confirmation(request, dialogue, destruction),
            template="dialogues/destruction/confirm.html",
            destruction=destruction,
            requested=selectors.account_label(destruction.requested_by),
        )
    try:
        services.confirm_destruction(destruction=destruction, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return _to_page(dialogue)
    messages.success(request, _("%(codename)s is destroyed.") % {"codename": dialogue.codename})
    return redirect("dialogues:dialogue_detail", dialogue_id=dialogue.pk)


@login_required
@require_http_methods(POST)
def destruction_withdraw(request, dialogue_id: int):
    dialogue = _convened(request, dialogue_id)
    destruction = _open_request(request, dialogue)
    try:
        services.withdraw_destruction(destruction=destruction, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("The request to destroy the dialogue was withdrawn. Nothing was destroyed.")
        )
    return _to_page(dialogue)
