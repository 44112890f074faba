"""Issue 19, a readable log: actions and objects in words (pseudonyms and codenames only), times with their
zone, filters that stay visible and shareable, and per-account and per-object timelines."""

import datetime as dt
import inspect

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import (
    AgendaItemFactory,
    ConditionFactory,
    DialogueFactory,
    InvitationFactory,
    MembershipFactory,
    PersonFactory,
    SummaryFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii import domain_hooks
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action, Outcome
from trackii.audit.forms import AuditSearchForm
from trackii.audit.models import AuditEvent
from trackii.audit.services import bulk_append, record_event
from trackii.hooks import DomainHooks

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Secret talks about the northern border"


@pytest.fixture
def auditor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    return user


def _objects(n: int):
    """n of each kind of object, in dialogues whose titles and people's names must never show."""
    made = []
    for _ in range(n):
        workshop = WorkshopFactory(series__title="Series on the border", series__dialogue__title=SECRET_TITLE)
        dialogue = workshop.series.dialogue
        person = PersonFactory(name="Ysolde Vey", user=UserFactory())
        membership = MembershipFactory(dialogue=dialogue, person=person)
        summary = SummaryFactory(workshop=workshop)
        made += [
            ("dialogues.dialogue", dialogue.pk, dialogue.pk),
            ("dialogues.workshop", workshop.pk, dialogue.pk),
            ("dialogues.summary", summary.pk, dialogue.pk),
            ("dialogues.agendaitem", AgendaItemFactory(workshop=workshop).pk, dialogue.pk),
            ("dialogues.invitation", InvitationFactory(workshop=workshop, person=person).pk, dialogue.pk),
            ("participants.membership", membership.pk, dialogue.pk),
            ("participants.person", person.pk, None),
            ("funding.condition", ConditionFactory(grant__dialogue=dialogue).pk, dialogue.pk),
            ("accounts.user", person.user.pk, None),
            ("dialogues.reviewcomment", 999_999, dialogue.pk),  # deleted, or never was
        ]
    return made


def _rows(objects, count: int):
    actor = UserFactory()
    bulk_append(
        events=[
            {"action": Action.VIEW, "actor_id": actor.pk, "target_type": kind, "target_id": str(pk),
             "dialogue_id": dialogue_id}
            for kind, pk, dialogue_id in (objects * count)[:count]
        ]
    )  # fmt: skip
    return actor


def test_rows_read_in_words_with_codenames_and_pseudonyms_only(client, auditor):
    workshop = WorkshopFactory(
        number=2,
        series__position=1,
        series__dialogue__codename="tidewater",
        series__dialogue__title=SECRET_TITLE,
    )
    person = PersonFactory(pseudonym="P-17", name="Ysolde Vey", email="ysolde@example.org")
    summary = SummaryFactory(workshop=workshop, version=1)
    membership = MembershipFactory(dialogue=workshop.series.dialogue, person=person)
    record_event(actor=None, action=Action.REVIEW_COMMENTED, target=summary)
    record_event(actor=None, action=Action.GROUND_RULES_ACCEPTED, target=membership)
    record_event(actor=None, action=Action.VIEW, target_type="dialogues.summary", target_id="424242")
    client.force_login(auditor)
    body = client.get(reverse("audit:events")).content.decode()
    assert "tidewater · series 1 · workshop 2 · summary v1" in body
    assert "tidewater · membership of P-17" in body
    assert "summary #424242" in body  # gone (or never was): its type and id
    assert "Review comment added" in body and "review_commented" in body  # the code as secondary text
    assert "dialogues.summary 39" not in body
    for secret in (SECRET_TITLE, "Ysolde", "ysolde@", workshop.series.title):
        assert secret not in body


@pytest.mark.parametrize("count", [10, 50])
def test_a_page_of_mixed_rows_takes_a_fixed_number_of_queries(
    client, auditor, django_assert_num_queries, count
):
    actor = _rows(_objects(5), count)  # every kind of object on both pages
    client.force_login(auditor)
    url = reverse("audit:events") + f"?person=%23{actor.pk}"
    client.get(url)  # warm per-process caches
    # session, user, permissions (user's, groups'), page, accounts, dialogues, the domain's labels (one per
    # type of object: 9, accounts.user read with the accounts), audit (one statement); no query per row
    with django_assert_num_queries(17):
        response = client.get(url)
    body = response.content.decode()
    assert body.count('class="audit-object"') == count
    assert SECRET_TITLE not in body and "Ysolde" not in body


def test_object_labels_hook_answers_in_one_query_per_type(django_assert_num_queries):
    objects = _objects(3)
    targets = {(kind, str(pk)) for kind, pk, _ in objects if kind != "accounts.user"}
    with django_assert_num_queries(9):  # nine types, three objects of each
        labels = domain_hooks.audit_object_labels(targets)
    assert ("dialogues.reviewcomment", "999999") not in labels
    assert len(labels) == len(targets) - 1
    assert not [text for text in labels.values() if SECRET_TITLE in text or "Ysolde" in text]


def test_hostile_target_ids_are_left_out_not_an_error():
    targets = {
        ("dialogues.summary", "1" * 40),
        ("dialogues.summary", "-1"),
        ("dialogues.summary", "x' or 1=1"),
    }
    assert domain_hooks.audit_object_labels(targets) == {}


def test_domain_hooks_answer_every_question_of_the_protocol():
    asked = {
        name for name, _ in inspect.getmembers(DomainHooks, inspect.isfunction) if not name.startswith("_")
    }
    assert asked <= {name for name, _ in inspect.getmembers(domain_hooks, inspect.isfunction)}


def test_action_filter_offers_every_action_by_label_in_groups():
    html = str(AuditSearchForm()["action"])
    for action in Action:
        assert f'value="{action.value}"' in html, action
    assert '<optgroup label="Summaries and review">' in html
    assert ">Review comment added<" in html


def test_active_filters_stay_visible_each_removable_and_older_pages_keep_them(client, auditor):
    person = PersonFactory(pseudonym="P-4", user=UserFactory())
    bulk_append(events=[{"action": Action.REVIEW_COMMENTED, "actor_id": person.user.pk}] * 60)
    client.force_login(auditor)
    query = {"person": "P-4", "action": Action.REVIEW_COMMENTED, "since": "2020-12-01", "until": "2099-12-03"}
    response = client.get(reverse("audit:events"), query)
    body = response.content.decode()
    chips = [chip.text for chip in response.context["chips"]]
    assert chips == ["Account P-4", "Action: Review comment added", "1 Dec 2020 \u2013 3 Dec 2099 (UTC)"]
    without_action = response.context["chips"][1].without
    assert "action=" not in without_action and "person=P-4" in without_action
    assert f'href="?{without_action}"' in body.replace("&amp;", "&")
    older = response.context["page"].next_before
    assert f"?person=P-4&action=review_commented&since=2020-12-01&until=2099-12-03&before={older}" in (
        body.replace("&amp;", "&")
    )
    assert "Change the search" in body and 'name="person"' in body


def test_days_are_the_viewers_days_and_times_name_their_zone(client, auditor):
    bulk_append(
        events=[{"action": Action.VIEW, "occurred_at": dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)}]
    )
    client.force_login(auditor)
    session = client.session
    session["trackii.viewer_tz"] = "Asia/Tokyo"  # 08:30 on 2 December there
    session.save()
    on_the_2nd = client.get(reverse("audit:events"), {"since": "2026-12-02", "until": "2026-12-02"})
    assert len(on_the_2nd.context["page"].events) == 1
    body = on_the_2nd.content.decode()
    assert "2 Dec 2026, 08:30:00 JST" in body and "(Asia/Tokyo)" in body
    on_the_1st = client.get(reverse("audit:events"), {"since": "2026-12-01", "until": "2026-12-01"})
    assert on_the_1st.context["page"].events == []


