from django import forms

from trackii.staff.roles import Role

ROLE_CHOICES = [("", "Any role"), *Role.choices, ("superuser", "Superuser")]


class AccountSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=254,
        label="Find a login",
        help_text='A whole e-mail address (any case), a login number like "#12", or a pseudonym like "P-17".',
    )
    role = forms.ChoiceField(required=False, choices=ROLE_CHOICES, label="Staff role")
    disabled = forms.BooleanField(required=False, label="Disabled accounts")
    no_second_factor = forms.BooleanField(required=False, label="Without a second factor")
    locked = forms.BooleanField(required=False, label="Locked after failed logins")
    before = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
