"""The choice made when generating a disclosure report: the language it is written in (issue 22)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class DisclosureForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=settings.LANGUAGES,
        help_text=_("The sealed PDF stays in this language, whoever downloads it."),
    )