def test_account_timeline_shows_what_it_did_and_what_was_done_to_it(client, auditor):
    person = PersonFactory(pseudonym="P-9", user=UserFactory())
    user, other = person.user, UserFactory()
    did = record_event(actor=user, action=Action.VIEW, target_type="x.y", target_id="1")
    done = record_event(actor=other, action=Action.SESSIONS_ENDED, target=user)
    to_person = record_event(actor=other, action=Action.PERSON_RECORDED, target=person)
    unrelated = record_event(actor=other, action=Action.VIEW, target_type="x.y", target_id="2")
    client.force_login(auditor)
    response = client.get(reverse("audit:account_timeline", args=[user.pk]))
    assert response.status_code == 200
    ids = [row.event.id for row in response.context["timeline"].rows]
    assert ids == [to_person.id, done.id, did.id] and unrelated.id not in ids
    assert "P-9" in response.content.decode()
    look = AuditEvent.objects.order_by("-id").first()
    assert (look.actor_id, look.action, look.target_type) == (auditor.pk, "view", "audit.timeline")
    assert look.detail == {"account": user.pk}


def test_account_timeline_pages_by_keyset(client, auditor):
    user = UserFactory()
    bulk_append(events=[{"action": Action.VIEW, "actor_id": user.pk}] * 70)
    bulk_append(
        events=[{"action": Action.LOGIN, "target_type": "accounts.user", "target_id": str(user.pk)}] * 10
    )
    client.force_login(auditor)
    url = reverse("audit:account_timeline", args=[user.pk])
    first = client.get(url).context["timeline"].page
    second = client.get(url, {"before": first.next_before}).context["timeline"].page
    ids = [e.id for e in first.events + second.events]
    assert len(first.events) == 50 and len(second.events) == 30 and second.next_before is None
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 80


