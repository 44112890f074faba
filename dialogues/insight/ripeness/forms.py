"""The form of a ripeness log entry. The rules on the date and the words are the service's own, asked here
so that every mistake shows at once, next to its field."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dialogues.enums import RipenessKind
from dialogues.forms import DateInput
from dialogues.insight.ripeness.services import check_day, check_text
from dialogues.models.insight import RIPENESS_TEXT_LENGTH
from trackii.inputs import BoundedDateField


def _field_messages(error: ValidationError, field: str) -> list[str]:
    return error.message_dict.get(field, error.messages) if hasattr(error, "error_dict") else error.messages


class RipenessEntryForm(forms.Form):
    occurred_on = BoundedDateField(
        label=_("Date"),
        widget=DateInput,
        help_text=_("When it happened, or the day it is set for (at most a year ahead)."),
        error_messages={
            "required": _("Give the date it happened."),
            "invalid": _("Give a date, such as 2026-03-14."),
        },
    )
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[("", _("Choose…")), *RipenessKind.choices],
        error_messages={
            "required": _("Choose what happened."),
            "invalid_choice": _("Choose what happened from the list."),
        },
    )
    text = forms.CharField(
        label=_("In your words"),
        max_length=RIPENESS_TEXT_LENGTH,
        strip=False,  # the service's rule strips, after refusing what must not be kept
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            _(
                "Up to {limit} characters, for the facilitation team only; encrypted when stored. What "
                "happened and why it matters for the dialogue, not who said what."
            ),
            limit=f"{RIPENESS_TEXT_LENGTH:,}",
        ),
        error_messages={
            "required": _("Say in a sentence or two what happened."),
            "max_length": _("Keep it to %(limit_value)d characters (this has %(show_value)d)."),
        },
    )

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        try:
            check_day(day)
        except ValidationError as error:
            raise ValidationError(_field_messages(error, "occurred_on")) from None
        return day

    def clean_text(self):
        try:
            return check_text(self.cleaned_data["text"])
        except ValidationError as error:
            raise ValidationError(_field_messages(error, "text")) from None
