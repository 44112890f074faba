"""Reads of dialogues, their people and roles. Every page gets its objects from a selector, which filters in
SQL by what the user may see (dialogues/permissions.py); an object outside it is simply not found. Reads
of one concern live in that concern's package (scheduling/, summaries/, personal/)."""

import unicodedata
from dataclasses import dataclass

from django.db.models import (
    BinaryField,
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Concat

from dialogues.models import (
    BreakGlassGrant,
    Dialogue,
    PersonalCalendar,
    Side,
    Summary,
    Workshop,
    WorkshopSeries,
)
from dialogues.permissions import on_dialogue, visible_dialogues, visible_summaries, visible_workshops
from participants.enums import FacilitatorRole
from participants.models import Facilitator, Membership, Person, ThirdParty


def dialogues_for_user(*, user, codename: str = "view_dialogue") -> QuerySet[Dialogue]:
    """The dialogues in which the user holds `codename` (by default: may open the overview)."""
    grant = visible_dialogues(user) if codename == "view_dialogue" else on_dialogue(user, codename)
    return Dialogue.objects.filter(grant).order_by("codename")


def workshops_for_user(*, user) -> QuerySet[Workshop]:
    return Workshop.objects.filter(visible_workshops(user)).select_related("series__dialogue")


def summaries_for_user(*, user) -> QuerySet[Summary]:
    return Summary.objects.filter(visible_summaries(user)).select_related("workshop__series__dialogue")


def roster(*, dialogue: Dialogue) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(dialogue=dialogue, left_on__isnull=True)
        .select_related("person", "side")
        .order_by("side__name", "pseudonym")
    )


@dataclass(frozen=True)
class AlsoIn:
    codename: str
    pseudonym: str


def also_in(*, user, dialogue: Dialogue | None, person_ids) -> dict[int, list[AlsoIn]]:
    """For a convenor of `dialogue`: each of these people's pseudonyms in the other dialogues `user` convenes
    too (decision 0026), by person id, by codename. One query, and only over the dialogues where the user
    holds the convenor's role, so a dialogue they do not convene never shows, not even as a blank; a
    membership ended there still counts (its roster shows them as a former member). `dialogue` None: every
    dialogue the user convenes (the roster's search of people on file)."""
    convenes = Facilitator.objects.filter(person__user=user, role=FacilitatorRole.CONVENOR)
    rows = Membership.objects.filter(
        person_id__in=list(person_ids), dialogue_id__in=convenes.values("dialogue_id")
    )
    if dialogue is not None:
        # Convenor of this one too: break-glass on a roster is not convening it.
        rows = rows.exclude(dialogue=dialogue).filter(Exists(convenes.filter(dialogue=dialogue)))
    links: dict[int, list[AlsoIn]] = {}
    for person_id, codename, pseudonym in rows.order_by("dialogue__codename").values_list(
        "person_id", "dialogue__codename", "pseudonym"
    ):
        links.setdefault(person_id, []).append(AlsoIn(codename, pseudonym))
    return links


# What `also_in_column` packs its links with: control characters no codename or pseudonym holds.
_FIELD, _RECORD = "\x1f", "\x1e"


def _packed(memberships: QuerySet[Membership], *, person_ref: str = "person") -> Subquery:
    """On any row: the memberships among `memberships` of the person at `person_ref`, packed into one text
    ("codename␟pseudonym␞…"), None when there are none. `also_in_links` unpacks and orders it: SQLite, the
    database of `make run`, takes no order inside an aggregate."""
    links = StringAgg(
        Concat("dialogue__codename", Value(_FIELD), "pseudonym", output_field=CharField()),
        delimiter=Value(_RECORD),
    )
    return Subquery(
        memberships.filter(person=OuterRef(person_ref))
        .values("person")
        .annotate(links=links)
        .values("links"),
        output_field=CharField(),
    )


def also_in_column(*, user, dialogue: Dialogue) -> Subquery:
    """On membership rows of `dialogue`: `also_in` read in the rows' own query, the person's pseudonyms in
    the other dialogues `user` convenes (when they convene this one too), packed (`_packed`)."""
    convenes = Facilitator.objects.filter(person__user=user, role=FacilitatorRole.CONVENOR)
    return _packed(
        Membership.objects.filter(dialogue_id__in=convenes.values("dialogue_id"))
        .exclude(dialogue=dialogue)
        .filter(Exists(convenes.filter(dialogue=dialogue)))
    )