def test_object_timeline_shows_every_row_about_one_object(client, auditor):
    summary = SummaryFactory(workshop__series__dialogue__codename="tidewater")
    rows = [record_event(actor=None, action=a, target=summary) for a in (Action.SEALED, Action.DOWNLOAD)]
    record_event(actor=None, action=Action.VIEW, target=SummaryFactory())
    client.force_login(auditor)
    response = client.get(reverse("audit:object_timeline", args=["dialogues.summary", summary.pk]))
    assert [row.event.id for row in response.context["timeline"].rows] == [rows[1].id, rows[0].id]
    assert "<h1>tidewater · series" in response.content.decode()
    look = AuditEvent.objects.order_by("-id").first()
    assert look.target_type == "audit.timeline"
    assert look.detail == {"object_type": "dialogues.summary", "object_id": str(summary.pk)}


@pytest.mark.parametrize(
    "url",
    [
        ("audit:account_timeline", [999_999]),
        ("audit:account_timeline", [10**30]),
        ("audit:object_timeline", ["dialogues.summary", "999999"]),
        ("audit:object_timeline", ["<script>", "1"]),
        ("audit:object_timeline", ["dialogues.summary", "9" * 70]),
        ("audit:object_timeline", ["dialogues.summary", "\x00"]),
        ("audit:object_timeline", ["dialogues\x00summary", "1"]),
    ],
)
def test_timeline_of_nothing_is_the_ordinary_404_audited_as_denied(client, auditor, url):
    client.force_login(auditor)
    name, args = url
    response = client.get(reverse(name, args=args))
    assert response.status_code == 404
    refusal = AuditEvent.objects.order_by("-id").first()
    assert (refusal.action, refusal.outcome) == (Action.DENIED, Outcome.DENIED)


def test_timelines_are_not_found_for_everyone_else(client):
    user = UserFactory(is_staff=True)
    record_event(actor=user, action=Action.VIEW, target_type="x.y", target_id="1")
    client.force_login(user)
    assert client.get(reverse("audit:account_timeline", args=[user.pk])).status_code == 404
    assert client.get(reverse("audit:object_timeline", args=["x.y", "1"])).status_code == 404


def test_rows_link_to_their_timelines(client, auditor):
    user = UserFactory()
    record_event(
        actor=user, action=Action.VIEW, target_type="dialogues.dialogue", target_id=str(DialogueFactory().pk)
    )
    client.force_login(auditor)
    body = client.get(reverse("audit:events")).content.decode()
    assert reverse("audit:account_timeline", args=[user.pk]) in body
    assert "/audit/objects/dialogues.dialogue/" in body


def test_a_revoked_auditors_open_session_gets_the_ordinary_404(client, auditor):
    user = UserFactory()
    record_event(actor=user, action=Action.VIEW, target_type="x.y", target_id="1")
    client.force_login(auditor)
    url = reverse("audit:account_timeline", args=[user.pk])
    assert client.get(url).status_code == 200
    auditor.groups.clear()
    assert client.get(url).status_code == 404
    assert client.get(reverse("audit:object_timeline", args=["x.y", "1"])).status_code == 404


def test_a_row_whose_id_no_url_can_hold_is_shown_without_a_link(client, auditor):
    record_event(actor=None, action=Action.DENIED, outcome=Outcome.DENIED, target_type="x.y", target_id="a/b")
    client.force_login(auditor)
    response = client.get(reverse("audit:events"))
    assert response.status_code == 200 and "x y #a/b" in response.content.decode()


def test_object_filters_read_as_words(client, auditor):
    summary = SummaryFactory(workshop__series__dialogue__codename="saltmarsh")
    record_event(actor=None, action=Action.SEALED, target=summary)
    client.force_login(auditor)
    by_type = client.get(reverse("audit:events"), {"target_type": "dialogues.summary"})
    assert [chip.text for chip in by_type.context["chips"]] == ["Object type: summary"]
    one = client.get(reverse("audit:events"), {"target_type": "dialogues.summary", "target_id": summary.pk})
    assert one.context["chips"][0].text.startswith("Object: saltmarsh · series ")


def test_every_action_is_offered_in_a_family_of_the_filter():
    """The action filter lists every action under a heading a reader looks for; none left to "Other"."""
    from trackii.audit.forms import ACTION_FAMILIES, action_choices

    grouped = [action for _, members in ACTION_FAMILIES for action in members]
    assert sorted(set(Action) - set(grouped)) == [] and len(grouped) == len(set(grouped))
    assert "Other" not in [label for label, _ in action_choices()]
