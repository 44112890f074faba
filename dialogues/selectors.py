"""Reads of dialogues and workshops. Every page gets its objects from a selector, which filters in SQL by
what the user may see (dialogues/permissions.py); an object outside it is simply not found."""

import calendar
import datetime as dt
import hashlib
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet

from dialogues.enums import InvitationStatus, SummaryStatus, WorkshopStatus
from dialogues.models import (
    AgendaItem,
    BreakGlassGrant,
    Dialogue,
    Invitation,
    PersonalCalendar,
    ReviewComment,
    ReviewSignoff,
    Side,
    Summary,
    SummaryCopy,
    SummaryReading,
    SummaryUserObjectPermission,
    Unavailability,
    Workshop,
    WorkshopSeries,
)
from dialogues.permissions import (
    DialogueAccess,
    can_see_facilitators_only,
    on_dialogue,
    visible_dialogues,
    visible_summaries,
    visible_workshops,
)
from participants.models import Membership, Person, ThirdParty
from trackii.accounts.models import User


def dialogues_for_user(user, *, codename: str = "view_dialogue") -> QuerySet[Dialogue]:
    """The dialogues in which the user holds `codename` (by default: may open the overview)."""
    grant = visible_dialogues(user) if codename == "view_dialogue" else on_dialogue(user, codename)
    return Dialogue.objects.filter(grant).order_by("codename")


def workshops_for_user(user) -> QuerySet[Workshop]:
    return Workshop.objects.filter(visible_workshops(user)).select_related("series__dialogue")


def summaries_for_user(user) -> QuerySet[Summary]:
    return Summary.objects.filter(visible_summaries(user)).select_related("workshop__series__dialogue")


def agenda_for(*, workshop: Workshop, access: DialogueAccess) -> QuerySet[AgendaItem]:
    """The agenda as this viewer may see it: facilitators-only items only for the facilitation team."""
    items = workshop.agenda_items.order_by("position", "id")
    if not can_see_facilitators_only(access, workshop.series.dialogue_id):
        items = items.filter(facilitators_only=False)
    return items


def roster(*, dialogue: Dialogue) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(dialogue=dialogue, left_on__isnull=True)
        .select_related("person", "side")
        .order_by("side__name", "person__pseudonym")
    )


def active_break_glass(*, dialogue: Dialogue, now) -> QuerySet[BreakGlassGrant]:
    return BreakGlassGrant.objects.filter(
        Q(dialogue=dialogue, ended_at__isnull=True, expires_at__gt=now)
    ).select_related("user")


# --- Facilitator workspace ------------------------------------------------------------------------------

EXPECTED = (InvitationStatus.INVITED, InvitationStatus.ACCEPTED)
# Accepted people per side may differ by this many before the sides count as out of balance.
SIDE_BALANCE_THRESHOLD = 2


def dialogues_with_convenor_flag(user) -> QuerySet[Dialogue]:
    """The home page's list, each row saying (in the same query) whether the user convenes it."""
    return dialogues_for_user(user).annotate(
        convenes=ExpressionWrapper(on_dialogue(user, "manage_members"), output_field=BooleanField())
    )


def third_parties_for_creator(user) -> QuerySet[ThirdParty]:
    """The Third Parties in whose name the user may open a dialogue: those of which they convene one
    (docs/decisions/0004-scheduling.md)."""
    convened = Dialogue.objects.filter(third_party=OuterRef("pk")).filter(on_dialogue(user, "manage_members"))
    return ThirdParty.objects.filter(Exists(convened)).order_by("name")


def series_for_user(user, *, codename: str = "view_all_workshops") -> QuerySet[WorkshopSeries]:
    return WorkshopSeries.objects.filter(on_dialogue(user, codename, ref="dialogue")).select_related(
        "dialogue"
    )


