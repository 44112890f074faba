"""A person's own data (issue 23): the "Your data" page and its JSON download, asking for erasure (after a
confirmation page) or taking the request back, and a convenor's answer from their dialogue: erase (after a
confirmation page) or decline with a reason. "Own" is the signed-in user's person, never an id from the URL;
a convenor opens only requests of people who are or were in a dialogue whose members they manage, and an
administrator (on the staff pages) only those of people in no dialogue at all."""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from dialogues import selectors as dialogue_selectors
from dialogues.http import DOWNLOAD, GET, GET_POST, POST
from dialogues.models import Dialogue
from dialogues.owndata import selectors, services
from dialogues.owndata.forms import DeclineErasureForm, ErasureRequestForm
from participants.models import ErasureRequest
from trackii.confirmation import Confirmation, ask, confirmed
from trackii.permissions import fetch_or_404, refuse
from trackii.refusals import add_errors, form_status, show_refusal
from trackii.staff.roles import is_administrator

EXPORT_FILE_NAME = "trackii-your-data.json"  # neutral: a file name travels and must name nobody


def _own(request, attempted: str):
    """The signed-in user's person; a login without one (staff, say) gets the ordinary 404."""
    person = selectors.own_person(user=request.user)
    if person is None:
        refuse(request, target_type="participants.person", attempted=attempted)
    return person


def _page(request, *, form=None, status=200):
    data = selectors.own_data(user=request.user)
    if data is None:
        refuse(request, target_type="participants.person", attempted="own data")
    services.view_own_data(person=data.person, by=request.user)
    context = {
        "data": data,
        "form": form or ErasureRequestForm(),
        "answerable": selectors.has_dialogue(person=data.person),
    }
    return render(request, "dialogues/owndata/own_data.html", context, status=status)


@login_required
@require_http_methods(GET)
def own_data(request):
    return _page(request)


@login_required
@require_http_methods(DOWNLOAD)
def own_data_export(request):
    data = selectors.own_data(user=request.user)
    if data is None:
        refuse(request, target_type="participants.person", attempted="own data export")
    services.export_own_data(person=data.person, by=request.user)
    body = json.dumps(selectors.as_json(data), ensure_ascii=False, indent=2, sort_keys=False)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILE_NAME}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _request_confirmation(request) -> Confirmation:
    return Confirmation(
        title=_("Ask for your data to be erased?"),
        action=request.path,
        button=_("Yes, ask for my data to be erased"),
        back=reverse("dialogues:own_data"),
        back_label=_("No, go back to my data"),
        happens=[
            _(
                "A convenor of a dialogue you belong or belonged to reads your request and answers it. "
                "Until then nothing changes, and you may take the request back on your data page."
            ),
            _(
                "If they erase your data: your roles in every dialogue end, your invitations to workshops "
                "still ahead are withdrawn, e-mails not yet sent to you are dropped, you are signed out "
                "everywhere and your login stops working for good."
            ),
            _(
                "Your name, e-mail, phone and affiliation are overwritten and the key they were encrypted "
                "with is destroyed, so no copy of the database, backups included, can show them again. The "
                "other forms of your name are deleted; your availability notes, review comments and notes "
                "on funding are emptied."
            ),
            _(
                "Backups made before the erasure still hold two things: your login e-mail address, "
                "encrypted under the installation's keys, and what you wrote in your dialogues with the "
                "other forms of your name, encrypted under each dialogue's key until that dialogue is "
                "destroyed."
            ),
            _(
                "What stays: the audit log, under your pseudonym and numbers only (it proves who did what "
                "and cannot be changed); sealed summaries and the copies already issued, which never named "
                "you; the fact that a person with your pseudonym took part, so the dialogue's numbers still "
                "add up."
            ),
        ],
        told=_(
            "The convenors of your dialogues see your request. You are sent one e-mail with the answer; "
            "after an erasure Trackii no longer has an address to write to."
        ),
        final=_("Once a convenor erases your data, it cannot be brought back, not even by you."),
        breadcrumbs=[(reverse("home"), _("Home")), (reverse("dialogues:own_data"), _("Your data"))],
    )


