"""A member's answer on the funding arrangements."""

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.approval.services import NOTE_MAX_LENGTH
from participants.enums import FundingConsent


class AnswerForm(forms.Form):
    consent = forms.ChoiceField(
        choices=[
            (FundingConsent.APPROVED, _("I approve of these funding arrangements")),
            (FundingConsent.OBJECTED, _("I object to these funding arrangements")),
        ],
        widget=forms.RadioSelect,
        label=_("Your answer"),
        error_messages={"required": _("Choose whether you approve or object.")},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        label=_("A note for the convenors (optional)"),
        help_text=_("For example, what worries you. Only the convenors of this dialogue read it."),
    )
