"""Forms of a person's own pages: answering an invitation, unavailable dates, calendar settings."""

from django import forms

from dialogues.enums import InvitationStatus
from dialogues.forms import TIMEZONE_CHOICES, DateInput


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[(InvitationStatus.ACCEPTED, "Accept"), (InvitationStatus.DECLINED, "Decline")]
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        label="Availability note",
        help_text="E.g. arriving on the second day. Only the facilitators read it.",
    )


class UnavailabilityForm(forms.Form):
    starts_on = forms.DateField(widget=DateInput, label="From")
    ends_on = forms.DateField(widget=DateInput, label="To (inclusive)")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last day must be on or after the first.")
        return data


class CalendarSettingsForm(forms.Form):
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, label="Show times in", initial="UTC")
    feed_detail = forms.BooleanField(
        required=False,
        label="Put titles and venues in my feed",
        help_text="Off by default: then your calendar provider sees only codenames and times.",
    )
