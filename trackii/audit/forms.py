import datetime as dt

from django import forms
from django.utils import timezone

from trackii.audit.enums import Action, Outcome
from trackii.inputs import BoundedDateField, LongSelect

# A browser shows an <input type=date> empty unless its value is ISO, whatever the language's date format.
ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditSearchForm(forms.Form):
    person = forms.CharField(
        required=False,
        max_length=254,
        help_text='An account: "#12", a pseudonym like "P-17", or a login e-mail.',
    )
    dialogue = forms.CharField(required=False, max_length=40, help_text="The dialogue's codename.")
    target_type = forms.CharField(
        required=False, max_length=100, label="Object type", help_text='For example "dialogues.summary".'
    )
    target_id = forms.CharField(required=False, max_length=64, label="Object id")
    action = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *Action.choices], widget=LongSelect
    )
    outcome = forms.ChoiceField(required=False, choices=[("", "Any outcome"), *Outcome.choices])
    since = BoundedDateField(required=False, label="From", widget=ISO_DATE)
    until = BoundedDateField(required=False, label="Until", help_text="Inclusive.", widget=ISO_DATE)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "“Until” must not be before “From”.")
        return data

    def day_bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        tz = timezone.get_current_timezone()
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        start = dt.datetime.combine(since, dt.time.min, tzinfo=tz) if since else None
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if until else None
        return start, end
