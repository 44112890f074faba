"""Continuity of a dialogue (issue 21): is it an ongoing process or a run of one-off workshops? For each
workshop whose attendance is recorded (held), in date order across every series of the dialogue: who came, how
many were at the one before, who came for the first time, and who was at the one before but not at this one.
People by pseudonym only.

One query reads the attended (workshop, pseudonym) pairs of this dialogue's held workshops, with each
workshop's place in the series (a held workshop nobody attended comes back once, with no pseudonym); the rest
is arithmetic over those pairs in Python, whatever the number of workshops."""

import zoneinfo
from dataclasses import dataclass

from django.db.models import FilteredRelation, Q

from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.models import Dialogue, Workshop
from trackii.charts import Chart, Series, Table, bar_chart, line_chart

# The tables a viewer may download as CSV, by the key in the URL.
TABLES = ("workshops", "retention", "newcomers", "lapsed")


@dataclass(frozen=True)
class WorkshopContinuity:
    """One held workshop, seen from the ones before it."""

    label: str  # "Basin commission track · workshop 2"
    short: str  # "W2", or "S1·W2" when the dialogue has several series: what the charts' axes can hold
    held_on: object  # the date it started, on the venue's clock
    attendees: frozenset[str]  # pseudonyms
    from_previous: int  # attendees who were at the workshop before this one
    from_first: int  # attendees who were at the first workshop
    newcomers: int  # attendees at no earlier workshop of the dialogue
    dropped: tuple[str, ...]  # at the workshop before, not at this one (pseudonyms, sorted)

    @property
    def returning(self) -> int:
        return len(self.attendees) - self.newcomers


@dataclass(frozen=True)
class Continuity:
    workshops: tuple[WorkshopContinuity, ...]
    # People who attended but not the latest workshop, by the last workshop they attended (in order).
    lapsed: tuple[tuple[WorkshopContinuity, tuple[str, ...]], ...]


def _pairs(dialogue: Dialogue) -> list[dict]:
    """Every held workshop of the dialogue with each of its attendees (a LEFT JOIN: a workshop nobody attended
    keeps one row, pseudonym None). Filtered on the dialogue first, so the scale data's other 2,000 dialogues
    are never read."""
    return list(
        Workshop.objects.filter(series__dialogue_id=dialogue.pk, status=WorkshopStatus.HELD)
        .annotate(
            attended=FilteredRelation(
                "invitations", condition=Q(invitations__status=InvitationStatus.ATTENDED)
            )
        )
        .order_by("starts_at", "id")
        .values(
            "pk",
            "number",
            "starts_at",
            "timezone",
            "series__position",
            "series__title",
            "attended__person__pseudonym",
        )
    )


def _sequence(pairs: list[dict]) -> list[tuple[dict, frozenset[str]]]:
    order, people = {}, {}
    for row in pairs:
        order.setdefault(row["pk"], row)
        people.setdefault(row["pk"], set())
        if row["attended__person__pseudonym"] is not None:
            people[row["pk"]].add(row["attended__person__pseudonym"])
    return [(row, frozenset(people[pk])) for pk, row in order.items()]


def continuity(*, dialogue: Dialogue) -> Continuity:
    """The dialogue's continuity, from its held workshops. The caller has checked `can_view_insight`."""
    sequence = _sequence(_pairs(dialogue))
    several_series = len({row["series__position"] for row, _ in sequence}) > 1
    rows, seen, previous, first = [], set(), frozenset(), None
    last_seen: dict[str, int] = {}
    for n, (row, attendees) in enumerate(sequence):
        first = attendees if first is None else first
        rows.append(
            WorkshopContinuity(
                label=f"{row['series__title']} · workshop {row['number']}",
                short=f"S{row['series__position']}·W{row['number']}"
                if several_series
                else f"W{row['number']}",
                held_on=row["starts_at"].astimezone(zoneinfo.ZoneInfo(row["timezone"])).date(),
                attendees=attendees,
                from_previous=len(attendees & previous),
                from_first=len(attendees & first),
                newcomers=len(attendees - seen),
                dropped=tuple(sorted(previous - attendees, key=_natural)),
            )
        )
        seen |= attendees
        previous = attendees
        for pseudonym in attendees:
            last_seen[pseudonym] = n
    latest = len(rows) - 1
    lapsed = tuple(
        (rows[n], tuple(sorted((p for p, last in last_seen.items() if last == n), key=_natural)))
        for n in range(latest)
        if n in last_seen.values()
    )
    return Continuity(workshops=tuple(rows), lapsed=lapsed)


