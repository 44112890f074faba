"""Composition of a dialogue (issue 21): who held the seats at each workshop, by side and by proximity to
officialdom, and who is on the roster now. Counts only: no person is named or pseudonymised here.

`composition` reads the numbers in four small queries whatever the size of the dialogue (its sides, its held
workshops, attended seats grouped by workshop, side and proximity, current members grouped by side and
proximity). `readings` and `composition_charts` turn those numbers into plain sentences and charts without
another query.

An attendee's side is their membership's side in this dialogue (now); observers and resource persons stand
outside the sides and are counted apart, never in the balance between them.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.models import Dialogue, Invitation, Workshop
from dialogues.scheduling.selectors import SIDE_BALANCE_THRESHOLD
from participants.enums import PROXIMITY_BAND, ProximityBand
from participants.models import Membership
from trackii.charts import Chart, Series, bar_chart

OUTSIDE = "Outside the sides"  # observers and resource persons, who speak for no side
NAMED_BANDS = tuple(band for band in ProximityBand if band != ProximityBand.OTHER)
# How a band reads inside a sentence ("Side B has had no former officials at any workshop").
BAND_NOUNS = {
    ProximityBand.SERVING_OFFICIAL: "serving officials",
    ProximityBand.FORMER_OFFICIAL: "former officials",
    ProximityBand.CLOSE_TO_GOVERNMENT: "people close to government",
    ProximityBand.CIVIL_SOCIETY: "people from civil society",
    ProximityBand.INDEPENDENT_EXPERT: "independent experts",
    ProximityBand.OTHER: "others",
}
MOST_IMBALANCED_SHOWN = 3


@dataclass(frozen=True)
class HeldWorkshop:
    pk: int
    label: str  # "Listening circles · workshop 3": for the readings
    short: str  # "Workshop 3", or "S2 · workshop 3" when the dialogue has several series: for the charts


@dataclass(frozen=True)
class Composition:
    sides: tuple[tuple[int | None, str], ...]  # (side id, name) in name order; (None, OUTSIDE) if anyone
    workshops: tuple[HeldWorkshop, ...]  # held or with attendance recorded, in series order
    bands: tuple[str, ...]  # the ProximityBand values shown: the five named, and Other if anyone is in it
    seats: dict  # (workshop id, side id or None, band) -> attended seats
    members: dict  # (side id or None, band) -> current members

    def side_seats(self, side, workshop_pk=None) -> int:
        return sum(n for (w, s, _), n in self.seats.items() if s == side and workshop_pk in (None, w))


def composition(*, dialogue: Dialogue) -> Composition:
    """The dialogue's composition in four queries. The caller has checked that the viewer may see it
    (dialogues.permissions.can_view_insight)."""
    sides = list(dialogue.sides.order_by("name", "pk").values_list("pk", "name"))
    attended = Invitation.objects.filter(workshop=OuterRef("pk"), status=InvitationStatus.ATTENDED)
    rows = list(
        Workshop.objects.filter(series__dialogue=dialogue)
        .exclude(status=WorkshopStatus.CANCELLED)
        .filter(Q(status=WorkshopStatus.HELD) | Exists(attended))
        .order_by("series__position", "starts_at", "number", "pk")
        .values("pk", "number", "series__position", "series__title")
    )
    several_series = len({row["series__position"] for row in rows}) > 1
    workshops = tuple(
        HeldWorkshop(
            pk=row["pk"],
            label=f"{row['series__title']} · workshop {row['number']}",
            short=f"S{row['series__position']} · workshop {row['number']}"
            if several_series
            else f"Workshop {row['number']}",
        )
        for row in rows
    )
    membership = Membership.objects.filter(person=OuterRef("person_id"), dialogue=dialogue)
    seat_rows = (
        Invitation.objects.filter(workshop__in=[w.pk for w in workshops], status=InvitationStatus.ATTENDED)
        .annotate(side=Subquery(membership.values("side_id")[:1]))
        .values("workshop_id", "side", "person__proximity")
        .annotate(n=Count("pk"))
        .order_by()
        if workshops
        else ()
    )
    seats: Counter = Counter()
    for row in seat_rows:
        seats[row["workshop_id"], row["side"], PROXIMITY_BAND[row["person__proximity"]]] += row["n"]
    members: Counter = Counter()
    for row in (
        Membership.objects.filter(dialogue=dialogue, left_on__isnull=True)
        .values("side_id", "person__proximity")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        members[row["side_id"], PROXIMITY_BAND[row["person__proximity"]]] += row["n"]
    if any(side is None for _, side, _ in seats) or any(side is None for side, _ in members):
        sides.append((None, OUTSIDE))
    anyone_other = any(band == ProximityBand.OTHER for *_, band in seats) or any(
        band == ProximityBand.OTHER for _, band in members
    )
    return Composition(
        sides=tuple(sides),
        workshops=workshops,
        bands=(*NAMED_BANDS, ProximityBand.OTHER) if anyone_other else NAMED_BANDS,
        seats=dict(seats),
        members=dict(members),
    )


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def side_readings(data: Composition, side, name: str) -> list[str]:
    """What one side's seats say: the band that holds most of them, and the named bands never in the room."""
    total = data.side_seats(side)
    n_workshops = len(data.workshops)
    if not n_workshops:
        return []
    if side is None:
        return [
            f"Observers and resource persons held {total} seat{'s' if total != 1 else ''} in all, outside "
            "the balance between the sides."
        ][: 1 if total else 0]
    if not total:
        held = "the workshop held" if n_workshops == 1 else f"any of the {n_workshops} workshops held"
        return [f"{name} has had nobody at {held}."]
    by_band = Counter()
    for (_, s, band), n in data.seats.items():
        if s == side:
            by_band[band] += n
    found = []
    band, most = by_band.most_common(1)[0]
    if most * 2 > total:
        found.append(
            f"{BAND_NOUNS[band].capitalize()} hold most of {name}'s seats: {most} of {total} "
            f"across {n_workshops} workshop{'s' if n_workshops != 1 else ''}."
        )
    missing = [BAND_NOUNS[band] for band in NAMED_BANDS if not by_band[band]]
    if missing:
        found.append(f"{name} has had no {_listed(missing)} at any workshop.")
    return found


