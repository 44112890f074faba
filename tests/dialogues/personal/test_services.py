"""A person's own settings through their services: each change is audited, as the person's own act."""

import datetime as dt

import pytest

from dialogues.models import Unavailability
from dialogues.personal import services as personal_services
from tests.factories import PersonFactory, UserFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_each_change_of_ones_own_settings_writes_one_audit_row():
    person = PersonFactory(user=UserFactory())
    by = person.user
    first, last = dt.date(2030, 5, 1), dt.date(2030, 5, 3)
    # Each of them twice: the second time changes nothing, so it writes nothing.
    for _ in range(2):
        dates = personal_services.add_unavailability(person=person, starts_on=first, ends_on=last, by=by)
        personal_services.update_calendar_settings(by=by, timezone_name="Europe/Oslo", feed_detail=True)
    personal_services.issue_feed_token(by=by)
    for _ in range(2):
        personal_services.revoke_feed(by=by)
    dates_id = dates.pk
    personal_services.remove_unavailability(unavailability=dates, by=by)

    rows = list(AuditEvent.objects.filter(actor_id=by.pk).order_by("id"))
    calendar_id = str(by.personal_calendar.pk)
    assert [(row.action, row.target_id) for row in rows] == [
        (Action.UNAVAILABILITY_ADDED, str(dates_id)),
        (Action.CALENDAR_SETTINGS_CHANGED, calendar_id),
        (Action.FEED_ISSUED, calendar_id),
        (Action.FEED_REVOKED, calendar_id),
        (Action.UNAVAILABILITY_REMOVED, str(dates_id)),
    ]
    assert rows[1].detail == {"fields": ["timezone", "feed_detail"]}
    assert not Unavailability.objects.exists()
