from django import forms

from trackii.staff.enums import RequestKind
from trackii.staff.requests.services import REASON_MAX
from trackii.staff.roles import Role

REASON_ERRORS = {"max_length": f"Keep the reason under {REASON_MAX} characters."}


class StaffInviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter the e-mail address to send the invitation to.",
            "invalid": "Enter an e-mail address such as name@example.org.",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose auditor or administrator."},
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the administrator who confirms, and to the auditors.",
        error_messages=REASON_ERRORS,
    )


class StaffChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label="What should change",
        choices=[
            (kind.value, kind.label)
            for kind in (RequestKind.GRANT_ROLE, RequestKind.REMOVE_ROLE, RequestKind.RESET_SECOND_FACTOR)
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what should change.",
            "invalid_choice": "Choose what should change.",
        },
    )
    role = forms.ChoiceField(
        label="Role (to grant or remove)",
        required=False,
        choices=[("", "No role: resetting the second factor"), *Role.choices],
        error_messages={"invalid_choice": "Choose auditor or administrator."},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Required to reset a second factor. Shown to the administrator who confirms, and to the auditors."
        ),
        error_messages=REASON_ERRORS,
    )
