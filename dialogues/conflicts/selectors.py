"""Clashes of people with a workshop, read before they bite: for each workshop looked at, who of its
dialogue's facilitation team, its invitees and (on the invitations page) the members one might invite is
booked at another workshop that is not cancelled on the same days, in any dialogue, or said they are
unavailable then.

"Booked" means invited (and not declined) to that workshop, or on the facilitation team of its dialogue.
"The same days" are the days on each venue's clock: a workshop in Oslo ending on Tuesday evening and one in
Montevideo starting on Tuesday morning clash, though their hours do not overlap.

Everything comes in one query whatever the number of workshops, people or bookings (a UNION ALL padded to
the same columns, as `scheduling.selectors._warning_rows`). A workshop of a dialogue whose workshops the
viewer may not see is never named: its codename is not even read (the query asks for it only among the
dialogues the viewer plans, `dialogue_access`), and the viewer reads only "booked at another workshop" with
the days, one line per person whatever the number of such workshops."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.models import Invitation, Unavailability, Workshop
from dialogues.permissions import DialogueAccess
from participants.models import Facilitator, Membership, Person
from participants.selectors import pseudonym_in

EXPECTED = (InvitationStatus.INVITED, InvitationStatus.ACCEPTED)
UPCOMING = (WorkshopStatus.DRAFT, WorkshopStatus.SCHEDULED)
# Two workshops on the same local day may be up to 26 hours apart in UTC (the zones span UTC-12 to UTC+14):
# the query takes a window wide enough, and the days are compared on each venue's clock afterwards.
MARGIN = dt.timedelta(days=2)

# Who a person is to the workshop looked at; and the kinds of rows of the query.
STAFF, INVITED, MEMBER = "staff", "invited", "member"
_STAFF, _INVITED, _MEMBER, _BOOKED_AS_INVITEE, _BOOKED_AS_STAFF, _UNAVAILABLE = range(6)


def days(first: dt.date, last: dt.date) -> str:
    """A span of days as a facilitator writes it: "12 Mar 2027", "12-14 Mar 2027", "28 Feb - 2 Mar 2027"
    (with en dashes)."""
    # Django's formats, so that the month is named in the reader's language.
    if first == last:
        return date_format(first, "j M Y")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}\u2013{date_format(last, 'j M Y')}"
    if first.year == last.year:
        return f"{date_format(first, 'j M')} \u2013 {date_format(last, 'j M Y')}"
    return f"{date_format(first, 'j M Y')} \u2013 {date_format(last, 'j M Y')}"


@dataclass(frozen=True)
class Clash:
    """One person's clash with the workshop looked at (`workshop_id`). `where` names the other workshop
    ("ORCHID workshop 2") only when the viewer plans its dialogue; otherwise it is None, as are
    `other_dialogue_id` and `other_workshop_id`, and the clash merges every such booking of the person."""

    workshop_id: int
    person_id: int
    pseudonym: str  # the member's pseudonym in the workshop's dialogue; for its facilitation team, the name
    role: str  # STAFF, INVITED or MEMBER: who they are to the workshop looked at
    unavailable: bool  # said they cannot come (else: booked at another workshop)
    first: dt.date
    last: dt.date
    where: str | None = None
    other_dialogue_id: int | None = None
    other_workshop_id: int | None = None

    @property
    def note(self) -> str:
        """The clash in a few words, next to the person's pseudonym (the invite form's list)."""
        when = days(self.first, self.last)
        if self.unavailable:
            return _("unavailable %(days)s") % {"days": when}
        if self.where:
            return _("booked at %(where)s on %(days)s") % {"where": self.where, "days": when}
        return _("booked at another workshop on %(days)s") % {"days": when}

    @property
    def problem(self) -> str:
        who = (
            _("%(pseudonym)s (facilitation team)") % {"pseudonym": self.pseudonym}
            if self.role == STAFF
            else self.pseudonym
        )
        when = days(self.first, self.last)
        if self.unavailable:
            return _("%(who)s said they are unavailable on %(days)s.") % {"who": who, "days": when}
        if self.where:
            return _("%(who)s is booked at %(where)s on %(days)s.") % {
                "who": who,
                "where": self.where,
                "days": when,
            }
        return _("%(who)s is booked at another workshop on %(days)s.") % {"who": who, "days": when}

    @property
    def advice(self) -> str:
        if self.unavailable:
            return _("Ask them whether they can still come, or move the workshop.")
        if self.role == STAFF:
            return _("Check who of the facilitation team will be there, or move one of the workshops.")
        return _("Ask them which one they will attend, or move one of the workshops.")

    @property
    def key(self) -> tuple:
        """What makes two readings the same clash (to tell the clashes a move would add)."""
        return (self.person_id, self.unavailable, self.other_workshop_id, self.first, self.last)


NO_PSEUDONYM = Cast(Value(None), output_field=CharField())


def _local_days(starts_at: dt.datetime, ends_at: dt.datetime, tz_name: str) -> tuple[dt.date, dt.date]:
    tz = zoneinfo.ZoneInfo(tz_name)
    return starts_at.astimezone(tz).date(), ends_at.astimezone(tz).date()


def _padded(**columns) -> dict:
    """The columns of the union, in one order; a part's missing columns are NULL of their type."""
    number, text, moment, day = IntegerField(), CharField(), DateTimeField(), DateField()
    types = {"subject": number, "did": number, "other": number, "num": number, "starts": moment,
             "ends": moment, "tz": text, "codename": text, "from_day": day, "to_day": day,
             "name": Person._meta.get_field("name")}  # fmt: skip
    return {
        "kind": Value(columns.pop("kind"), output_field=number),
        "pid": columns.pop("pid"),
        # Not "pseudonym": a union part on memberships may not annotate over the model's own field.
        "alias": columns.pop("pseudonym"),
        **{name: columns.pop(name, Cast(Value(None), output_field=field)) for name, field in types.items()},
    }


