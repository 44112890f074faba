"""The auditors' pages: find who opened what, page through millions of rows without counting them, export."""

import pytest
from django.contrib.auth.models import Group
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.scheduling import services as scheduling_services
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory, WorkshopFactory
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action, Outcome
from trackii.audit.models import AuditEvent
from trackii.audit.services import bulk_append, record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    return user


def test_auditor_finds_every_access_a_participant_made_by_pseudonym(client, auditor):
    workshop = WorkshopFactory(series__dialogue__title="Secret title", series__dialogue__codename="tidewater")
    dialogue = workshop.series.dialogue
    person = PersonFactory(pseudonym="P-31", name="Ysolde Vey", user=UserFactory())
    services.assign_role(
        dialogue=dialogue,
        person=person,
        role=DialogueRole.PARTICIPANT,
        side=SideFactory(dialogue=dialogue),
        by=None,
    )
    scheduling_services.invite(workshop=workshop, person=person, by=None)
    client.force_login(person.user)
    client.get(reverse("dialogues:dialogue_detail", args=[dialogue.pk]))
    client.get(reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk]))
    client.get(reverse("dialogues:dialogue_detail", args=[DialogueFactory().pk]))  # not theirs: denied

    client.force_login(auditor)
    response = client.get(reverse("audit:events"), {"person": "p-31"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("P-31") >= 3
    assert "dialogues.workshop" in body and "dialogues.dialogue" in body and ">Denied<" in body
    assert "tidewater" in body
    assert "Secret title" not in body and "Ysolde" not in body


@pytest.mark.parametrize("count", [1, 10])
def test_events_page_query_count_is_constant(client, auditor, django_assert_num_queries, count):
    users = UserFactory.create_batch(count)
    dialogues = DialogueFactory.create_batch(count)
    bulk_append(
        events=[
            {"action": Action.VIEW, "actor_id": u.pk, "target_type": "dialogues.dialogue",
             "target_id": str(d.pk), "dialogue_id": d.pk}
            for u, d in zip(users, dialogues, strict=True)
        ]
    )  # fmt: skip
    client.force_login(auditor)
    url = reverse("audit:events")
    client.get(url)  # warm per-process caches
    # session, user, permissions (user's, groups'), page, labels (accounts, dialogues, the objects: one query
    # per type), audit (one statement)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("/audit/objects/dialogues.dialogue/") == count


def test_events_are_paged_by_id_without_counting(client, auditor):
    bulk_append(
        events=[{"action": Action.VIEW, "target_type": "x.y", "target_id": str(n)} for n in range(120)]
    )
    client.force_login(auditor)
    with CaptureQueriesContext(__import__("django.db").db.connection) as captured:
        first = client.get(reverse("audit:events"), {"action": "view"})
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    page = first.context["page"]
    assert len(page.events) == 50 and page.next_before == page.events[-1].id
    second = client.get(reverse("audit:events"), {"action": "view", "before": page.next_before}).context[
        "page"
    ]
    assert second.events[0].id == page.events[-1].id - 1


def test_unknown_person_is_explained_not_an_empty_list(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit:events"), {"person": "P-999"})
    assert response.status_code == 400 and "No account matches" in response.content.decode()


def test_export_is_csv_of_the_filtered_view_and_is_itself_audited(client, auditor):
    bulk_append(events=[{"action": Action.DOWNLOAD, "target_type": "dialogues.summary", "target_id": "7"}])
    bulk_append(events=[{"action": Action.VIEW, "target_type": "dialogues.summary", "target_id": "8"}])
    client.force_login(auditor)
    response = client.get(reverse("audit:export"), {"action": "download"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert response["Content-Type"] == "text/csv"
    assert lines[0].startswith("id,occurred_at,account,action")
    assert len(lines) == 2 and ",download," in lines[1]
    assert lines[0].endswith(",row_hash,action_label") and lines[1].endswith(",Downloaded")
    export = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert export.actor == auditor and export.detail["filters"] == {"action": "download"}


def test_overview_flags_an_account_probing_for_ids(client, auditor):
    prober = UserFactory()
    for n in range(6):
        record_event(
            actor=prober, action=Action.DENIED, outcome=Outcome.DENIED, target_type="x.y", target_id=str(n)
        )
    client.force_login(auditor)
    body = client.get(reverse("audit:overview")).content.decode()
    assert f"#{prober.pk}" in body and "6 denied requests" in body


def test_audit_pages_are_not_found_for_everyone_else(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("audit:events")).status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_overview_query_count_is_constant(client, auditor, django_assert_num_queries, count):
    # Every kind of flag, `count` accounts of each, a verification row and a checkpoint: whatever the rows,
    # the same queries (issue 17: it was 13).
    probers, downloaders, holders = (UserFactory.create_batch(count) for _ in range(3))
    dialogue = DialogueFactory()
    events = []
    for user in probers:
        events += [
            {"action": Action.DENIED, "outcome": "denied", "actor_id": user.pk, "target_type": "x.y"}
        ] * 6
    for user in downloaders:
        events += [{"action": Action.DOWNLOAD, "actor_id": user.pk, "target_type": "x.y"}] * 20
    for user in holders:
        events += [
            {"action": Action.BREAK_GLASS_GRANTED, "actor_id": user.pk, "dialogue_id": dialogue.pk},
            {"action": Action.VIEW, "actor_id": user.pk, "dialogue_id": dialogue.pk, "target_type": "x.y"},
        ]
    bulk_append(events=events)
    record_event(actor=None, action=Action.CHAIN_VERIFIED)
    client.force_login(auditor)
    url = reverse("audit:overview")
    client.get(url)  # warm per-process caches
    # session, user, permissions (user's, groups'), flags (denials, downloads, break-glass grants, requests
    # under them), account labels, audit (one statement, whose row is the head shown), last verification
    with django_assert_num_queries(11):
        response = client.get(url)
    body = response.content.decode()
    assert body.count("6 denied requests") == count and body.count("20 downloads") == count
    assert body.count("under break-glass") == count


@pytest.mark.parametrize("count", [1, 10])
@pytest.mark.parametrize(
    ("search", "queries"),
    [
        # the events page's 9, and the account (or dialogue) the search names
        ("person", 10),
        ("object", 9),
        ("dialogue", 10),
    ],
)
def test_filtered_search_query_count_is_constant(
    client, auditor, django_assert_num_queries, count, search, queries
):
    person = PersonFactory(pseudonym="P-77", user=UserFactory())
    dialogue = DialogueFactory(codename="saltmarsh")
    others = UserFactory.create_batch(count)
    bulk_append(
        events=[
            {"action": Action.VIEW, "actor_id": actor.pk, "target_type": "dialogues.summary",
             "target_id": "5", "dialogue_id": dialogue.pk}
            for actor in [person.user] * count + others
        ]
    )  # fmt: skip
    query = {
        "person": {"person": "P-77"},
        "object": {"target_type": "dialogues.summary", "target_id": "5"},
        "dialogue": {"dialogue": "saltmarsh"},
    }[search]
    client.force_login(auditor)
    url = reverse("audit:events")
    client.get(url, query)  # warm per-process caches
    with django_assert_num_queries(queries):
        response = client.get(url, query)
    rows = count if search == "person" else 2 * count
    assert response.content.decode().count("/audit/objects/dialogues.summary/5/") == rows
