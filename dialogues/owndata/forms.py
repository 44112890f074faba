"""The erasure request's message and a convenor's reason for declining it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.owndata.services import MESSAGE_MAX_LENGTH


class ErasureRequestForm(forms.Form):
    message = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX_LENGTH,
        label=_("Message to the convenor (optional)"),
        help_text=_("Stored encrypted. Only the convenors who answer your request read it."),
    )


class DeclineErasureForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX_LENGTH,
        label=_("Why you decline"),
        help_text=_("The person reads this on their data page. Stored encrypted."),
        error_messages={"required": _("Say why, in words the person understands.")},
    )