def also_in_links(packed: str | None) -> list[AlsoIn]:
    """`_packed`'s links, by codename."""
    links = [AlsoIn(*link.split(_FIELD, 1)) for link in packed.split(_RECORD)] if packed else []
    return sorted(links, key=lambda link: link.codename)


def active_break_glass(*, dialogue: Dialogue, now) -> QuerySet[BreakGlassGrant]:
    return BreakGlassGrant.objects.filter(
        Q(dialogue=dialogue, ended_at__isnull=True, expires_at__gt=now)
    ).select_related("user")


def open_break_glass(*, now, limit: int = 50) -> QuerySet[BreakGlassGrant]:
    """Every break-glass grant still running, soonest to end first: for the administrators' home page (who,
    on which dialogue by codename, until when; no dialogue content)."""
    return (
        BreakGlassGrant.objects.filter(ended_at__isnull=True, expires_at__gt=now)
        .select_related("dialogue")
        .only("id", "user_id", "dialogue__id", "dialogue__codename", "granted_at", "expires_at")
        .order_by("expires_at", "pk")[:limit]
    )


def dialogues_with_convenor_flag(*, user) -> QuerySet[Dialogue]:
    """The home page's list, each row saying (in the same query) whether the user convenes it."""
    return dialogues_for_user(user=user).annotate(
        convenes=ExpressionWrapper(on_dialogue(user, "manage_members"), output_field=BooleanField())
    )


def third_parties_for_creator(*, user) -> QuerySet[ThirdParty]:
    """The Third Parties in whose name the user may open a dialogue: those of which they convene one
    (docs/decisions/0004-scheduling.md)."""
    convened = Dialogue.objects.filter(third_party=OuterRef("pk")).filter(on_dialogue(user, "manage_members"))
    return ThirdParty.objects.filter(Exists(convened)).order_by("name")


def dialogue_outline(*, dialogue: Dialogue) -> tuple[list[Side], list[WorkshopSeries]]:
    """The dashboard's outline of a dialogue in one query (issue 17): its sides in name order, each with
    ``n_members`` (current members), and its workshop series in their order, each with ``n_workshops``.

    One UNION ALL of the two small lists, padded to the same columns, instead of two round trips. The
    series' words are decrypted here, each under its dialogue's key."""
    number = IntegerField()
    nothing = Cast(Value(None), output_field=number)
    # A series' title and description are encrypted (bytea): their own columns, decrypted here (a UNION
    # takes its columns' types, and converters, from its first part, the sides).
    no_token = Cast(Value(None), output_field=BinaryField())
    title_field, description_field = (
        WorkshopSeries._meta.get_field(name) for name in ("title", "description")
    )
    sides = dialogue.sides.order_by().values(
        kind=Value(0, output_field=number),
        key=F("name"),
        ident=F("id"),
        label=F("name"),
        text=F("description"),
        title_token=no_token,
        description_token=no_token,
        rank=nothing,
        n=Count("memberships", filter=Q(memberships__left_on__isnull=True)),
    )
    series = dialogue.series.order_by().values(
        kind=Value(1, output_field=number),
        key=Cast(Value(None), output_field=CharField()),
        ident=F("id"),
        label=Cast(Value(None), output_field=CharField()),
        text=Cast(Value(None), output_field=TextField()),
        title_token=F("title"),
        description_token=F("description"),
        rank=F("position"),
        n=Count("workshops"),
    )
    found: tuple[list[Side], list[WorkshopSeries]] = ([], [])
    # Sides by name, series by position then id: the orders each list had on its own.
    for row in sides.union(series, all=True).order_by("kind", "key", "rank", "ident"):
        if row["kind"] == 0:
            side = Side(id=row["ident"], dialogue=dialogue, name=row["label"], description=row["text"])
            side.n_members = row["n"]
            found[0].append(side)
        else:
            one = WorkshopSeries(
                id=row["ident"],
                dialogue=dialogue,
                title=title_field.from_db_value(row["title_token"], None, None),
                description=description_field.from_db_value(row["description_token"], None, None),
                position=row["rank"],
            )
            one.n_workshops = row["n"]
            found[1].append(one)
    for instance in (*found[0], *found[1]):
        instance._state.adding = False
        instance._state.db = dialogue._state.db
    return found


def person_of(*, user) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None


