"""Forms of a summary's life: the draft, accepting a mention, opening review, sealing, comments and
answers to them."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dialogues.enums import ReviewCommentStatus
from dialogues.forms import LocalDateTimeField
from dialogues.languages import CHOICES as LANGUAGE_CHOICES
from dialogues.scheduling.recurrence import localize
from dialogues.summaries import attribution
from dialogues.summaries.selectors import CLOSE_REASON_MAX_LENGTH


class SummaryDraftForm(forms.Form):
    body = forms.CharField(
        label=_("The summary, in Markdown"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true", "class": "summary-editor__text"}),
        error_messages={"required": _("The summary is empty. Write it before saving, or leave the page.")},
        # The page shows it with its Markdown examples set as code (draft.html); this text only makes Django
        # name the help, and the errors, in the editor's aria-describedby.
        help_text=_("One ## heading per agenda item; links and images are removed. Never say who said what."),
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
                }
            )


class AcceptMentionForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=500)


EDITOR_FORM_ID = "summary-editor"


class OpenReviewForm(forms.Form):
    """The review deadline, typed on the facilitator's own clock (their calendar setting)."""

    review_deadline = LocalDateTimeField(label=_("Comments until"))

    def __init__(self, *args, tz_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz_name = tz_name
        field = self.fields["review_deadline"]
        field.help_text = gettext(
            "Your time (%(zone)s). The attendees are told by e-mail and may comment until then."
        ) % {"zone": tz_name}
        # Sent with the editor's form (the "Open the review" button belongs to it), so the text as it stands
        # on the screen is saved as the review opens (not when it is refused): no unsaved edit is left behind.
        field.widget.attrs["form"] = EDITOR_FORM_ID

    def clean_review_deadline(self):
        return localize(self.cleaned_data["review_deadline"], self.tz_name)


class SealForm(forms.Form):
    """No fields: it carries a refusal to seal (the attribution check's, for one) onto the page."""


class SummaryLanguageForm(forms.Form):
    """The language the summary itself (its main version) is written in."""

    language = forms.ChoiceField(
        label=_("The summary is written in"),
        choices=LANGUAGE_CHOICES,
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )


class ParallelVersionForm(forms.Form):
    """A parallel version in another language: added, or its text saved."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=LANGUAGE_CHOICES,
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    body = forms.CharField(
        label=_("The version, in Markdown"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
        help_text=_(
            "The same text as the summary, in this language, with the same ## headings. Never say who "
            "said what."
        ),
        error_messages={
            "required": _("The version is empty. Write it, or remove the version if it is not needed.")
        },
    )

    def __init__(self, *args, exclude: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if exclude:
            self.fields["language"].choices = [c for c in LANGUAGE_CHOICES if c[0] not in exclude]


class RemoveVersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)


class ReviewCommentForm(forms.Form):
    field_order = ["language", "section", "body", "quote", "suggested_text"]
    language = forms.ChoiceField(required=False, label=_("Version"))
    section = forms.ChoiceField(required=False, label=_("Section"))
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your comment.")},
    )
    suggested_text = forms.CharField(
        label=_("Suggested correction (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The wording you would like instead of what the draft says."),
    )
    quote = forms.CharField(
        label=_("Passage it replaces (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Copy the words of the draft your correction replaces, exactly: the facilitators can then "
            "apply it in one step."
        ),
    )

    def __init__(self, *args, sections: list[str], versions: list | None = None, **kwargs):
        """`versions` (selectors.Version, the main one first): with more than one, the reviewer says which
        their comment is about, and the sections offered are every version's (the service checks that the
        section belongs to the version chosen)."""
        super().__init__(*args, **kwargs)
        if versions and len(versions) > 1:
            self.fields["language"].choices = [(v.code, v.language.name) for v in versions]
            self.fields["language"].initial = versions[0].code
            sections = list(dict.fromkeys(s for v in versions for s in attribution.sections(v.body)))
        else:
            del self.fields["language"]
        self.fields["section"].choices = [("", _("The summary as a whole"))] + [(s, s) for s in sections]


class RespondForm(forms.Form):
    """The facilitator's answer to one review comment: accept it, or answer it in words."""

    comment = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(ReviewCommentStatus.ACCEPTED, _("Accept")), (ReviewCommentStatus.ANSWERED, _("Answer"))],
        error_messages={"required": _("Accept the comment or answer it.")},
    )
    response = forms.CharField(
        label=_("Answer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The participant reads this. Needed to answer; optional when you accept."),
    )


class CloseEarlyForm(forms.Form):
    """Close the review now, before the deadline and before everyone has responded: with a reason."""

    reason = forms.CharField(
        label=_("Why close the review now"),
        max_length=CLOSE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reviewers read this on the summary's page. Name nobody."),
        error_messages={
            "required": _("Say why the review closes early: the reviewers will read it."),
            "max_length": _("Keep the reason under %(limit)s characters.")
            % {"limit": CLOSE_REASON_MAX_LENGTH},
        },
    )


class ExtendReviewForm(forms.Form):
    """A later deadline for the review, typed on the facilitator's own clock."""

    review_deadline = LocalDateTimeField(label=_("New deadline"))

    def __init__(self, *args, tz_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz_name = tz_name
        self.fields["review_deadline"].help_text = gettext(
            "Your time (%(zone)s). Later than the current deadline; the reviewers see it at once."
        ) % {"zone": tz_name}

    def clean_review_deadline(self):
        return localize(self.cleaned_data["review_deadline"], self.tz_name)