@login_required
@require_http_methods(GET_POST)
def erasure_request(request):
    """The confirmation page (GET, or a POST without the confirmation), then the request itself."""
    person = _own(request, "erasure request")
    form = ErasureRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not form.is_valid():
        return _page(request, form=form, status=400)
    if not confirmed(request):
        return ask(request, _request_confirmation(request), form=form if form.is_bound else None)
    try:
        services.request_erasure(person=person, message=form.cleaned_data["message"], by=request.user)
    except ValidationError as error:
        add_errors(form, error)
        return _page(request, form=form, status=400)
    messages.success(
        request, _("Your request is recorded. A convenor will answer it; you will be sent an e-mail.")
    )
    return redirect("dialogues:own_data")


@login_required
@require_http_methods(POST)
def erasure_withdraw(request):
    person = _own(request, "erasure withdraw")
    if services.withdraw_erasure_request(person=person, by=request.user) is None:
        messages.info(request, _("You have no request waiting to take back."))
    else:
        messages.success(request, _("Your request was taken back. Nothing was erased."))
    return redirect("dialogues:own_data")


# --- The answer: a convenor of the person's dialogue, or an administrator for someone in none ------------


@dataclass(frozen=True)
class _Where:
    """Where the answer is given from: a dialogue's roster, or the staff pages (someone in no dialogue)."""

    answer: str  # the request's page
    erase: str  # its confirmation
    done: str  # where a finished answer leads
    breadcrumbs: list
    dialogue: Dialogue | None = None


def _in_dialogue(request, dialogue_id: int, request_id: int) -> tuple[_Where, ErasureRequest]:
    dialogue = fetch_or_404(
        request,
        dialogue_selectors.dialogues_for_user(user=request.user, codename="manage_members"),
        pk=dialogue_id,
    )
    row = fetch_or_404(request, selectors.requests_of_dialogue(dialogue=dialogue), pk=request_id)
    where = _Where(
        answer=reverse("dialogues:erasure_answer", args=[dialogue.pk, row.pk]),
        erase=reverse("dialogues:erasure_erase", args=[dialogue.pk, row.pk]),
        done=reverse("dialogues:members", args=[dialogue.pk]),
        breadcrumbs=[
            (reverse("home"), _("Your dialogues")),
            (reverse("dialogues:dialogue_detail", args=[dialogue.pk]), dialogue.codename),
            (reverse("dialogues:members", args=[dialogue.pk]), pgettext("breadcrumb", "members")),
        ],
        dialogue=dialogue,
    )
    return where, row


def _administered(request, attempted: str, request_id: int | None = None):
    if not is_administrator(request.user):
        refuse(
            request,
            target_type="participants.erasurerequest",
            target_id="" if request_id is None else str(request_id),
            attempted=attempted,
        )


def _on_staff_pages(request, request_id: int) -> tuple[_Where, ErasureRequest]:
    _administered(request, "erasure answer", request_id)
    row = fetch_or_404(request, selectors.unplaced_requests(), pk=request_id)
    listing = reverse("dialogues:staff_erasure_requests")
    where = _Where(
        answer=reverse("dialogues:staff_erasure_answer", args=[row.pk]),
        erase=reverse("dialogues:staff_erasure_erase", args=[row.pk]),
        done=listing,
        breadcrumbs=[(reverse("home"), _("Home")), (listing, _("Erasure requests"))],
    )
    return where, row


def _called(where: _Where, row: ErasureRequest) -> str:
    """What the one who answers calls the person: in a dialogue, its own pseudonym for them (or the label of
    its facilitation team, decision 0026), never the account pseudonym, which would tell a convenor of one
    dialogue who the person is in another; on the staff pages, the account pseudonym (administrators read
    no names)."""
    if where.dialogue is None:
        return row.person.pseudonym
    return row.called_here or row.person.name


