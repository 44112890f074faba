"""Recording a funder and adding its officers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.forms import PersonPickerForm
from funding.enums import FunderKind


class FunderForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As the funder calls itself, e.g. “Aldmere Peace Foundation”."),
    )
    kind = forms.ChoiceField(choices=FunderKind.choices, label=_("Kind of funder"))
    country = forms.CharField(
        label=_("Country"),
        max_length=100,
        required=False,
        help_text=_("Where the funder is based, if anywhere."),
    )


class OfficerForm(PersonPickerForm):
    """Someone on file (by pseudonym), or a new person (name and e-mail), as one of a funder's officers."""

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, people=people, **kwargs)
        self.fields["email"].help_text = _(
            "For a new person. Stored encrypted. An administrator sets up their login."
        )
