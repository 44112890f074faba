"""Forms of the facilitators' workspace: series, scheduling, agenda items and invitations."""

from django import forms
from django.core.exceptions import ValidationError

from dialogues.enums import Repeat, WorkshopFormat
from dialogues.forms import TIMEZONE_CHOICES, DateInput, LocalDateTimeField
from trackii.inputs import BoundedDateField


class SeriesForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="A phase or a sub-group, e.g. “Phase 2: fisheries”.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class _WorkshopTimesForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    starts_at = LocalDateTimeField(label="Starts", help_text="On the venue's clock.")
    ends_at = LocalDateTimeField(label="Ends", help_text="On the venue's clock.")
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, label="Venue's time zone", initial="Europe/Oslo")
    venue = forms.CharField(
        max_length=300,
        required=False,
        help_text="Confidential: shown only to those invited (stored encrypted).",
    )
    format = forms.ChoiceField(choices=WorkshopFormat.choices)
    # That a workshop ends after it starts, and that a run says how long it repeats, are the services' rules
    # (schedule_run, reschedule_workshop): the views show their refusals next to these fields.


def _attended_field(**kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        # Offered were current members; one ticked may have left or been cut off since.
        error_messages={
            "invalid_choice": "Someone you ticked can no longer be recorded: they have left this dialogue or "
            "been cut off. Choose again from the list."
        },
        **kwargs,
    )


class _AttendeesMixin:
    """`attended` offers `people` (person id → (label, Person)); cleaned, it is the list of Persons ticked.
    That at least one is ticked, and that each may be, are the services' rules."""

    def _offer(self, people: dict) -> None:
        self.people = people
        self.fields["attended"].choices = [(key, label) for key, (label, _person) in people.items()]

    def clean_attended(self):
        return [self.people[key][1] for key in self.cleaned_data.get("attended") or []]


class ScheduleForm(_AttendeesMixin, _WorkshopTimesForm):
    already_held = forms.BooleanField(
        required=False,
        label="This workshop already took place",
        help_text="To record a workshop held before Trackii was used: it is recorded as held, with who "
        "attended, and nobody is e-mailed.",
    )
    attended = _attended_field(
        label="Who attended", help_text="Only for a workshop that already took place: the members who came."
    )
    repeat = forms.ChoiceField(choices=Repeat.choices, initial=Repeat.NONE, widget=forms.RadioSelect)
    interval = forms.IntegerField(
        min_value=1, max_value=24, initial=1, label="Every", help_text="Weeks or months between workshops."
    )
    count = forms.IntegerField(
        min_value=1,
        max_value=24,
        required=False,
        label="How many workshops",
        help_text="Or give an end date.",
    )
    until = BoundedDateField(required=False, widget=DateInput, label="Until")

    def __init__(self, *args, people: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer(people)

    def clean(self):
        data = super().clean()
        if data.get("already_held") and data.get("repeat") not in (None, Repeat.NONE):
            self.add_error(
                "repeat",
                f"Record workshops that already took place one at a time: choose “{Repeat.NONE.label}”.",
            )
        if data.get("attended") and not data.get("already_held"):
            self.add_error(
                "attended",
                "Attendance is recorded only for a workshop that already took place. Tick “This workshop "
                "already took place”, or untick these people to schedule it.",
            )
        return data


class AttendanceForm(_AttendeesMixin, forms.Form):
    attended = _attended_field(
        label="Who attended",
        help_text="Everyone invited who is not ticked is recorded as absent; someone who declined and is "
        "not ticked stays declined. Tick members who came without an invitation too.",
    )

    def __init__(self, *args, people: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer(people)


class WorkshopEditForm(_WorkshopTimesForm):
    scope = forms.ChoiceField(
        choices=[
            ("one", "This workshop only"),
            ("following", "This and all following workshops of the series"),
        ],
        initial="one",
        widget=forms.RadioSelect,
        label="Apply to",
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    duration_minutes = forms.IntegerField(min_value=1, max_value=24 * 60, required=False, label="Minutes")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    facilitators_only = forms.BooleanField(
        required=False, help_text="Hidden from participants: for the facilitation team's own planning."
    )


class WorkshopInviteForm(forms.Form):
    side = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Nobody by side", label="Invite everyone of a side"
    )
    people = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Or pick people",
        # Offered were the members who may be invited; one ticked may have left or been cut off since.
        error_messages={
            "invalid_choice": "Someone you ticked can no longer be invited: they have left this dialogue or "
            "been cut off. Choose again from the list."
        },
    )

    def __init__(self, *args, dialogue, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.person_id): m for m in members}
        self.fields["side"].queryset = dialogue.sides.order_by("name")
        self.fields["people"].choices = [
            (
                key,
                f"{m.person.name} ({m.person.pseudonym}) · "
                + (m.side.name if m.side_id else m.get_role_display()),
            )
            for key, m in self.members.items()
        ]

    def clean(self):
        data = super().clean()
        side, picked = data.get("side"), data.get("people") or []
        if side is None and not picked:
            raise ValidationError("Choose a side to invite everyone of it, or tick the people to invite.")
        chosen = {key: self.members[key].person for key in picked}
        if side is not None:
            chosen.update({str(m.person_id): m.person for m in self.members.values() if m.side_id == side.pk})
        data["chosen"] = list(chosen.values())
        if not data["chosen"]:
            self.add_error("side", f"Nobody is a member of {side.name} yet. Add members first.")
        return data
