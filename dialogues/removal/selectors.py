"""Reads for removal: former members and the sealed summaries they were left."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from dialogues.enums import InvitationStatus, SummaryStatus
from dialogues.models import Dialogue, Summary
from participants.models import Membership


def _kept_summaries() -> Coalesce:
    """On Membership rows: how many sealed summaries of the dialogue its person may still read as a former
    member left them: current versions of workshops they attended, whose frozen audience they are in."""
    readable = (
        Summary.objects.filter(
            status=SummaryStatus.SEALED,
            workshop__series__dialogue=OuterRef("dialogue"),
            workshop__invitations__person=OuterRef("person"),
            workshop__invitations__status=InvitationStatus.ATTENDED,
            copies__holder=OuterRef("person"),
            copies__audience=True,
        )
        .order_by()
        .values("workshop__series__dialogue")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(readable, output_field=IntegerField()), Value(0))


def former_members(*, dialogue: Dialogue) -> QuerySet[Membership]:
    """Who has left the dialogue, most recent first, each with `kept_summaries` (0 unless the convenor left
    them their sealed summaries)."""
    return (
        Membership.objects.filter(dialogue=dialogue, left_on__isnull=False)
        .select_related("person")
        .annotate(kept_summaries=_kept_summaries())
        .order_by("-left_on", "person__pseudonym")
    )


def kept_summary_count(*, membership: Membership) -> int:
    return (
        Membership.objects.filter(pk=membership.pk)
        .annotate(kept_summaries=_kept_summaries())
        .values_list("kept_summaries", flat=True)
        .get()
    )