def timezones_in_use(*, user, limit: int = 8) -> list[str]:
    """The zones of the workshops the user may see, most used first (one query): what a time-zone picker
    offers before the rest. Only workshops the user can see count, so the list says nothing of other
    dialogues' venues."""
    rows = (
        Workshop.objects.filter(visible_workshops(user))
        .values("timezone")
        .annotate(uses=Count("id"))
        .order_by("-uses", "timezone")
        .values_list("timezone", flat=True)
    )
    return list(rows[:limit])


def display_timezone(*, user) -> str:
    """The zone the user reads times in (their calendar setting), UTC until they choose."""
    if not user.is_authenticated:
        return "UTC"
    return PersonalCalendar.objects.filter(user=user).values_list("timezone", flat=True).first() or "UTC"


def email_on_file(*, email: str, people: QuerySet[Person]) -> tuple[bool, Person | None]:
    """Whether someone is on file with this address, and who, if they are among `people` (those the user may
    see). A stranger is only "on file": their identity never leaves this function."""
    existing = Person.objects.filter(Person.email_lookup(email)).first()
    if existing is None:
        return False, None
    return True, (existing if people.filter(pk=existing.pk).exists() else None)


def people_known_to(*, user) -> QuerySet[Person]:
    """Whom the user may look up by pseudonym: people on the rosters they can already read, and people on
    file who are in no dialogue yet. Someone in another dialogue stays hidden, name and all."""
    rosters = Dialogue.objects.filter(on_dialogue(user, "view_roster"))
    return Person.objects.filter(
        Q(memberships__dialogue__in=rosters)
        | Q(facilitator_roles__dialogue__in=rosters)
        | Q(memberships__isnull=True, facilitator_roles__isnull=True)
    ).distinct()


# At most this many people answer a search; the page asks for a narrower one beyond.
SEARCH_LIMIT = 20


def folded(text: str) -> str:
    """Text as a search compares it: any case, without accents ("José" is found by "jose")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_people(*, user, query: str, limit: int = SEARCH_LIMIT) -> tuple[list[Person], bool]:
    """The people known to the user (`people_known_to`) whose name, pseudonym or affiliation contains
    `query`, by id: at most `limit`, and whether more match. Names and affiliations are encrypted, so
    they are compared here, after decrypting only the people the user may already look up: someone outside
    that scope is never read, and a search that would find only them finds nothing, as one that matches
    nobody does. One query. Each person found has `known_as`, their pseudonyms in the dialogues the user
    convenes (`also_in`), and `add_as`, the pseudonym that adds them from the roster's form: one the user
    reads on a roster, or for someone on none of them (on file, in no dialogue yet, or only in a
    facilitation team) the account's, which is all they go by (decision 0026)."""
    needle = folded(query.strip())
    found: list[Person] = []
    convenes = Facilitator.objects.filter(person__user=user, role=FacilitatorRole.CONVENOR)
    people = (
        people_known_to(user=user)
        .only("id", "pseudonym", "name", "affiliation")
        .annotate(
            convened=_packed(
                Membership.objects.filter(dialogue_id__in=convenes.values("dialogue_id")), person_ref="pk"
            ),
            on_rosters=_packed(memberships_known_to(user=user), person_ref="pk"),
        )
        .order_by("pk")
    )
    for person in people:
        readable = [link.pseudonym for link in also_in_links(person.on_rosters)] or [person.pseudonym]
        if any(needle in folded(text or "") for text in (person.name, person.affiliation, *readable)):
            person.known_as = also_in_links(person.convened)
            person.add_as = person.known_as[0].pseudonym if person.known_as else readable[0]
            found.append(person)
            if len(found) > limit:
                break
    return found[:limit], len(found) > limit


def memberships_known_to(*, user) -> QuerySet[Membership]:
    """The memberships on the rosters the user may read: whose pseudonyms they know (decision 0026)."""
    return Membership.objects.filter(dialogue__in=Dialogue.objects.filter(on_dialogue(user, "view_roster")))


def dialogue_people(*, dialogue: Dialogue) -> QuerySet[Person]:
    """Everyone who is or was in the dialogue, members and facilitation team: whom a summary must not name."""
    return Person.objects.filter(
        Q(memberships__dialogue=dialogue) | Q(facilitator_roles__dialogue=dialogue)
    ).distinct()


def membership_of(*, user, dialogue_id: int) -> Membership | None:
    """The user's current membership of the dialogue, if they are a member (not on the facilitation team)."""
    return (
        Membership.objects.filter(person__user=user, dialogue_id=dialogue_id, left_on__isnull=True)
        .select_related("person")
        .first()
    )