def workshops_with(user, codename: str) -> QuerySet[Workshop]:
    """Workshops of the dialogues in which the user holds `codename` (e.g. schedule_workshops)."""
    return Workshop.objects.filter(on_dialogue(user, codename, ref="series__dialogue")).select_related(
        "series__dialogue"
    )


def workshops_with_counts(queryset: QuerySet[Workshop]) -> QuerySet[Workshop]:
    """Invitation counts by answer, in the same query."""
    return queryset.annotate(
        n_invited=Count("invitations", filter=Q(invitations__status=InvitationStatus.INVITED)),
        n_accepted=Count("invitations", filter=Q(invitations__status=InvitationStatus.ACCEPTED)),
        n_declined=Count("invitations", filter=Q(invitations__status=InvitationStatus.DECLINED)),
        n_attended=Count("invitations", filter=Q(invitations__status=InvitationStatus.ATTENDED)),
    )


def sides_with_counts(*, dialogue: Dialogue) -> QuerySet[Side]:
    return dialogue.sides.annotate(
        n_members=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    ).order_by("name")


def drafts_awaiting(*, user, dialogue: Dialogue) -> QuerySet[Summary]:
    return (
        summaries_for_user(user)
        .filter(
            workshop__series__dialogue=dialogue, status__in=[SummaryStatus.DRAFT, SummaryStatus.IN_REVIEW]
        )
        .order_by("workshop__starts_at", "version")
    )


def invitations_for_workshop(*, workshop: Workshop) -> QuerySet[Invitation]:
    """Everyone invited, with their side in this dialogue, in one query."""
    side = Membership.objects.filter(person=OuterRef("person"), dialogue_id=workshop.series.dialogue_id)
    return (
        workshop.invitations.select_related("person")
        .annotate(side_name=side.values("side__name")[:1])
        .order_by("side_name", "person__pseudonym")
    )


def invitable_members(*, dialogue: Dialogue) -> QuerySet[Membership]:
    return roster(dialogue=dialogue)


@dataclass(frozen=True)
class Warning:
    """Something about a workshop a facilitator should act on: what is wrong, and what to do."""

    workshop_id: int
    problem: str
    advice: str


