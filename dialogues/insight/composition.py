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
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.models import Dialogue, Invitation, Workshop
from dialogues.scheduling.selectors import SIDE_BALANCE_THRESHOLD
from participants.enums import PROXIMITY_BAND, ProximityBand
from participants.models import Membership
from trackii.charts import Chart, Series, bar_chart

OUTSIDE = gettext_lazy("Outside the sides")  # observers and resource persons, who speak for no side
NAMED_BANDS = tuple(band for band in ProximityBand if band != ProximityBand.OTHER)
# How a band reads inside a sentence ("Side B has had no former officials at any workshop").
BAND_NOUNS = {
    ProximityBand.SERVING_OFFICIAL: pgettext_lazy("inside a sentence", "serving officials"),
    ProximityBand.FORMER_OFFICIAL: pgettext_lazy("inside a sentence", "former officials"),
    ProximityBand.CLOSE_TO_GOVERNMENT: pgettext_lazy("inside a sentence", "people close to government"),
    ProximityBand.CIVIL_SOCIETY: pgettext_lazy("inside a sentence", "people from civil society"),
    ProximityBand.INDEPENDENT_EXPERT: pgettext_lazy("inside a sentence", "independent experts"),
    ProximityBand.OTHER: pgettext_lazy("inside a sentence", "others"),
}
# How a band reads at the start of a sentence ("Serving officials hold most of Side B's seats").
BAND_SUBJECTS = {
    ProximityBand.SERVING_OFFICIAL: pgettext_lazy("start of a sentence", "Serving officials"),
    ProximityBand.FORMER_OFFICIAL: pgettext_lazy("start of a sentence", "Former officials"),
    ProximityBand.CLOSE_TO_GOVERNMENT: pgettext_lazy("start of a sentence", "People close to government"),
    ProximityBand.CIVIL_SOCIETY: pgettext_lazy("start of a sentence", "People from civil society"),
    ProximityBand.INDEPENDENT_EXPERT: pgettext_lazy("start of a sentence", "Independent experts"),
    ProximityBand.OTHER: pgettext_lazy("start of a sentence", "Others"),
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
            label=gettext("%(series)s · workshop %(number)s")
            % {"series": row["series__title"], "number": row["number"]},
            short=gettext("S%(position)s · workshop %(number)s")
            % {"position": row["series__position"], "number": row["number"]}
            if several_series
            else gettext("Workshop %(number)s") % {"number": row["number"]},
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
        sides.append((None, str(OUTSIDE)))
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
    if len(words) == 1:
        return str(words[0])
    return gettext("%(some)s or %(last)s") % {
        "some": ", ".join(str(w) for w in words[:-1]),
        "last": words[-1],
    }


def side_readings(data: Composition, side, name: str) -> list[str]:
    """What one side's seats say: the band that holds most of them, and the named bands never in the room."""
    total = data.side_seats(side)
    n_workshops = len(data.workshops)
    if not n_workshops:
        return []
    if side is None:
        return [
            ngettext(
                "Observers and resource persons held %(total)s seat in all, outside the balance between the "
                "sides.",
                "Observers and resource persons held %(total)s seats in all, outside the balance between the "
                "sides.",
                total,
            )
            % {"total": total}
        ][: 1 if total else 0]
    if not total:
        return [
            ngettext(
                "%(side)s has had nobody at the workshop held.",
                "%(side)s has had nobody at any of the %(n)s workshops held.",
                n_workshops,
            )
            % {"side": name, "n": n_workshops}
        ]
    by_band = Counter()
    for (_, s, band), n in data.seats.items():
        if s == side:
            by_band[band] += n
    found = []
    band, most = by_band.most_common(1)[0]
    if most * 2 > total:
        found.append(
            ngettext(
                "%(bands)s hold most of %(side)s's seats: %(most)s of %(total)s across %(n)s workshop.",
                "%(bands)s hold most of %(side)s's seats: %(most)s of %(total)s across %(n)s workshops.",
                n_workshops,
            )
            % {"bands": BAND_SUBJECTS[band], "side": name, "most": most, "total": total, "n": n_workshops}
        )
    missing = [BAND_NOUNS[band] for band in NAMED_BANDS if not by_band[band]]
    if missing:
        found.append(
            gettext("%(side)s has had no %(bands)s at any workshop.")
            % {"side": name, "bands": _listed(missing)}
        )
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
                    gettext(
                        "%(side)s held %(high)s of the %(total)s side seats at %(workshop)s (%(others)s)."
                    )
                    % {
                        "side": high_name,
                        "high": high,
                        "total": sum(n for n, _ in counts),
                        "workshop": workshop.label,
                        "others": others,
                    },
                )
            )
    if not uneven:
        return [
            ngettext(
                "The sides were in balance at every workshop held: no side had more than %(n)s seat more "
                "than another.",
                "The sides were in balance at every workshop held: no side had more than %(n)s seats more "
                "than another.",
                SIDE_BALANCE_THRESHOLD,
            )
            % {"n": SIDE_BALANCE_THRESHOLD}
        ]
    uneven.sort(key=lambda item: -item[0])
    shown = [text for _, text in uneven[:MOST_IMBALANCED_SHOWN]]
    if len(uneven) > MOST_IMBALANCED_SHOWN:
        more = len(uneven) - MOST_IMBALANCED_SHOWN
        shown.append(
            ngettext(
                "The sides were out of balance at %(n)s more workshop.",
                "The sides were out of balance at %(n)s more workshops.",
                more,
            )
            % {"n": more}
        )
    return shown


