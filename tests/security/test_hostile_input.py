"""Ordinary bad input (issue 16, §5): what a browser or a script can send answers 400, the page with the
error next to its field, or the nearest sensible page; never a 500, and nothing is written. Each test goes
through the real URL as someone allowed to use the page."""

import datetime as dt
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole, ReviewCommentStatus, WorkshopStatus
from dialogues.models import ReviewComment, Unavailability, Workshop
from dialogues.summaries import services as summaries
from funding.enums import GrantStatus
from funding.models import Expense, Grant
from participants.models import Membership
from tests.factories import (
    FunderFactory,
    GrantFactory,
    InvitationFactory,
    PersonFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.apps import AUDITORS_GROUP

pytestmark = pytest.mark.django_db

SURROGATE = "\ud800"  # sent as its UTF-8-ish bytes %ED%A0%80, which no browser sends but a script can
HOSTILE = [
    "²",
    "٣",
    "9999-12-31",
    "0001-01-01",
    "\x00",
    SURROGATE,
    "9" * 100,
    "x" * 100_000,
    "",
]
IDS = [
    "superscript",
    "arabic-indic",
    "year-9999",
    "year-1",
    "nul",
    "surrogate",
    "100-digits",
    "100kb",
    "empty",
]


def encoded(data: dict[str, str]) -> str:
    """A form body or query string as a client would send it; a lone surrogate goes as its raw bytes."""
    return "&".join(
        f"{quote(key)}={quote(value, safe='', errors='surrogatepass')}" for key, value in data.items()
    )


def get(client, url: str, data: dict[str, str]):
    return client.get(f"{url}?{encoded(data)}")


def post(client, url: str, data: dict[str, str]):
    return client.post(url, encoded(data), content_type="application/x-www-form-urlencoded")


def member(dialogue, role=DialogueRole.PARTICIPANT):
    person = PersonFactory(user=UserFactory())
    side = SideFactory(dialogue=dialogue) if role == DialogueRole.PARTICIPANT else None
    dialogue_services.assign_role(dialogue=dialogue, person=person, role=role, side=side, by=None)
    return person


# --- 1. ground rules: `next` is a path of this site, never a URL name or another site ---


@pytest.mark.parametrize(
    "target",
    [
        "reading",
        "dialogues:reading_room",
        "//evil.example/x",
        "https://evil.example/x",
        "/\\evil.example",
        "/no/such/page/",
        "/summaries/\x00",
        *HOSTILE,
    ],
)
def test_ground_rules_next_that_is_not_a_page_of_the_site_continues_to_the_reading_room(client, target):
    workshop = WorkshopFactory()
    person = member(workshop.series.dialogue)
    client.force_login(person.user)
    url = reverse("dialogues:ground_rules", args=[workshop.series.dialogue_id])
    assert get(client, url, {"next": target}).status_code == 200
    response = post(client, url, {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("dialogues:reading_room")


def test_ground_rules_next_that_is_a_page_of_the_site_is_followed(client):
    workshop = WorkshopFactory()
    person = member(workshop.series.dialogue)
    client.force_login(person.user)
    wanted = reverse("dialogues:dialogue_detail", args=[workshop.series.dialogue_id])
    response = post(
        client, reverse("dialogues:ground_rules", args=[workshop.series.dialogue_id]), {"next": wanted}
    )
    assert response.status_code == 302 and response["Location"] == wanted
    assert Membership.objects.get(person=person).ground_rules_accepted_at is not None


# --- 2. the month calendar: a month outside the years kept shows this month, with no link out ---


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1899-12", "2201-01", "10000-01", *HOSTILE])
def test_calendar_month_out_of_range_or_unreadable_shows_this_month(client, month):
    client.force_login(UserFactory())
    response = get(client, reverse("dialogues:calendar_month"), {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == timezone.now().date().replace(day=1)


@pytest.mark.parametrize(("month", "link"), [("2200-12", "next"), ("1900-01", "previous")])
def test_calendar_month_at_the_edge_of_the_range_has_no_link_beyond_it(client, month, link):
    client.force_login(UserFactory())
    response = get(client, reverse("dialogues:calendar_month"), {"month": month})
    assert response.status_code == 200 and response.context[link] is None
    assert response.context["month"] == dt.datetime.strptime(month, "%Y-%m").date()


# --- 3 and 4. the audit search: dates in range, ids in ASCII digits ---


@pytest.fixture
def auditor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    return user


@pytest.mark.parametrize(
    "value", [*HOSTILE[:-1], "1899-12-31", "2201-01-01"], ids=[*IDS[:-1], "1899", "2201"]
)
@pytest.mark.parametrize("field", ["since", "until"])
@pytest.mark.parametrize("page", ["audit:events", "audit:export"])
def test_audit_search_date_outside_the_range_is_a_field_error(client, auditor, page, field, value):
    client.force_login(auditor)
    response = get(client, reverse(page), {field: value})
    assert response.status_code == 400 and response.context["form"].errors[field]


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_audit_search_before_that_is_not_an_id_starts_at_the_newest(client, auditor, value):
    client.force_login(auditor)
    response = get(client, reverse("audit:events"), {"before": value})
    assert response.status_code == 200 and response.context["page"] is not None


@pytest.mark.parametrize("value", HOSTILE[:-1], ids=IDS[:-1])
def test_audit_search_person_hash_that_is_not_an_id_matches_nobody(client, auditor, value):
    client.force_login(auditor)
    response = get(client, reverse("audit:events"), {"person": f"#{value}"})
    assert response.status_code == 400 and response.context["form"].errors["person"]


# --- 4. responding to a review comment: the comment is named by an id in ASCII digits ---


@pytest.fixture
def review():
    now = timezone.now()
    workshop = WorkshopFactory(
        starts_at=now - dt.timedelta(days=3), ends_at=now - dt.timedelta(days=2), status=WorkshopStatus.HELD
    )
    dialogue = workshop.series.dialogue
    rapporteur = member(dialogue, role=DialogueRole.RAPPORTEUR)
    reviewer = member(dialogue)
    InvitationFactory(workshop=workshop, person=reviewer, status="attended")
    summary = summaries.start_summary(workshop=workshop, by=rapporteur.user)
    summary = summaries.save_draft(summary=summary, body="## Next steps\n\nA paper.\n", by=rapporteur.user)
    summary = summaries.open_review(summary=summary, deadline=now + dt.timedelta(days=5), by=rapporteur.user)
    comment = summaries.add_review_comment(
        summary=summary, person=reviewer, section="", body="Say who drafts it", by=reviewer.user
    )
    url = reverse("dialogues:summary_respond", args=[dialogue.pk, summary.pk])
    return SimpleNamespace(
        summary=summary, rapporteur=rapporteur, reviewer=reviewer, comment=comment, url=url
    )


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_respond_to_a_comment_that_is_not_an_id_asks_to_choose_one(client, review, value):
    client.force_login(review.rapporteur.user)
    response = post(client, review.url, {"comment": value, "status": "accepted", "response": "Yes."})
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    review.comment.refresh_from_db()
    assert review.comment.status == ReviewCommentStatus.OPEN and review.comment.response == ""
    assert ReviewComment.objects.count() == 1


# --- 5. workshop times: years 1900 to 2200 on the venue's clock, in any zone ---


TIMES = [
    ("0001-01-01T00:00", "0001-01-01T10:00", "Asia/Tokyo"),  # east of UTC: before year 1 in UTC
    ("9999-12-31T20:00", "9999-12-31T23:00", "America/Los_Angeles"),  # west of UTC: after 9999 in UTC
    ("1899-12-31T09:00", "1899-12-31T17:00", "Europe/Oslo"),
    ("2201-01-01T09:00", "2201-01-01T17:00", "Europe/Oslo"),
    ("²", "٣", "Europe/Oslo"),
    ("\x00", "2030-01-01T10:00", "Europe/Oslo"),
    (SURROGATE, "2030-01-01T10:00", "Europe/Oslo"),
    ("x" * 100_000, "2030-01-01T10:00", "Europe/Oslo"),
]


@pytest.fixture
def facilitated():
    workshop = WorkshopFactory()
    facilitator = member(workshop.series.dialogue, role=DialogueRole.FACILITATOR)
    return SimpleNamespace(workshop=workshop, facilitator=facilitator)


@pytest.mark.parametrize(("starts_at", "ends_at", "zone"), TIMES)
def test_workshop_edit_out_of_range_is_a_field_error_and_changes_nothing(
    client, facilitated, starts_at, ends_at, zone
):
    workshop = facilitated.workshop
    before = (workshop.starts_at, workshop.ends_at, workshop.timezone)
    client.force_login(facilitated.facilitator.user)
    url = reverse("dialogues:workshop_edit", args=[workshop.series.dialogue_id, workshop.pk])
    data = {"starts_at": starts_at, "ends_at": ends_at, "timezone": zone, "format": "in_person"}
    response = post(client, url, {**data, "scope": "following"})
    assert response.status_code == 400 and response.context["form"].errors
    workshop.refresh_from_db()
    assert (workshop.starts_at, workshop.ends_at, workshop.timezone) == before


@pytest.mark.parametrize(("starts_at", "ends_at", "zone"), TIMES)
def test_schedule_out_of_range_is_a_field_error_and_adds_nothing(
    client, facilitated, starts_at, ends_at, zone
):
    series = facilitated.workshop.series
    client.force_login(facilitated.facilitator.user)
    url = reverse("dialogues:series_detail", args=[series.dialogue_id, series.pk])
    data = {"starts_at": starts_at, "ends_at": ends_at, "timezone": zone, "format": "in_person"}
    response = post(client, url, {**data, "repeat": "none", "interval": "1"})
    assert response.status_code == 400 and Workshop.objects.count() == 1


@pytest.mark.parametrize("until", HOSTILE[:-1], ids=IDS[:-1])
def test_schedule_run_until_out_of_range_is_a_field_error_and_adds_nothing(client, facilitated, until):
    series = facilitated.workshop.series
    client.force_login(facilitated.facilitator.user)
    url = reverse("dialogues:series_detail", args=[series.dialogue_id, series.pk])
    data = {"starts_at": "2030-03-12T09:30", "ends_at": "2030-03-12T17:00", "timezone": "Asia/Tokyo"}
    response = post(
        client, url, {**data, "format": "in_person", "repeat": "weeks", "interval": "1", "until": until}
    )
    assert response.status_code == 400 and response.context["form"].errors["until"]
    assert Workshop.objects.count() == 1


# --- siblings: unavailable dates, grant dates, ids in URLs and form values ---


@pytest.mark.parametrize(
    "value", [*HOSTILE[:-1], "1899-12-31", "2201-01-01"], ids=[*IDS[:-1], "1899", "2201"]
)
def test_unavailability_out_of_range_is_a_field_error_and_adds_nothing(client, value):
    person = PersonFactory(user=UserFactory())
    client.force_login(person.user)
    url = reverse("dialogues:availability")
    response = post(client, url, {"starts_on": value, "ends_on": "2030-01-02"})
    assert response.status_code == 400 and not Unavailability.objects.exists()
    assert post(client, url, {"remove": value}).status_code == 404


@pytest.fixture
def convenor():
    workshop = WorkshopFactory()
    return SimpleNamespace(
        dialogue=workshop.series.dialogue, person=member(workshop.series.dialogue, role=DialogueRole.CONVENOR)
    )


@pytest.mark.parametrize(
    "value", [*HOSTILE[:-1], "1899-12-31", "2201-01-01"], ids=[*IDS[:-1], "1899", "2201"]
)
@pytest.mark.parametrize("field", ["starts_on", "ends_on"])
def test_grant_dates_out_of_range_are_a_field_error_and_record_nothing(client, convenor, field, value):
    client.force_login(convenor.person.user)
    data = {
        "funder": str(FunderFactory().pk),
        "recipient": str(convenor.dialogue.pk),
        "amount": "1000",
        "currency": "EUR",
        "starts_on": "2030-01-01",
        "ends_on": "2030-12-31",
        "purpose": "Meetings",
    }
    response = post(client, reverse("funding:grant_create"), {**data, field: value})
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert not Grant.objects.exists()


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_grant_form_preselection_that_is_not_an_id_is_ignored(client, convenor, value):
    client.force_login(convenor.person.user)
    response = get(client, reverse("funding:grant_create"), {"dialogue": value, "funder": value})
    assert response.status_code == 200 and not response.context["form"].initial


@pytest.mark.parametrize("digits", [20, 64, 65, 100, 1000])
def test_an_id_too_long_for_any_row_in_the_url_is_not_found(client, digits):
    workshop = WorkshopFactory()
    client.force_login(member(workshop.series.dialogue).user)
    huge = "9" * digits
    assert client.get(f"/dialogues/{huge}/").status_code == 404
    assert client.get(f"/dialogues/{workshop.series.dialogue_id}/workshops/{huge}/").status_code == 404


# --- no partial write: a refused button of the summary editor does not save the text on the screen either ---


@pytest.fixture
def editor(review):
    """A draft whose review round is over (so it may be sealed), and the rapporteur who writes it."""
    summary = summaries.close_review(summary=review.summary, by=review.rapporteur.user)
    named = PersonFactory(pseudonym="P-Named")
    dialogue_services.assign_role(
        dialogue=summary.workshop.series.dialogue,
        person=named,
        role=DialogueRole.PARTICIPANT,
        side=SideFactory(dialogue=summary.workshop.series.dialogue),
        by=None,
    )
    return SimpleNamespace(summary=summary, rapporteur=review.rapporteur, named=named)


@pytest.mark.parametrize(
    ("button", "extra"),
    [("summary_open_review", {"review_deadline": "2099-01-01T12:00"}), ("summary_seal", {})],
)
def test_editor_button_refused_for_a_named_member_saves_nothing(client, editor, button, extra):
    before = editor.summary.body
    typed = "## Next steps\n\nP-Named drafts the paper.\n"
    client.force_login(editor.rapporteur.user)
    url = reverse(f"dialogues:{button}", args=[editor.summary.workshop.series.dialogue_id, editor.summary.pk])
    response = post(client, url, {"body": typed, **extra})
    assert response.status_code == 400 and "P-Named" in response.content.decode()
    assert response.context["form"]["body"].value() == typed  # the text comes back as typed
    editor.summary.refresh_from_db()
    assert editor.summary.body == before and editor.summary.status == "draft"


# --- the review comment, the answer to it and the expense: every field, every hostile value ---

FIELD_HOSTILE = [
    *HOSTILE,
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "'; DROP TABLE dialogues_reviewcomment; --",
    "-1",
    "1e309",
    "NaN",
    "Mars/Olympus_Mons",
]


def each_hostile_value(client, url: str, valid: dict[str, str], count) -> int:
    """Post the form once per field and hostile value, the other fields valid, each in a savepoint rolled
    back afterwards. No 500, and a refused form (400) adds no row to `count()`. Returns how many were sent."""
    sent = 0
    for field in valid:
        for value in FIELD_HOSTILE:
            with transaction.atomic():
                before = count()
                response = post(client, url, {**valid, field: value})
                sent += 1
                assert response.status_code != 500, (field, value[:20])
                if response.status_code == 400:
                    assert count() == before, (field, value[:20])
                transaction.set_rollback(True)
    return sent


def test_review_comment_form_takes_any_value_without_500_or_partial_write(client, review):
    client.force_login(review.reviewer.user)
    url = reverse(
        "dialogues:summary_comment", args=[review.summary.workshop.series.dialogue_id, review.summary.pk]
    )
    valid = {"section": "", "body": "Say who drafts it.", "suggested_text": "The rapporteur drafts it."}
    assert each_hostile_value(client, url, valid, ReviewComment.objects.count) == 3 * len(FIELD_HOSTILE)


def test_answer_to_a_comment_takes_any_value_without_500_or_partial_write(client, review):
    client.force_login(review.rapporteur.user)
    valid = {"comment": str(review.comment.pk), "status": "answered", "response": "We will name a drafter."}
    answered = ReviewComment.objects.exclude(status=ReviewCommentStatus.OPEN).count
    assert each_hostile_value(client, review.url, valid, answered) == 3 * len(FIELD_HOSTILE)


def test_expense_form_takes_any_value_without_500_or_partial_write(client, convenor):
    grant = GrantFactory(dialogue=convenor.dialogue, status=GrantStatus.ACTIVE)
    client.force_login(convenor.person.user)
    valid = {"category": "travel", "amount": "250.00", "spent_on": "2026-06-01", "description": "Train"}
    url = reverse("funding:expense_add", args=[grant.pk])
    assert each_hostile_value(client, url, valid, Expense.objects.count) == 4 * len(FIELD_HOSTILE)
