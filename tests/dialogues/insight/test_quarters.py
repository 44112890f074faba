"""Quarters on one clock (dialogues/insight/quarters.py): the label, the run of quarters, and the truncation
in SQL on UTC whatever the zone the request runs in."""

import datetime as dt

import pytest
from django.utils import timezone

from dialogues.insight.quarters import quarter_label, quarter_start, quarters_between
from dialogues.models import Workshop
from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


def test_quarter_label_and_every_quarter_between_two_days():
    assert quarter_label(dt.date(2026, 9, 30)) == "2026 Q3"
    assert quarters_between(dt.date(2025, 11, 20), dt.date(2026, 4, 1)) == [
        dt.date(2025, 10, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 1),
    ]


def test_quarter_start_truncates_in_utc_whatever_the_current_zone():
    late = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)  # already 1 April in Auckland
    workshop = WorkshopFactory(starts_at=late, ends_at=late + dt.timedelta(hours=2))
    with timezone.override("Pacific/Auckland"):
        quarter = (
            Workshop.objects.filter(pk=workshop.pk)
            .annotate(quarter=quarter_start("starts_at"))
            .values_list("quarter", flat=True)
            .get()
        )
    assert quarter == dt.date(2026, 1, 1)
