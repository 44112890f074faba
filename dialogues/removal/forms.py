"""The roster's removal form."""

from django import forms


class RemoveMemberForm(forms.Form):
    keep_sealed_summaries = forms.BooleanField(
        required=False,
        label="Leave read access to the sealed summaries of workshops they attended",
        help_text="Off: everything of this dialogue ends for them on their next request.",
    )
