"""Reads of workshop series, workshops, agendas and invitations for the facilitators' workspace, and the
warnings it shows (sides without anyone invited, out of balance, double bookings, unavailable dates)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Now
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.models import (
    Dialogue,
    Invitation,
    Side,
    Unavailability,
    Workshop,
    WorkshopSeries,
)
from dialogues.permissions import (
    DialogueAccess,
    can_see_facilitators_only,
    on_dialogue,
    person_belongs_to_dialogue,
)
from dialogues.scheduling.timetable import Timetable, lay_out
from dialogues.selectors import roster
from participants.models import Membership, Person
from participants.selectors import is_cut_off, pseudonym_in
from trackii.accounts.models import AccountInvitation

# The agenda's order: day, time (untimed items after the timed ones), then the facilitators' own order.
AGENDA_ORDER = ("day", F("starts_at_time").asc(nulls_last=True), "position", "id")


def agenda_timetable(*, workshop: Workshop, access: DialogueAccess) -> Timetable:
    """The agenda in time as this viewer may see it (one query). The times are worked out over every item,
    so an untimed item after a hidden one starts when it really does; a participant then gets the timetable
    without the facilitators-only items, which never leave this function."""
    timetable = lay_out(workshop=workshop, items=list(workshop.agenda_items.order_by(*AGENDA_ORDER)))
    if can_see_facilitators_only(access, workshop.series.dialogue_id):
        return timetable
    return timetable.visible_to_participants()


EXPECTED = (InvitationStatus.INVITED, InvitationStatus.ACCEPTED)


def invitable_members(*, dialogue: Dialogue) -> QuerySet[Membership]:
    """The roster the invitation form offers: current members who are not cut off, by side and pseudonym."""
    return roster(dialogue=dialogue).exclude(is_cut_off(person_ref="person"))


def attendance_choices(*, workshop: Workshop, invitations=None) -> dict[str, tuple[str, Person]]:
    """Whom the attendance form offers, by person id: everyone invited (with their answer), then current
    members not invited who are not cut off (they may have come anyway). Two queries."""
    invitations = invitations if invitations is not None else invitations_for_workshop(workshop=workshop)
    offered = {
        str(i.person_id): (
            f"{_label(i.person, i.pseudonym_here, i.side_name)} — {i.get_status_display().lower()}",
            i.person,
        )
        for i in invitations
    }
    for m in invitable_members(dialogue=workshop.series.dialogue):
        side = m.side.name if m.side_id else None
        offered.setdefault(
            str(m.person_id), (_label(m.person, m.pseudonym, side) + " — not invited", m.person)
        )
    return offered


def member_choices(*, dialogue: Dialogue) -> dict[str, tuple[str, Person]]:
    """The members a recorded past workshop may list as attendees: current members, not cut off."""
    return {
        str(m.person_id): (
            _label(m.person, m.pseudonym, m.side.name if m.side_id else m.get_role_display()),
            m.person,
        )
        for m in invitable_members(dialogue=dialogue)
    }


def _label(person: Person, pseudonym: str | None, side_name: str | None) -> str:
    """The facilitators' label of a member: name, pseudonym in this dialogue, side."""
    return f"{person.name} ({pseudonym or '—'})" + (f" · {side_name}" if side_name else "")


def recorded_attendees(*, workshop: Workshop) -> int:
    return workshop.invitations.filter(status=InvitationStatus.ATTENDED).count()


# Accepted people per side may differ by this many before the sides count as out of balance.
SIDE_BALANCE_THRESHOLD = 2


def series_for_user(*, user, codename: str = "view_all_workshops") -> QuerySet[WorkshopSeries]:
    return WorkshopSeries.objects.filter(on_dialogue(user, codename, ref="dialogue")).select_related(
        "dialogue"
    )


def workshops_with(*, user, codename: str) -> QuerySet[Workshop]:
    """Workshops of the dialogues in which the user holds `codename` (e.g. schedule_workshops)."""
    return Workshop.objects.filter(on_dialogue(user, codename, ref="series__dialogue")).select_related(
        "series__dialogue"
    )


