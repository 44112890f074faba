"""The roster's removal form and the emergency cut-off's confirmation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.removal.services import REASON_MAX_LENGTH


class RemoveMemberForm(forms.Form):
    keep_sealed_summaries = forms.BooleanField(
        required=False,
        label=_("Leave read access to the sealed summaries of workshops they attended"),
        help_text=_("Off: everything of this dialogue ends for them on their next request."),
    )


class CutOffForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        label=_("Why"),
        help_text=_(
            "Stored encrypted. The convenors of this dialogue read it; convenors of their other "
            "dialogues see only that, and when, their access was cut off."
        ),
        error_messages={"required": _("Say why, in a sentence or two.")},
    )
