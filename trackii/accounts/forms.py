from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trackii.accounts.models import User


class LoginInviteForm(forms.Form):
    """A convenor picks someone of the dialogue to invite to set up a login."""

    person = forms.ModelChoiceField(
        queryset=None,
        label=gettext_lazy("Person"),
        widget=forms.RadioSelect,  # the page lists the people as radio buttons
        error_messages={
            "required": gettext_lazy("Choose whom to invite."),
            "invalid_choice": gettext_lazy("That person cannot be invited from this page."),
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy(
            "At least 12 characters. A few unrelated words make a strong password, easy to type."
        ),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Type it again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # Whether it must be ticked is the service's rule (accept_invitation), shown next to this box.
    accept_ground_rules = forms.BooleanField(
        required=False, label=gettext_lazy("I have read the ground rules and agree to keep them")
    )

    def __init__(self, *args, needs_ground_rules: bool, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        if not needs_ground_rules:
            del self.fields["accept_ground_rules"]

    def clean_password1(self):
        # Django's validators (the service asks them again): asked here so that a weak password shows beside
        # the form's own mistakes, such as two passwords that differ.
        password = self.cleaned_data["password1"]
        validate_password(password, user=User(email=self.email))
        return password

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords are not the same. Type them again."))
        return data
