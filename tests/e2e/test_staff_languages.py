"""An auditor who reads Trackii in Arabic looks at the activity chart: its axes and numbers keep their places
and read left to right, its Arabic words read right to left (issue 22). The screenshots
(artifacts/screenshots/) are for a person to look at."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import enrol, log_in
from tests.factories import PersonFactory, UserFactory
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action
from trackii.audit.services import bulk_append

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_auditor_reads_the_activity_chart_in_arabic(live_server, browser: Browser):
    auditor = UserFactory(email="auditor@example.org", is_staff=True)
    auditor.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    enrol(auditor)
    person = PersonFactory(pseudonym="P-17", user=UserFactory())
    now = timezone.now()
    bulk_append(
        events=[
            {"action": Action.VIEW if n % 3 else Action.DENIED, "outcome": "allowed" if n % 3 else "denied",
             "actor_id": person.user_id, "target_type": "dialogues.summary", "target_id": str(n),
             "occurred_at": now - dt.timedelta(days=n % 12, hours=n % 5)}
            for n in range(1500)
        ]
    )  # fmt: skip
    base = live_server.url
    # The auditor's own choice of language: the login pages stay in the browser's (English) until they are in.
    auditor.language = "ar"
    auditor.save(update_fields=["language"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, "auditor@example.org")
    page.goto(f"{base}/audit/activity/?person=P-17")
    expect(page.get_by_role("heading", name="النشاط اليومي", exact=True)).to_be_visible()
    svg = page.locator("svg.chart").first
    assert svg.get_attribute("direction") == "ltr"
    # The legend's words and the figure's Arabic text are there; the numbers keep Western digits.
    expect(page.locator(".chart-legend")).to_contain_text("مسموح")
    assert page.locator("svg.chart text[direction=rtl]").count() >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "i18n-staff-activity-ar-1280.png"), full_page=True)
    # The page runs right to left: the chart must not mirror with it.
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    box = svg.bounding_box()
    first_day = page.locator("svg.chart text", has_text="نوفمبر").first.bounding_box()
    assert first_day["x"] < box["x"] + box["width"] / 2  # the earliest day stays on the left
    page.locator("svg.chart").first.screenshot(path=str(ARTIFACTS / "i18n-staff-activity-ar-rtl-chart.png"))
    page.goto(f"{base}/audit/chain/")
    expect(page.get_by_role("heading", name="حالة السلسلة", exact=True)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "i18n-staff-chain-ar-1280.png"), full_page=True)
    context.close()
