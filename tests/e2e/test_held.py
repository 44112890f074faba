"""A facilitator records a workshop held before Trackii was used, then marks a past one as held (issue 18)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole, WorkshopStatus
from dialogues.models import Notification, Workshop
from participants.models import Membership
from tests.e2e.helpers import enrol, log_in
from tests.factories import (
    DialogueFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_facilitator_records_a_past_workshop_and_marks_another_held(live_server, page: Page, screenshot):
    dialogue = DialogueFactory(codename="tidewater", title="Serran Strait maritime boundary dialogue")
    north = SideFactory(dialogue=dialogue, name="North")
    convenor = PersonFactory(
        pseudonym="P-1", name="Maren Holtvik", user=UserFactory(email="convenor@example.org")
    )
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    came = PersonFactory(pseudonym="P-5", name="Corvin Asteli")
    services.assign_role(dialogue=dialogue, person=came, role=DialogueRole.PARTICIPANT, side=north, by=None)
    enrol(convenor.user)
    # The dialogue calls him by its own pseudonym, not by his account's "P-5" (decision 0026).
    in_here = Membership.objects.get(person=came, dialogue=dialogue).pseudonym
    series = SeriesFactory(dialogue=dialogue, title="Phase 1: listening")
    now = timezone.now()
    WorkshopFactory(series=series, number=1, starts_at=now + dt.timedelta(days=30))
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "convenor@example.org")

    page.goto(f"{base}/dialogues/{dialogue.pk}/series/{series.pk}/")
    last_year = (now - dt.timedelta(days=365)).strftime("%Y-%m-%d")
    page.get_by_label("Starts").fill(f"{last_year}T09:00")
    page.get_by_label("Ends").fill(f"{last_year}T17:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator("#id_starts_at_error")).to_contain_text("This date is in the past. To record a")
    page.get_by_label("This workshop already took place").check()
    page.get_by_label(f"Corvin Asteli ({in_here}) · North").check()
    expect(page.locator("main")).not_to_contain_text("(P-5)")
    screenshot("held-01-record-a-past-workshop")
    page.get_by_role("button", name="Schedule").click()
    # Nobody was invited to the coming workshop yet, so the numbers follow the dates (decision 0018).
    expect(page.get_by_text("Workshop 1 is recorded as held, with 1 attending.")).to_be_visible()
    expect(page.get_by_role("button", name="Write the summary")).to_be_visible()
    recorded = Workshop.objects.get(series=series, number=1)
    assert recorded.status == WorkshopStatus.HELD and not Notification.objects.exists()

    # A workshop that took place last week but was never closed: "Mark as held".
    past = WorkshopFactory(
        series=series, number=3, starts_at=now - dt.timedelta(days=8), ends_at=now - dt.timedelta(days=7)
    )
    page.goto(f"{base}/dialogues/{dialogue.pk}/workshops/{past.pk}/")
    expect(page.get_by_text("Record attendance first")).to_be_visible()
    page.get_by_role("link", name="Mark as held").click()
    page.get_by_label(f"Corvin Asteli ({in_here}) · North — not invited").check()
    screenshot("held-02-mark-as-held")
    page.get_by_role("button", name="Mark as held").click()
    expect(page.get_by_text("Workshop 3 is marked as held, with 1 attending.")).to_be_visible()
    past.refresh_from_db()
    assert past.status == WorkshopStatus.HELD
