"""Reads of summaries: who attended and who reads a sealed version, the review round's reviewers,
comments and progress, what a facilitator has to write and what a reader may read."""

import datetime as dt
import re
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.utils.translation import gettext as _

from dialogues import languages
from dialogues.enums import InvitationStatus, SummaryStatus
from dialogues.models import (
    Dialogue,
    Invitation,
    ReviewComment,
    ReviewSignoff,
    Summary,
    SummaryCopy,
    SummaryReading,
    SummaryUserObjectPermission,
    Workshop,
)
from dialogues.permissions import belongs_now, dialogue_access, on_dialogue
from dialogues.scheduling.selectors import AGENDA_ORDER
from dialogues.selectors import dialogue_people, summaries_for_user
from dialogues.summaries import attribution
from dialogues.summaries.documents import SEAL_KIND, copy_context, summary_context
from participants.models import Membership, Person
from participants.selectors import is_cut_off, pseudonym_in
from trackii.accounts.models import User
from trackii.crypto import decrypt
from trackii.permissions import within
from trackii.sealing.models import SealJob


def drafts_awaiting(*, user, dialogue: Dialogue) -> QuerySet[Summary]:
    return (
        summaries_for_user(user=user)
        .filter(
            workshop__series__dialogue=dialogue, status__in=[SummaryStatus.DRAFT, SummaryStatus.IN_REVIEW]
        )
        .order_by("workshop__starts_at", "version")
    )


def attendees(*, workshop: Workshop) -> QuerySet[Person]:
    """The people who were in the room: a summary's reviewers and, at sealing, its audience."""
    return Person.objects.filter(
        invitations__workshop=workshop, invitations__status=InvitationStatus.ATTENDED
    ).order_by("pk")


def audience_of(*, summary_id: int) -> QuerySet[Person]:
    """The frozen audience of a sealed version: the holders of the copies made when it was sealed."""
    return Person.objects.filter(
        pk__in=SummaryCopy.objects.filter(summary_id=summary_id, audience=True).values("holder")
    ).order_by("pk")


def audience_at_sealing(*, summary: Summary) -> QuerySet[Person]:
    """Who a sealing gives the summary and their own copy: the workshop's attendees or, for an amendment, the
    audience of the version it amends; in both cases only those who belong to the dialogue now (a former
    member keeps what was sealed when they left, never a later version: decision 0012)."""
    if summary.supersedes_id:
        people = audience_of(summary_id=summary.supersedes_id)
    else:
        people = attendees(workshop=summary.workshop)
    return people.filter(belongs_now(summary.workshop.series.dialogue))


@dataclass(frozen=True)
class Reviewer:
    """One attendee in a review round, as the facilitation team sees them: pseudonym only."""

    pseudonym: str
    can_respond: bool
    responded: bool

    @property
    def state(self) -> str:
        if not self.can_respond:
            return "cannot"
        return "responded" if self.responded else "waiting"


@dataclass(frozen=True)
class ReviewProgress:
    """Counts only the attendees who can respond in Trackii (a login, active, still in the dialogue, not cut
    off): someone without a login never blocks the round. `attendees` counts everyone in the room."""

    reviewers: int
    responded: int
    attendees: int = 0

    @property
    def complete(self) -> bool:
        return self.responded >= self.reviewers


def review_roster(*, summary: Summary) -> list[Reviewer]:
    """Every attendee of the draft's workshop, whether they can respond and whether they have: one query."""
    dialogue = summary.workshop.series.dialogue
    rows = (
        attendees(workshop=summary.workshop)
        .annotate(
            can_respond=ExpressionWrapper(
                Q(user__isnull=False, user__is_active=True) & belongs_now(dialogue) & ~Q(is_cut_off()),
                output_field=BooleanField(),
            ),
            has_responded=Exists(ReviewComment.objects.filter(summary=summary, author=OuterRef("pk")))
            | Exists(ReviewSignoff.objects.filter(summary=summary, person=OuterRef("pk"))),
        )
        .annotate(pseudonym_here=pseudonym_in(dialogue_ref=dialogue.pk, person_ref="pk"))
        .order_by("pseudonym_here")
        .values_list("pseudonym_here", "can_respond", "has_responded")
        .distinct()
    )
    return [Reviewer(pseudonym=p, can_respond=c, responded=r) for p, c, r in rows]


def progress_of(roster: list[Reviewer]) -> ReviewProgress:
    able = [row for row in roster if row.can_respond]
    return ReviewProgress(
        reviewers=len(able), responded=sum(row.responded for row in able), attendees=len(roster)
    )


def review_progress(*, summary: Summary) -> ReviewProgress:
    """How many attendees can review the draft and how many of them have commented or signed off."""
    return progress_of(review_roster(summary=summary))


