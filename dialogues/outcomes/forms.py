"""Recording an outcome and the next stage it reached. The rules of the pipeline (stages in order, dates not
before the stage before, carriers among the members) are the service's; the view shows its refusals."""

from django import forms

from dialogues.enums import OutcomeKind, OutcomeStage
from dialogues.forms import DateInput
from dialogues.models.outcomes import CHANNEL_LENGTH, NOTE_LENGTH, validate_line, validate_note
from dialogues.outcomes.selectors import workshops_of
from trackii.inputs import BoundedDateField

TITLE_LENGTH = 200
DESCRIPTION_LENGTH = 4000


def _line(label: str, *, required: bool = False, help_text: str = "", limit: int = CHANNEL_LENGTH):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        validators=[validate_line],
        help_text=help_text,
        error_messages={
            "required": f"Give the {label.lower()}.",
            "max_length": "Keep it to %(limit_value)d characters (it has %(show_value)d).",
        },
    )


def _text(label: str, *, limit: int, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        validators=[validate_note],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={"max_length": "Keep it to %(limit_value)d characters (it has %(show_value)d)."},
    )


class CarriersField(forms.ModelMultipleChoiceField):
    """Members by pseudonym only: a carrier's name never reaches the page."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.pseudonym


class OutcomeForm(forms.Form):
    title = _line(
        "Title", required=True, limit=TITLE_LENGTH, help_text="What the idea or result is, in a line."
    )
    kind = forms.ChoiceField(label="Kind", choices=OutcomeKind.choices)
    workshop = forms.ModelChoiceField(
        label="Raised at", queryset=None, required=False, empty_label="No workshop in particular"
    )
    description = _text(
        "Description", limit=DESCRIPTION_LENGTH, help_text="Optional. No names: pseudonyms only."
    )
    transfer_to = _line(
        "Received by",
        help_text="For a transfer into official diplomacy (then required): the office that received it.",
    )
    reached_on = BoundedDateField(label="Raised on", widget=DateInput)
    channel = _line("Channel", help_text='Optional: where it came up, e.g. "working group on data".')

    def __init__(self, *args, dialogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops_of(dialogue=dialogue)
        self.fields["workshop"].label_from_instance = lambda w: f"Workshop {w.number} ({w.starts_at:%b %Y})"


class StageForm(forms.Form):
    """The next stage: the page offers one (a hidden field), so a stage recorded meanwhile by someone else
    is refused rather than recorded twice."""

    stage = forms.ChoiceField(choices=OutcomeStage.choices, widget=forms.HiddenInput)
    reached_on = BoundedDateField(label="Reached on", widget=DateInput)
    channel = _line(
        "Channel",
        help_text='How it travelled, e.g. "briefing to the foreign ministry". No names: carriers below.',
    )
    carriers = CarriersField(
        label="Carried by",
        queryset=None,
        required=False,
        help_text="The members who carried it, by pseudonym.",
    )
    note = _text(
        "Note", limit=NOTE_LENGTH, help_text="Optional. Stored encrypted; for the facilitation team."
    )

    def __init__(self, *args, carriers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carriers"].queryset = carriers
