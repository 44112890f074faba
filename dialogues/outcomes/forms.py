"""Recording an outcome and the next stage it reached. The rules of the pipeline (stages in order, dates not
before the stage before, carriers among the members) are the service's; the view shows its refusals."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dialogues.enums import OutcomeKind, OutcomeStage
from dialogues.forms import DateInput
from dialogues.models.outcomes import CHANNEL_LENGTH, NOTE_LENGTH, validate_line, validate_note
from dialogues.outcomes.selectors import workshops_of
from trackii.inputs import BoundedDateField

TITLE_LENGTH = 200
DESCRIPTION_LENGTH = 4000


def _line(label, *, required: bool = False, help_text="", limit: int = CHANNEL_LENGTH, missing=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        validators=[validate_line],
        help_text=help_text,
        error_messages={
            "required": missing,
            "max_length": _("Keep it to %(limit_value)d characters (it has %(show_value)d)."),
        },
    )


def _text(label, *, limit: int, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        validators=[validate_note],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={"max_length": _("Keep it to %(limit_value)d characters (it has %(show_value)d).")},
    )


class CarriersField(forms.ModelMultipleChoiceField):
    """Members by pseudonym only: a carrier's name never reaches the page."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.shown  # what the dialogue calls them (dialogues.outcomes.selectors.possible_carriers)


class OutcomeForm(forms.Form):
    title = _line(
        _("Title"),
        required=True,
        limit=TITLE_LENGTH,
        help_text=_("What the idea or result is, in a line."),
        missing=_("Give the title."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OutcomeKind.choices)
    workshop = forms.ModelChoiceField(
        label=_("Raised at"), queryset=None, required=False, empty_label=_("No workshop in particular")
    )
    description = _text(
        _("Description"), limit=DESCRIPTION_LENGTH, help_text=_("Optional. No names: pseudonyms only.")
    )
    transfer_to = _line(
        _("Received by"),
        help_text=_("For a transfer into official diplomacy (then required): the office that received it."),
    )
    reached_on = BoundedDateField(label=_("Raised on"), widget=DateInput)
    channel = _line(_("Channel"), help_text=_('Optional: where it came up, e.g. "working group on data".'))

    def __init__(self, *args, dialogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops_of(dialogue=dialogue)
        self.fields["workshop"].label_from_instance = lambda w: (
            gettext("Workshop %(number)s (%(month)s)")
            % {
                "number": w.number,
                "month": date_format(w.starts_at, "M Y"),
            }
        )


class StageForm(forms.Form):
    """The next stage: the page offers one (a hidden field), so a stage recorded meanwhile by someone else
    is refused rather than recorded twice."""

    stage = forms.ChoiceField(choices=OutcomeStage.choices, widget=forms.HiddenInput)
    reached_on = BoundedDateField(label=_("Reached on"), widget=DateInput)
    channel = _line(
        _("Channel"),
        help_text=_('How it travelled, e.g. "briefing to the foreign ministry". No names: carriers below.'),
    )
    carriers = CarriersField(
        label=_("Carried by"),
        queryset=None,
        required=False,
        help_text=_("The members who carried it, by pseudonym."),
    )
    note = _text(
        _("Note"), limit=NOTE_LENGTH, help_text=_("Optional. Stored encrypted; for the facilitation team.")
    )

    def __init__(self, *args, carriers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carriers"].queryset = carriers
