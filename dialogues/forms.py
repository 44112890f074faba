import zoneinfo

from django import forms
from django.core.exceptions import ValidationError

from dialogues.enums import (
    DialogueRole,
    DialogueStatus,
    InvitationStatus,
    Repeat,
    ReviewCommentStatus,
    WorkshopFormat,
)
from dialogues.models import Dialogue
from dialogues.permissions import FACILITATION_ROLES, MEMBER_ROLES
from dialogues.recurrence import localize
from dialogues.services import BREAK_GLASS_MAX_MINUTES
from participants.models import Person


def add_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: next to its field when it names one the form has."""
    pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, errors in pairs:
        form.add_error(field if field in form.fields else None, errors)


# Roles a convenor gives on the roster; funders and auditors are given theirs elsewhere.
ROLE_CHOICES = [(r.value, r.label) for r in DialogueRole if r in MEMBER_ROLES | FACILITATION_ROLES]


class PersonPickerForm(forms.Form):
    """Someone already on file (by pseudonym) or a new person (name and e-mail). A pseudonym is looked up
    only among `people`, those the user may already see (dialogues.selectors.people_known_to)."""

    pseudonym = forms.CharField(
        required=False,
        max_length=32,
        help_text='Someone already on file, e.g. "P-17". Leave empty for a new person.',
    )
    name = forms.CharField(required=False, max_length=200, help_text="For a new person. Stored encrypted.")
    email = forms.EmailField(required=False, help_text="For a new person. Stored encrypted.")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.refused_unknown_person = False

    def clean(self):
        data = super().clean()
        pseudonym, name = data.get("pseudonym", "").strip(), data.get("name", "").strip()
        if pseudonym and name:
            raise ValidationError(
                "Give either a pseudonym of someone on file or a new person's name, not both."
            )
        if not pseudonym and not name:
            raise ValidationError("Give the pseudonym of someone on file, or the name of a new person.")
        if pseudonym:
            # Someone the user cannot see reads exactly like nobody: a pseudonym must not unlock a name.
            data["person"] = self.people.filter(pseudonym__iexact=pseudonym).first()
            if data["person"] is None:
                self.add_error("pseudonym", f"Nobody on file has the pseudonym “{pseudonym}”.")
        elif data.get("email"):
            self._check_email_on_file(data["email"])
        return data

    def _check_email_on_file(self, email: str) -> None:
        """Someone already on file is added by pseudonym. Whether a stranger is on file is not for this page
        to say: the refusal names nobody (and the view audits it, so probing shows up)."""
        existing = Person.objects.filter(Person.email_lookup(email)).first()
        if existing is None:
            return
        if self.people.filter(pk=existing.pk).exists():
            self.add_error("email", f"{existing.pseudonym} already has this address: add them by pseudonym.")
        else:
            self.refused_unknown_person = True
            self.add_error("email", "This person cannot be added from here. Ask an administrator.")


class AddMemberForm(PersonPickerForm):
    """Add someone already on file (by pseudonym) or a new person (name and e-mail) to a dialogue."""

    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=DialogueRole.PARTICIPANT)
    side = forms.ModelChoiceField(queryset=None, required=False, help_text="Participants speak for a side.")

    def __init__(self, *args, dialogue, people, **kwargs):
        super().__init__(*args, people=people, **kwargs)
        self.fields["side"].queryset = dialogue.sides.all()

    def clean(self):
        data = super().clean()
        if data.get("role") == DialogueRole.PARTICIPANT and not data.get("side"):
            self.add_error("side", "A participant speaks for a side: choose one.")
        return data


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(r.value, r.label) for r in DialogueRole if r in MEMBER_ROLES])
    side = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, dialogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].queryset = dialogue.sides.all()

    def clean(self):
        data = super().clean()
        if data.get("role") == DialogueRole.PARTICIPANT and not data.get("side"):
            self.add_error("side", "A participant speaks for a side: choose one.")
        return data


class BreakGlassForm(forms.Form):
    dialogue = forms.ChoiceField(choices=(), help_text="By codename.")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=20,
        help_text="The emergency, in a sentence or two. The dialogue's convenors will read this.",
    )
    minutes = forms.IntegerField(min_value=1, max_value=BREAK_GLASS_MAX_MINUTES, initial=60)

    def __init__(self, *args, dialogues, **kwargs):
        super().__init__(*args, **kwargs)
        self.dialogues = {str(d.pk): d for d in dialogues}
        self.fields["dialogue"].choices = [("", "Choose a dialogue")] + [
            (k, d.codename) for k, d in self.dialogues.items()
        ]

    def clean_dialogue(self):
        return self.dialogues[self.cleaned_data["dialogue"]]


# --- Facilitator workspace ------------------------------------------------------------------------------

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name] + [
    ("UTC", "UTC")
]
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as typed, on the venue's clock: it stays naive, and the service gives it the zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value):
        result = super().to_python(value)
        # Django reads it in the current zone (UTC): take the wall-clock value back out.
        return result.replace(tzinfo=None) if result is not None else None


class DateInput(forms.DateInput):
    input_type = "date"


class DialogueForm(forms.ModelForm):
    class Meta:
        model = Dialogue
        fields = ["title", "codename", "track", "objective", "sensitivity", "conflict", "ground_rules"]
        widgets = {
            "conflict": forms.Textarea(attrs={"rows": 3}),
            "ground_rules": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self):
        # The service says "already taken" in its own words.
        pass


class NewDialogueForm(DialogueForm):
    third_party = forms.ModelChoiceField(queryset=None, empty_label=None, label="Convened by")
    sides = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One side per line, at least two: the parties to the conflict.",
    )

    class Meta(DialogueForm.Meta):
        fields = ["title", "codename", "track", "objective", "sensitivity", "conflict"]

    def __init__(self, *args, third_parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["third_party"].queryset = third_parties
        self.order_fields(["title", "codename", "third_party", "sides"])

    def clean_sides(self):
        names = [line.strip() for line in self.cleaned_data["sides"].splitlines() if line.strip()]
        if len(names) < 2:
            raise ValidationError("Name at least two sides, one per line.")
        if len({n.casefold() for n in names}) != len(names):
            raise ValidationError("Two sides have the same name. Give each side its own name.")
        return names


class SideForm(forms.Form):
    name = forms.CharField(max_length=120, label="New side")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=DialogueStatus.choices)


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

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The workshop must end after it starts.")
        return data


class ScheduleForm(_WorkshopTimesForm):
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
    until = forms.DateField(required=False, widget=DateInput, label="Until")

    def clean(self):
        data = super().clean()
        if data.get("repeat") not in (None, Repeat.NONE) and not data.get("count") and not data.get("until"):
            self.add_error("count", "Say how many workshops, or until which date they repeat.")
        return data


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


class InviteForm(forms.Form):
    side = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Nobody by side", label="Invite everyone of a side"
    )
    people = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label="Or pick people"
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


# --- Summaries ------------------------------------------------------------------------------------------


class SummaryDraftForm(forms.Form):
    body = forms.CharField(
        label="The summary, in Markdown",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true", "class": "summary-editor__text"}),
        error_messages={"required": "The summary is empty. Write it before saving, or leave the page."},
    )

    def __init__(self, *args, preview_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if preview_url:
            # htmx sends the text to the preview once typing pauses; without JavaScript, saving shows it.
            self.fields["body"].widget.attrs.update(
                {
                    "hx-post": preview_url,
                    "hx-trigger": "input changed delay:400ms",
                    "hx-target": "#summary-preview",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                    "aria-describedby": "summary-help",
                }
            )


class AcceptMentionForm(forms.Form):
    term = forms.CharField(max_length=500)


EDITOR_FORM_ID = "summary-editor"


class OpenReviewForm(forms.Form):
    """The review deadline, typed on the facilitator's own clock (their calendar setting)."""

    review_deadline = LocalDateTimeField(label="Comments until")

    def __init__(self, *args, tz_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz_name = tz_name
        field = self.fields["review_deadline"]
        field.help_text = (
            f"Your time ({tz_name}). The attendees are told by e-mail and may comment until then."
        )
        # Sent with the editor's form (the "Open the review" button belongs to it), so the text as it stands
        # on the screen is saved before the review opens: no unsaved edit is left behind.
        field.widget.attrs["form"] = EDITOR_FORM_ID

    def clean_review_deadline(self):
        return localize(self.cleaned_data["review_deadline"], self.tz_name)


class SealForm(forms.Form):
    """No fields: it carries a refusal to seal (the attribution check's, for one) onto the page."""


class ReviewCommentForm(forms.Form):
    section = forms.ChoiceField(required=False, label="Section")
    body = forms.CharField(
        label="Your comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your comment."},
    )
    suggested_text = forms.CharField(
        label="Suggested correction (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The wording you would like instead of what the draft says.",
    )

    def __init__(self, *args, sections: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "The summary as a whole")] + [(s, s) for s in sections]


class RespondForm(forms.Form):
    """The facilitator's answer to one review comment: accept it, or answer it in words."""

    comment = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=[(ReviewCommentStatus.ACCEPTED, "Accept"), (ReviewCommentStatus.ANSWERED, "Answer")],
        error_messages={"required": "Accept the comment or answer it."},
    )
    response = forms.CharField(
        label="Answer",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The participant reads this. Needed to answer; optional when you accept.",
    )
