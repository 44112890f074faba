"""The insight hub and the composition page: for a dialogue's convenors and facilitators only, every read and
download audited, nobody named, a constant number of queries."""

import csv
import io

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole
from dialogues.insight.services import PROGRAMME
from dialogues.permissions import dialogue_access, insight_dialogues
from participants.enums import Proximity
from participants.models import Person
from tests.dialogues.helpers import member, two_sided
from tests.dialogues.insight.helpers import held_workshop
from tests.factories import PersonFactory, SeriesFactory, SideFactory, UserFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _urls(dialogue, table="balance"):
    return [
        reverse("dialogues:insight", args=[dialogue.pk]),
        reverse("dialogues:insight_composition", args=[dialogue.pk]),
        reverse("dialogues:insight_composition_csv", args=[dialogue.pk, table]),
    ]


def test_hub_explains_and_links_every_insight_view(client, composed):
    dialogue = composed["dialogue"]
    client.force_login(composed["convenor"].user)
    page = client.get(reverse("dialogues:insight", args=[dialogue.pk])).content.decode()
    for path in ("composition", "continuity", "ripeness", "transfers"):
        assert f'href="/dialogues/{dialogue.pk}/insight/{path}/"' in page
    assert "convenors and facilitators only" in page
    assert AuditEvent.objects.filter(
        action=Action.VIEW, actor=composed["convenor"].user, target_id=str(dialogue.pk)
    ).exists()


