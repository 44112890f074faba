"""Forms of the facilitators' workspace: series, scheduling, agenda items and invitations."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dialogues.enums import Repeat, WorkshopFormat
from dialogues.forms import DateInput, LocalDateTimeField, TimezoneField, timezone_choices
from dialogues.scheduling.timetable import day_label
from trackii.inputs import BoundedDateField


class SeriesForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("A phase or a sub-group, e.g. “Phase 2: fisheries”.")
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class _WorkshopTimesForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    starts_at = LocalDateTimeField(label=_("Starts"), help_text=_("On the venue's clock."))
    ends_at = LocalDateTimeField(label=_("Ends"), help_text=_("On the venue's clock."))
    timezone = TimezoneField(label=_("Venue's time zone"), initial="Europe/Oslo")
    venue = forms.CharField(
        label=_("Venue"),
        max_length=300,
        required=False,
        help_text=_("Confidential: shown only to those invited (stored encrypted)."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=WorkshopFormat.choices)
    # That a workshop ends after it starts, and that a run says how long it repeats, are the services' rules
    # (schedule_run, reschedule_workshop): the views show their refusals next to these fields.

    def __init__(self, *args, zones_in_use=(), **kwargs):
        super().__init__(*args, **kwargs)
        if zones_in_use and "timezone" not in self.initial:
            self.initial["timezone"] = zones_in_use[0]  # a new workshop: where this team meets most
        self.fields["timezone"].choices = timezone_choices(
            first=zones_in_use, keep=self.initial.get("timezone")
        )


def _attended_field(**kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        # Offered were current members; one ticked may have left or been cut off since.
        error_messages={
            "invalid_choice": _(
                "Someone you ticked can no longer be recorded: they have left this dialogue or "
                "been cut off. Choose again from the list."
            )
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
        label=_("This workshop already took place"),
        help_text=_(
            "To record a workshop held before Trackii was used: it is recorded as held, with who "
            "attended, and nobody is e-mailed."
        ),
    )
    attended = _attended_field(
        label=_("Who attended"),
        help_text=_("Only for a workshop that already took place: the members who came."),
    )
    repeat = forms.ChoiceField(
        label=_("Repeat"), choices=Repeat.choices, initial=Repeat.NONE, widget=forms.RadioSelect
    )
    interval = forms.IntegerField(
        min_value=1,
        max_value=24,
        initial=1,
        label=_("Every"),
        help_text=_("Weeks or months between workshops."),
    )
    count = forms.IntegerField(
        min_value=1,
        max_value=24,
        required=False,
        label=_("How many workshops"),
        help_text=_("Or give an end date."),
    )
    until = BoundedDateField(required=False, widget=DateInput, label=_("Until"))

    def __init__(self, *args, people: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer(people)

    def clean(self):
        data = super().clean()
        if data.get("already_held") and data.get("repeat") not in (None, Repeat.NONE):
            self.add_error(
                "repeat",
                _("Record workshops that already took place one at a time: choose “%(choice)s”.")
                % {"choice": Repeat.NONE.label},
            )
        if data.get("attended") and not data.get("already_held"):
            self.add_error(
                "attended",
                _(
                    "Attendance is recorded only for a workshop that already took place. Tick “This workshop "
                    "already took place”, or untick these people to schedule it."
                ),
            )
        return data


class AttendanceForm(_AttendeesMixin, forms.Form):
    attended = _attended_field(
        label=_("Who attended"),
        help_text=_(
            "Everyone invited who is not ticked is recorded as absent; someone who declined and is "
            "not ticked stays declined. Tick members who came without an invitation too."
        ),
    )

    def __init__(self, *args, people: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer(people)


class WorkshopEditForm(_WorkshopTimesForm):
    scope = forms.ChoiceField(
        choices=[
            ("one", _("This workshop only")),
            ("following", _("This and all following workshops of the series")),
        ],
        initial="one",
        widget=forms.RadioSelect,
        label=_("Apply to"),
    )


class TimeOfDayInput(forms.TimeInput):
    """A time picker; its value is 24-hour "HH:MM" whatever the language, as browsers require."""

    input_type = "time"

    def __init__(self, attrs=None, format="%H:%M"):
        super().__init__(attrs, format=format)


class AgendaItemForm(forms.Form):
    """An agenda item, new or changed. The days offered are the workshop's own (`days`: their dates on the
    venue's clock); that the day is one of them and the length within a day is the service's rule too."""

    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.TypedChoiceField(
        label=_("Day"),
        coerce=int,
        choices=(),
        initial=1,
        # Left out (a one-day workshop's form still offers it), an item is on the first day.
        required=False,
        empty_value=1,
        error_messages={"invalid_choice": _("Choose one of the workshop's days from the list.")},
    )
    starts_at_time = forms.TimeField(
        required=False,
        widget=TimeOfDayInput,
        label=_("Starts at"),
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        error_messages={"invalid": _("Give the time as hours and minutes, e.g. 09:30.")},
    )
    duration_minutes = forms.IntegerField(
        min_value=1,
        max_value=24 * 60,
        required=False,
        label=_("Length in minutes"),
        error_messages={
            "min_value": _("Give the length in minutes, from 1 to 1440 (one day)."),
            "max_value": _("Give the length in minutes, from 1 to 1440 (one day)."),
            "invalid": _("Give the length as a whole number of minutes, e.g. 45."),
        },
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Notes"),
        help_text=_("Participants see these notes unless the item is hidden from them."),
    )
    facilitators_only = forms.BooleanField(
        required=False,
        label=_("Hide from participants"),
        help_text=_("For the facilitation team's own planning: participants never see this item."),
    )

    def __init__(self, *args, days, timezone_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(n, day_label(n, date)) for n, date in enumerate(days, start=1)]
        self.fields["starts_at_time"].help_text = _(
            "On the venue's clock (%(zone)s). Leave it empty and the item follows the one before it."
        ) % {"zone": timezone_name}


class WorkshopInviteForm(forms.Form):
    side = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=_("Nobody by side"), label=_("Invite everyone of a side")
    )
    people = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Or pick people"),
        # Offered were the members who may be invited; one ticked may have left or been cut off since.
        error_messages={
            "invalid_choice": _(
                "Someone you ticked can no longer be invited: they have left this dialogue or "
                "been cut off. Choose again from the list."
            )
        },
    )

    def __init__(self, *args, dialogue, members, notes=None, **kwargs):
        """`notes`: by person id, what clashes with the workshop for each member (their other bookings and
        unavailable dates, `dialogues.conflicts.selectors.clashes`), shown next to their name before
        inviting."""
        super().__init__(*args, **kwargs)
        self.members = {str(m.person_id): m for m in members}
        notes = notes or {}
        self.fields["side"].queryset = dialogue.sides.order_by("name")
        self.fields["people"].choices = [
            (
                key,
                f"{m.person.name} ({m.pseudonym}) · "
                + (m.side.name if m.side_id else m.get_role_display())
                + "".join(f" · ⚠ {clash.note}" for clash in notes.get(m.person_id, ())),
            )
            for key, m in self.members.items()
        ]

    def clean(self):
        data = super().clean()
        side, picked = data.get("side"), data.get("people") or []
        if side is None and not picked:
            raise ValidationError(_("Choose a side to invite everyone of it, or tick the people to invite."))
        chosen = {key: self.members[key].person for key in picked}
        if side is not None:
            chosen.update({str(m.person_id): m.person for m in self.members.values() if m.side_id == side.pk})
        data["chosen"] = list(chosen.values())
        if not data["chosen"]:
            self.add_error(
                "side", _("Nobody is a member of %(side)s yet. Add members first.") % {"side": side.name}
            )
        return data


class RecordAnswerForm(forms.Form):
    """The answer a facilitator records for an invited person without a login."""

    answer = forms.ChoiceField(
        choices=[
            ("accepted", _("Accepted: they will come")),
            ("declined", _("Declined: they will not come")),
        ],
        widget=forms.RadioSelect,
        label=_("Their answer"),
        error_messages={"required": _("Choose whether they accepted or declined.")},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        label=_("Note (optional)"),
        help_text=_("E.g. arriving on the second day. Stored encrypted; only the facilitators read it."),
    )
