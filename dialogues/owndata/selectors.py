"""Reads of a person's own data (issue 23, decision 0028): everything Trackii holds about the signed-in
person, for their "Your data" page and its JSON download, and the erasure requests a convenor may answer.

"Own" is always the request's user: nothing here takes a person's id from a URL. What is shown is theirs
alone: their rows, never another member's name or comment. Two things are left out on purpose (the page says
so): the Third Party's confidential notes about them, and the reason a convenor gave for a cut-off; both are
the Third Party's words and may speak of other people."""

import datetime as dt
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dialogues.models import (
    Dialogue,
    Invitation,
    PersonalCalendar,
    ReviewComment,
    SummaryCopy,
    Unavailability,
)
from dialogues.permissions import dialogue_access
from participants.models import CutOff, ErasureRequest, Facilitator, Membership, Person, PersonName
from participants.selectors import called_in

# The JSON download's own version: a reader of an older file can tell what its keys mean.
FORMAT_VERSION = 1


@dataclass
class OwnData:
    """What Trackii holds about one person, in sections. Each section is a list of plain dicts with stable
    keys; the page and the JSON download read the same dicts (`as_json` writes dates as ISO 8601)."""

    person: Person
    profile: dict
    login: dict | None
    other_names: list[dict] = field(default_factory=list)
    memberships: list[dict] = field(default_factory=list)
    facilitation_roles: list[dict] = field(default_factory=list)
    invitations: list[dict] = field(default_factory=list)
    unavailable_dates: list[dict] = field(default_factory=list)
    review_comments: list[dict] = field(default_factory=list)
    summary_copies: list[dict] = field(default_factory=list)
    cut_offs: list[dict] = field(default_factory=list)
    erasure_requests: list[dict] = field(default_factory=list)
    has_notes: bool = False
    open_request: ErasureRequest | None = None

    SECTIONS = (
        "profile",
        "login",
        "other_names",
        "memberships",
        "facilitation_roles",
        "invitations",
        "unavailable_dates",
        "review_comments",
        "summary_copies",
        "cut_offs",
        "erasure_requests",
    )


def own_person(*, user) -> Person | None:
    """The signed-in user's person, or None (anonymous, or a login with no person on file)."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("user").first()


def _workshop(workshop) -> dict:
    # Named as whatever leaves Trackii names it (codename and positions): the series' title can say what
    # the dialogue is about, and this file travels.
    return {
        "dialogue": workshop.series.dialogue.codename,
        "series": workshop.series.position,
        "workshop": workshop.number,
        "starts_at": workshop.starts_at,
        "ends_at": workshop.ends_at,
    }


def own_data(*, user) -> OwnData | None:
    """Everything about the user's own person, in a fixed number of queries whatever they hold (13)."""
    person = own_person(user=user)
    if person is None:
        return None
    profile = {
        "pseudonym": person.pseudonym,
        "name": person.name,
        "email": person.email or "",
        "phone": person.phone or "",
        "affiliation": person.affiliation or "",
        "languages": list(person.languages or []),
        "proximity": person.proximity,
        "proximity_label": str(person.get_proximity_display()),
        "risk": person.risk,
        "risk_label": str(person.get_risk_display()),
        "recorded_at": person.created_at,
    }
    calendar = PersonalCalendar.objects.filter(user=user).first()
    login = {
        "email": user.email,
        "language": user.language,
        "time_zone": calendar.timezone if calendar else "UTC",
        "two_step_login": Authenticator.objects.filter(user=user).exists(),
        "calendar_feed": bool(calendar and calendar.feed_token_hash),
        "created_at": user.date_joined,
    }
    data = OwnData(person=person, profile=profile, login=login, has_notes=bool(person.notes))
    data.other_names = [
        {"name": form.name, "script": form.script, "recorded_in": form.recorded_in.codename}
        for form in PersonName.objects.filter(person=person).select_related("recorded_in")
    ]
    data.memberships = [
        {
            "dialogue": row.dialogue.codename,
            # Destroyed (decision 0027): its words are gone, the membership's dates are what is left.
            "dialogue_destroyed_at": row.dialogue.data_key.destroyed_at if row.dialogue.data_key else None,
            # What this dialogue's pages call them (decision 0026): unrelated to what another dialogue does.
            "pseudonym": row.pseudonym,
            "side": row.side.name if row.side else "",
            "role": row.role,
            "role_label": str(row.get_role_display()),
            "joined_on": row.joined_on,
            "left_on": row.left_on,
            "ground_rules_accepted_at": row.ground_rules_accepted_at,
            "funding_consent": row.funding_consent,
            "funding_consent_label": str(row.get_funding_consent_display()),
            "funding_consent_at": row.funding_consent_at,
            # Their note with that answer (funding.FundingNote, under the dialogue's key: reached through the
            # membership, as funding stands above dialogues in the layers).
            "funding_note": (getattr(row, "funding_note", None) and row.funding_note.text) or "",
            "named_in_dialogue": row.named_in_dialogue,
            "keeps_sealed_summaries": row.keeps_sealed_summaries,
        }
        for row in Membership.objects.filter(person=person)
        .select_related("dialogue__data_key", "side", "funding_note")
        .order_by("joined_on", "pk")
    ]
    data.facilitation_roles = [
        {"dialogue": row.dialogue.codename, "role": row.role, "role_label": str(row.get_role_display())}
        for row in Facilitator.objects.filter(person=person).select_related("dialogue").order_by("pk")
    ]
    data.invitations = [
        {
            **_workshop(row.workshop),
            "status": row.status,
            "status_label": str(row.get_status_display()),
            "responded_at": row.responded_at,
            "answer_recorded_by_facilitators": row.answer_recorded_by_id is not None,
            "availability_note": row.availability_note or "",
            "invited_at": row.created_at,
        }
        for row in Invitation.objects.filter(person=person)
        .select_related("workshop__series__dialogue")
        .order_by("workshop__starts_at", "pk")
    ]
    data.unavailable_dates = [
        {"starts_on": row.starts_on, "ends_on": row.ends_on}
        for row in Unavailability.objects.filter(person=person).order_by("starts_on", "pk")
    ]
    data.review_comments = [
        {
            **_workshop(row.summary.workshop),
            "summary_version": row.summary.version,
            "section": row.section,
            "language": row.language,
            "comment": row.body,
            "suggested_text": row.suggested_text,
            "quote": row.quote,
            "status": row.status,
            "status_label": str(row.get_status_display()),
            "response": row.response,
            "responded_at": row.responded_at,
            "written_at": row.created_at,
        }
        for row in ReviewComment.objects.filter(author=person)
        .select_related("summary__workshop__series__dialogue")
        .order_by("created_at", "pk")
    ]
    access = dialogue_access(user)
    data.summary_copies = [
        {
            **_workshop(row.summary.workshop),
            "summary_version": row.summary.version,
            "copy_code": row.copy_code,
            "issued_at": row.created_at,
            "in_the_room": row.audience,
            # Where the reader may still download it: the same rule as the download itself.
            "download": (
                (row.summary.workshop.series.dialogue_id, row.summary_id)
                if row.summary_id in access.sealed_summaries
                or access.has(row.summary.workshop.series.dialogue_id, "view_all_summaries")
                else None
            ),
        }
        for row in SummaryCopy.objects.filter(holder=person)
        .select_related("summary__workshop__series__dialogue")
        .defer("pdf", "summary__body", "summary__sealed_pdf", "summary__workshop__venue")
        .order_by("created_at", "pk")
    ]
    data.cut_offs = [
        {"dialogue": row.dialogue.codename, "cut_off_at": row.cut_off_at, "restored_at": row.restored_at}
        for row in CutOff.objects.filter(person=person).select_related("dialogue").defer("reason")
    ]
    requests = list(ErasureRequest.objects.filter(person=person))
    data.erasure_requests = [
        {
            "requested_at": row.requested_at,
            "message": row.message,
            "outcome": row.outcome,
            "handled_at": row.handled_at,
            "decline_reason": row.decline_reason,
        }
        for row in requests
    ]
    data.open_request = next((row for row in requests if row.is_open), None)
    return data


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple):  # a download link's ids: the page's, not the file's
        return None
    return value


