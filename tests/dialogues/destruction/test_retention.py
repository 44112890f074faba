"""The retention setting (issue 23): TRACKII_DESTROY_AFTER_MONTHS destroys a concluded dialogue N months after
its conclusion; its convenors are told 30 days ahead, once; a convenor sees the date on the dialogue page."""

import datetime as dt
import logging
import socket

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dialogues.destruction import services
from dialogues.destruction.selectors import add_months
from dialogues.enums import DialogueStatus
from dialogues.models import Dialogue, DialogueDestruction, RetentionNotice
from tests.dialogues.destruction.conftest import REASON, client_for
from tests.factories import DialogueFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.verification import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_months(settings):
    settings.TRACKII_DESTROY_AFTER_MONTHS = 6


def _concluded_on(dialogue, day: dt.date) -> dt.date:
    Dialogue.objects.filter(pk=dialogue.pk).update(
        concluded_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    )
    return add_months(day, 6)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 8, 15), 6) == dt.date(2027, 2, 15)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_nothing_happens_without_the_setting(place):
    _concluded_on(place.dialogue, dt.date(2020, 1, 1))

    assert services.apply_destruction_retention(today=dt.date(2026, 12, 7)) == {
        "notices": 0,
        "destroyed": 0,
        "failed": 0,
    }
    assert not DialogueDestruction.objects.exists()


def test_notice_thirty_days_ahead_once_then_destruction_on_the_day(place, six_months):
    day = _concluded_on(place.dialogue, dt.date(2026, 3, 10))  # destroyed on 10 September 2026

    assert services.apply_destruction_retention(today=day - dt.timedelta(days=31))["notices"] == 0
    assert services.apply_destruction_retention(today=day - dt.timedelta(days=30)) == {
        "notices": 1,
        "destroyed": 0,
        "failed": 0,
    }
    assert services.apply_destruction_retention(today=day - dt.timedelta(days=29))["notices"] == 0  # once
    assert sorted(m.to[0] for m in mail.outbox) == sorted([place.first.user.email, place.second.user.email])
    for message in mail.outbox:
        assert "tidewater" in message.body and "10 September 2026" in message.body
        assert "Serran" not in message.subject + message.body
    assert RetentionNotice.objects.get().destroy_on == day
    assert AuditEvent.objects.filter(action=Action.DIALOGUE_DESTRUCTION_NOTICE_SENT).count() == 1

    assert services.apply_destruction_retention(today=day - dt.timedelta(days=1))["destroyed"] == 0
    assert services.apply_destruction_retention(today=day) == {"notices": 0, "destroyed": 1, "failed": 0}
    assert services.apply_destruction_retention(today=day + dt.timedelta(days=1))["destroyed"] == 0

    destruction = DialogueDestruction.objects.get()
    assert destruction.destroyed_at is not None
    assert destruction.requested_by is None and destruction.confirmed_by is None
    assert destruction.reason == "retention: 6 months after conclusion"
    assert AuditEvent.objects.get(action=Action.DIALOGUE_DESTROYED).actor_id is None
    assert verify_chain(checkpoints=False).ok
    page = client_for(place.participant).get(reverse("dialogues:dialogue_detail", args=[place.dialogue.pk]))
    assert b"by the retention setting" in page.content
    # The other dialogue is not concluded: nothing happened to it.
    assert not DialogueDestruction.objects.filter(dialogue=place.other).exists()


def test_a_late_setting_still_gives_thirty_days(place, six_months):
    day = _concluded_on(place.dialogue, dt.date(2020, 1, 1))  # long past
    today = dt.date(2026, 12, 7)

    services.apply_destruction_retention(today=today)

    assert RetentionNotice.objects.get().destroy_on == today + dt.timedelta(days=30)
    assert services.apply_destruction_retention(today=today + dt.timedelta(days=29))["destroyed"] == 0
    assert services.apply_destruction_retention(today=today + dt.timedelta(days=30))["destroyed"] == 1
    assert day < today


def test_retention_takes_over_an_open_request(place, six_months):
    day = _concluded_on(place.dialogue, dt.date(2026, 3, 10))
    services.request_destruction(dialogue=place.dialogue, reason=REASON, by=place.first.user)

    services.apply_destruction_retention(today=day - dt.timedelta(days=30))
    services.apply_destruction_retention(today=day)

    assert DialogueDestruction.objects.filter(withdrawn_at__isnull=True).get().requested_by is None


def test_convenor_sees_the_scheduled_date(place, six_months):
    _concluded_on(place.dialogue, dt.date(2026, 3, 10))

    page = client_for(place.first).get(reverse("dialogues:dialogue_detail", args=[place.dialogue.pk]))
    participant = client_for(place.participant).get(
        reverse("dialogues:dialogue_detail", args=[place.dialogue.pk])
    )
    destruction_page = client_for(place.first).get(reverse("dialogues:destruction", args=[place.dialogue.pk]))

    assert b"will be destroyed on 10 September 2026" in page.content
    assert b"will be destroyed by itself on 10 September 2026" in destruction_page.content
    assert b"will be destroyed" not in participant.content


def test_the_beat_schedule_runs_it_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["destruction"]

    assert entry["task"] == "dialogues.apply_destruction_retention"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {45})


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free, and nobody listens once it is closed


def test_a_failing_mail_server_stops_neither_the_notice_nor_the_rest_of_the_run(
    place, six_months, settings, caplog
):
    settings.MAILERS = {  # a real SMTP client, and no server where it looks
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 2},
        }
    }
    day = _concluded_on(place.dialogue, dt.date(2026, 3, 10))
    # Another dialogue, due for destruction the same day; it comes after the failing notice.
    due = DialogueFactory(codename="riverstone", status=DialogueStatus.CONCLUDED)
    _concluded_on(due, dt.date(2025, 1, 1))
    RetentionNotice.objects.create(dialogue=due, destroy_on=day - dt.timedelta(days=60))

    with caplog.at_level(logging.ERROR, logger="dialogues.destruction.services"):
        counts = services.apply_destruction_retention(today=day - dt.timedelta(days=30))

    assert counts == {"notices": 0, "destroyed": 1, "failed": 1}
    assert DialogueDestruction.objects.get(dialogue=due).destroyed_at is not None
    # The notice and its audit row were committed before the mail failed: its date stands, once.
    assert RetentionNotice.objects.get(dialogue=place.dialogue).destroy_on == day
    assert AuditEvent.objects.filter(action=Action.DIALOGUE_DESTRUCTION_NOTICE_SENT).count() == 1
    assert f"Retention notice of dialogue {place.dialogue.pk} failed" in caplog.text
    assert services.apply_destruction_retention(today=day - dt.timedelta(days=29))["failed"] == 0
