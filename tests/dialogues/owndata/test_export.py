"""A person's own data (issue 23): the page and the JSON download show everything Trackii holds about the
signed-in person and nothing about anyone else; both are audited; "own" is the request's user only."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from dialogues.owndata import selectors
from participants.models import CutOff, PersonName
from tests.dialogues.owndata.conftest import client_of
from tests.factories import (
    DialogueFactory,
    InvitationFactory,
    MembershipFactory,
    PersonFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PAGE, EXPORT = reverse("dialogues:own_data"), reverse("dialogues:own_data_export")
OTHERS = ["Omar", "Омар", "Ingrid", "Bashir", "Secret Bureau", "travel secret"]


def test_page_shows_everything_held_about_the_person(world):
    page = client_of(world.amira).get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    for held in [
        "Amira Haddad",
        "amira.contact@example.org",
        "+47 555 0101",
        "Harbour Institute",
        "أميرة حداد",
        "tidewater",
        "lanternfield",
        "North",
        "Amira can come after noon",
        "Amira&#x27;s own remark",
        "amira@example.org",
    ]:
        assert held in text, held
    copy = world.sealed.copies.get(holder=world.amira)
    assert copy.copy_code in text
    assert reverse("dialogues:summary_download", args=[world.a.pk, world.sealed.pk]) in text
    # The Third Party's notes are said to exist, never shown.
    assert "met the minister" not in text and "confidential notes about you" in text


def test_page_and_file_say_nothing_about_other_people(world):
    client = client_of(world.amira)
    page, file = client.get(PAGE).content.decode(), client.get(EXPORT).content.decode()
    for other in OTHERS:
        assert other not in page, other
        assert other not in file, other
    assert world.sealed.copies.get(holder=world.omar).copy_code not in page + file


def test_json_download_has_stable_keys_iso_dates_and_a_neutral_name(world):
    response = client_of(world.amira).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="trackii-your-data.json"'
    assert response["Cache-Control"] == "private, no-store"
    document = json.loads(response.content.decode("utf-8"))
    assert list(document) == [
        "format",
        "version",
        "exported_at",
        *selectors.OwnData.SECTIONS,
        "notes_held",
    ]
    assert document["format"] == "trackii-own-data" and document["version"] == 1
    assert document["profile"]["name"] == "Amira Haddad"
    assert "أميرة حداد".encode() in response.content  # UTF-8 as is, not \u escapes
    assert document["notes_held"] is True and "notes" not in document["profile"]
    assert [m["dialogue"] for m in document["memberships"]] == ["tidewater", "lanternfield"]
    membership = document["memberships"][0]
    assert set(membership) >= {"side", "role", "joined_on", "left_on", "ground_rules_accepted_at"}
    assert dt.date.fromisoformat(membership["joined_on"])
    invitations = {i["workshop"]: i for i in document["invitations"]}
    assert invitations[2]["availability_note"] == "Amira can come after noon"
    assert dt.datetime.fromisoformat(invitations[2]["starts_at"]).tzinfo is not None
    assert [c["comment"] for c in document["review_comments"]] == ["Amira's own remark"]
    assert [c["copy_code"] for c in document["summary_copies"]] == [
        world.sealed.copies.get(holder=world.amira).copy_code
    ]
    assert "download" not in document["summary_copies"][0]
    assert document["login"] == {
        "email": "amira@example.org",
        "language": "",
        "time_zone": "UTC",
        "two_step_login": False,
        "calendar_feed": True,
        "created_at": document["login"]["created_at"],
    }


def test_reading_and_downloading_are_audited(world):
    client = client_of(world.amira)
    client.get(PAGE)
    client.get(EXPORT)
    rows = AuditEvent.objects.filter(target_type="participants.person", target_id=str(world.amira.pk))
    assert rows.filter(action=Action.OWN_DATA_VIEWED, actor_id=world.amira.user_id).count() == 1
    exported = rows.get(action=Action.OWN_DATA_EXPORTED)
    assert exported.detail == {"format": "json"}


def test_anonymous_is_sent_to_log_in_and_a_login_without_person_gets_404(world):
    assert Client().get(PAGE).status_code == 302
    assert Client().get(EXPORT).status_code == 302
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    assert staff.get(PAGE).status_code == 404
    assert staff.get(EXPORT).status_code == 404
    assert AuditEvent.objects.filter(action=Action.DENIED, detail__attempted="own data").exists()


def test_own_is_the_signed_in_user_whatever_the_query_string(world):
    omar = client_of(world.omar).get(PAGE + f"?person={world.amira.pk}").content.decode()
    assert "Omar Lindqvist" in omar and "Amira" not in omar


def test_cut_offs_show_dates_never_the_reason(world):
    CutOff.objects.create(
        person=world.amira,
        dialogue=world.a,
        reason="Her phone was taken at the border",
        cut_off_by=world.convenor_a.user,
        cut_off_at=world.held.starts_at,
        restored_at=world.held.ends_at,
        restored_by=world.convenor_a.user,
    )
    client = client_of(world.amira)
    page, file = client.get(PAGE).content.decode(), client.get(EXPORT).content.decode()
    assert "Times your access was paused" in page and "border" not in page + file
    assert json.loads(file)["cut_offs"][0]["dialogue"] == "tidewater"


def _person_with(rows: int):
    person = PersonFactory(user=UserFactory())
    for n in range(rows):
        dialogue = DialogueFactory(codename=f"dialogue-{n}")
        MembershipFactory(person=person, dialogue=dialogue, side=SideFactory(dialogue=dialogue))
        InvitationFactory(person=person, workshop=WorkshopFactory(series__dialogue=dialogue))
        PersonName.objects.create(person=person, recorded_in=dialogue, name=f"Form {n}", script="Latin")
    return person


@pytest.mark.parametrize("rows", [1, 4])
def test_page_query_count_is_constant_in_rows(client, django_assert_num_queries, rows):
    person = _person_with(rows)
    client.force_login(person.user)
    client.get(PAGE)  # the session's first read
    with django_assert_num_queries(QUERIES):
        assert client.get(PAGE).status_code == 200


QUERIES = 17
