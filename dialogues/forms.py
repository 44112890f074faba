"""Forms of a dialogue and its roster, and the fields the concerns share (a date, a date and time on the
venue's clock, a time zone)."""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogues.enums import DialogueRole, DialogueStatus
from dialogues.models import Dialogue
from dialogues.permissions import FACILITATION_ROLES, MEMBER_ROLES
from dialogues.selectors import email_on_file
from dialogues.services import BREAK_GLASS_MAX_MINUTES, MIN_SIDES_TO_BE_ACTIVE, side_names
from dialogues.validators import canonical_timezones, known_timezones
from trackii.inputs import BoundedDateTimeField

# Roles a convenor gives on the roster; funders and auditors are given theirs elsewhere.
ROLE_CHOICES = [(r.value, r.label) for r in DialogueRole if r in MEMBER_ROLES | FACILITATION_ROLES]


class PersonPickerForm(forms.Form):
    """Someone already on file (by pseudonym) or a new person (name and e-mail). A pseudonym is looked up
    only among `people`, those the user may already see (dialogues.selectors.people_known_to)."""

    # Labels named here, not taken from the field names: those would stay in English on every page.
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        required=False,
        max_length=32,
        help_text=_('Someone already on file, e.g. "P-17". Leave empty for a new person.'),
    )
    name = forms.CharField(
        label=_("Name"), required=False, max_length=200, help_text=_("For a new person. Stored encrypted.")
    )
    email = forms.EmailField(
        label=_("E-mail address"), required=False, help_text=_("For a new person. Stored encrypted.")
    )

    def __init__(self, *args, people, memberships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        # The memberships whose pseudonyms the user reads (on the rosters they may read): a member is found
        # by the pseudonym the user knows them by in one of those dialogues (decision 0026).
        self.memberships = memberships
        self.refused_unknown_person = False

    def _known_as(self, pseudonym: str):
        matches = Q(pseudonym__iexact=pseudonym)
        if self.memberships is not None:
            matches |= Q(pk__in=self.memberships.filter(pseudonym__iexact=pseudonym).values("person_id"))
        found = list(self.people.filter(matches)[:2])
        if len(found) > 1:
            self.add_error(
                "pseudonym",
                _(
                    "More than one person you can see goes by “%(pseudonym)s” in their dialogues: "
                    "find them with the search instead."
                )
                % {"pseudonym": pseudonym},
            )
            return None
        if not found:
            self.add_error(
                "pseudonym", _("Nobody on file has the pseudonym “%(pseudonym)s”.") % {"pseudonym": pseudonym}
            )
            return None
        return found[0]

    def clean(self):
        data = super().clean()
        pseudonym, name = data.get("pseudonym", "").strip(), data.get("name", "").strip()
        if pseudonym and name:
            raise ValidationError(
                _("Give either a pseudonym of someone on file or a new person's name, not both.")
            )
        if not pseudonym and not name:
            raise ValidationError(_("Give the pseudonym of someone on file, or the name of a new person."))
        if pseudonym:
            # Someone the user cannot see reads exactly like nobody: a pseudonym must not unlock a name.
            data["person"] = self._known_as(pseudonym)
        elif data.get("email"):
            self._check_email_on_file(data["email"])
        return data

    def _pseudonym_of(self, person) -> str:
        """How the user knows this person: their pseudonym in a dialogue whose roster the user reads, or, for
        someone in no dialogue yet, the pseudonym they were recorded with."""
        if self.memberships is not None:
            here = self.memberships.filter(person=person).values_list("pseudonym", flat=True).first()
            if here:
                return here
        return person.pseudonym

    def _check_email_on_file(self, email: str) -> None:
        """Someone already on file is added by pseudonym. Whether a stranger is on file is not for this page
        to say: the refusal names nobody (and the view audits it, so probing shows up)."""
        on_file, known = email_on_file(email=email, people=self.people)
        if known is not None:
            self.add_error(
                "email",
                _("%(pseudonym)s already has this address: add them by pseudonym.")
                % {"pseudonym": self._pseudonym_of(known)},
            )
        elif on_file:
            self.refused_unknown_person = True
            self.add_error("email", _("This person cannot be added from here. Ask an administrator."))


class AddMemberForm(PersonPickerForm):
    """Add someone already on file (by pseudonym) or a new person (name and e-mail) to a dialogue. That a
    participant needs a side is the service's rule (participants.services.add_member); the view shows it."""

    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=DialogueRole.PARTICIPANT)
    side = forms.ModelChoiceField(
        label=_("Side"),
        queryset=None,
        required=False,
        empty_label=_("No side"),
        help_text=_("Participants speak for a side."),
    )

    def __init__(self, *args, dialogue, people, memberships=None, **kwargs):
        super().__init__(*args, people=people, memberships=memberships, **kwargs)
        self.fields["side"].queryset = dialogue.sides.all()


