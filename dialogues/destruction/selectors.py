"""Reads of destroying a dialogue: its convenors, its destruction (open, done), when the retention setting
will destroy it, and what the "destroyed on …" page shows."""

import calendar
import datetime as dt

from django.conf import settings
from django.db.models import BinaryField, ExpressionWrapper, F, QuerySet
from django.utils import timezone

from dialogues.enums import DialogueStatus
from dialogues.models import (
    Dialogue,
    DialogueDestruction,
    ReviewComment,
    RipenessEntry,
    Summary,
    Workshop,
)
from participants.enums import FacilitatorRole
from participants.models import Facilitator
from participants.selectors import is_cut_off
from trackii.accounts.models import User
from trackii.crypto import data_key_id_of

NOTICE_DAYS = 30  # the retention notice goes this many days before the destruction


def convenors(*, dialogue: Dialogue) -> QuerySet[Facilitator]:
    """The dialogue's convenors, with their person and login."""
    return (
        Facilitator.objects.filter(dialogue=dialogue, role=FacilitatorRole.CONVENOR)
        .select_related("person__user")
        .order_by("person__pseudonym")
    )


def convenor_logins(*, dialogue: Dialogue) -> list[User]:
    """The convenors who can act: an active login, not cut off."""
    return [
        f.person.user
        for f in convenors(dialogue=dialogue)
        .filter(person__user__is_active=True)
        .exclude(is_cut_off(person_ref="person"))
    ]


def convenes(*, user: User, dialogue: Dialogue) -> bool:
    return Facilitator.objects.filter(
        dialogue=dialogue, role=FacilitatorRole.CONVENOR, person__user=user, person__user__is_active=True
    ).exists()


def convenor_before(*, user: User, dialogue: Dialogue, moment: dt.datetime) -> bool:
    """Whether the user has held the convenor role in the dialogue since before `moment`, without a break (a
    role taken away and given again starts anew: `Facilitator.assigned_at`)."""
    return Facilitator.objects.filter(
        dialogue=dialogue,
        role=FacilitatorRole.CONVENOR,
        person__user=user,
        person__user__is_active=True,
        assigned_at__lt=moment,
    ).exists()


def current_destruction(*, dialogue: Dialogue) -> DialogueDestruction | None:
    """The open request or the destruction done, if any (at most one: a database constraint)."""
    return (
        DialogueDestruction.objects.filter(dialogue=dialogue, withdrawn_at__isnull=True)
        .select_related("requested_by__person", "confirmed_by__person")
        .first()
    )


def withdrawn_requests(*, dialogue: Dialogue) -> QuerySet[DialogueDestruction]:
    return DialogueDestruction.objects.filter(dialogue=dialogue, withdrawn_at__isnull=False).select_related(
        "requested_by__person", "withdrawn_by__person"
    )


def destroyed(*, dialogue_id: int) -> DialogueDestruction | None:
    """The destruction of a destroyed dialogue, for its "destroyed on …" page (one query)."""
    return (
        DialogueDestruction.objects.filter(dialogue_id=dialogue_id, destroyed_at__isnull=False)
        .select_related("dialogue", "requested_by__person", "confirmed_by__person")
        .first()
    )


def destroyed_since_backup(*, dialogue_id: int) -> Dialogue:
    """A dialogue whose data key is destroyed but whose destruction this database does not know: it was
    restored from a backup made before (decision 0025). Its key's row says when the restore found it gone."""
    return Dialogue.objects.select_related("data_key").get(pk=dialogue_id)


def account_label(user: User | None) -> str:
    """How a convenor is named on the destruction's pages: their pseudonym, else the login's neutral name."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.pseudonym if person is not None else str(user)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day where it has none (31 January + 1 = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def retention_months() -> int | None:
    return getattr(settings, "TRACKII_DESTROY_AFTER_MONTHS", None)


def scheduled_destruction(*, dialogue: Dialogue) -> dt.date | None:
    """The day the retention setting destroys the dialogue, if it is set and the dialogue concluded."""
    months = retention_months()
    if not months or dialogue.concluded_at is None:
        return None
    return add_months(timezone.localdate(dialogue.concluded_at), months)


def due_for_retention(*, today: dt.date) -> tuple[list[Dialogue], list[Dialogue]]:
    """Concluded dialogues not destroyed: those whose notice is due (NOTICE_DAYS before their day, or now if
    the day is nearer and none was sent) and those whose notice has run out (its `destroy_on` has come: never
    fewer than NOTICE_DAYS after it was sent). Both empty when the setting is off."""
    months = retention_months()
    if not months:
        return [], []
    concluded = Dialogue.objects.filter(status=DialogueStatus.CONCLUDED, concluded_at__isnull=False).exclude(
        destructions__destroyed_at__isnull=False
    )
    notice, destroy = [], []
    for dialogue in concluded.select_related("retention_notice").order_by("pk"):
        sent = getattr(dialogue, "retention_notice", None)
        day = add_months(timezone.localdate(dialogue.concluded_at), months)
        if sent is None and day - dt.timedelta(days=NOTICE_DAYS) <= today:
            notice.append(dialogue)
        elif sent is not None and max(sent.destroy_on, day) <= today:
            destroy.append(dialogue)
    return notice, destroy


def scheduled_day(*, dialogue: Dialogue) -> dt.date | None:
    """The day shown to convenors: the notice's, once sent (it may be later), else the setting's."""
    day = scheduled_destruction(dialogue=dialogue)
    sent = getattr(dialogue, "retention_notice", None) if day else None
    return max(day, sent.destroy_on) if sent is not None else day


def keys_its_values_are_under(*, dialogue: Dialogue, sample: int = 50) -> set[str | None]:
    """The data keys that a sample of the dialogue's stored values name in their tokens (its title, venues,
    summaries, comments, ripeness entries). Before a destruction: should one of them not be the dialogue's
    own key (a database changed outside Trackii: keys swapped, tokens moved), destroying its key would leave
    those values readable and could take another dialogue's with it (decision 0027)."""

    def tokens(queryset, column: str):
        raw = ExpressionWrapper(F(column), output_field=BinaryField())
        values = queryset.exclude(**{column: None}).annotate(raw=raw).values_list("raw", flat=True)
        return [bytes(token) for token in values[:sample]]

    found = tokens(Dialogue.objects.filter(pk=dialogue.pk), "title")
    found += tokens(Workshop.objects.filter(series__dialogue=dialogue), "venue")
    found += tokens(Summary.objects.filter(workshop__series__dialogue=dialogue), "body")
    found += tokens(ReviewComment.objects.filter(summary__workshop__series__dialogue=dialogue), "body")
    found += tokens(RipenessEntry.objects.filter(dialogue=dialogue), "text")
    return {data_key_id_of(token) for token in found}
