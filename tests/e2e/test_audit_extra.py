"""An auditor saves a search of the log, opens it again from their list, looks at its activity per day and
downloads it as JSON Lines (issue 19)."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import enrol, log_in
from tests.factories import PersonFactory, UserFactory
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent, SavedSearch
from trackii.audit.services import bulk_append

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_auditor_saves_a_search_sees_its_activity_and_downloads_it(live_server, page: Page, screenshot):
    auditor = UserFactory(email="auditor@example.org", is_staff=True)
    auditor.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    PersonFactory(pseudonym="P-31", user=auditor)  # the demo's auditors are people on file too
    enrol(auditor)
    person = PersonFactory(pseudonym="P-17", user=UserFactory())
    now = timezone.now()
    bulk_append(
        events=[
            {"action": Action.VIEW if n % 3 else Action.DENIED, "outcome": "allowed" if n % 3 else "denied",
             "actor_id": person.user_id, "target_type": "dialogues.summary", "target_id": str(n),
             "occurred_at": now - dt.timedelta(days=n % 12, hours=n % 5)}
            for n in range(60)
        ]
    )  # fmt: skip
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "auditor@example.org")

    page.goto(f"{base}/audit/events/?person=P-17&before=999999")
    page.get_by_role("link", name="Save this search").click()
    expect(page.get_by_role("heading", name="Save this search")).to_be_visible()
    page.get_by_label("Name").fill("P-17's requests <b>")
    screenshot("audextra-01-save-search")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Search saved as “P-17's requests <b>”.")).to_be_visible()
    assert SavedSearch.objects.get().query == "person=P-17"
    screenshot("audextra-02-saved-list")

    page.get_by_role("link", name="P-17's requests <b>", exact=True).click()
    expect(page.get_by_role("heading", name="Search the audit log")).to_be_visible()
    page.get_by_role("link", name="Activity per day").last.click()
    expect(page.get_by_role("heading", name="Activity per day")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Total")
    screenshot("audextra-03-activity")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("audextra-04-activity-375")
    page.goto(f"{base}/audit/saved/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("audextra-05-saved-list-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{base}/audit/events/?person=P-17")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON Lines").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()  # noqa: SIM115
    assert download.value.suggested_filename.endswith(".jsonl")
    assert len(lines) == 50 + 10  # the person's rows (the auditor's own are not theirs)
    assert {json.loads(line)["action_label"] for line in lines} == {"Viewed", "Access denied"}
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=auditor, detail__format="jsonl").exists()

    page.goto(f"{base}/audit/saved/")
    page.get_by_role("link", name="Delete P-17's requests <b>").click()
    expect(page.get_by_role("heading", name="Delete the saved search “P-17's requests <b>”?")).to_be_visible()
    screenshot("audextra-06-delete-asks")
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_text("You have no saved searches yet.")).to_be_visible()
