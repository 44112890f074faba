"""Reads of people."""

import secrets

from django.db.models import CharField, Exists, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Substr

from participants.models import CutOff, Facilitator, Membership, Person
from trackii.scripts import name_key

PSEUDONYM_PREFIX = "P-"
# A member's pseudonym in one dialogue (decision 0026): four characters that cannot be misread for one
# another (no 0/O, 1/I/L), 31⁴ ≈ 920,000 of them, drawn at random so that they tell nothing, not even who
# joined first.
DIALOGUE_PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DIALOGUE_PSEUDONYM_LENGTH = 4


def next_pseudonym() -> str:
    """The next free "P-n". Pseudonyms say nothing about the person, not even which dialogue they are in."""
    highest = (
        Person.objects.filter(pseudonym__regex=r"^P-[0-9]+$")
        .annotate(n=Cast(Substr("pseudonym", len(PSEUDONYM_PREFIX) + 1), IntegerField()))
        .aggregate(m=Max("n"))["m"]
    )
    return f"{PSEUDONYM_PREFIX}{(highest or 0) + 1}"


def random_dialogue_pseudonym() -> str:
    """A fresh "P-7KQM". Never all digits, so that it is never read for an account pseudonym ("P-17")."""
    while True:
        tail = "".join(secrets.choice(DIALOGUE_PSEUDONYM_ALPHABET) for _ in range(DIALOGUE_PSEUDONYM_LENGTH))
        if not tail.isdigit():
            return PSEUDONYM_PREFIX + tail


def free_dialogue_pseudonym(*, dialogue_id: int, taken: set[str] | None = None) -> str:
    """A random pseudonym nobody in the dialogue holds yet (`taken`: those already known to be held, for a
    caller assigning many at once; otherwise one query per draw, and a clash is rare)."""
    while True:
        pseudonym = random_dialogue_pseudonym()
        if taken is not None:
            if pseudonym not in taken:
                return pseudonym
        elif not Membership.objects.filter(dialogue_id=dialogue_id, pseudonym=pseudonym).exists():
            return pseudonym


def pseudonym_in(*, dialogue_ref: str | int, person_ref: str = "person") -> Subquery:
    """On any row: the pseudonym in the dialogue at `dialogue_ref` (a path on the row, or a dialogue's id) of
    the person at `person_ref` (None when they were never a member there, e.g. someone only in its
    facilitation team). One membership per person and dialogue (a constraint), so this is at most one row,
    found through that constraint's index."""
    dialogue = OuterRef(dialogue_ref) if isinstance(dialogue_ref, str) else dialogue_ref
    return Subquery(
        Membership.objects.filter(person=OuterRef(person_ref), dialogue=dialogue).values("pseudonym")[:1],
        output_field=CharField(),
    )


def called_in(*, dialogue_ref: str | int, person_ref: str = "person") -> Coalesce:
    """`pseudonym_in`, and for someone of the facilitation team who is no member there "T-" and the id of
    their role in that dialogue ("T-12"): a label of that dialogue alone, so that a list which names the team
    too (an outcome's carriers, the ripeness log's writers) never falls back on the account pseudonym."""
    dialogue = OuterRef(dialogue_ref) if isinstance(dialogue_ref, str) else dialogue_ref
    team = Facilitator.objects.filter(person=OuterRef(person_ref), dialogue=dialogue).order_by("pk")
    return Coalesce(
        pseudonym_in(dialogue_ref=dialogue_ref, person_ref=person_ref),
        Concat(Value("T-"), Cast(Subquery(team.values("pk")[:1]), CharField())),
        output_field=CharField(),
    )


def pseudonyms_in(*, dialogue_id: int, person_ids) -> dict[int, str]:
    """The pseudonyms in one dialogue of these people, by person id (one query)."""
    return dict(
        Membership.objects.filter(dialogue_id=dialogue_id, person_id__in=list(person_ids)).values_list(
            "person_id", "pseudonym"
        )
    )


def standing_cut_offs() -> QuerySet[CutOff]:
    """Cut-offs not yet restored: at most one per person (a database constraint)."""
    return CutOff.objects.filter(restored_at__isnull=True)


def is_cut_off(*, person_ref: str = "pk") -> Exists:
    """On any row: the person at `person_ref` is cut off now. Whoever is cut off is sent nothing and invited
    to nothing; logging in is refused where the accounts ask (trackii.domain_hooks.people_cut_off)."""
    return Exists(standing_cut_offs().filter(person=OuterRef(person_ref)))


def same_name(*, person: Person, name: str, dialogue_id: int) -> bool:
    """Whether the person already holds this name, the main one or another form recorded in this dialogue,
    read alike once case, width, diacritics and invisible characters are set aside (decrypting only this
    person's names). A form another dialogue recorded does not count: refusing it would tell this
    dialogue's convenor what the other one holds (and the guard folds the two into one term anyway)."""
    key = name_key(name)
    held = person.other_names.filter(recorded_in_id=dialogue_id).values_list("name", flat=True)
    return any(name_key(form) == key for form in [person.name, *held])
