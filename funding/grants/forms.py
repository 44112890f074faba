"""Recording a grant and changing its terms, status, conditions and expenses."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
    "min_value": _("The amount must be more than zero."),
    "invalid": _("Give the amount as a number, e.g. 12500 or 12500.50."),
    "max_digits": _("That amount is too large to record."),
    "max_decimal_places": _("Give at most two decimal places."),
}


DATE_ERRORS = {"invalid": _("Give the date as year-month-day, e.g. 2026-03-01.")}


def _flagged_help() -> str:
    labels = ", ".join(str(ConditionKind(kind).label).lower() for kind in sorted(FLAGGED_CONDITION_KINDS))
    return gettext("Conditions about %(kinds)s are flagged: accepting one needs a second convenor.") % {
        "kinds": labels
    }


class _GrantTerms(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=60,
        required=False,
        help_text=_("The funder's or your accountant's reference."),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("The whole grant, in its currency."),
        error_messages=AMOUNT_ERRORS,
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        initial="EUR",
        help_text=_("Three-letter code, e.g. EUR, USD or CHF."),
    )
    starts_on = BoundedDateField(widget=DateInput, label=_("Starts on"), error_messages=DATE_ERRORS)
    ends_on = BoundedDateField(widget=DateInput, label=_("Ends on"), error_messages=DATE_ERRORS)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the money is for. Members of the dialogue and the funder read this."),
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
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=None, empty_label=_("Choose a funder"))
    recipient = forms.ChoiceField(
        choices=(), label=_("For"), help_text=_("A dialogue you convene, or the Third Party's core budget.")
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
            [("", gettext("Choose a dialogue or the core budget"))]
            + [
                (key, gettext("Dialogue %(codename)s") % {"codename": d.codename})
                for key, d in self.dialogues.items()
            ]
            + [
                (f"{CORE}-{key}", gettext("Core budget of %(third_party)s") % {"third_party": t.name})
                for key, t in self.third_parties.items()
            ]
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
    status = forms.ChoiceField(label=_("Status"), choices=GrantStatus.choices)


class ConditionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", _("Choose what it is about")), *ConditionKind.choices],
        label=_("What the condition is about"),
        help_text=lazy(_flagged_help, str)(),
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("The condition"),
        help_text=_("As the funder put it."),
    )


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(
        choices=[
            (ConditionRuling.ACCEPTED, _("Accept")),
            (ConditionRuling.NEGOTIATED, _("Accept as negotiated")),
            (ConditionRuling.REJECTED, _("Reject")),
        ],
        widget=forms.RadioSelect,
        label=_("Ruling"),
        error_messages={"required": _("Choose whether to accept, negotiate or reject the condition.")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why. The funder and the dialogue's members read this."),
        error_messages={"required": _("Say why: every ruling on a funder's condition needs a rationale.")},
    )


class ExpenseForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Choose a category")), *ExpenseCategory.choices]
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("In the grant's currency."),
        error_messages=AMOUNT_ERRORS,
    )
    spent_on = BoundedDateField(widget=DateInput, label=_("Spent on"), error_messages=DATE_ERRORS)
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("For your accountant; the funder sees only totals by category."),
    )