def balance_readings(data: Composition) -> list[str]:
    """Workshops where one side held more seats than another by more than the dashboard's balance threshold
    (the same rule as its "out of balance" warning), the widest gaps first."""
    sides = [(pk, name) for pk, name in data.sides if pk is not None]
    if len(sides) < 2 or not data.workshops:
        return []
    uneven = []
    for workshop in data.workshops:
        counts = sorted(((data.side_seats(pk, workshop.pk), name) for pk, name in sides), reverse=True)
        (high, high_name), (low, _) = counts[0], counts[-1]
        if high - low > SIDE_BALANCE_THRESHOLD:
            others = "; ".join(f"{name} {n}" for n, name in counts[1:])
            uneven.append(
                (
                    high - low,
                    f"{high_name} held {high} of the {sum(n for n, _ in counts)} side seats at "
                    f"{workshop.label} ({others}).",
                )
            )
    if not uneven:
        return [
            f"The sides were in balance at every workshop held: no side had more than "
            f"{SIDE_BALANCE_THRESHOLD} seats more than another."
        ]
    uneven.sort(key=lambda item: -item[0])
    shown = [text for _, text in uneven[:MOST_IMBALANCED_SHOWN]]
    if len(uneven) > MOST_IMBALANCED_SHOWN:
        more = len(uneven) - MOST_IMBALANCED_SHOWN
        shown.append(f"The sides were out of balance at {more} more workshop{'s' if more != 1 else ''}.")
    return shown


def readings(data: Composition) -> list[str]:
    """The numbers in plain words, a short list for the top of the page."""
    if not data.workshops:
        found = ["No workshop has been held yet: the seats will show here once attendance is recorded."]
    else:
        found = balance_readings(data)
        for side, name in data.sides:
            found.extend(side_readings(data, side, name))
    roster = sum(data.members.values())
    if roster:
        officials = sum(n for (_, band), n in data.members.items() if band == ProximityBand.SERVING_OFFICIAL)
        found.append(
            f"On the roster now: {roster} member{'s' if roster != 1 else ''}, "
            f"{officials} of them serving official{'s' if officials != 1 else ''}."
        )
    return found


def _band_label(band: str) -> str:
    return ProximityBand(band).label


def composition_charts(data: Composition) -> dict[str, Chart]:
    """The page's charts by key (also the CSV's table names): one stacked chart per side (its seats at each
    workshop by band), the balance between sides, and the roster now."""
    categories = [w.short for w in data.workshops]
    charts = {}
    if data.workshops:
        for side, name in data.sides:
            key = f"side-{side if side is not None else 'outside'}"
            said = side_readings(data, side, name)
            charts[key] = bar_chart(
                key=key,
                title=f"{name}: attended seats by proximity to officialdom",
                description=" ".join(said) or f"Seats held by {name} at each workshop, by band.",
                categories=categories,
                series=[
                    Series(
                        _band_label(band),
                        tuple(data.seats.get((w.pk, side, band), 0) for w in data.workshops),
                    )
                    for band in data.bands
                ],
                unit="attended seats",
                stacked=True,
                category_label="Workshop",
            )
        charts["balance"] = bar_chart(
            key="balance",
            title="Seats per side at each workshop",
            description=" ".join(balance_readings(data)) or "Attended seats per side at each workshop.",
            categories=categories,
            series=[
                Series(name, tuple(data.side_seats(side, w.pk) for w in data.workshops))
                for side, name in data.sides
            ],
            unit="attended seats",
            category_label="Workshop",
        )
    charts["roster"] = bar_chart(
        key="roster",
        title="Current members by side and proximity to officialdom",
        description="Everyone on the roster now, by the side they speak for and their proximity band.",
        categories=[name for _, name in data.sides],
        series=[
            Series(_band_label(band), tuple(data.members.get((side, band), 0) for side, _ in data.sides))
            for band in data.bands
        ],
        unit="current members",
        stacked=True,
        category_label="Side",
    )
    return charts
