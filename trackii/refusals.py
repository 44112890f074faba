"""How a view shows a service's refusal. Services raise ValidationError; views never word it again.

    try:
        services.invite(workshop=workshop, people=people, by=request.user)
    except ValidationError as error:
        show_refusal(request, error, form=form)   # next to its field, or at the top of the form
    ...
    return render(request, template, context, status=form_status(form))

Without a form (a button), the refusal becomes a message at the top of the page the view redirects to.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: next to its field when it names one the form has."""
    pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, errors in pairs:
        form.add_error(field if field in form.fields else None, errors)


def refusal_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def show_refusal(request, error: ValidationError, *, form=None) -> None:
    if form is not None:
        add_errors(form, error)
    else:
        messages.error(request, refusal_text(error))


def form_status(form) -> int:
    """400 when the form was refused, so tests, scripts and assistive tools can tell without reading it."""
    return 400 if form is not None and form.errors else 200
