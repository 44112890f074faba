"""The request to destroy a dialogue: its reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dialogues.destruction.services import REASON_MAX_LENGTH, check_reason


class DestructionRequestForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        label=_("Why destroy it"),
        help_text=_(
            "Stored as plain text, not encrypted: it stays readable after the destruction, for the convenors "
            "and the auditors. Write no names and nothing confidential, for example “Programme ended; "
            "agreed with the funder to keep nothing”."
        ),
        error_messages={
            "required": _("Say why the dialogue is destroyed, in a sentence or two, without names.")
        },
    )

    def clean_reason(self) -> str:
        try:
            return check_reason(self.cleaned_data["reason"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["reason"]) from None