def readings(data: Composition) -> list[str]:
    """The numbers in plain words, a short list for the top of the page."""
    if not data.workshops:
        found = [
            gettext("No workshop has been held yet: the seats will show here once attendance is recorded.")
        ]
    else:
        found = balance_readings(data)
        for side, name in data.sides:
            found.extend(side_readings(data, side, name))
    roster = sum(data.members.values())
    if roster:
        officials = sum(n for (_, band), n in data.members.items() if band == ProximityBand.SERVING_OFFICIAL)
        members = ngettext("%(n)s member", "%(n)s members", roster) % {"n": roster}
        found.append(
            ngettext(
                "On the roster now: %(members)s, %(n)s of them serving official.",
                "On the roster now: %(members)s, %(n)s of them serving officials.",
                officials,
            )
            % {"members": members, "n": officials}
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
                title=gettext("%(side)s: attended seats by proximity to officialdom") % {"side": name},
                description=" ".join(said)
                or gettext("Seats held by %(side)s at each workshop, by band.") % {"side": name},
                categories=categories,
                series=[
                    Series(
                        _band_label(band),
                        tuple(data.seats.get((w.pk, side, band), 0) for w in data.workshops),
                    )
                    for band in data.bands
                ],
                unit=gettext("attended seats"),
                stacked=True,
                category_label=gettext("Workshop"),
            )
        charts["balance"] = bar_chart(
            key="balance",
            title=gettext("Seats per side at each workshop"),
            description=" ".join(balance_readings(data))
            or gettext("Attended seats per side at each workshop."),
            categories=categories,
            series=[
                Series(name, tuple(data.side_seats(side, w.pk) for w in data.workshops))
                for side, name in data.sides
            ],
            unit=gettext("attended seats"),
            category_label=gettext("Workshop"),
        )
    charts["roster"] = bar_chart(
        key="roster",
        title=gettext("Current members by side and proximity to officialdom"),
        description=gettext(
            "Everyone on the roster now, by the side they speak for and their proximity band."
        ),
        categories=[name for _, name in data.sides],
        series=[
            Series(_band_label(band), tuple(data.members.get((side, band), 0) for side, _ in data.sides))
            for band in data.bands
        ],
        unit=gettext("current members"),
        stacked=True,
        category_label=gettext("Side"),
    )
    return charts