def _answer(request, where: _Where, row: ErasureRequest):
    """The request as the one who answers reads it, with "Erase…" and "Decline" (a POST declines)."""
    form = DeclineErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_erasure(erasure_request=row, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("You declined %(pseudonym)s's request. They read your reason on their data page.")
                % {"pseudonym": _called(where, row)},
            )
            return redirect(where.done)
    context = {
        "where": where,
        "erasure": row,
        "called": _called(where, row),
        "form": form,
        "is_self": row.person.user_id == request.user.pk,
        # A convenor reads the names of their dialogue's people; an administrator reads no one's.
        "show_name": where.dialogue is not None,
    }
    return render(request, "dialogues/owndata/erasure_answer.html", context, status=form_status(form))


def _erase_confirmation(request, where: _Where, row: ErasureRequest) -> Confirmation:
    called = _called(where, row)
    who = (
        _("%(name)s (%(pseudonym)s)") % {"name": row.person.name, "pseudonym": called}
        if where.dialogue is not None
        else called
    )
    return Confirmation(
        title=_("Erase %(who)s?") % {"who": who},
        action=request.path,
        button=_("Yes, erase %(pseudonym)s's data") % {"pseudonym": called},
        back=where.answer,
        back_label=_("No, go back to the request"),
        happens=[
            _(
                "Their roles end in this dialogue and in every other they belong to, with their invitations "
                "to workshops still ahead, their unused login links and the e-mails not yet sent to them."
            ),
            _(
                "Their login is disabled for good: signed out everywhere, calendar feed stopped, second "
                "factors removed, its address replaced by a placeholder."
            ),
            _(
                "Their name becomes their pseudonym; e-mail, phone, affiliation and notes are deleted and "
                "their data key is destroyed, so earlier backups cannot show those either. The other forms "
                "of their name are deleted; their availability notes, review comments and notes on funding "
                "are emptied."
            ),
            _(
                "Earlier backups still hold their login e-mail address, encrypted under the installation's "
                "keys, and what they wrote in dialogues with the other forms of their name, encrypted under "
                "those dialogues' keys until those dialogues are destroyed."
            ),
            _(
                "The audit log keeps its rows under their pseudonym and numbers; sealed summaries and the "
                "copies issued stay as they are (they never named them)."
            ),
        ],
        told=_(
            "They are sent one e-mail saying their data was erased, read from their address just before "
            "it is destroyed. The erasure is in the audit log."
        ),
        final=_("Nothing erased can be brought back, by anyone."),
        breadcrumbs=where.breadcrumbs,
    )


def _erase(request, where: _Where, row: ErasureRequest):
    if not row.is_open:
        messages.info(request, _("This request has already been answered."))
        return redirect(where.answer)
    if not confirmed(request):
        return ask(request, _erase_confirmation(request, where, row))
    pseudonym = _called(where, row)  # read before the erasure empties the name
    try:
        services.erase_person(erasure_request=row, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect(where.answer)
    messages.success(
        request,
        _("%(pseudonym)s's data was erased. Trackii shows them under their pseudonym only.")
        % {"pseudonym": pseudonym},
    )
    return redirect(where.done)


@login_required
@require_http_methods(GET_POST)
def erasure_answer(request, dialogue_id: int, request_id: int):
    return _answer(request, *_in_dialogue(request, dialogue_id, request_id))


@login_required
@require_http_methods(GET_POST)
def erasure_erase(request, dialogue_id: int, request_id: int):
    return _erase(request, *_in_dialogue(request, dialogue_id, request_id))


@login_required
@require_http_methods(GET)
def staff_erasure_requests(request):
    """The administrators' list: open requests of people in no dialogue, whom no convenor can answer."""
    _administered(request, "erasure requests")
    rows = list(selectors.unplaced_requests().filter(outcome=""))
    return render(request, "dialogues/owndata/staff_erasure_requests.html", {"rows": rows})


@login_required
@require_http_methods(GET_POST)
def staff_erasure_answer(request, request_id: int):
    return _answer(request, *_on_staff_pages(request, request_id))


@login_required
@require_http_methods(GET_POST)
def staff_erasure_erase(request, request_id: int):
    return _erase(request, *_on_staff_pages(request, request_id))
