"""Who sees which grants: the dialogue's members with `view_funding` (convenors, facilitators, participants,
who approve the funding arrangements), and a funder's own officers, grant by grant."""

from django.conf import settings
from django.db.models import Q

from dialogues.permissions import on_dialogue
from funding.models import Grant
from trackii.permissions import granted


def visible_grants(user) -> Q:
    return on_dialogue(user, "view_funding", ref="dialogue") | granted(
        user, "funding.view_grant", model=Grant
    )


def suppressed(count: int) -> str:
    """A count a funder may see: small numbers could point at a person, so they are not shown."""
    threshold = settings.TRACKII_SMALL_COUNT_THRESHOLD
    return f"fewer than {threshold}" if count < threshold else str(count)
