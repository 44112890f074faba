from django import forms
from django.utils.translation import gettext_lazy as _


class NameFormForm(forms.Form):
    """Another form of a person's name. What is refused (invisible characters, mixed scripts, a form already
    held) is the service's rule (participants.services.add_name_form); the view shows it next to the field."""

    name = forms.CharField(
        label=_("Another form of the name"),
        max_length=200,
        strip=False,
        help_text=_(
            "The same name in another script or transliteration, for example “Корвин Астели” for “Korvin "
            "Asteli”. Stored encrypted."
        ),
        error_messages={"required": _("Type the name as it is written in the other script.")},
    )
