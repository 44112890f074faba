"""Reads of people."""

from django.db.models import Exists, IntegerField, Max, OuterRef, QuerySet
from django.db.models.functions import Cast, Substr

from participants.models import CutOff, Person
from trackii.scripts import name_key

PSEUDONYM_PREFIX = "P-"


def next_pseudonym() -> str:
    """The next free "P-n". Pseudonyms say nothing about the person, not even which dialogue they are in."""
    highest = (
        Person.objects.filter(pseudonym__regex=r"^P-[0-9]+$")
        .annotate(n=Cast(Substr("pseudonym", len(PSEUDONYM_PREFIX) + 1), IntegerField()))
        .aggregate(m=Max("n"))["m"]
    )
    return f"{PSEUDONYM_PREFIX}{(highest or 0) + 1}"


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