def as_json(data: OwnData) -> dict:
    """The download: the same sections as the page, dates in ISO 8601 (times in UTC), stable keys."""
    document = {"format": "trackii-own-data", "version": FORMAT_VERSION, "exported_at": timezone.now()}
    for section in OwnData.SECTIONS:
        value = getattr(data, section)
        if isinstance(value, list):
            document[section] = [
                {key: _plain(item) for key, item in row.items() if key != "download"} for row in value
            ]
        else:
            document[section] = None if value is None else {key: _plain(item) for key, item in value.items()}
    document["exported_at"] = _plain(document["exported_at"])
    document["notes_held"] = data.has_notes
    return document


# --- Erasure requests a convenor (or an administrator) answers ---------------------------------------------


def _people_of(*, dialogue: Dialogue) -> Q:
    """On ErasureRequest rows: the person is or was in the dialogue (a membership, left or not, or a
    facilitation role)."""
    members = Membership.objects.filter(dialogue=dialogue).values("person_id")
    team = Facilitator.objects.filter(dialogue=dialogue).values("person_id")
    return Q(person__in=members) | Q(person__in=team)


def open_requests_of_dialogue(*, dialogue: Dialogue) -> QuerySet[ErasureRequest]:
    """Open erasure requests of people who are or were in the dialogue, oldest first: for its roster. Each
    row's `called_here` is what this dialogue calls the person (decision 0026), not the account pseudonym."""
    return (
        ErasureRequest.objects.filter(_people_of(dialogue=dialogue), outcome="")
        .annotate(called_here=called_in(dialogue_ref=dialogue.pk))
        .select_related("person")
        .order_by("requested_at", "pk")
    )


def requests_of_dialogue(*, dialogue: Dialogue) -> QuerySet[ErasureRequest]:
    """Every erasure request (open or answered) of someone who is or was in the dialogue, with `called_here`
    as in `open_requests_of_dialogue`."""
    return (
        ErasureRequest.objects.filter(_people_of(dialogue=dialogue))
        .annotate(called_here=called_in(dialogue_ref=dialogue.pk))
        .select_related("person__user")
    )


def _in_a_live_dialogue(person_ref: str) -> Q:
    """The person at `person_ref` is or was in a dialogue that is not destroyed. A destroyed dialogue's pages
    answer "destroyed on …" (410) to its convenors too, so none of them can answer there (decision 0027)."""
    live = {"person": OuterRef(person_ref), "dialogue__data_key__destroyed_at__isnull": True}
    return Q(Exists(Membership.objects.filter(**live))) | Q(Exists(Facilitator.objects.filter(**live)))


def has_dialogue(*, person: Person) -> bool:
    """Whether a convenor can answer the person's request: they are or were in some dialogue not destroyed."""
    return Person.objects.filter(_in_a_live_dialogue("pk"), pk=person.pk).exists()


def unplaced_requests() -> QuerySet[ErasureRequest]:
    """Requests of people in no dialogue at all (a funder's officer, staff with a person on file), or only in
    destroyed ones, oldest first: no convenor can answer them, so the administrators do."""
    return (
        ErasureRequest.objects.exclude(_in_a_live_dialogue("person"))
        .select_related("person__user")
        .order_by("requested_at", "pk")
    )