def _rows(*, subjects: list[Workshop], planned: list[int], candidates: bool) -> list[dict]:
    ids = [w.pk for w in subjects]
    dialogue_ids = sorted({w.series.dialogue_id for w in subjects})
    invited = Invitation.objects.filter(workshop_id__in=ids, status__in=EXPECTED)
    staff = Facilitator.objects.filter(dialogue_id__in=dialogue_ids)
    members = Membership.objects.filter(dialogue_id__in=dialogue_ids, left_on__isnull=True)

    def concerned(person: str) -> Q:
        found = Q(**{f"{person}__in": invited.values("person_id")}) | Q(
            **{f"{person}__in": staff.values("person_id")}
        )
        if candidates:
            found |= Q(**{f"{person}__in": members.values("person_id")})
        return found

    def window(prefix: str = "") -> Q:
        overlaps = Q()
        for w in subjects:
            overlaps |= Q(
                **{f"{prefix}starts_at__lt": w.ends_at + MARGIN, f"{prefix}ends_at__gt": w.starts_at - MARGIN}
            )
        return overlaps

    def named(dialogue: str) -> Case | Cast:
        # The codename only of dialogues the viewer plans: any other never leaves the database.
        if not planned:
            return Cast(Value(None), output_field=CharField())
        return Case(When(**{f"{dialogue}_id__in": planned}, then=F(f"{dialogue}__codename")), default=None)

    def booked(rows: QuerySet, *, kind: int, workshop: str, person: str) -> QuerySet:
        """Bookings of the people concerned at workshops (reached by `workshop`) that are not cancelled and
        fall in the window, one row per person (reached by `person`) and workshop."""
        return (
            rows.filter(concerned(f"{person}_id"), window(workshop))
            .exclude(**{f"{workshop}status": WorkshopStatus.CANCELLED})
            .values(
                **_padded(
                    kind=kind,
                    pid=F(f"{person}_id"),
                    pseudonym=NO_PSEUDONYM,  # a clash is told with the person's role row's pseudonym
                    other=F(f"{workshop}id"),
                    num=F(f"{workshop}number"),
                    starts=F(f"{workshop}starts_at"),
                    ends=F(f"{workshop}ends_at"),
                    tz=F(f"{workshop}timezone"),
                    did=F(f"{workshop}series__dialogue_id"),
                    codename=named(f"{workshop}series__dialogue"),
                )
            )
        )

    # Each member by their pseudonym in the dialogue of the workshop looked at (decision 0026), never the
    # account pseudonym. The facilitation team by name, as the roster lists them to those who plan (the
    # only readers of clashes): most of them have no pseudonym there. The name is decrypted in Python; the
    # staff part comes first, so its column's field decrypts every row of the union (NULL elsewhere).
    who = {"pid": F("person_id"), "pseudonym": NO_PSEUDONYM}
    parts: list[QuerySet] = [
        staff.values(
            **_padded(kind=_STAFF, did=F("dialogue_id"), pid=F("person_id"), pseudonym=NO_PSEUDONYM,
                      name=F("person__name"))
        ),
        invited.values(
            **_padded(
                kind=_INVITED,
                subject=F("workshop_id"),
                pid=F("person_id"),
                pseudonym=Coalesce(pseudonym_in(dialogue_ref="workshop__series__dialogue"), Value("")),
            )
        ),
        booked(Invitation.objects.filter(status__in=EXPECTED), kind=_BOOKED_AS_INVITEE, workshop="workshop__",
               person="person"),
        # One row per workshop and member of its dialogue's facilitation team (the values reuse the join).
        booked(Workshop.objects.all(), kind=_BOOKED_AS_STAFF, workshop="",
               person="series__dialogue__facilitators__person"),
    ]  # fmt: skip
    unavailable = Q()
    for w in subjects:
        first, last = _local_days(w.starts_at, w.ends_at, w.timezone)
        unavailable |= Q(starts_on__lte=last, ends_on__gte=first)
    parts.append(
        Unavailability.objects.filter(concerned("person_id"), unavailable).values(
            **_padded(kind=_UNAVAILABLE, from_day=F("starts_on"), to_day=F("ends_on"), **who)
        )
    )
    if candidates:
        parts.append(
            members.values(
                **_padded(kind=_MEMBER, did=F("dialogue_id"), pid=F("person_id"), pseudonym=F("pseudonym"))
            )
        )
    # Each part unordered (their models order by default): SQLite refuses an ORDER BY inside a union's part.
    first, *rest = [part.order_by() for part in parts]
    return list(first.union(*rest, all=True).order_by("kind", "pid", "other"))


