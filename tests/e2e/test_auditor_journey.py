"""An auditor's working morning (issue 19): a participant answers an invitation and notes dates they cannot
come; the auditor finds what that participant did since yesterday by searching their pseudonym, reads each
row in words, downloads the search as JSON Lines and verifies the whole chain in the browser, on a real Celery
worker. Everything through the pages, second factor included."""

import datetime as dt
import json
import re

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.scheduling import services as scheduling
from tests.e2e.helpers import enrol, log_in
from tests.factories import (
    DialogueFactory,
    PersonFactory,
    SeriesFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent, ChainCheck
from trackii.celery import app

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings, tmp_path):
    """A real worker on Redis, in this process, as `make run` has one: the chain check runs on it."""
    assert django_settings.CELERY_BROKER_URL.startswith("redis://"), "the suite runs Celery on Redis"
    settings.TRACKII_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def test_an_auditor_finds_reads_exports_and_verifies(live_server, page: Page, screenshot, worker, tmp_path):
    dialogue = DialogueFactory(codename="heron", title="Riverside talks")
    side = SideFactory(dialogue=dialogue, name="North")
    convenor = PersonFactory(pseudonym="P-1", name="Ingrid Alvestad", user=UserFactory())
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    amira = PersonFactory(pseudonym="P-4", name="Amira Haddad", user=UserFactory(email="amira@example.org"))
    services.assign_role(dialogue=dialogue, person=amira, role=DialogueRole.PARTICIPANT, side=side, by=None)
    series = SeriesFactory(dialogue=dialogue, title="Phase 1: listening")
    workshop = WorkshopFactory(series=series, number=1, starts_at=timezone.now() + dt.timedelta(days=20))
    scheduling.invite_people(workshop=workshop, people=[amira], by=convenor.user)
    auditor = UserFactory(email="auditor@example.org", is_staff=True)
    auditor.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    enrol(auditor)
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # The participant answers, from their own page.
    log_in(page, base, "amira@example.org")
    page.get_by_role("link", name="Your workshops").first.click()
    page.locator(".invitation-card", has_text="heron").get_by_role("button", name="Accept").click()
    expect(page.get_by_text(re.compile("Thank you: you accepted heron"))).to_be_visible()
    answered = AuditEvent.objects.get(action=Action.INVITATION_ANSWERED)
    assert answered.actor_id == amira.user_id

    # The auditor searches by pseudonym, from yesterday on.
    log_in(page, base, "auditor@example.org")
    page.get_by_role("navigation").get_by_role("link", name="Audit log", exact=True).click()
    page.get_by_role("link", name="Search the log").click()
    page.get_by_label("Account").fill("P-4")
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    page.get_by_label("From").fill(yesterday)
    page.get_by_role("button", name="Search").click()
    # The filters stay in view, in words, each removable; the rows read as sentences, not codes.
    expect(page.get_by_text("Account P-4", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Invitation answered")
    expect(row).to_be_visible()
    expect(row).to_contain_text("heron · series 1 · workshop 1")
    expect(page.get_by_role("table")).not_to_contain_text("Amira")  # auditors see pseudonyms, never names
    expect(page.get_by_role("table")).not_to_contain_text("Riverside")  # and codenames, never titles
    screenshot("auditor-1-search-in-words")
    shared = page.url
    assert "person=P-4" in shared and f"since={yesterday}" in shared  # the address is the search

    # The search as JSON Lines: the participant's answer is in it, in words; the export is itself recorded.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON Lines").click()
    saved = tmp_path / "search.jsonl"
    download.value.save_as(saved)
    records = [json.loads(line) for line in saved.read_text().splitlines()]
    assert {r["action_label"] for r in records} >= {"Invitation answered"}
    assert all(r["account"] == amira.user_id for r in records)
    export = AuditEvent.objects.filter(action=Action.EXPORT).latest("id")
    assert export.actor_id == auditor.pk and export.detail["format"] == "jsonl"

    # The chain, verified by a worker while the page shows progress, then the verdict.
    page.get_by_role("link", name="Chain status").first.click()
    page.get_by_role("button", name="Verify the chain now").click()
    expect(page.get_by_text(re.compile("intact", re.I)).first).to_be_visible(timeout=30_000)
    check = ChainCheck.objects.latest("id")
    assert check.status == "passed" and check.requested_by_id == auditor.pk
    verified = AuditEvent.objects.filter(action=Action.CHAIN_VERIFIED).latest("id")
    assert verified.actor_id == auditor.pk and verified.detail["source"] == "browser"
    screenshot("auditor-2-chain-verified-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("auditor-2-chain-verified-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
