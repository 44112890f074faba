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
from django.utils.translation import gettext, ngettext

from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.models import Dialogue, Workshop
from participants.selectors import pseudonym_in
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
    """Every held workshop of the dialogue with each of its attendees and their pseudonym here (a LEFT JOIN:
    a workshop nobody attended keeps one row, person and pseudonym None). Filtered on the dialogue first, so
    the scale data's other 2,000 dialogues are never read."""
    return list(
        Workshop.objects.filter(series__dialogue_id=dialogue.pk, status=WorkshopStatus.HELD)
        .annotate(
            attended=FilteredRelation(
                "invitations", condition=Q(invitations__status=InvitationStatus.ATTENDED)
            )
        )
        # Each attendee by their pseudonym in this dialogue (decision 0026), read in the same query.
        .annotate(called=pseudonym_in(dialogue_ref=dialogue.pk, person_ref="attended__person_id"))
        .order_by("starts_at", "id")
        .values(
            "pk",
            "number",
            "starts_at",
            "timezone",
            "series__position",
            "series__title",
            "attended__person_id",
            "called",
        )
    )


def _sequence(pairs: list[dict]) -> list[tuple[dict, frozenset[str]]]:
    # Someone recorded as attending without a membership here (older data) still counts once, under a
    # label of this page alone ("—1"), never their account pseudonym.
    unlabelled = sorted({row["attended__person_id"] for row in pairs if row["called"] is None} - {None})
    label = {person_id: f"—{n}" for n, person_id in enumerate(unlabelled, start=1)}
    order, people = {}, {}
    for row in pairs:
        order.setdefault(row["pk"], row)
        people.setdefault(row["pk"], set())
        if row["attended__person_id"] is not None:
            people[row["pk"]].add(row["called"] or label[row["attended__person_id"]])
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
                label=gettext("%(series)s · workshop %(number)s")
                % {"series": row["series__title"], "number": row["number"]},
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
        return gettext("%(some)s and %(n)s others") % {
            "some": ", ".join(pseudonyms[:5]),
            "n": len(pseudonyms) - 5,
        }
    if len(pseudonyms) == 1:
        return pseudonyms[0]
    return gettext("%(some)s and %(last)s") % {"some": ", ".join(pseudonyms[:-1]), "last": pseudonyms[-1]}


def reading(data: Continuity) -> list[str]:
    """The continuity in a few plain sentences."""
    rows = data.workshops
    if not rows:
        return []
    first, latest = rows[0], rows[-1]
    if len(rows) == 1:
        return [
            gettext("One workshop has its attendance recorded (%(short)s): %(n)s attended.")
            % {"short": first.short, "n": len(first.attendees)}
        ]
    lines = [
        ngettext(
            "%(n)s of the %(total)s attendee of the first workshop (%(first)s) were at the latest "
            "(%(latest)s).",
            "%(n)s of the %(total)s attendees of the first workshop (%(first)s) were at the latest "
            "(%(latest)s).",
            len(first.attendees),
        )
        % {
            "n": latest.from_first,
            "total": len(first.attendees),
            "first": first.short,
            "latest": latest.short,
        },
        ngettext(
            "At %(latest)s, %(n)s of %(total)s attendee had been at the workshop before it and %(new)s "
            "came for the first time.",
            "At %(latest)s, %(n)s of %(total)s attendees had been at the workshop before it and %(new)s came "
            "for the first time.",
            len(latest.attendees),
        )
        % {
            "latest": latest.short,
            "n": latest.from_previous,
            "total": len(latest.attendees),
            "new": latest.newcomers,
        },
    ]
    for last, pseudonyms in data.lapsed:
        lines.append(
            ngettext(
                "%(names)s has not attended since %(short)s.",
                "%(names)s have not attended since %(short)s.",
                len(pseudonyms),
            )
            % {"names": _names(pseudonyms), "short": last.short}
        )
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
        title=gettext("Retention across the series"),
        description=gettext(
            "%(n)s of the first workshop's %(total)s attendees were at %(latest)s; %(previous)s of its "
            "%(attendees)s attendees had been at the one before."
        )
        % {
            "n": latest.from_first,
            "total": len(first.attendees),
            "latest": latest.short,
            "previous": latest.from_previous,
            "attendees": len(latest.attendees),
        },
        categories=[row.short for row in later],
        series=[
            Series(
                gettext("Of the first workshop's attendees, %(percent)s present") % {"percent": "%"},
                tuple(from_first),
            ),
            Series(
                gettext("Of this workshop's attendees, %(percent)s at the previous one") % {"percent": "%"},
                tuple(from_previous),
            ),
        ],
        unit="%",
        maximum=100,
        category_label=gettext("Workshop"),
    )


def newcomers_chart(data: Continuity) -> Chart | None:
    rows = data.workshops
    if not rows:
        return None
    total_new = sum(row.newcomers for row in rows[1:])
    return bar_chart(
        key="newcomers",
        title=gettext("Returning attendees and newcomers"),
        description=ngettext(
            "Each workshop's attendees: those who had attended an earlier workshop of the dialogue, and "
            "those who came for the first time (%(n)s newcomer after the first workshop).",
            "Each workshop's attendees: those who had attended an earlier workshop of the dialogue, and "
            "those who came for the first time (%(n)s newcomers after the first workshop).",
            total_new,
        )
        % {"n": total_new},
        categories=[row.short for row in rows],
        series=[
            Series(gettext("Returning"), tuple(row.returning for row in rows)),
            Series(gettext("Newcomers"), tuple(row.newcomers for row in rows)),
        ],
        unit=gettext("people"),
        stacked=True,
        category_label=gettext("Workshop"),
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
