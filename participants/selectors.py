"""Reads of people."""

from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr

from participants.models import Person

PSEUDONYM_PREFIX = "P-"


def next_pseudonym() -> str:
    """The next free "P-n". Pseudonyms say nothing about the person, not even which dialogue they are in."""
    highest = (
        Person.objects.filter(pseudonym__regex=r"^P-[0-9]+$")
        .annotate(n=Cast(Substr("pseudonym", len(PSEUDONYM_PREFIX) + 1), IntegerField()))
        .aggregate(m=Max("n"))["m"]
    )
    return f"{PSEUDONYM_PREFIX}{(highest or 0) + 1}"
