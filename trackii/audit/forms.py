import datetime as dt
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django import forms
from django.http import QueryDict
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from trackii.audit.enums import Action, Outcome
from trackii.audit.models import SavedSearch
from trackii.audit.selectors import type_words
from trackii.inputs import BoundedDateField, LongSelect

# A browser shows an <input type=date> empty unless its value is ISO, whatever the language's date format.
DASH = "\u2013"  # between the days of a range
ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The action filter's groups, in the order a reader looks for them. A test keeps every Action member in one
# (tests/audit/test_readable_log.py); should one slip through, it is offered under "Other", never left out.
A = Action
ACTION_FAMILIES: list[tuple[str, tuple[Action, ...]]] = [
    (_("Reading and downloads"), (A.VIEW, A.DOWNLOAD, A.FEED, A.SUMMARY_FIRST_READ, A.EXPORT, A.PDF_VERIFIED,
                               A.PEOPLE_SEARCHED, A.INSIGHT_EXPORTED, A.OWN_DATA_VIEWED,
                               A.OWN_DATA_EXPORTED)),
    (_("Refusals"), (A.DENIED, A.LOGIN_FAILED, A.LOGIN_LOCKED, A.LOGIN_REFUSED)),
    (_("Logins and accounts"), (A.LOGIN, A.LOGOUT, A.LOGIN_UNLOCKED, A.MFA_CHANGED, A.SESSIONS_ENDED,
                             A.SESSION_ENDED, A.ACCOUNT_INVITED, A.ACCOUNT_INVITATION_SENT,
                             A.ACCOUNT_INVITATION_REVOKED, A.ACCOUNT_CREATED, A.ACCOUNT_DISABLED,
                             A.ACCOUNT_ENABLED, A.ACCOUNTS_SEARCHED, A.LANGUAGE_CHANGED)),
    (_("Staff administration"), (A.STAFF_INVITATION_REQUESTED, A.STAFF_INVITATION_SENT,
                              A.STAFF_INVITATION_ACCEPTED, A.STAFF_ROLE_REQUESTED, A.STAFF_REQUEST_CONFIRMED,
                              A.STAFF_REQUEST_DECLINED, A.STAFF_REQUEST_CANCELLED, A.STAFF_ROLE_GRANTED,
                              A.STAFF_ROLE_REMOVED, A.SECOND_FACTOR_RESET_REQUESTED, A.SECOND_FACTOR_RESET)),
    (_("Roles and access"), (A.ROLE_GRANTED, A.ROLE_CHANGED, A.ROLE_REVOKED, A.BREAK_GLASS_GRANTED,
                          A.BREAK_GLASS_EXPIRED, A.CUT_OFF, A.CUT_OFF_RESTORED, A.SUMMARY_ACCESS_WITHDRAWN)),
    (_("Dialogues and people"), (A.DIALOGUE_CREATED, A.DIALOGUE_CHANGED, A.DIALOGUE_STATUS_CHANGED,
                              A.SIDE_ADDED, A.PERSON_RECORDED, A.GROUND_RULES_ACCEPTED, A.OUTCOME_RECORDED,
                              A.RIPENESS_ENTRY_ADDED, A.RIPENESS_ENTRY_CHANGED, A.RIPENESS_ENTRY_DELETED,
                              A.OUTCOME_STAGE_RECORDED, A.PERSON_NAME_ADDED, A.PERSON_NAME_REMOVED)),
    (_("Workshops and invitations"), (A.SERIES_CREATED, A.WORKSHOP_SCHEDULED, A.WORKSHOP_CLONED,
                                   A.WORKSHOP_RECORDED, A.WORKSHOP_PUBLISHED, A.WORKSHOP_RESCHEDULED,
                                   A.WORKSHOP_CANCELLED, A.WORKSHOP_HELD, A.AGENDA_ITEM_ADDED,
                                   A.AGENDA_ITEM_MOVED, A.AGENDA_ITEM_CHANGED, A.AGENDA_ITEM_REMOVED,
                                   A.WORKSHOP_INVITED, A.INVITATION_STATUS_CHANGED, A.INVITATION_ANSWERED,
                                   A.INVITATION_ANSWER_RECORDED, A.INVITATION_RENEWED,
                                   A.INVITATION_WITHDRAWN, A.ATTENDANCE_RECORDED, A.NOTIFICATIONS_SENT)),
    (_("Calendars"), (A.FEED_ISSUED, A.FEED_REVOKED, A.CALENDAR_SETTINGS_CHANGED, A.UNAVAILABILITY_ADDED,
                   A.UNAVAILABILITY_REMOVED)),
    (_("Summaries and review"), (A.SUMMARY_STARTED, A.DRAFT_SAVED, A.REVIEW_OPENED, A.REVIEW_COMMENTED,
                              A.COMMENT_ANSWERED, A.CORRECTION_APPLIED, A.MENTION_ACCEPTED,
                              A.REVIEW_SIGNED_OFF, A.REVIEW_REMINDED, A.REVIEW_EXTENDED,
                              A.REVIEW_CLOSED_EARLY, A.REVIEW_CLOSED, A.SEAL_REQUESTED, A.SEALED,
                              A.SEAL_CANCELLED, A.COPY_ISSUED, A.AMENDED, A.SUMMARY_LANGUAGE_SET,
                              A.SUMMARY_VERSION_SAVED, A.SUMMARY_VERSION_REMOVED)),
    (_("Funding"), (A.FUNDER_RECORDED, A.FUNDER_CHANGED, A.FUNDER_OFFICER_ADDED, A.FUNDER_OFFICER_REMOVED,
                 A.GRANT_RECORDED, A.GRANT_CHANGED, A.GRANT_STATUS_CHANGED, A.CONDITION_RECORDED,
                 A.CONDITION_RULED, A.CONDITION_CONFIRMED, A.EXPENSE_RECORDED, A.EXPENSE_REMOVED,
                 A.FUNDING_ANSWERED, A.DISCLOSURE_GENERATED)),
    (_("Destruction and erasure"), (A.DIALOGUE_DESTRUCTION_REQUESTED, A.DIALOGUE_DESTRUCTION_WITHDRAWN,
                                 A.DIALOGUE_DESTRUCTION_NOTICE_SENT, A.DIALOGUE_DESTROYED,
                                 A.ERASURE_REQUESTED, A.ERASURE_WITHDRAWN, A.ERASURE_DECLINED,
                                 A.PERSON_ERASED)),
    (_("The log and backups"), (A.CHECKPOINT, A.CHAIN_CHECK_REQUESTED, A.CHAIN_VERIFIED, A.CHAIN_REBASELINED,
                             A.RETENTION_PURGE, A.ADDRESSES_DROPPED, A.BACKUP_MADE, A.BACKUP_RESTORED,
                             A.SAVED_SEARCH_CREATED, A.SAVED_SEARCH_RENAMED, A.SAVED_SEARCH_DELETED)),
]  # fmt: skip
del A