def clashes(
    *, workshops: list[Workshop], access: DialogueAccess, candidates: bool = False
) -> dict[int, list[Clash]]:
    """The clashes of each upcoming workshop (draft or scheduled) among `workshops`, by workshop id: of the
    facilitation team of its dialogue and of the people invited (not declined), and with `candidates` of
    every current member too (whom the invite form offers). One query; none when no workshop is upcoming.
    The workshops need their series (`series.dialogue_id`); an unsaved copy with the pk of a saved one and
    other times reads the clashes that moving it would bring."""
    subjects = [w for w in workshops if w.status in UPCOMING]
    if not subjects:
        return {}
    planned = access.dialogues_with("view_all_workshops")
    rows = _rows(subjects=subjects, planned=planned, candidates=candidates)
    roles: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)  # dialogue or workshop → person → role
    for kind, role in ((_STAFF, STAFF), (_INVITED, INVITED), (_MEMBER, MEMBER)):
        for row in rows:
            if row["kind"] == kind:
                key = row["subject"] if kind == _INVITED else -row["did"]
                roles[key].setdefault(row["pid"], (role, row["name"] if kind == _STAFF else row["alias"]))
    found: dict[int, list[Clash]] = {}
    for w in subjects:
        concerned = {**roles[-w.series.dialogue_id]}
        for person, role in roles[w.pk].items():
            if concerned.get(person, (None,))[0] != STAFF:
                concerned[person] = role
        found[w.pk] = _clashes_of(w, concerned, rows)
    return found


def _clashes_of(workshop: Workshop, concerned: dict[int, tuple[str, str]], rows: list[dict]) -> list[Clash]:
    first, last = _local_days(workshop.starts_at, workshop.ends_at, workshop.timezone)
    named: dict[tuple[int, int], Clash] = {}
    hidden: dict[int, tuple[dt.date, dt.date]] = {}
    unavailable: list[Clash] = []
    for row in rows:
        if row["pid"] not in concerned:
            continue
        role, pseudonym = concerned[row["pid"]]
        if row["kind"] == _UNAVAILABLE:
            if row["from_day"] <= last and row["to_day"] >= first:
                unavailable.append(
                    Clash(workshop.pk, row["pid"], pseudonym, role, True, row["from_day"], row["to_day"])
                )
        elif row["kind"] in (_BOOKED_AS_INVITEE, _BOOKED_AS_STAFF) and row["other"] != workshop.pk:
            other_first, other_last = _local_days(row["starts"], row["ends"], row["tz"])
            if other_first > last or other_last < first:
                continue
            if row["codename"] is None:
                seen = hidden.get(row["pid"], (other_first, other_last))
                hidden[row["pid"]] = (min(seen[0], other_first), max(seen[1], other_last))
                continue
            here = row["did"] == workshop.series.dialogue_id
            where = (
                f"workshop {row['num']} of this dialogue"
                if here
                else f"{row['codename']} workshop {row['num']}"
            )
            named[(row["pid"], row["other"])] = Clash(
                workshop.pk,
                row["pid"],
                pseudonym,
                role,
                False,
                other_first,
                other_last,
                where=where,
                other_dialogue_id=row["did"],
                other_workshop_id=row["other"],
            )
    merged = [
        Clash(workshop.pk, person, concerned[person][1], concerned[person][0], False, span[0], span[1])
        for person, span in hidden.items()
    ]
    order = {STAFF: 0, INVITED: 1, MEMBER: 2}
    return sorted(
        [*named.values(), *merged, *unavailable],
        key=lambda c: (order[c.role], c.pseudonym, c.unavailable, c.first, c.where or ""),
    )


def by_person(found: list[Clash]) -> dict[int, list[Clash]]:
    """One workshop's clashes by person (the invite form shows them next to each name)."""
    grouped: dict[int, list[Clash]] = defaultdict(list)
    for clash in found:
        grouped[clash.person_id].append(clash)
    return grouped


def clashes_of(*, workshop: Workshop, access: DialogueAccess, candidates: bool = False) -> list[Clash]:
    """One workshop's clashes (`clashes`): none, and no query, once it is held or cancelled."""
    return clashes(workshops=[workshop], access=access, candidates=candidates).get(workshop.pk, [])
