from django import forms
from django.utils.translation import gettext_lazy as _

from trackii.staff.roles import Role

ROLE_CHOICES = [("", _("Any role")), *Role.choices, ("superuser", _("Superuser"))]


class AccountSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=254,
        label=_("Find a login"),
        help_text=_(
            'A whole e-mail address (any case), a login number like "#12", or a pseudonym like "P-17".'
        ),
    )
    role = forms.ChoiceField(required=False, choices=ROLE_CHOICES, label=_("Staff role"))
    disabled = forms.BooleanField(required=False, label=_("Disabled accounts"))
    no_second_factor = forms.BooleanField(required=False, label=_("Without a second factor"))
    locked = forms.BooleanField(required=False, label=_("Locked after failed logins"))
    before = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
