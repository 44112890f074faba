"""The continuity page and its CSV: for the dialogue's convenors and facilitators, pseudonyms only, audited,
formula-safe, a constant number of queries."""

import csv
import io

import pytest
from django.urls import reverse

from dialogues.enums import DialogueRole
from tests.dialogues.helpers import member
from tests.dialogues.insight.helpers import called, held, people
from tests.factories import DialogueFactory, SeriesFactory
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _setting(workshops: int = 3, title: str = "Phase one"):
    dialogue = DialogueFactory(codename="tidewater")
    series = SeriesFactory(dialogue=dialogue, title=title)
    crowd = people(10)
    for n in range(workshops):
        held(series, 100 - n * 10, crowd[n : n + 5], number=n + 1)
    return dialogue, member(dialogue, role=DialogueRole.CONVENOR)


def _url(dialogue, table=None):
    if table is None:
        return reverse("dialogues:insight_continuity", args=[dialogue.pk])
    return reverse("dialogues:insight_continuity_csv", args=[dialogue.pk, table])


def test_continuity_page_shows_the_tables_charts_and_reading_by_pseudonym(client):
    dialogue, convenor = _setting()
    client.force_login(convenor.user)

    response = client.get(_url(dialogue))

    body = response.content.decode()
    crowd = [m.person for m in dialogue.memberships.select_related("person").order_by("person_id")]
    (first,), (second,) = called(dialogue, crowd[0]), called(dialogue, crowd[1])
    assert response.status_code == 200
    assert body.count('<svg class="chart"') == 2
    assert "3 of the 5 attendees of the first workshop (W1) were at the latest (W3)." in body
    assert f"{first} has not attended since W1." in body
    assert f"{second} has not attended since W2." in body
    assert "P-1 " not in body and "P-2 " not in body  # never the account pseudonyms (decision 0026)
    assert "Secretname" not in body and "Fjordhaven" not in body
    assert AuditEvent.objects.filter(action="view", target_type="dialogues.dialogue").exists()


def test_continuity_page_of_a_dialogue_without_held_workshops_says_so(client):
    dialogue, convenor = _setting(workshops=0)
    client.force_login(convenor.user)

    body = client.get(_url(dialogue)).content.decode()

    assert "No workshop of this dialogue has its attendance recorded yet." in body
    assert "<svg" not in body.split("<main", 1)[-1]


@pytest.mark.parametrize("role", [DialogueRole.RAPPORTEUR, DialogueRole.PARTICIPANT, DialogueRole.FUNDER])
def test_continuity_is_the_missing_page_for_other_roles(client, role):
    dialogue, _ = _setting()
    client.force_login(member(dialogue, role=role).user)

    assert client.get(_url(dialogue)).status_code == 404
    assert client.get(_url(dialogue, "workshops")).status_code == 404
    assert not AuditEvent.objects.filter(action="insight_exported").exists()
    assert AuditEvent.objects.filter(action="denied").count() == 2


@pytest.mark.parametrize("workshops", [1, 8])
def test_continuity_page_makes_a_constant_number_of_queries(client, django_assert_num_queries, workshops):
    dialogue, convenor = _setting(workshops=workshops)
    client.force_login(convenor.user)
    client.get(_url(dialogue))  # the session's first request reads what a later one does not

    with django_assert_num_queries(6):
        assert client.get(_url(dialogue)).status_code == 200


@pytest.mark.parametrize("table", ["workshops", "retention", "newcomers", "lapsed"])
def test_continuity_csv_downloads_each_table_audited(client, table):
    dialogue, convenor = _setting()
    client.force_login(convenor.user)

    response = client.get(_url(dialogue, table))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="tidewater-continuity-{table}.csv"' in response["Content-Disposition"]
    assert "Secretname" not in response.content.decode()
    event = AuditEvent.objects.get(action="insight_exported")
    assert (event.actor_id, event.target_type, event.target_id) == (
        convenor.user.pk,
        "dialogues.dialogue",
        str(dialogue.pk),
    )
    assert event.detail == {"table": f"continuity-{table}"}


def test_continuity_csv_is_formula_safe(client):
    dialogue, convenor = _setting(title='=HYPERLINK("http://evil.example")')
    client.force_login(convenor.user)

    rows = list(csv.reader(io.StringIO(client.get(_url(dialogue, "workshops")).content.decode())))

    assert rows[1][0].startswith("'=HYPERLINK")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_continuity_csv_of_an_unknown_or_empty_table_is_the_missing_page(client):
    dialogue, convenor = _setting(workshops=1)
    client.force_login(convenor.user)

    assert client.get(_url(dialogue, "people")).status_code == 404
    assert client.get(_url(dialogue, "retention")).status_code == 404  # one workshop: no retention yet
    assert not AuditEvent.objects.filter(action="insight_exported").exists()