def pending_reviewers(*, summary: Summary) -> QuerySet[Person]:
    """The attendees who can respond in Trackii and have not: whom a reminder is for."""
    dialogue = summary.workshop.series.dialogue
    return (
        attendees(workshop=summary.workshop)
        .filter(user__isnull=False, user__is_active=True)
        .filter(belongs_now(dialogue))
        .exclude(is_cut_off())
        .exclude(Exists(ReviewComment.objects.filter(summary=summary, author=OuterRef("pk"))))
        .exclude(Exists(ReviewSignoff.objects.filter(summary=summary, person=OuterRef("pk"))))
        .distinct()
    )


def reviewers_of(*, summary: Summary):
    """The accounts holding the review grant on a draft (whoever was asked when the review opened)."""
    holders = SummaryUserObjectPermission.objects.filter(
        content_object=summary, permission__codename="review_summary"
    ).values("user")
    return User.objects.filter(pk__in=holders)


def review_comments(*, summary: Summary, author: Person | None = None) -> QuerySet[ReviewComment]:
    """The draft's comments; given an author, only theirs (a reviewer never sees who else commented what)."""
    # Each author by their pseudonym in the summary's dialogue (decision 0026), never their account's.
    comments = (
        summary.comments.select_related("author")
        .annotate(
            author_pseudonym=pseudonym_in(
                dialogue_ref="summary__workshop__series__dialogue", person_ref="author"
            )
        )
        .order_by("created_at", "id")
    )
    return comments.filter(author=author) if author is not None else comments


def sealed_summaries_to_read(*, user) -> QuerySet[Summary]:
    """The sealed summaries the user may read, newest workshop first, each with the user's seen mark."""
    first_read = SummaryReading.objects.filter(summary=OuterRef("pk"), user=user)
    return (
        summaries_for_user(user=user)
        .filter(status=SummaryStatus.SEALED)
        .annotate(
            first_read_at=first_read.values("first_read_at")[:1],
            downloaded_at=first_read.values("downloaded_at")[:1],
        )
        .order_by("-workshop__starts_at", "-version")
    )


def summaries_to_write(*, user) -> QuerySet[Summary]:
    """Every version of the summaries of dialogues in which the user drafts: drafts to edit, reviews to run,
    sealings to follow and sealed versions to amend. A break-glass grant never includes drafting."""
    return summaries_for_user(user=user).filter(
        on_dialogue(user, "draft_summaries", ref="workshop__series__dialogue")
    )


def closed_early_for_user(*, user) -> QuerySet[Summary]:
    """Versions whose review the facilitators closed early, not yet sealed, for the attendees asked to
    review them, while they still belong to the dialogue: they read the reason there, never the draft."""
    attended = Invitation.objects.filter(
        workshop=OuterRef("workshop"), person__user=user, status=InvitationStatus.ATTENDED
    )
    return Summary.objects.filter(
        within("workshop__series__dialogue", dialogue_access(user).dialogues_with("view_dialogue")),
        Exists(attended),
        status__in=[SummaryStatus.DRAFT, SummaryStatus.SEALING],
        review_closed_early_at__isnull=False,
    )


def reviews_for_user(*, user) -> QuerySet[Summary]:
    """Drafts in review that the user is asked to comment on: of workshops they attended."""
    return (
        summaries_for_user(user=user)
        .filter(
            status=SummaryStatus.IN_REVIEW,
            workshop__invitations__person__user=user,
            workshop__invitations__status=InvitationStatus.ATTENDED,
        )
        .order_by("review_deadline", "pk")
    )


def signoff_of(*, summary: Summary, person: Person | None) -> ReviewSignoff | None:
    """When the reviewer said they have nothing (more) to add, if they did."""
    if person is None:
        return None
    return ReviewSignoff.objects.filter(summary=summary, person=person).first()


def opening_body(*, workshop: Workshop) -> str:
    """What a new draft starts with: one ## section per agenda item the participants saw, in the agenda's
    order (day, time, position). Items hidden from participants never appear: the attendees review the
    draft."""
    items = workshop.agenda_items.filter(facilitators_only=False).order_by(*AGENDA_ORDER)
    return "".join(f"## {item.title}\n\n\n" for item in items)


@dataclass(frozen=True)
class Version:
    """One language's text of a summary: the main version (`main`) or a parallel one."""

    language: languages.Language
    body: str
    main: bool

    @property
    def code(self) -> str:
        return self.language.code


def versions_of(*, summary: Summary, body: str | None = None) -> list[Version]:
    """The summary's versions, the main one first (with `body` instead of the saved text, if given), then the
    parallel versions in the order they were added."""
    main = Version(
        language=languages.language(summary.language), body=summary.body if body is None else body, main=True
    )
    parallel = [
        Version(language=languages.language(row.language), body=row.body, main=False)
        for row in summary.translations.order_by("created_at", "id")
    ]
    return [main, *parallel]