def workshops_with_counts(*, workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
    """Invitation counts by answer, in the same query."""
    return workshops.annotate(
        n_invited=Count("invitations", filter=Q(invitations__status=InvitationStatus.INVITED)),
        n_accepted=Count("invitations", filter=Q(invitations__status=InvitationStatus.ACCEPTED)),
        n_declined=Count("invitations", filter=Q(invitations__status=InvitationStatus.DECLINED)),
        n_attended=Count("invitations", filter=Q(invitations__status=InvitationStatus.ATTENDED)),
    )


def workshops_ahead(*, dialogue: Dialogue, now: dt.datetime) -> QuerySet[Workshop]:
    """A dialogue's workshops not yet started and not cancelled: what concluding it leaves scheduled."""
    return Workshop.objects.filter(series__dialogue=dialogue, starts_at__gt=now).exclude(
        status=WorkshopStatus.CANCELLED
    )


def expected_people(*, workshop: Workshop) -> QuerySet[Person]:
    """People expecting to come (or still to answer) who are still members: the ones who must hear about a
    change."""
    return Person.objects.filter(
        invitations__workshop=workshop,
        invitations__status__in=EXPECTED,
        memberships__dialogue_id=workshop.series.dialogue_id,
        memberships__left_on__isnull=True,
    )


def invitations_for_workshop(*, workshop: Workshop) -> QuerySet[Invitation]:
    """Everyone invited, with their side and pseudonym (`pseudonym_here`) in this dialogue, in one query."""
    side = Membership.objects.filter(person=OuterRef("person"), dialogue_id=workshop.series.dialogue_id)
    return (
        workshop.invitations.select_related("person")
        .annotate(
            side_name=side.values("side__name")[:1],
            pseudonym_here=pseudonym_in(dialogue_ref=workshop.series.dialogue_id),
        )
        .order_by("side_name", "pseudonym_here")
    )


def invitations_with_login_state(*, workshop: Workshop) -> QuerySet[Invitation]:
    """`invitations_for_workshop`, and for each person what decides whether a login invitation may go to them:
    an open one of this dialogue already (`login_pending`), cut off (`cut_off`), still belonging to the
    dialogue (`belongs`). Still one query."""
    pending = AccountInvitation.objects.filter(
        person=OuterRef("person"),
        dialogue_id=workshop.series.dialogue_id,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=Now(),
    )
    return invitations_for_workshop(workshop=workshop).annotate(
        login_pending=Exists(pending),
        cut_off=is_cut_off(person_ref="person"),
        belongs=ExpressionWrapper(
            person_belongs_to_dialogue(person_ref="person", ref="workshop__series__dialogue"),
            output_field=BooleanField(),
        ),
    )


@dataclass(frozen=True)
class LoginCandidates:
    """Among a workshop's invited people without a login: who may be sent a link to set one up now, and who
    may not, with why (by pseudonym)."""

    ready: list[Person]
    skipped: list[tuple[str, str]]


def login_candidates(*, invitations) -> LoginCandidates:
    """Read from `invitations_with_login_state` (no query of its own)."""
    ready, skipped = [], []
    for invitation in invitations:
        person = invitation.person
        if person.user_id:
            continue
        if invitation.cut_off:
            skipped.append((invitation.pseudonym_here, "cut off"))
        elif not invitation.belongs:
            skipped.append((invitation.pseudonym_here, "no longer in the dialogue"))
        elif not person.email:
            skipped.append((invitation.pseudonym_here, "no e-mail on file"))
        elif invitation.login_pending:
            skipped.append((invitation.pseudonym_here, "already has an open login invitation"))
        else:
            person.pseudonym_here = invitation.pseudonym_here  # for the page's "To: P-7KQM, …"
            ready.append(person)
    return LoginCandidates(ready=ready, skipped=skipped)


@dataclass(frozen=True)
class Warning:
    """Something about a workshop a facilitator should act on: what is wrong, and what to do."""

    workshop_id: int
    problem: str
    advice: str


def _padded(**columns) -> dict:
    """The columns of _warning_rows' union, in one order; a part's missing columns are NULL of their type."""
    number, text, yes_no, day = IntegerField(), CharField(), BooleanField(), DateField()
    types = {"side": number, "expected": number, "accepted": number, "pseudonym": text, "here": yes_no,
             "elsewhere": yes_no, "from_day": day, "to_day": day}  # fmt: skip
    return {
        "kind": Value(columns.pop("kind"), output_field=number),
        "wid": columns.pop("wid"),
        # Typed NULLs: PostgreSQL types a bare NULL as text when it resolves the first two parts of the union.
        **{name: columns.pop(name, Cast(Value(None), output_field=field)) for name, field in types.items()},
    }


def _warning_rows(*, dialogue: Dialogue, ids: list[int], today: dt.date, people: bool = True) -> list[dict]:
    """The facts behind every warning in one UNION ALL (it was three queries, issue 17), each part the query
    it was before, padded to the same columns: invitations per side (kind 0), double bookings (kind 1), and
    unavailable dates (kind 2). Ordered by kind and workshop, then by date (kind 2) or pseudonym (kind 1)."""
    per_side = (
        Invitation.objects.filter(
            workshop_id__in=ids,
            status__in=EXPECTED,
            person__memberships__dialogue=dialogue,
            person__memberships__left_on__isnull=True,
            person__memberships__side__isnull=False,
        )
        .values("workshop_id", side_id=F("person__memberships__side_id"))
        .annotate(n_expected=Count("id"), n_accepted=Count("id", filter=Q(status=InvitationStatus.ACCEPTED)))
        .values(
            **_padded(
                kind=0,
                wid=F("workshop_id"),
                side=F("side_id"),
                expected=F("n_expected"),
                accepted=F("n_accepted"),
            )
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
    clashes = (
        Invitation.objects.filter(workshop_id__in=ids, status__in=EXPECTED)
        .annotate(
            is_here=Exists(overlapping.filter(same_dialogue)),
            is_elsewhere=Exists(overlapping.exclude(same_dialogue)),
        )
        .filter(Q(is_here=True) | Q(is_elsewhere=True))
        .values(
            **_padded(
                kind=1,
                wid=F("workshop_id"),
                pseudonym=pseudonym_in(dialogue_ref=dialogue.pk),
                here=F("is_here"),
                elsewhere=F("is_elsewhere"),
            )
        )
    )
    unavailable = Unavailability.objects.filter(
        ends_on__gte=today,
        person__invitations__workshop_id__in=ids,
        person__invitations__status__in=EXPECTED,
    ).values(**_padded(kind=2, wid=F("person__invitations__workshop_id"),
                       pseudonym=pseudonym_in(dialogue_ref=dialogue.pk),
                       from_day=F("starts_on"), to_day=F("ends_on")))  # fmt: skip
    # Each part unordered (their models order by default): SQLite refuses an ORDER BY inside a union's part.
    parts = [part.order_by() for part in (clashes, unavailable)] if people else []
    rows = per_side.order_by().union(*parts, all=True) if parts else per_side
    return list(rows.order_by("kind", "wid", "from_day", "pseudonym"))


def workshop_warnings(
    *,
    dialogue: Dialogue,
    workshops: list[Workshop],
    today: dt.date,
    sides: list[Side] | None = None,
    people: bool = True,
    now: dt.datetime | None = None,
) -> dict[int, list]:
    """Warnings for upcoming workshops of one dialogue, by workshop id, in one query whatever the number of
    workshops or invitations (two without ``sides``, the dialogue's sides in name order, which the dashboard
    has already). A clash with another dialogue never names it: it says only "elsewhere". Without
    ``people``, only the sides: a page that reads `dialogues.conflicts.selectors.clashes` (double bookings of
    the facilitation team too, and the days) shows those instead. A workshop that is over, held or cancelled
    has none: nobody can be invited to it any more."""
    now = now or timezone.now()
    upcoming = [
        w
        for w in workshops
        if w.status in (WorkshopStatus.DRAFT, WorkshopStatus.SCHEDULED) and w.ends_at >= now
    ]
    found: dict[int, list[Warning]] = defaultdict(list)
    if not upcoming:
        return found
    if sides is None:
        sides = list(dialogue.sides.order_by("name"))
    rows = _warning_rows(dialogue=dialogue, ids=[w.pk for w in upcoming], today=today, people=people)
    by_side: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: {"expected": 0, "accepted": 0})
    for row in rows:
        if row["kind"] == 0:
            by_side[(row["wid"], row["side"])] = {"expected": row["expected"], "accepted": row["accepted"]}

    for workshop in upcoming:
        counts = [(side, by_side[(workshop.pk, side.pk)]) for side in sides]
        for side, count in counts:
            if count["expected"] == 0:
                found[workshop.pk].append(
                    Warning(
                        workshop.pk,
                        _("Nobody from %(side)s is invited.") % {"side": side.name},
                        _("Invite members of %(side)s, so that every side is in the room.")
                        % {"side": side.name},
                    )
                )
            elif count["accepted"] == 0:
                found[workshop.pk].append(
                    Warning(
                        workshop.pk,
                        _("Nobody from %(side)s has accepted yet (%(count)d invited).")
                        % {"side": side.name, "count": count["expected"]},
                        _("Follow up with the people invited from %(side)s, or invite more of them.")
                        % {"side": side.name},
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
                        _(
                            "The sides are out of balance: %(high)d accepted from %(high_side)s, "
                            "%(low)d from %(low_side)s."
                        )
                        % {
                            "high": high[1]["accepted"],
                            "high_side": high[0].name,
                            "low": low[1]["accepted"],
                            "low_side": low[0].name,
                        },
                        _("Invite more people from %(side)s, or ask whether more of them can come.")
                        % {"side": low[0].name},
                    )
                )

    local_days = {w.pk: (w.local_starts_at.date(), w.local_ends_at.date()) for w in upcoming}
    for row in rows:
        workshop_id = row["wid"]
        if row["kind"] == 1:
            problem = (
                _("%(pseudonym)s is double-booked: another workshop of this dialogue overlaps this workshop.")
                if row["here"]
                else _("%(pseudonym)s is double-booked: another commitment elsewhere overlaps this workshop.")
            )
            found[workshop_id].append(
                Warning(
                    workshop_id,
                    problem % {"pseudonym": row["pseudonym"]},
                    _("Ask them which one they will attend, or move one of the workshops."),
                )
            )
        elif row["kind"] == 2:
            first, last = local_days[workshop_id]
            if row["from_day"] <= last and row["to_day"] >= first:
                found[workshop_id].append(
                    Warning(
                        workshop_id,
                        _("%(pseudonym)s said they are unavailable from %(first)s to %(last)s.")
                        % {
                            "pseudonym": row["pseudonym"],
                            "first": date_format(row["from_day"], "j M"),
                            "last": date_format(row["to_day"], "j M Y"),
                        },
                        _("Ask them whether they can still come, or move the workshop."),
                    )
                )
    return found
