"""Reads for the programme-wide insight page (/insight/): figures across every dialogue whose insight the
viewer may see (dialogues.permissions.insight_dialogues), never beyond them.

Every function takes the dialogue ids already decided by the permission layer and answers in one query,
whatever their number: the per-person and per-period work happens in the database (window functions over
an ORM-built subquery, so the SQL stays portable to the embedded SQLite of `make run`).
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When

from dialogues.enums import InvitationStatus, OutcomeStage, WorkshopStatus
from dialogues.insight.quarters import quarter_start
from dialogues.models import Dialogue, Invitation, Outcome
from participants.enums import PROXIMITY_BAND, ProximityBand
from participants.models import Membership

USUAL_SUSPECTS_SHARE = 10  # per cent of the people: the most frequent ones ("usual suspects")
MANY_DIALOGUES = 3  # from this many dialogues on, a person is listed by pseudonym
DIALOGUE_BUCKETS = (1, 2, 3, 4)  # the last is "4 or more"
# "Serving officials" as the composition page counts them: the band, parliamentarians included.
OFFICIALS_BAND = ProximityBand.SERVING_OFFICIAL
OFFICIALS = tuple(proximity for proximity, band in PROXIMITY_BAND.items() if band == OFFICIALS_BAND)


@dataclass(frozen=True)
class Share:
    """Attended seats in a period, and how many of them the most frequent people held."""

    period: dt.date | None  # the first day of the quarter or year; None for all time
    people: int
    seats: int
    top_people: int
    top_seats: int

    @property
    def percent(self) -> float:
        return round(100 * self.top_seats / self.seats, 1) if self.seats else 0.0


@dataclass(frozen=True)
class UsualSuspects:
    overall: Share | None
    by_quarter: tuple[Share, ...]
    by_year: tuple[Share, ...]


@dataclass(frozen=True)
class Newcomers:
    quarter: dt.date
    people: int
    newcomers: int


@dataclass(frozen=True)
class SideOfOfficials:
    codename: str
    side: str
    seats: int
    officials: int

    @property
    def percent(self) -> float:
        return round(100 * self.officials / self.seats, 1)


@dataclass(frozen=True)
class Spread:
    """How many people are current members of 1, 2, 3, 4+ of the dialogues; pseudonyms of those in many."""

    counts: dict[int, int]
    in_many: tuple[tuple[str, int], ...]  # (pseudonym, dialogues), most dialogues first, then P-2 before P-11


def third_parties(*, dialogue_ids) -> list[tuple[int, str, int]]:
    """The Third Parties the dialogues belong to, as (id, name, dialogues), by name."""
    rows = (
        Dialogue.objects.filter(pk__in=dialogue_ids)
        .order_by()
        .values("third_party_id", "third_party__name")
        .annotate(n=Count("id"))
        .order_by("third_party__name")
    )
    return [(row["third_party_id"], row["third_party__name"], row["n"]) for row in rows]


def of_third_party(*, dialogue_ids, third_party_id: int) -> list[int]:
    """The dialogues among `dialogue_ids` that belong to this Third Party."""
    return list(
        Dialogue.objects.filter(pk__in=dialogue_ids, third_party_id=third_party_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def attended_seats(*, dialogue_ids) -> QuerySet[Invitation]:
    """A seat is an invitation marked attended, at a workshop that was held, in one of the dialogues."""
    return Invitation.objects.filter(
        status=InvitationStatus.ATTENDED,
        workshop__status=WorkshopStatus.HELD,
        workshop__series__dialogue_id__in=dialogue_ids,
    ).order_by()


def _seats_sql(dialogue_ids) -> tuple[str, tuple]:
    """SELECT person_id, quarter of every seat: the inner query of the newcomers' SQL."""
    seats = attended_seats(dialogue_ids=dialogue_ids).values_list(
        "person_id", quarter_start("workshop__starts_at")
    )
    sql, params = seats.query.sql_with_params()
    return sql, tuple(params)


