"""Forms of a person's own pages: answering an invitation, unavailable dates, calendar settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.enums import InvitationStatus
from dialogues.forms import DateInput, TimezoneField, timezone_choices
from trackii.inputs import BoundedDateField


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[(InvitationStatus.ACCEPTED, "Accept"), (InvitationStatus.DECLINED, "Decline")],
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        label=_("Availability note"),
        help_text=_("E.g. arriving on the second day. Only the facilitators read it."),
    )


class UnavailabilityForm(forms.Form):
    """The dates; that the last is not before the first is the service's rule (add_unavailability)."""

    starts_on = BoundedDateField(widget=DateInput, label=_("From"))
    ends_on = BoundedDateField(widget=DateInput, label=_("To (inclusive)"))


class CalendarSettingsForm(forms.Form):
    timezone = TimezoneField(label=_("Show times in"), initial="UTC")
    feed_detail = forms.BooleanField(
        required=False,
        label=_("Put titles and venues in my feed"),
        help_text=_("Off by default: then your calendar provider sees only codenames, numbers and times."),
    )

    def __init__(self, *args, zones_in_use=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices(
            first=zones_in_use, keep=self.initial.get("timezone")
        )
