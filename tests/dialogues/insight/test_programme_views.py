import csv
import io

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.insight.views.programme import TABLES
from tests.dialogues.insight.programme_world import hidden_dialogue, programme
from tests.factories import DialogueFactory, PersonFactory, SideFactory, ThirdPartyFactory, UserFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PAGE = reverse("dialogues:programme_insight")


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def _called(world) -> str:
    p1 = world.people[1]
    return ", ".join(
        f"{p1.memberships.get(dialogue=d).pseudonym} ({d.codename})" for d in (world.d1, world.d3)
    )


def test_page_shows_each_figure_with_its_reading_and_pseudonyms_only(client):
    world = programme()
    hidden_dialogue(world)
    client.force_login(world.viewer.user)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Usual suspects", "Newcomers per quarter", "People in many dialogues", "serving officials"):
        assert title in page
    assert page.count('<svg class="chart"') == 5
    assert "Counted over the <strong>3 dialogues</strong>" in page
    # p1, in all three, by their pseudonyms in alpha and charlie, which the viewer convenes (decision 0026)
    assert _called(world) in page and "zulu-secret" not in page
    assert "P-01" not in page  # the account pseudonym
    assert "Testperson" not in page  # no names
    assert "the most frequent 2 of 12 people held 5 of 15 attended seats (33 %)" in page
    row = AuditEvent.objects.get(action=Action.VIEW, target_type="dialogues.programme_insight")
    assert row.actor_id == world.viewer.user_id and row.detail == {"dialogues": 3} and row.dialogue_id is None


def test_home_links_the_page_for_convenors_only(client):
    world = programme()
    client.force_login(world.viewer.user)
    assert PAGE in client.get(reverse("home")).content.decode()
    dialogue = DialogueFactory()
    participant = PersonFactory(user=UserFactory())
    services.assign_role(
        dialogue=dialogue,
        person=participant,
        role=DialogueRole.PARTICIPANT,
        side=SideFactory(dialogue=dialogue),
        by=None,
    )
    client.force_login(participant.user)
    assert PAGE not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", [DialogueRole.PARTICIPANT, DialogueRole.RAPPORTEUR, DialogueRole.FUNDER])
def test_others_get_the_ordinary_404_audited_as_denied(client, role):
    dialogue = DialogueFactory()
    person = PersonFactory(user=UserFactory())
    side = SideFactory(dialogue=dialogue) if role == DialogueRole.PARTICIPANT else None
    services.assign_role(dialogue=dialogue, person=person, role=role, side=side, by=None)
    client.force_login(person.user)
    assert client.get(PAGE).status_code == 404
    assert client.get(reverse("dialogues:programme_insight_csv", args=["newcomers"])).status_code == 404
    assert AuditEvent.objects.filter(action=Action.DENIED, actor_id=person.user_id).count() == 2


def test_each_table_downloads_as_csv_audited_without_a_dialogue_target(client):
    world = programme()
    hidden_dialogue(world)
    client.force_login(world.viewer.user)
    for table in TABLES:
        response = client.get(reverse("dialogues:programme_insight_csv", args=[table]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert f"programme-{table}.csv" in response["Content-Disposition"]
        row = AuditEvent.objects.filter(action=Action.INSIGHT_EXPORTED).latest("id")
        assert row.detail == {"table": table, "dialogues": 3} and row.dialogue_id is None
    people = _csv(client.get(reverse("dialogues:programme_insight_csv", args=["people-in-many"])))
    assert people == [["Pseudonym", "Dialogues"], [_called(world), "3"]]
    sides = _csv(client.get(reverse("dialogues:programme_insight_csv", args=["official-sides"])))
    assert sides[1:] == [["alpha", "South", "6", "5", "83.3"]]


def test_an_unknown_table_is_the_ordinary_404(client):
    world = programme()
    client.force_login(world.viewer.user)
    assert client.get(reverse("dialogues:programme_insight_csv", args=["passwords"])).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.INSIGHT_EXPORTED).exists()


def _second_third_party(world):
    other = ThirdPartyFactory(name="Oslo Forum for Talks")
    world.d3.third_party = other
    world.d3.save()
    stranger = DialogueFactory(third_party=ThirdPartyFactory(name="Not yours"))
    return other, stranger


def test_third_party_filter_only_with_several_and_counts_only_the_chosen_one(client):
    world = programme()
    client.force_login(world.viewer.user)
    assert 'name="third_party"' not in client.get(PAGE).content.decode()
    other, _ = _second_third_party(world)
    page = client.get(PAGE).content.decode()
    assert 'name="third_party"' in page and "Oslo Forum for Talks (1 dialogue)" in page
    page = client.get(PAGE, {"third_party": other.pk}).content.decode()
    assert "Counted over the <strong>1 dialogue</strong>" in page
    assert f"?third_party={other.pk}" in page  # the CSV links keep the filter
    response = client.get(
        reverse("dialogues:programme_insight_csv", args=["people-in-many"]), {"third_party": other.pk}
    )
    assert _csv(response) == [["Pseudonym", "Dialogues"]]
    assert AuditEvent.objects.filter(action=Action.INSIGHT_EXPORTED).latest("id").detail["dialogues"] == 1


@pytest.mark.parametrize(
    "value", ["\u202e1", "1\x00", "<script>alert(1)</script>", "=1+1", "9" * 500, "-1", "1.5", "stranger"]
)
def test_hostile_third_party_values_are_refused_with_a_message_and_all_dialogues_shown(client, value):
    world = programme()
    _, stranger = _second_third_party(world)
    client.force_login(world.viewer.user)
    if value == "stranger":  # a Third Party that exists but is not the viewer's
        value = str(stranger.third_party_id)
    response = client.get(PAGE, {"third_party": value})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of the Third Parties in the list, or all of them." in page
    assert "Counted over the <strong>3 dialogues</strong>" in page
    assert "<script>alert(1)</script>" not in page


def _viewer_of(count: int):
    """At 1: the viewer convenes one empty dialogue. At more: the hand-made programme (3 dialogues with
    seats, members and outcomes), a dialogue they only take part in, and `count` more they convene."""
    if count == 1:
        viewer = PersonFactory(user=UserFactory())
        services.assign_role(dialogue=DialogueFactory(), person=viewer, role=DialogueRole.CONVENOR, by=None)
        return viewer
    world = programme()
    hidden_dialogue(world)
    for _ in range(count):
        services.assign_role(
            dialogue=DialogueFactory(), person=world.viewer, role=DialogueRole.CONVENOR, by=None
        )
    return world.viewer


@pytest.mark.parametrize("count", [1, 4])
def test_query_count_does_not_grow_with_dialogues(client, django_assert_num_queries, count):
    viewer = _viewer_of(count)
    client.force_login(viewer.user)
    client.get(PAGE)  # warm the per-process caches
    # session, user, access, Third Parties, audit (one statement), spread (counts, pseudonyms), usual
    # suspects, newcomers, officials, funnel
    with django_assert_num_queries(11):
        assert client.get(PAGE).status_code == 200
    # session, user, access, Third Parties, audit, the table's own query
    with django_assert_num_queries(6):
        assert client.get(reverse("dialogues:programme_insight_csv", args=["newcomers"])).status_code == 200
