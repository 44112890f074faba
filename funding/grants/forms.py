"""Recording a grant and changing its terms, status, conditions and expenses."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from dialogues.forms import DateInput
from funding.enums import (
    FLAGGED_CONDITION_KINDS,
    ConditionKind,
    ConditionRuling,
    ExpenseCategory,
    GrantStatus,
)
from funding.grants.services import check_period, currency_code
from trackii.inputs import BoundedDateField

CORE = "core"


AMOUNT_ERRORS = {
    "min_value": "The amount must be more than zero.",
    "invalid": "Give the amount as a number, e.g. 12500 or 12500.50.",
    "max_digits": "That amount is too large to record.",
    "max_decimal_places": "Give at most two decimal places.",
}


DATE_ERRORS = {"invalid": "Give the date as year-month-day, e.g. 2026-03-01."}


FLAGGED_LABELS = ", ".join(ConditionKind(kind).label.lower() for kind in sorted(FLAGGED_CONDITION_KINDS))


class _GrantTerms(forms.Form):
    reference = forms.CharField(
        max_length=60, required=False, help_text="The funder's or your accountant's reference."
    )
    amount = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="The whole grant, in its currency.",
        error_messages=AMOUNT_ERRORS,
    )
    currency = forms.CharField(
        max_length=3, min_length=3, initial="EUR", help_text="Three-letter code, e.g. EUR, USD or CHF."
    )
    starts_on = BoundedDateField(widget=DateInput, label="Starts on", error_messages=DATE_ERRORS)
    ends_on = BoundedDateField(widget=DateInput, label="Ends on", error_messages=DATE_ERRORS)
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the money is for. Members of the dialogue and the funder read this.",
    )

    # The service's own rules, asked here too so that every mistake shows at once.
    def clean_currency(self):
        return currency_code(currency=self.cleaned_data["currency"])

    def clean(self):
        data = super().clean()
        try:
            check_period(starts_on=data.get("starts_on"), ends_on=data.get("ends_on"))
        except ValidationError as error:
            self.add_error(None, error)
        return data


class GrantForm(_GrantTerms):
    funder = forms.ModelChoiceField(queryset=None, empty_label="Choose a funder")
    recipient = forms.ChoiceField(
        choices=(), label="For", help_text="A dialogue you convene, or the Third Party's core budget."
    )

    field_order = [
        "funder",
        "recipient",
        "reference",
        "amount",
        "currency",
        "starts_on",
        "ends_on",
        "purpose",
    ]

    def __init__(self, *args, funders, dialogues, third_parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders
        self.dialogues = {str(d.pk): d for d in dialogues}
        self.third_parties = {str(t.pk): t for t in third_parties}
        self.fields["recipient"].choices = (
            [("", "Choose a dialogue or the core budget")]
            + [(key, f"Dialogue {d.codename}") for key, d in self.dialogues.items()]
            + [(f"{CORE}-{key}", f"Core budget of {t.name}") for key, t in self.third_parties.items()]
        )

    def clean_recipient(self):
        """(dialogue or None, third party)."""
        value = self.cleaned_data["recipient"]
        if value.startswith(f"{CORE}-"):
            return None, self.third_parties[value.removeprefix(f"{CORE}-")]
        dialogue = self.dialogues[value]
        return dialogue, dialogue.third_party


class GrantTermsForm(_GrantTerms):
    pass


class GrantStatusForm(forms.Form):
    status = forms.ChoiceField(choices=GrantStatus.choices)


class ConditionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "Choose what it is about"), *ConditionKind.choices],
        label="What the condition is about",
        help_text=f"Conditions about {FLAGGED_LABELS} are flagged: accepting one needs a second convenor.",
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="The condition", help_text="As the funder put it."
    )


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(
        choices=[
            (ConditionRuling.ACCEPTED, "Accept"),
            (ConditionRuling.NEGOTIATED, "Accept as negotiated"),
            (ConditionRuling.REJECTED, "Reject"),
        ],
        widget=forms.RadioSelect,
        label="Ruling",
        error_messages={"required": "Choose whether to accept, negotiate or reject the condition."},
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why. The funder and the dialogue's members read this.",
        error_messages={"required": "Say why: every ruling on a funder's condition needs a rationale."},
    )


class ExpenseForm(forms.Form):
    category = forms.ChoiceField(choices=[("", "Choose a category"), *ExpenseCategory.choices])
    amount = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="In the grant's currency.",
        error_messages=AMOUNT_ERRORS,
    )
    spent_on = BoundedDateField(widget=DateInput, label="Spent on", error_messages=DATE_ERRORS)
    description = forms.CharField(
        max_length=200,
        required=False,
        help_text="For your accountant; the funder sees only totals by category.",
    )
