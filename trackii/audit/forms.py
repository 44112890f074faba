import datetime as dt
import unicodedata
from urllib.parse import parse_qsl, urlencode

from django import forms
from django.utils import timezone

from trackii.audit.enums import Action, Outcome
from trackii.audit.models import SavedSearch
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


def search_query(form: AuditSearchForm) -> str:
    """The search a valid form holds as the query string of the search page: the form's own fields only (no
    paging, nothing else a URL carried), in the form's order, empty ones left out, dates in ISO."""
    pairs = []
    for name in form.fields:
        value = form.cleaned_data.get(name)
        for one in value if isinstance(value, list | tuple) else [value]:
            text = (
                one.isoformat() if isinstance(one, dt.date) else str(one if one is not None else "").strip()
            )
            if text:
                pairs.append((name, text))
    return urlencode(pairs)


def _plain_text(value: str) -> None:
    """No control or formatting characters: a new line, or a right-to-left override that makes "gol.exe"
    read as "exe.log", has no place in a name shown in lists."""
    if any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in value):
        raise forms.ValidationError("Use letters, digits, spaces and punctuation only.")


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        max_length=SavedSearch.NAME_LENGTH,
        validators=[_plain_text],
        help_text=f"Up to {SavedSearch.NAME_LENGTH} characters, for your own list of saved searches.",
        error_messages={
            "required": "Give the search a name.",
            "max_length": "Keep the name to %(limit_value)d characters.",
        },
    )


def describe_query(query: str) -> list[tuple[str, str]]:
    """A saved search's filters in words, for its owner's list: (the field's label, the value), actions by
    their words. Names the form no longer has are shown as they are."""
    fields = AuditSearchForm.base_fields
    actions = dict(Action.choices)
    described = []
    for name, value in parse_qsl(query):
        field = fields.get(name)
        label = (field.label or name.replace("_", " ").capitalize()) if field else name
        described.append((label, actions.get(value, value) if name == "action" else value))
    return described