def test_composition_page_reads_and_draws_without_naming_anyone(client, composed):
    dialogue = composed["dialogue"]
    composed["south"].name = "<b>South</b>"  # a side's name is the facilitators' own text: escaped everywhere
    composed["south"].save()
    client.force_login(composed["convenor"].user)
    response = client.get(reverse("dialogues:insight_composition", args=[dialogue.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Serving officials hold most of North&#x27;s seats: 4 of 5 across 2 workshops." in page
    assert page.count('<svg class="chart"') == 5  # North, South, outside the sides, balance, roster
    assert reverse("dialogues:insight_composition_csv", args=[dialogue.pk, "balance"]) in page
    for person in Person.objects.all():
        assert person.pseudonym not in page and person.name not in page
    assert "lanternfield" not in page
    assert "<b>" not in page and "&lt;b&gt;South&lt;/b&gt; has had no serving officials" in page


def test_composition_csv_is_the_table_audited_and_formula_safe(client, composed):
    dialogue = composed["dialogue"]
    composed["north"].name = "=HYPERLINK(1)"
    composed["north"].save()
    client.force_login(composed["convenor"].user)
    response = client.get(reverse("dialogues:insight_composition_csv", args=[dialogue.pk, "balance"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tidewater-composition-balance.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Workshop", "'=HYPERLINK(1)", "South", "Outside the sides"],
        ["Workshop 1", "4", "1", "1"],
        ["Workshop 2", "1", "2", "0"],
    ]
    row = AuditEvent.objects.get(action=Action.INSIGHT_EXPORTED)
    assert (row.actor_id, row.target_id, row.detail) == (
        composed["convenor"].user.pk,
        str(dialogue.pk),
        {"table": "balance"},
    )


def test_composition_csv_of_each_side_and_the_roster(client, composed):
    dialogue = composed["dialogue"]
    client.force_login(composed["convenor"].user)
    for table in (f"side-{composed['south'].pk}", "side-outside", "roster"):
        response = client.get(reverse("dialogues:insight_composition_csv", args=[dialogue.pk, table]))
        assert response.status_code == 200, table
    assert AuditEvent.objects.filter(action=Action.INSIGHT_EXPORTED).count() == 3


def test_insight_csvs_answer_get_only_so_that_a_head_writes_no_export_row(client, composed):
    dialogue = composed["dialogue"]
    client.force_login(composed["convenor"].user)
    for url in (
        reverse("dialogues:insight_composition_csv", args=[dialogue.pk, "roster"]),
        reverse("dialogues:insight_continuity_csv", args=[dialogue.pk, "workshops"]),
        reverse("dialogues:insight_transfers_csv", args=[dialogue.pk, "funnel"]),
        reverse("dialogues:insight_ripeness_csv", args=[dialogue.pk]),
        reverse("dialogues:programme_insight_csv", args=["newcomers"]),
    ):
        assert client.head(url).status_code == 405, url
    assert not AuditEvent.objects.filter(action=Action.INSIGHT_EXPORTED).exists()


def test_composition_csv_of_no_such_table_is_missing_and_not_exported(client, composed):
    dialogue = composed["dialogue"]
    client.force_login(composed["convenor"].user)
    other_side = SideFactory(dialogue=composed["other"])
    for table in (f"side-{other_side.pk}", "side-999999", "nonsense"):
        url = reverse("dialogues:insight_composition_csv", args=[dialogue.pk, table])
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.INSIGHT_EXPORTED).exists()
    assert AuditEvent.objects.filter(action=Action.DENIED, target_type="insight.table").count() == 3


@pytest.mark.parametrize("role", [DialogueRole.RAPPORTEUR, DialogueRole.PARTICIPANT, DialogueRole.FUNDER])
def test_insight_is_missing_for_roles_without_roster_and_aggregates(client, composed, role):
    dialogue = composed["dialogue"]
    someone = member(dialogue, composed["north"] if role == DialogueRole.PARTICIPANT else None, role=role)
    client.force_login(someone.user)
    for url in _urls(dialogue):
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(action=Action.INSIGHT_EXPORTED).exists()


def test_insight_is_not_break_glass_reading(client, composed):
    dialogue = composed["dialogue"]
    admin = UserFactory(is_staff=True, is_superuser=True)
    services.grant_break_glass(
        by=admin, dialogue=dialogue, reason="A participant is missing and we need the roster.", minutes=60
    )
    client.force_login(admin)
    assert client.get(reverse("dialogues:dialogue_detail", args=[dialogue.pk])).status_code == 200
    for url in _urls(dialogue):
        assert client.get(url).status_code == 404, url


def test_facilitator_of_another_dialogue_gets_the_missing_page(client, composed):
    outsider = member(composed["other"], role=DialogueRole.CONVENOR)
    client.force_login(outsider.user)
    for url in _urls(composed["dialogue"]):
        assert client.get(url).status_code == 404, url


def test_dashboard_links_the_hub_for_those_who_may_see_it(client, composed):
    dialogue = composed["dialogue"]
    hub = reverse("dialogues:insight", args=[dialogue.pk])
    dashboard = reverse("dialogues:dashboard", args=[dialogue.pk])
    client.force_login(composed["convenor"].user)
    assert hub in client.get(dashboard).content.decode()
    rapporteur = member(dialogue, role=DialogueRole.RAPPORTEUR)
    client.force_login(rapporteur.user)
    response = client.get(dashboard)
    assert response.status_code == 200 and hub not in response.content.decode()


def _world(count: int):
    dialogue, north, south = two_sided()
    convenor = member(dialogue, role=DialogueRole.CONVENOR)
    series = SeriesFactory(dialogue=dialogue)
    for n in range(1, count + 1):
        people = [
            member(dialogue, north, proximity=Proximity.SERVING_OFFICIAL),
            member(dialogue, south, proximity=Proximity.ACADEMIC),
            member(dialogue, role=DialogueRole.OBSERVER),
        ]
        held_workshop(series, n, attended=people)
    return dialogue, convenor


@pytest.mark.parametrize("count", [1, 6])
def test_insight_pages_query_counts_do_not_grow_with_workshops(client, django_assert_num_queries, count):
    dialogue, convenor = _world(count)
    client.force_login(convenor.user)
    hub, page, csv_url = _urls(dialogue, "roster")
    client.get(hub)  # warm the per-process caches (content types)
    # session, user, access, dialogue, audit
    with django_assert_num_queries(5):
        assert client.get(hub).status_code == 200
    # ... and the sides, the held workshops, their seats (one GROUP BY), the roster (one GROUP BY)
    with django_assert_num_queries(9):
        response = client.get(page)
    assert response.content.decode().count("Workshop ") >= count
    # ... and the export's audit row, in the service's transaction (a savepoint and its release)
    with django_assert_num_queries(12):
        assert client.get(csv_url).status_code == 200


def _funders_officer(dialogue, user):
    person = PersonFactory(user=user)
    services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.FUNDER, by=None)
    return person


def _counted_on_the_programme_page(client) -> int:
    assert client.get(reverse("dialogues:programme_insight")).status_code == 200
    return (
        AuditEvent.objects.filter(action=Action.VIEW, target_type=PROGRAMME).latest("id").detail["dialogues"]
    )


def test_a_rapporteur_who_is_also_the_funders_officer_sees_no_insight(client, composed):
    # Roster (rapporteur) and aggregates (funder) together are not insight: that takes manage_dialogue.
    dialogue = composed["dialogue"]
    rapporteur = member(dialogue, role=DialogueRole.RAPPORTEUR)
    services.assign_role(dialogue=dialogue, person=rapporteur, role=DialogueRole.FUNDER, by=None)
    # ... and convenor of another dialogue, so that the programme page opens: it counts that one only.
    services.assign_role(dialogue=composed["other"], person=rapporteur, role=DialogueRole.CONVENOR, by=None)
    client.force_login(rapporteur.user)

    for url in _urls(dialogue):
        assert client.get(url).status_code == 404, url
    assert insight_dialogues(dialogue_access(rapporteur.user)) == [composed["other"].pk]
    assert _counted_on_the_programme_page(client) == 1


def test_a_break_glass_superuser_who_is_also_the_funders_officer_sees_no_insight(client, composed):
    dialogue = composed["dialogue"]
    admin = UserFactory(is_staff=True, is_superuser=True)
    _funders_officer(dialogue, admin)
    services.grant_break_glass(by=admin, dialogue=dialogue, reason="A participant is missing.", minutes=60)
    client.force_login(admin)

    assert client.get(reverse("dialogues:dialogue_detail", args=[dialogue.pk])).status_code == 200
    for url in _urls(dialogue):
        assert client.get(url).status_code == 404, url
    assert insight_dialogues(dialogue_access(admin)) == []
    assert client.get(reverse("dialogues:programme_insight")).status_code == 404