def action_choices() -> list:
    """Every action by its label, grouped by family (forms.ChoiceField's optgroups)."""
    grouped = {action for _, members in ACTION_FAMILIES for action in members}
    other = [(action.value, action.label) for action in Action if action not in grouped]
    groups = [(family, [(a.value, a.label) for a in members]) for family, members in ACTION_FAMILIES]
    return [("", _("Any action")), *groups, *([(_("Other"), other)] if other else [])]


class AuditSearchForm(forms.Form):
    person = forms.CharField(
        required=False,
        max_length=254,
        label=_("Account"),
        help_text=_('An account: "#12", a pseudonym like "P-17", or a login e-mail.'),
    )
    dialogue = forms.CharField(
        required=False, max_length=40, label=_("Dialogue"), help_text=_("The dialogue's codename.")
    )
    target_type = forms.CharField(
        required=False,
        max_length=100,
        label=_("Object type"),
        help_text=_('For example "dialogues.summary".'),
    )
    target_id = forms.CharField(required=False, max_length=64, label=_("Object id"))
    action = forms.ChoiceField(required=False, label=_("Action"), choices=action_choices, widget=LongSelect)
    outcome = forms.ChoiceField(
        required=False, label=_("Outcome"), choices=[("", _("Any outcome")), *Outcome.choices]
    )
    since = BoundedDateField(required=False, label=pgettext_lazy("first day", "From"), widget=ISO_DATE)
    until = BoundedDateField(
        required=False,
        label=pgettext_lazy("last day", "Until"),
        help_text=_("Inclusive. Days on your clock, as times are shown."),
        widget=ISO_DATE,
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", gettext("“Until” must not be before “From”."))
        return data

    def day_bounds(self, zone: dt.tzinfo) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The days asked for, on the viewer's clock: the zone the rows' times are shown in."""
        tz = zone
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        start = dt.datetime.combine(since, dt.time.min, tzinfo=tz) if since else None
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if until else None
        return start, end

    def active_filters(self, *, zone: dt.tzinfo, object_label: str = "") -> list["ActiveFilter"]:
        """What the search is narrowed by, in words, each with the search's query without it: shown above
        the results, each removable by a link. Call on a valid form."""
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        chips = []

        def chip(text: str, *names: str) -> None:
            chips.append(ActiveFilter(text=text, without=_without(self.data, names)))

        if "person" in data:
            chip(gettext("Account %(account)s") % {"account": data["person"].strip()}, "person")
        if "dialogue" in data:
            chip(gettext("Dialogue %(codename)s") % {"codename": data["dialogue"].strip()}, "dialogue")
        target_type, target_id = data.get("target_type", "").strip(), data.get("target_id", "").strip()
        if target_type and not target_id:
            chip(gettext("Object type: %(type)s") % {"type": type_words(target_type)}, "target_type")
        elif target_id:
            shown = object_label or f"{target_type} {target_id}".strip()
            chip(gettext("Object: %(object)s") % {"object": shown}, "target_type", "target_id")
        if "action" in data:
            chip(gettext("Action: %(action)s") % {"action": Action(data["action"]).label}, "action")
        if "outcome" in data:
            chip(gettext("Outcome: %(outcome)s") % {"outcome": Outcome(data["outcome"]).label}, "outcome")
        if "since" in data or "until" in data:
            chip(f"{_days(data.get('since'), data.get('until'))} ({zone})", "since", "until")
        return chips


@dataclass
class ActiveFilter:
    text: str
    without: str  # the query string of the same search without this filter


def _without(query: QueryDict, names: tuple[str, ...]) -> str:
    kept = query.copy()
    for name in (*names, "before"):
        kept.pop(name, None)
    return kept.urlencode()


def _days(since: dt.date | None, until: dt.date | None) -> str:
    """ "1-3 Dec 2026", "30 Nov - 3 Dec 2026", "From 1 Dec 2026", "Until 3 Dec 2026", with en dashes."""

    def day(value: dt.date, fmt: str = "j M Y") -> str:
        return formats.date_format(value, fmt)

    if since and until:
        if since == until:
            return day(since)
        if (since.year, since.month) == (until.year, until.month):
            return f"{day(since, 'j')}{DASH}{day(until)}"
        if since.year == until.year:
            return f"{day(since, 'j M')} {DASH} {day(until)}"
        return f"{day(since)} {DASH} {day(until)}"
    if since:
        return gettext("From %(day)s") % {"day": day(since)}
    return gettext("Until %(day)s") % {"day": day(until)}


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
        raise forms.ValidationError(gettext("Use letters, digits, spaces and punctuation only."))


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        max_length=SavedSearch.NAME_LENGTH,
        validators=[_plain_text],
        label=_("Name"),
        help_text=format_lazy(
            _("Up to {limit} characters, for your own list of saved searches."), limit=SavedSearch.NAME_LENGTH
        ),
        error_messages={
            "required": _("Give the search a name."),
            "max_length": _("Keep the name to %(limit_value)d characters."),
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