class PeopleSearchForm(forms.Form):
    """Find someone on file by part of their name, pseudonym or affiliation (a GET form on the roster)."""

    q = forms.CharField(
        label=_("Name, pseudonym or affiliation"),
        min_length=2,
        max_length=100,
        help_text=_("Part of one is enough. Only people you may already see are found."),
        error_messages={
            "required": _("Type part of a name, a pseudonym or an affiliation."),
            "min_length": _("Type at least 2 characters."),
            "max_length": _("Type at most 100 characters."),
        },
    )


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[(r.value, r.label) for r in DialogueRole if r in MEMBER_ROLES]
    )
    side = forms.ModelChoiceField(label=_("Side"), queryset=None, required=False)

    def __init__(self, *args, dialogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].queryset = dialogue.sides.all()


class BreakGlassForm(forms.Form):
    dialogue = forms.ChoiceField(label=_("Dialogue"), choices=(), help_text=_("By codename."))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=20,
        help_text=_("The emergency, in a sentence or two. The dialogue's convenors will read this."),
    )
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=BREAK_GLASS_MAX_MINUTES, initial=60
    )

    def __init__(self, *args, dialogues, **kwargs):
        super().__init__(*args, **kwargs)
        self.dialogues = {str(d.pk): d for d in dialogues}
        self.fields["dialogue"].choices = [("", _("Choose a dialogue"))] + [
            (k, d.codename) for k, d in self.dialogues.items()
        ]

    def clean_dialogue(self):
        return self.dialogues[self.cleaned_data["dialogue"]]


def timezone_choices(*, first: Iterable[str] = (), keep: str | None = None) -> list:
    """A time-zone picker's options: the zones already in use (`first`, most used first, from
    `selectors.timezones_in_use`), then every current zone alphabetically, without the old names the tz
    database keeps for compatibility. `keep`, the zone a workshop or setting has now, stays offered even if
    it is such an old name, so that saving it unchanged still works."""
    known = known_timezones()
    top = list(dict.fromkeys(zone for zone in (*first, keep) if zone and zone in known))
    rest = [zone for zone in canonical_timezones() if zone not in top]

    def options(zones):
        return [(zone, zone.replace("_", " ")) for zone in zones]

    if not top:
        return options(rest)
    return [(_("In use"), options(top)), (_("All time zones"), options(rest))]


class TimezoneField(forms.ChoiceField):
    """A zone from the list; the form sets the list (`timezone_choices`) when it knows what is in use."""

    default_error_messages = {
        "invalid_choice": _(
            "Choose a time zone from the list, such as Europe/Oslo or Asia/Singapore: "
            "“%(value)s” is not one of them."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(choices=timezone_choices(), **kwargs)


LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(BoundedDateTimeField):
    """A date and time as typed, on the venue's clock: it stays naive, and the service gives it the zone.
    Bounded, because a zone's offset takes 0001-01-01 or 9999-12-31 out of the years Python can hold."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value):
        result = super().to_python(value)
        # Django reads it in the current zone (UTC): take the wall-clock value back out.
        return result.replace(tzinfo=None) if result is not None else None


class DateInput(forms.DateInput):
    """A date picker. Its value must be ISO (year-month-day) whatever the language's date format: a browser
    shows any other value as empty and sends nothing back (en-GB would write 02/01/2027)."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class DialogueForm(forms.ModelForm):
    class Meta:
        model = Dialogue
        fields = ["title", "codename", "track", "objective", "sensitivity", "conflict", "ground_rules"]
        # The model's field names are English: the form gives every label and help text in words to translate.
        labels = {
            "title": _("Title"),
            "codename": _("Codename"),
            "track": _("Track"),
            "objective": _("Objective"),
            "sensitivity": _("Sensitivity"),
            "conflict": _("Conflict"),
            "ground_rules": _("Ground rules"),
        }
        help_texts = {
            "codename": _("Neutral name used in e-mails, calendar feeds and file names."),
            "conflict": _("The conflict this dialogue addresses, in your own words."),
        }
        widgets = {
            "conflict": forms.Textarea(attrs={"rows": 3}),
            "ground_rules": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self):
        # The service says "already taken" in its own words.
        pass


class NewDialogueForm(DialogueForm):
    third_party = forms.ModelChoiceField(queryset=None, empty_label=None, label=_("Convened by"))
    sides = forms.CharField(
        label=_("Sides"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One side per line, at least two: the parties to the conflict."),
    )

    class Meta(DialogueForm.Meta):
        fields = ["title", "codename", "track", "objective", "sensitivity", "conflict"]

    def __init__(self, *args, third_parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["third_party"].queryset = third_parties
        self.order_fields(["title", "codename", "third_party", "sides"])

    def clean_sides(self):
        # The service's own rule, asked here so that every mistake of the form shows at once.
        return side_names(lines=self.cleaned_data["sides"].splitlines(), at_least=MIN_SIDES_TO_BE_ACTIVE)


class SideForm(forms.Form):
    name = forms.CharField(
        max_length=120, label=_("New side"), error_messages={"required": _("A side needs a name.")}
    )


class DialogueStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DialogueStatus.choices)
