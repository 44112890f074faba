"""Two facilitators changing one series at once (issue 18 review): every step that renumbers a series' drafts
takes the series' lock before any workshop's, so publishing, adding and moving workshops at the same moment
wait for each other instead of deadlocking (PostgreSQL would end one of them with an error page)."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from dialogues.enums import WorkshopStatus
from dialogues.models import Workshop, WorkshopSeries
from dialogues.scheduling.recurrence import wall_clock
from dialogues.scheduling.services import publish_workshop, reschedule_workshop, schedule_workshop
from tests.factories import SeriesFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(step, errors: list) -> threading.Thread:
    def run():
        try:
            step()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _series_with_a_draft():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    series = SeriesFactory()
    later = timezone.now() + dt.timedelta(days=60)
    WorkshopFactory(series=series, number=1, starts_at=later - dt.timedelta(days=30))
    draft = WorkshopFactory(series=series, number=2, starts_at=later, status=WorkshopStatus.DRAFT)
    return series, draft, UserFactory()


def _while_series_locked(series, first, then) -> list:
    """Hold the series' lock (as adding a workshop does first, `free_number`), let `first` run into it in
    another thread, then take `then` in the lock's transaction: the order two requests may really meet in."""
    errors: list = []
    locked, done = threading.Event(), threading.Event()

    def holder():
        with transaction.atomic():
            WorkshopSeries.objects.select_for_update().get(pk=series.pk)
            locked.set()
            time.sleep(0.6)  # `first` starts meanwhile and takes what it takes before the series
            then()
        done.set()

    holding = _in_thread(holder, errors)
    locked.wait(5)
    other = _in_thread(first, errors)
    holding.join(20)
    other.join(20)
    return errors


def test_publishing_while_another_facilitator_adds_a_workshop_never_deadlocks():
    series, draft, by = _series_with_a_draft()
    starts = wall_clock(timezone.now() + dt.timedelta(days=90), "Europe/Oslo")
    errors = _while_series_locked(
        series,
        lambda: publish_workshop(workshop=draft, by=by),
        lambda: schedule_workshop(
            series=series,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=8),
            timezone_name="Europe/Oslo",
            by=by,
            status=WorkshopStatus.DRAFT,
        ),
    )
    assert errors == []
    numbers = dict(Workshop.objects.filter(series=series).values_list("pk", "number"))
    assert sorted(numbers.values()) == [1, 2, 3]
    assert Workshop.objects.get(pk=draft.pk).status == WorkshopStatus.SCHEDULED


def test_moving_a_draft_while_another_facilitator_adds_a_workshop_never_deadlocks():
    series, draft, by = _series_with_a_draft()
    moved = wall_clock(draft.starts_at + dt.timedelta(days=1), "Europe/Oslo")
    starts = wall_clock(timezone.now() + dt.timedelta(days=90), "Europe/Oslo")
    errors = _while_series_locked(
        series,
        lambda: reschedule_workshop(
            workshop=draft,
            starts_at=moved,
            ends_at=moved + dt.timedelta(hours=8),
            timezone_name="Europe/Oslo",
            venue=None,
            format=draft.format,
            by=by,
        ),
        lambda: schedule_workshop(
            series=series,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=8),
            timezone_name="Europe/Oslo",
            by=by,
            status=WorkshopStatus.DRAFT,
        ),
    )
    assert errors == []
    assert sorted(Workshop.objects.filter(series=series).values_list("number", flat=True)) == [1, 2, 3]
