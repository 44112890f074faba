from django import forms


class ProgrammeFilterForm(forms.Form):
    """Narrow the programme-wide insight to one Third Party (a GET form, shown only when the viewer's
    dialogues belong to several). Choices are the viewer's own Third Parties: any other value is refused."""

    third_party = forms.TypedChoiceField(
        label="Third Party",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of the Third Parties in the list, or all of them."},
    )

    def __init__(self, *args, third_parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["third_party"].choices = [("", "All of them")] + [
            (str(pk), f"{name} ({n} dialogue{'s' if n != 1 else ''})") for pk, name, n in third_parties
        ]
