from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from trackii.staff.enums import RequestKind
from trackii.staff.requests.services import REASON_MAX
from trackii.staff.roles import Role

REASON_ERRORS = {"max_length": format_lazy(_("Keep the reason under {limit} characters."), limit=REASON_MAX)}


class StaffInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter the e-mail address to send the invitation to."),
            "invalid": _("Enter an e-mail address such as name@example.org."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a role."),
            "invalid_choice": _("Choose auditor or administrator."),
        },
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the administrator who confirms, and to the auditors."),
        error_messages=REASON_ERRORS,
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation e-mail"),
        required=False,
        choices=settings.LANGUAGES,
        help_text=_("The new login starts in this language; its holder can change it."),
    )


class StaffChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What should change"),
        choices=[
            (kind.value, kind.label)
            for kind in (RequestKind.GRANT_ROLE, RequestKind.REMOVE_ROLE, RequestKind.RESET_SECOND_FACTOR)
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what should change."),
            "invalid_choice": _("Choose what should change."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role (to grant or remove)"),
        required=False,
        choices=[("", _("No role: resetting the second factor")), *Role.choices],
        error_messages={"invalid_choice": _("Choose auditor or administrator.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to reset a second factor. Shown to the administrator who confirms, and to the auditors."
        ),
        error_messages=REASON_ERRORS,
    )
