"""Reads of funders: the convenors' list, the funders a user may open, all funders by name."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from funding.models import Funder, Grant
from funding.permissions import managed_grants, open_funders
from participants.models import Person


def funders_for_user(*, user) -> QuerySet[Funder]:
    return Funder.objects.filter(open_funders(user)).order_by("name")


def funders_with_officers(*, user) -> QuerySet[Funder]:
    """The funders' page: each with its officers and how many of its grants the user manages."""
    managed = Grant.objects.filter(funder=OuterRef("pk")).filter(managed_grants(user)).order_by()
    return (
        funders_for_user(user=user)
        .annotate(
            n_managed=Coalesce(
                Subquery(
                    managed.values("funder").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
                ),
                0,
            )
        )
        .prefetch_related(Prefetch("officers", queryset=Person.objects.select_related("user")))
    )


def all_funders() -> QuerySet[Funder]:
    """Funders by name, for choosing one when recording a grant (funders are public record)."""
    return Funder.objects.order_by("name")
