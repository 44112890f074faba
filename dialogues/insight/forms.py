from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class ProgrammeFilterForm(forms.Form):
    """Narrow the programme-wide insight to one Third Party (a GET form, shown only when the viewer's
    dialogues belong to several). Choices are the viewer's own Third Parties: any other value is refused."""

    third_party = forms.TypedChoiceField(
        label=_("Third Party"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the Third Parties in the list, or all of them.")},
    )

    def __init__(self, *args, third_parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["third_party"].choices = [("", gettext("All of them"))] + [
            (
                str(pk),
                ngettext("%(name)s (%(n)s dialogue)", "%(name)s (%(n)s dialogues)", n)
                % {"name": name, "n": n},
            )
            for pk, name, n in third_parties
        ]
