"""The roster's removal form and the emergency cut-off's confirmation."""

from django import forms

from dialogues.removal.services import REASON_MAX_LENGTH


class RemoveMemberForm(forms.Form):
    keep_sealed_summaries = forms.BooleanField(
        required=False,
        label="Leave read access to the sealed summaries of workshops they attended",
        help_text="Off: everything of this dialogue ends for them on their next request.",
    )


class CutOffForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        label="Why",
        help_text="Stored encrypted. The convenors of this dialogue read it; convenors of their other "
        "dialogues see only that, and when, their access was cut off.",
        error_messages={"required": "Say why, in a sentence or two."},
    )