def attribution_findings(
    *, summary: Summary, body: str | None = None, versions: list[Version] | None = None
) -> list[attribution.Finding]:
    """What in the draft names someone of the dialogue, in any of its versions, and which of those mentions
    were accepted. A mention in a parallel version says which version it is in, before its section.
    `versions`, when the caller has read them already (versions_of), saves reading them again."""
    # Every form of every name in one more query, however many forms each person has. Every pseudonym each
    # person goes by, in every dialogue (decision 0026), read in the people's own query: any of them in a
    # summary attributes, whichever dialogue's pages a reader knows it from.
    every_pseudonym = (
        Membership.objects.filter(person=OuterRef("pk"))
        .values("person")
        .annotate(all=StringAgg("pseudonym", delimiter=Value(" ")))
        .values("all")
    )
    people = (
        dialogue_people(dialogue=summary.workshop.series.dialogue)
        .annotate(dialogue_pseudonyms=Subquery(every_pseudonym, output_field=CharField()))
        .prefetch_related("other_names")
    )
    terms = attribution.terms_for(people)
    accepted = set(summary.accepted_mentions)
    merged: dict[str, attribution.Finding] = {}
    if versions is None:
        versions = versions_of(summary=summary, body=body)
    for version in versions:
        for finding in attribution.scan(version.body, terms, accepted=accepted):
            mentions = finding.mentions
            if len(versions) > 1:
                mentions = [
                    replace(
                        m,
                        section=f"{version.language.name} · {m.section}"
                        if m.section
                        else version.language.name,
                    )
                    for m in mentions
                ]
            known = merged.get(finding.term.key)
            merged[finding.term.key] = (
                replace(finding, mentions=mentions)
                if known is None
                else replace(known, mentions=[*known.mentions, *mentions])
            )
    return list(merged.values())


def open_mention_count(*, summary: Summary) -> int:
    """How many mentions the attribution check flags in the saved draft and nobody accepted."""
    return sum(1 for finding in attribution_findings(summary=summary) if not finding.accepted)


def seal_job(*, summary: Summary) -> SealJob | None:
    return SealJob.objects.filter(kind=SEAL_KIND, object_id=summary.pk).first()


def sealed_pdf_of(*, summary: Summary) -> bytes:
    return decrypt(bytes(summary.sealed_pdf), context=summary_context(summary))


def copy_pdf(*, copy: SummaryCopy) -> bytes:
    return decrypt(bytes(copy.pdf), context=copy_context(copy.copy_code))


# --- The rules of steering a review round (dialogues/summaries/steering/), asked by its forms too ---------

CLOSE_REASON_MAX_LENGTH = 1000
# What a new review round clears (services.open_review): no early close, no reminder yet.
STEERING_FIELDS = ("review_closed_early_at", "review_close_reason", "review_reminded_at")
REMINDER_INTERVAL = dt.timedelta(hours=24)


def check_close_reason(reason: str) -> str:
    """The reason for closing a review early: the reviewers read it on the summary's page."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the review closes early: the reviewers will read it.")})
    if len(reason) > CLOSE_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(limit)d characters.") % {"limit": CLOSE_REASON_MAX_LENGTH}}
        )
    return reason


def check_new_deadline(*, summary: Summary, deadline: dt.datetime, now: dt.datetime) -> None:
    if deadline <= now:
        raise ValidationError({"review_deadline": _("The new deadline must be in the future.")})
    if summary.review_deadline and deadline <= summary.review_deadline:
        raise ValidationError(
            {
                "review_deadline": _(
                    "The new deadline must be later than the current one. To end the review "
                    "sooner, close it early instead."
                )
            }
        )


def locate_passage(*, body: str, quote: str) -> tuple[int, int] | None:
    """Where the quoted words first stand in the draft, word for word, whatever the line breaks and spaces
    between them (a passage copied from the page has spaces where the Markdown wraps its lines)."""
    words = quote.split()
    if not words:
        return None
    found = re.search(r"\s+".join(re.escape(word) for word in words), body)
    return found.span() if found else None


def check_replacement(*, body: str, quote: str, suggested_text: str) -> None:
    """A reviewer's exact replacement: the passage they copied is in the draft, and something replaces it."""
    if quote.strip() and not suggested_text.strip():
        raise ValidationError(
            {"suggested_text": _("Write the wording that should replace the passage you copied.")}
        )
    if quote.strip() and locate_passage(body=body, quote=quote) is None:
        raise ValidationError(
            {"quote": _("These words are not in the draft as written. Copy them from the draft.")}
        )


def next_reminder_at(*, summary: Summary) -> dt.datetime | None:
    """When the reviewers may be reminded again (None: now)."""
    if summary.review_reminded_at is None:
        return None
    return summary.review_reminded_at + REMINDER_INTERVAL
