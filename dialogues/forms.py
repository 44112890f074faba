from django import forms
from django.core.exceptions import ValidationError

from dialogues.enums import DialogueRole
from dialogues.services import BREAK_GLASS_MAX_MINUTES
from participants.models import Person

ROLE_CHOICES = [(r.value, r.label) for r in DialogueRole]


class AddMemberForm(forms.Form):
    """Add someone already on file (by pseudonym) or a new person (name and e-mail) to a dialogue."""

    pseudonym = forms.CharField(
        required=False,
        max_length=32,
        help_text='Someone already on file, e.g. "P-17". Leave empty for a new person.',
    )
    name = forms.CharField(required=False, max_length=200, help_text="For a new person. Stored encrypted.")
    email = forms.EmailField(required=False, help_text="For a new person. Stored encrypted.")
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=DialogueRole.PARTICIPANT)
    side = forms.ModelChoiceField(queryset=None, required=False, help_text="Participants speak for a side.")

    def __init__(self, *args, dialogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].queryset = dialogue.sides.all()

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
            data["person"] = Person.objects.filter(pseudonym__iexact=pseudonym).first()
            if data["person"] is None:
                self.add_error("pseudonym", f"Nobody on file has the pseudonym “{pseudonym}”.")
        if data.get("role") == DialogueRole.PARTICIPANT and not data.get("side"):
            self.add_error("side", "A participant speaks for a side: choose one.")
        return data


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=[(r.value, r.label) for r in (DialogueRole.PARTICIPANT, DialogueRole.OBSERVER)]
    )
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
