"""Asking before a step that cannot be taken back (concluding a dialogue, sealing a summary, removing a
member, withdrawing an invitation, cancelling a workshop). The question is a page of its own, so it works
without JavaScript: a GET of the step's URL shows it, and so does a POST that lacks the confirmation field;
only a POST that carries it takes the step. The view opens its objects with the same permission check
either way, so the question is refused (the same 404) exactly where the step would be.

    if not confirmed(request):
        return ask(request, Confirmation(title=..., action=request.path, button="Yes, conclude it", ...))
    services.change_dialogue_status(...)

The page (templates/confirm.html) says what will happen, who will be told, what cannot be undone and, where
a step can be taken back, how; its last button is the only red one."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

CONFIRM_FIELD, CONFIRM_VALUE = "confirmed", "yes"


@dataclass(frozen=True)
class Confirmation:
    title: str  # the question, also the page's heading: "Conclude tidewater?"
    action: str  # where the form posts: the step's own URL
    button: str  # "Yes, conclude the dialogue"
    back: str  # where "go back" leads, changing nothing
    back_label: str = _("No, keep it as it is")
    happens: Sequence[str] = ()  # what the step does, one plain sentence each
    told: str = ""  # who hears of it, and how
    final: str = ""  # what cannot be undone
    undo: str = ""  # how to take it back, where it can be
    hidden: Mapping[str, str] = field(default_factory=dict)  # what the first form carried (a choice, a text)
    breadcrumbs: Sequence[tuple[str, str]] = ()  # (url, label) pairs leading to the page the step is on


def confirmed(request) -> bool:
    """Whether this request takes the step: a POST with the confirmation field, never a GET."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def ask(
    request, confirmation: Confirmation, *, form=None, template: str = "confirm.html", **context
) -> HttpResponse:
    """The confirmation page. `form` adds fields the step takes (shown with what was chosen); `template`
    may extend confirm.html to show more (the text about to be sealed). Nothing is written here."""
    return render(
        request,
        template,
        {
            "confirm": confirmation,
            "form": form,
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
            **context,
        },
    )