def workshop_warnings(*, dialogue: Dialogue, workshops: list[Workshop], today: dt.date) -> dict[int, list]:
    """Warnings for upcoming workshops of one dialogue, by workshop id, in four queries whatever the number of
    workshops or invitations. A clash with another dialogue never names it: it says only "elsewhere"."""
    upcoming = [w for w in workshops if w.status in (WorkshopStatus.DRAFT, WorkshopStatus.SCHEDULED)]
    found: dict[int, list[Warning]] = defaultdict(list)
    if not upcoming:
        return found
    ids = [w.pk for w in upcoming]
    sides = list(dialogue.sides.order_by("name"))
    by_side: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: {"expected": 0, "accepted": 0})
    for row in (
        Invitation.objects.filter(
            workshop_id__in=ids,
            status__in=EXPECTED,
            person__memberships__dialogue=dialogue,
            person__memberships__left_on__isnull=True,
            person__memberships__side__isnull=False,
        )
        .values("workshop_id", "person__memberships__side_id")
        .annotate(expected=Count("id"), accepted=Count("id", filter=Q(status=InvitationStatus.ACCEPTED)))
    ):
        key = (row["workshop_id"], row["person__memberships__side_id"])
        by_side[key] = {"expected": row["expected"], "accepted": row["accepted"]}
    for workshop in upcoming:
        counts = [(side, by_side[(workshop.pk, side.pk)]) for side in sides]
        for side, count in counts:
            if count["expected"] == 0:
                found[workshop.pk].append(
                    Warning(
                        workshop.pk,
                        f"Nobody from {side.name} is invited.",
                        f"Invite members of {side.name}, so that every side is in the room.",
                    )
                )
            elif count["accepted"] == 0:
                found[workshop.pk].append(
                    Warning(
                        workshop.pk,
                        f"Nobody from {side.name} has accepted yet ({count['expected']} invited).",
                        f"Follow up with the people invited from {side.name}, or invite more of them.",
                    )
                )
        if len(counts) >= 2:
            low = min(counts, key=lambda c: c[1]["accepted"])
            high = max(counts, key=lambda c: c[1]["accepted"])
            gap = high[1]["accepted"] - low[1]["accepted"]
            if gap > SIDE_BALANCE_THRESHOLD and low[1]["accepted"] > 0:
                found[workshop.pk].append(
                    Warning(
                        workshop.pk,
                        f"The sides are out of balance: {high[1]['accepted']} accepted from {high[0].name}, "
                        f"{low[1]['accepted']} from {low[0].name}.",
                        f"Invite more people from {low[0].name}, or ask whether more of them can come.",
                    )
                )

    overlapping = (
        Invitation.objects.filter(person=OuterRef("person"), status__in=EXPECTED)
        .exclude(workshop=OuterRef("workshop"))
        .exclude(workshop__status=WorkshopStatus.CANCELLED)
        .filter(
            workshop__starts_at__lt=OuterRef("workshop__ends_at"),
            workshop__ends_at__gt=OuterRef("workshop__starts_at"),
        )
    )
    same_dialogue = Q(workshop__series__dialogue=OuterRef("workshop__series__dialogue"))
    for row in (
        Invitation.objects.filter(workshop_id__in=ids, status__in=EXPECTED)
        .annotate(
            here=Exists(overlapping.filter(same_dialogue)),
            elsewhere=Exists(overlapping.exclude(same_dialogue)),
        )
        .filter(Q(here=True) | Q(elsewhere=True))
        .values("workshop_id", "person__pseudonym", "here", "elsewhere")
        .order_by("workshop_id", "person__pseudonym")
    ):
        where = "another workshop of this dialogue" if row["here"] else "another commitment elsewhere"
        found[row["workshop_id"]].append(
            Warning(
                row["workshop_id"],
                f"{row['person__pseudonym']} is double-booked: {where} overlaps this workshop.",
                "Ask them which one they will attend, or move one of the workshops.",
            )
        )

    local_days = {w.pk: (w.local_starts_at.date(), w.local_ends_at.date()) for w in upcoming}
    for row in (
        Unavailability.objects.filter(
            ends_on__gte=today,
            person__invitations__workshop_id__in=ids,
            person__invitations__status__in=EXPECTED,
        )
        .values("person__pseudonym", "starts_on", "ends_on", "person__invitations__workshop_id")
        .order_by("starts_on")
    ):
        workshop_id = row["person__invitations__workshop_id"]
        first, last = local_days[workshop_id]
        if row["starts_on"] <= last and row["ends_on"] >= first:
            found[workshop_id].append(
                Warning(
                    workshop_id,
                    f"{row['person__pseudonym']} said they are unavailable from "
                    f"{row['starts_on']:%-d %b} to {row['ends_on']:%-d %b %Y}.",
                    "Ask them whether they can still come, or move the workshop.",
                )
            )
    return found


# --- Participants' own page, calendars and feeds -----------------------------------------------------------


def person_of(user) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None


def my_invitations(*, user) -> QuerySet[Invitation]:
    """The user's own invitations to workshops they can still see, with the agenda they may read."""
    shared_agenda = Prefetch(
        "workshop__agenda_items",
        queryset=AgendaItem.objects.filter(facilitators_only=False).order_by("position", "id"),
        to_attr="shared_agenda",
    )
    return (
        Invitation.objects.filter(person__user=user)
        .filter(Exists(Workshop.objects.filter(visible_workshops(user), pk=OuterRef("workshop"))))
        .select_related("workshop__series__dialogue")
        .prefetch_related(shared_agenda)
        .order_by("workshop__starts_at")
    )