def _day(value) -> dt.date | None:
    """A period from the database: a datetime (PostgreSQL) or its text (SQLite)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.date() if isinstance(value, dt.datetime) else value


def usual_suspects(*, dialogue_ids) -> UsualSuspects:
    """The share of attended seats held by the most frequent 10 % of the people who attended (rounded up, at
    least one), over all time and per quarter and per year. One query counts each person's seats per quarter
    (a few thousand rows for a convenor of 200 dialogues); the ranking is done here, which costs a fraction of
    ranking three times over in SQL. Ties at the cut do not change the share: the people tied hold the same
    number of seats."""
    if not dialogue_ids:
        return UsualSuspects(overall=None, by_quarter=(), by_year=())
    per_quarter = (
        attended_seats(dialogue_ids=dialogue_ids)
        .annotate(quarter=quarter_start("workshop__starts_at"))
        .values_list("person_id", "quarter")
        .annotate(n=Count("id"))
    )
    overall: dict[int, int] = defaultdict(int)
    by_quarter: dict[dt.date, dict[int, int]] = defaultdict(dict)
    by_year: dict[dt.date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for person_id, quarter, n in per_quarter:
        quarter = _day(quarter)
        overall[person_id] += n
        by_quarter[quarter][person_id] = n
        by_year[dt.date(quarter.year, 1, 1)][person_id] += n
    return UsualSuspects(
        overall=_share(None, overall) if overall else None,
        by_quarter=tuple(_share(q, seats) for q, seats in sorted(by_quarter.items())),
        by_year=tuple(_share(y, seats) for y, seats in sorted(by_year.items())),
    )


def _share(period: dt.date | None, seats_by_person: dict[int, int]) -> Share:
    """The most frequent ceil(10 %) of these people (at least one) and the seats they held."""
    counts = sorted(seats_by_person.values(), reverse=True)
    top = max(1, math.ceil(len(counts) * USUAL_SUSPECTS_SHARE / 100))
    return Share(
        period=period,
        people=len(counts),
        seats=sum(counts),
        top_people=top,
        top_seats=sum(counts[:top]),
    )


def newcomers_by_quarter(*, dialogue_ids) -> list[Newcomers]:
    """Per quarter: the distinct people who attended, and how many of them attended no workshop of these
    dialogues in any earlier quarter (their first seat is in this one)."""
    if not dialogue_ids:
        return []
    seats_sql, params = _seats_sql(dialogue_ids)
    # Each seat marked with its person's first quarter in one pass (a window, not a join back: the planner
    # cannot estimate a CTE joined to its own aggregate, and chose a nested loop of seconds at scale).
    sql = f"""
        WITH seats (person_id, quarter) AS ({seats_sql}),
        marked AS (SELECT person_id, quarter, MIN(quarter) OVER (PARTITION BY person_id) AS first FROM seats)
        SELECT quarter, COUNT(DISTINCT person_id),
               COUNT(DISTINCT CASE WHEN first = quarter THEN person_id END)
        FROM marked GROUP BY quarter ORDER BY quarter
    """  # noqa: S608 (as above)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [Newcomers(quarter=_day(q), people=int(p), newcomers=int(n)) for q, p, n in rows]


def _current_members(dialogue_ids) -> QuerySet[Membership]:
    return Membership.objects.filter(dialogue_id__in=dialogue_ids, left_on__isnull=True).order_by()


def dialogue_spread(*, dialogue_ids, convened_ids=()) -> Spread:
    """How many people are current members of 1, 2, 3 and 4 or more of the dialogues (one query), and those
    in MANY_DIALOGUES or more (a second), each by their pseudonyms in the dialogues among them the viewer
    convenes, "P-7KQM (ORCHID), P-2RXA (LOTUS)": a person's pseudonyms side by side are the link
    only a convenor of both may see (decision 0026); "—" when the viewer convenes none of theirs."""
    if not dialogue_ids:
        return Spread(counts=dict.fromkeys(DIALOGUE_BUCKETS, 0), in_many=())
    per_person = _current_members(dialogue_ids).values("person_id").annotate(n=Count("dialogue_id"))
    inner, params = per_person.query.sql_with_params()
    top = DIALOGUE_BUCKETS[-1]
    sql = f"""
        SELECT CASE WHEN n >= %s THEN %s ELSE n END AS bucket, COUNT(*)
        FROM ({inner}) AS per_person GROUP BY 1 ORDER BY 1
    """  # noqa: S608 (as above)
    with connection.cursor() as cursor:
        cursor.execute(sql, (top, top, *params))
        counts = dict.fromkeys(DIALOGUE_BUCKETS, 0) | {int(b): int(n) for b, n in cursor.fetchall()}
    # One row per membership of each person in MANY_DIALOGUES or more, with the pseudonym and codename only
    # where the viewer convenes the dialogue (nothing else leaves the database).
    convened = [pk for pk in dialogue_ids if pk in set(convened_ids)]
    in_how_many = (
        _current_members(dialogue_ids)
        .filter(person_id=OuterRef("person_id"))
        .values("person_id")
        .annotate(c=Count("pk"))
        .values("c")[:1]
    )
    shown = Q(dialogue_id__in=convened)
    many: dict[int, int] = {}
    labels: dict[int, list[str]] = {}
    for person_id, n, pseudonym, codename in (
        _current_members(dialogue_ids)
        .annotate(
            n=Subquery(in_how_many, output_field=IntegerField()),
            shown_pseudonym=Case(When(shown, then=F("pseudonym")), default=None),
            shown_codename=Case(When(shown, then=F("dialogue__codename")), default=None),
        )
        .filter(n__gte=MANY_DIALOGUES)
        .order_by("person_id", "shown_codename")
        .values_list("person_id", "n", "shown_pseudonym", "shown_codename")
    ):
        many[person_id] = n
        if pseudonym is not None:
            labels.setdefault(person_id, []).append(f"{pseudonym} ({codename})")
    rows = [(", ".join(labels.get(pk, ())) or "—", n) for pk, n in many.items()]
    return Spread(
        counts=counts, in_many=tuple(sorted(rows, key=lambda row: (-row[1], row[0] == "—", row[0])))
    )


def sides_mostly_officials(*, dialogue_ids) -> list[SideOfOfficials]:
    """Sides more than half of whose attended seats were held by people of the serving-officials band
    (OFFICIALS: parliamentarians included, as on the composition page), with the share: a seat counts for
    the side the person sits on in that dialogue."""
    if not dialogue_ids:
        return []
    # From the seats, each joined to the person's membership of that dialogue (unique per person and
    # dialogue): the planner starts from the few seats rather than from every invitation of every member.
    rows = (
        attended_seats(dialogue_ids=dialogue_ids)
        .filter(
            person__memberships__dialogue_id=F("workshop__series__dialogue_id"),
            person__memberships__side__isnull=False,
        )
        .values(
            "person__memberships__side_id",
            side_name=F("person__memberships__side__name"),
            codename=F("workshop__series__dialogue__codename"),
        )
        .annotate(
            seats=Count("id"),
            officials=Count("id", filter=Q(person__proximity__in=OFFICIALS)),
        )
        .alias(twice=F("officials") * 2)
        .filter(twice__gt=F("seats"))
        .order_by("-officials", "codename", "side_name")
    )
    return [
        SideOfOfficials(
            codename=row["codename"],
            side=row["side_name"],
            seats=row["seats"],
            officials=row["officials"],
        )
        for row in rows
    ]


def transfer_funnel(*, dialogue_ids) -> list[tuple[str, int]]:
    """How many outcomes reached each stage, in the stages' order: an outcome's stage is the furthest it
    reached, so a stage counts the outcomes at it or beyond."""
    at = (
        dict(
            Outcome.objects.filter(dialogue_id__in=dialogue_ids)
            .order_by()
            .values("stage")
            .annotate(n=Count("id"))
            .values_list("stage", "n")
        )
        if dialogue_ids
        else {}
    )
    stages = list(OutcomeStage)
    return [
        (stage.label, sum(at.get(later.value, 0) for later in stages[n:])) for n, stage in enumerate(stages)
    ]