def _natural(pseudonym: str) -> tuple:
    """P-2 before P-12."""
    head, _, tail = pseudonym.rpartition("-")
    return (head, int(tail)) if tail.isdigit() else (pseudonym, 0)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _names(pseudonyms) -> str:
    pseudonyms = list(pseudonyms)
    if len(pseudonyms) > 6:
        return ", ".join(pseudonyms[:5]) + f" and {len(pseudonyms) - 5} others"
    return pseudonyms[0] if len(pseudonyms) == 1 else ", ".join(pseudonyms[:-1]) + " and " + pseudonyms[-1]


def reading(data: Continuity) -> list[str]:
    """The continuity in a few plain sentences."""
    rows = data.workshops
    if not rows:
        return []
    first, latest = rows[0], rows[-1]
    if len(rows) == 1:
        return [f"One workshop has its attendance recorded ({first.short}): {len(first.attendees)} attended."]
    lines = [
        f"{latest.from_first} of the {len(first.attendees)} attendees of the first workshop ({first.short}) "
        f"were at the latest ({latest.short}).",
        f"At {latest.short}, {latest.from_previous} of {len(latest.attendees)} attendees had been at "
        f"the workshop before it and {latest.newcomers} came for the first time.",
    ]
    for last, pseudonyms in data.lapsed:
        verb = "has" if len(pseudonyms) == 1 else "have"
        lines.append(f"{_names(pseudonyms)} {verb} not attended since {last.short}.")
    return lines


def workshops_table(data: Continuity) -> Table:
    return Table(
        caption="Each held workshop and the ones before it",
        columns=(
            "Workshop",
            "Short",
            "Held on",
            "Attendees",
            "At the previous one",
            "Newcomers",
            "Dropped away",
        ),
        rows=tuple(
            (
                row.label,
                row.short,
                row.held_on.isoformat(),
                len(row.attendees),
                row.from_previous if n else "",
                row.newcomers,
                " ".join(row.dropped),
            )
            for n, row in enumerate(data.workshops)
        ),
    )


def lapsed_table(data: Continuity) -> Table:
    return Table(
        caption="Who has not attended since",
        columns=("Pseudonym", "Last attended", "Short"),
        rows=tuple((p, last.label, last.short) for last, pseudonyms in data.lapsed for p in pseudonyms),
    )


def retention_chart(data: Continuity) -> Chart | None:
    """From the second workshop on: the share of the first workshop's attendees present, and the share of
    each workshop's attendees who were at the one before. None with fewer than two workshops."""
    rows = data.workshops
    if len(rows) < 2:
        return None
    first, later = rows[0], rows[1:]
    from_first = [_percent(row.from_first, len(first.attendees)) for row in later]
    from_previous = [_percent(row.from_previous, len(row.attendees)) for row in later]
    latest = later[-1]
    return line_chart(
        key="retention",
        title="Retention across the series",
        description=(
            f"{latest.from_first} of the first workshop's {len(first.attendees)} attendees were at "
            f"{latest.short}; {latest.from_previous} of its {len(latest.attendees)} attendees had been at "
            "the one before."
        ),
        categories=[row.short for row in later],
        series=[
            Series("Of the first workshop's attendees, % present", tuple(from_first)),
            Series("Of this workshop's attendees, % at the previous one", tuple(from_previous)),
        ],
        unit="%",
        maximum=100,
        category_label="Workshop",
    )


def newcomers_chart(data: Continuity) -> Chart | None:
    rows = data.workshops
    if not rows:
        return None
    total_new = sum(row.newcomers for row in rows[1:])
    return bar_chart(
        key="newcomers",
        title="Returning attendees and newcomers",
        description=(
            f"Each workshop's attendees: those who had attended an earlier workshop of the dialogue, and "
            f"those who came for the first time ({total_new} newcomers after the first workshop)."
        ),
        categories=[row.short for row in rows],
        series=[
            Series("Returning", tuple(row.returning for row in rows)),
            Series("Newcomers", tuple(row.newcomers for row in rows)),
        ],
        unit="people",
        stacked=True,
        category_label="Workshop",
    )


def table(data: Continuity, key: str) -> Table | None:
    """The table behind `key` (one of TABLES), for the CSV; None when the dialogue has none to give."""
    if key == "workshops":
        return workshops_table(data)
    if key == "lapsed":
        return lapsed_table(data)
    chart = (
        retention_chart(data) if key == "retention" else newcomers_chart(data) if key == "newcomers" else None
    )
    return chart.table if chart else None