def display_timezone(user) -> str:
    """The zone the user reads times in (their calendar setting), UTC until they choose."""
    if not user.is_authenticated:
        return "UTC"
    return PersonalCalendar.objects.filter(user=user).values_list("timezone", flat=True).first() or "UTC"


def calendar_workshops(user, *, start: dt.datetime, end: dt.datetime) -> QuerySet[Workshop]:
    """Workshops the user may see that overlap [start, end), without those they declined."""
    declined = Invitation.objects.filter(
        workshop=OuterRef("pk"), person__user=user, status=InvitationStatus.DECLINED
    )
    return (
        workshops_for_user(user)
        .filter(starts_at__lt=end, ends_at__gt=start)
        .exclude(Exists(declined))
        .order_by("starts_at", "id")
    )


def calendar_for_token(token: str) -> PersonalCalendar | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return (
        PersonalCalendar.objects.select_related("user")
        .filter(feed_token_hash=digest, user__is_active=True)
        .first()
    )


def month_grid(*, year: int, month: int, workshops, tz_name: str) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with the workshops running on it in the viewer's zone."""
    tz = zoneinfo.ZoneInfo(tz_name)
    days: dict[dt.date, list] = defaultdict(list)
    for workshop in workshops:
        day, last = workshop.starts_at.astimezone(tz).date(), workshop.ends_at.astimezone(tz).date()
        while day <= last:
            days[day].append(workshop)
            day += dt.timedelta(days=1)
    return [
        [{"date": d, "in_month": d.month == month, "workshops": days.get(d, [])} for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]


def people_known_to(user) -> QuerySet[Person]:
    """Whom the user may look up by pseudonym: people on the rosters they can already read, and people on
    file who are in no dialogue yet. Someone in another dialogue stays hidden, name and all."""
    rosters = Dialogue.objects.filter(on_dialogue(user, "view_roster"))
    return Person.objects.filter(
        Q(memberships__dialogue__in=rosters)
        | Q(facilitator_roles__dialogue__in=rosters)
        | Q(memberships__isnull=True, facilitator_roles__isnull=True)
    ).distinct()


# --- Summaries ------------------------------------------------------------------------------------------


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


def dialogue_people(*, dialogue: Dialogue) -> QuerySet[Person]:
    """Everyone who is or was in the dialogue, members and facilitation team: whom a summary must not name."""
    return Person.objects.filter(
        Q(memberships__dialogue=dialogue) | Q(facilitator_roles__dialogue=dialogue)
    ).distinct()


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


def reading_room(user) -> QuerySet[Summary]:
    """The sealed summaries the user may read, newest workshop first, each with the user's seen mark."""
    first_read = SummaryReading.objects.filter(summary=OuterRef("pk"), user=user)
    return (
        summaries_for_user(user)
        .filter(status=SummaryStatus.SEALED)
        .annotate(
            first_read_at=first_read.values("first_read_at")[:1],
            downloaded_at=first_read.values("downloaded_at")[:1],
        )
        .order_by("-workshop__starts_at", "-version")
    )


def membership_of(*, user, dialogue_id: int) -> Membership | None:
    """The user's current membership of the dialogue, if they are a member (not on the facilitation team)."""
    return (
        Membership.objects.filter(person__user=user, dialogue_id=dialogue_id, left_on__isnull=True)
        .select_related("person")
        .first()
    )


# --- Summary pages (dialogues/views_summaries.py) ---------------------------------------------------------


def summaries_to_write(user) -> QuerySet[Summary]:
    """Every version of the summaries of dialogues in which the user drafts: drafts to edit, reviews to run,
    sealings to follow and sealed versions to amend. A break-glass grant never includes drafting."""
    return summaries_for_user(user).filter(
        on_dialogue(user, "draft_summaries", ref="workshop__series__dialogue")
    )


def reviews_for_user(user) -> QuerySet[Summary]:
    """Drafts in review that the user is asked to comment on: of workshops they attended."""
    return (
        summaries_for_user(user)
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
