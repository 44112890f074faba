"""Reads of summaries: who attended and who reads a sealed version, the review round's reviewers,
comments and progress, what a facilitator has to write and what a reader may read."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet

from dialogues.enums import InvitationStatus, SummaryStatus
from dialogues.models import (
    Dialogue,
    ReviewComment,
    ReviewSignoff,
    Summary,
    SummaryCopy,
    SummaryReading,
    SummaryUserObjectPermission,
    Workshop,
)
from dialogues.permissions import belongs_now, on_dialogue
from dialogues.selectors import dialogue_people, summaries_for_user
from dialogues.summaries import attribution
from dialogues.summaries.documents import SEAL_KIND, copy_context, summary_context
from participants.models import Person
from trackii.accounts.models import User
from trackii.crypto import decrypt
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
    ).order_by("pseudonym")


def audience_of(*, summary_id: int) -> QuerySet[Person]:
    """The frozen audience of a sealed version: the holders of the copies made when it was sealed."""
    return Person.objects.filter(
        pk__in=SummaryCopy.objects.filter(summary_id=summary_id, audience=True).values("holder")
    ).order_by("pseudonym")


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
class ReviewProgress:
    reviewers: int
    responded: int

    @property
    def complete(self) -> bool:
        return self.responded >= self.reviewers


def review_progress(*, summary: Summary) -> ReviewProgress:
    """How many attendees review the draft and how many have commented or signed off: one query."""
    counts = attendees(workshop=summary.workshop).aggregate(
        reviewers=Count("pk", distinct=True),
        responded=Count(
            "pk",
            distinct=True,
            filter=Q(pk__in=ReviewComment.objects.filter(summary=summary).values("author"))
            | Q(pk__in=ReviewSignoff.objects.filter(summary=summary).values("person")),
        ),
    )
    return ReviewProgress(reviewers=counts["reviewers"], responded=counts["responded"])


def reviewers_of(*, summary: Summary):
    """The accounts holding the review grant on a draft (whoever was asked when the review opened)."""
    holders = SummaryUserObjectPermission.objects.filter(
        content_object=summary, permission__codename="review_summary"
    ).values("user")
    return User.objects.filter(pk__in=holders)


def review_comments(*, summary: Summary, author: Person | None = None) -> QuerySet[ReviewComment]:
    """The draft's comments; given an author, only theirs (a reviewer never sees who else commented what)."""
    comments = summary.comments.select_related("author").order_by("created_at", "id")
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
    """What a new draft starts with: one section per agenda item the participants saw."""
    items = workshop.agenda_items.filter(facilitators_only=False).order_by("position", "id")
    return "".join(f"## {item.title}\n\n\n" for item in items)


def attribution_findings(*, summary: Summary) -> list[attribution.Finding]:
    """What in the draft names someone of the dialogue, and which of those mentions were accepted."""
    terms = attribution.terms_for(dialogue_people(dialogue=summary.workshop.series.dialogue))
    return attribution.scan(summary.body, terms, accepted=set(summary.accepted_mentions))


def seal_job(*, summary: Summary) -> SealJob | None:
    return SealJob.objects.filter(kind=SEAL_KIND, object_id=summary.pk).first()


def sealed_pdf_of(*, summary: Summary) -> bytes:
    return decrypt(bytes(summary.sealed_pdf), context=summary_context(summary))


def copy_pdf(*, copy: SummaryCopy) -> bytes:
    return decrypt(bytes(copy.pdf), context=copy_context(copy.copy_code))
