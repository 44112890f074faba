"""State changes a person makes to their own settings: unavailable dates, their calendar's time zone and
detail, and the private feed token (stored hashed, revocable). Keyword-only, one transaction each."""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import PersonalCalendar, Unavailability, Workshop, validate_timezone
from dialogues.personal.selectors import calendar_for_token, calendar_workshops, feed_token_hash
from participants.models import Person
from trackii.accounts.models import User
from trackii.audit.enums import Action, Outcome
from trackii.audit.services import record_event
from trackii.inputs import RANGE_MESSAGE, in_range


@transaction.atomic
def add_unavailability(*, person: Person, starts_on: dt.date, ends_on: dt.date, by: User) -> Unavailability:
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if not in_range(day):
            raise ValidationError({field: RANGE_MESSAGE})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day must be on or after the first.")})
    row, created = Unavailability.objects.get_or_create(person=person, starts_on=starts_on, ends_on=ends_on)
    if created:
        record_event(actor=by, action=Action.UNAVAILABILITY_ADDED, target=row, detail={"person": person.pk})
    return row


@transaction.atomic
def remove_unavailability(*, unavailability: Unavailability, by: User) -> None:
    record_event(
        actor=by,
        action=Action.UNAVAILABILITY_REMOVED,
        target=unavailability,
        detail={"person": unavailability.person_id},
    )
    unavailability.delete()


def _personal_calendar(user: User) -> PersonalCalendar:
    calendar, _created = PersonalCalendar.objects.select_for_update().get_or_create(user=user)
    return calendar


@transaction.atomic
def issue_feed_token(*, by: User) -> str:
    """A new private feed address for the user; any earlier one stops working. Only its hash is kept, so
    the token is returned once, to show once."""
    token = secrets.token_urlsafe(32)
    calendar = _personal_calendar(by)
    calendar.feed_token_hash = feed_token_hash(token=token)
    calendar.feed_created_at = timezone.now()
    calendar.save(update_fields=["feed_token_hash", "feed_created_at"])
    record_event(actor=by, action=Action.FEED_ISSUED, target=calendar)
    return token


@transaction.atomic
def revoke_feed(*, by: User) -> None:
    calendar = _personal_calendar(by)
    if calendar.feed_token_hash is None:
        return
    calendar.feed_token_hash = None
    calendar.save(update_fields=["feed_token_hash"])
    record_event(actor=by, action=Action.FEED_REVOKED, target=calendar)


@transaction.atomic
def update_calendar_settings(*, by: User, timezone_name: str, feed_detail: bool) -> PersonalCalendar:
    try:
        validate_timezone(timezone_name)
    except ValidationError as error:
        raise ValidationError({"timezone": error.messages}) from None
    calendar = _personal_calendar(by)
    values = {"timezone": timezone_name, "feed_detail": feed_detail}
    changed = [field for field, value in values.items() if getattr(calendar, field) != value]
    if changed:
        for field in changed:
            setattr(calendar, field, values[field])
        calendar.save(update_fields=changed)
        record_event(
            actor=by, action=Action.CALENDAR_SETTINGS_CHANGED, target=calendar, detail={"fields": changed}
        )
    return calendar


@transaction.atomic
def read_feed(
    *, token: str, start: dt.datetime, end: dt.datetime
) -> tuple[PersonalCalendar, list[Workshop]] | None:
    """The calendar behind a feed token and the workshops it lists between `start` and `end`, worked out from
    its owner's current access; every read is audited, and so is an unknown token (None)."""
    calendar = calendar_for_token(token=token)
    if calendar is None:
        # Never the token itself in the log: it is a credential.
        record_event(
            actor=None,
            action=Action.DENIED,
            outcome=Outcome.DENIED,
            target_type="dialogues.personalcalendar",
            detail={"attempted": Action.FEED},
        )
        return None
    workshops = list(calendar_workshops(user=calendar.user, start=start, end=end))
    record_event(
        actor=calendar.user,
        action=Action.FEED,
        target=calendar,
        detail={"events": len(workshops), "detail": calendar.feed_detail},
    )
    return calendar, workshops
