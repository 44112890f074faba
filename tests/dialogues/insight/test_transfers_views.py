"""The outcome pages and the transfer pipeline page: who gets what, what a refused form says, what the
pages never show, the CSVs (audited), and a fixed number of queries whatever the number of outcomes."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.dialogues.helpers import pseudonym_in, shows
from tests.dialogues.insight.transfers_helpers import TODAY, build_road, travel
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def road():
    return build_road()


def _client(person):
    client = Client()
    client.force_login(person.user)
    return client


def _url(name, road, *args):
    return reverse(f"dialogues:{name}", args=[road.dialogue.pk, *args])


def test_pipeline_page_shows_the_funnel_the_quarters_and_pseudonyms_only(road):
    travel(road, "Hotline", stages=5, start=TODAY - dt.timedelta(days=200))
    travel(road, "Survey", stages=2, start=TODAY - dt.timedelta(days=100))

    response = _client(road.facilitator).get(_url("insight_transfers", road))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('role="img"') == 2 and "How far outcomes travelled" in page
    assert "Reflected in an official outcome" in page and pseudonym_in(road.dialogue, road.carrier) in page
    assert not shows(page, road.carrier.pseudonym)  # the account pseudonym (decision 0026)
    for secret in (road.carrier.name, "Secret dam release formula", "Hidden channel", road.secret.title):
        assert secret not in page
    assert AuditEvent.objects.filter(action=Action.VIEW, target_id=str(road.dialogue.pk)).exists()


def test_pipeline_page_is_the_missing_page_for_a_rapporteur_and_a_participant(road):
    for person in (road.rapporteur, road.carrier, road.other_convenor):
        assert _client(person).get(_url("insight_transfers", road)).status_code == 404
        assert _client(person).get(_url("insight_transfers_csv", road, "funnel")).status_code == 404


def test_pipeline_csv_is_formula_safe_and_audited(road):
    outcome = travel(road, "Hotline", stages=2, start=TODAY - dt.timedelta(days=200))
    outcome.title = "=cmd|' /C calc'!A0"  # as if written before titles were checked
    outcome.save(update_fields=["title"])
    client = _client(road.convenor)

    response = client.get(_url("insight_transfers_csv", road, "steps"))
    body = response.content.decode()

    assert response["Content-Disposition"] == 'attachment; filename="tidewater-transfers-steps.csv"'
    assert "'=cmd" in body and pseudonym_in(road.dialogue, road.carrier) in body
    assert road.carrier.name not in body and not shows(body, road.carrier.pseudonym)
    row = AuditEvent.objects.get(action=Action.INSIGHT_EXPORTED)
    assert row.detail == {"table": "transfers-steps"} and row.target_id == str(road.dialogue.pk)
    for table in ("funnel", "quarters"):
        assert client.get(_url("insight_transfers_csv", road, table)).status_code == 200
    assert client.get(_url("insight_transfers_csv", road, "people")).status_code == 404


def test_outcome_pages_for_the_team_a_rapporteur_reads_without_recording(road):
    outcome = travel(road, "Hotline", stages=2, start=TODAY - dt.timedelta(days=200))
    rapporteur = _client(road.rapporteur)

    assert "Hotline" in rapporteur.get(_url("outcome_list", road)).content.decode()
    page = rapporteur.get(_url("outcome_detail", road, outcome.pk)).content.decode()
    assert "Written up" in page and "Record the next stage" not in page
    assert rapporteur.get(_url("outcome_create", road)).status_code == 404
    assert rapporteur.post(_url("outcome_detail", road, outcome.pk), {}).status_code == 404
    assert _client(road.carrier).get(_url("outcome_list", road)).status_code == 404
    secret = reverse("dialogues:outcome_detail", args=[road.dialogue.pk, road.secret.pk])
    assert _client(road.convenor).get(secret).status_code == 404


def test_record_an_outcome_then_its_next_stage_through_the_pages(road):
    client = _client(road.facilitator)
    response = client.post(
        _url("outcome_create", road),
        {"title": "Joint survey", "kind": "new_option", "reached_on": "2026-11-01", "channel": "plenary"},
    )
    outcome = road.dialogue.outcomes.get()
    assert response.status_code == 302 and outcome.steps.get().reached_on == dt.date(2026, 11, 1)

    page = client.get(_url("outcome_detail", road, outcome.pk)).content.decode()
    assert "Record the next stage: written up" in page and pseudonym_in(road.dialogue, road.carrier) in page
    assert road.carrier.name not in page and not shows(page, road.other_convenor.pseudonym)
    assert not shows(page, road.carrier.pseudonym)
    response = client.post(
        _url("outcome_detail", road, outcome.pk),
        {
            "stage": "developed",
            "reached_on": "2026-11-15",
            "channel": "drafting pair",
            "carriers": [road.carrier.pk],
            "note": "<b>kept</b>",
        },
    )
    assert response.status_code == 302
    page = client.get(_url("outcome_detail", road, outcome.pk)).content.decode()
    assert "drafting pair" in page and "&lt;b&gt;kept&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("channel", "c" * 201, "Keep it to 200 characters"),
        ("channel", "brief\u202eing", "invisible control characters"),
        ("channel", "brief\x00ing", "Null characters are not allowed"),
        ("note", "n\u202e", "invisible control characters"),
        ("note", "n" * 2001, "Keep it to 2000 characters"),
        ("reached_on", "1899-12-31", "between 1900 and 2200"),
        ("reached_on", "2026-02-30", "Enter a valid date"),
        ("carriers", "999999", "Select a valid choice"),
        ("stage", "reflected", "record “written up” first"),
        ("reached_on", "2026-10-01", "or later"),
    ],
)
def test_the_next_stage_form_refuses_hostile_input_and_keeps_what_was_typed(road, field, value, message):
    outcome = travel(road, "Hotline", stages=1, start=dt.date(2026, 11, 1))
    data = {"stage": "developed", "reached_on": "2026-11-20", "channel": "drafting pair", "note": "kept"}

    response = _client(road.convenor).post(_url("outcome_detail", road, outcome.pk), data | {field: value})

    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert "There is a problem" in page and outcome.steps.count() == 1
    if field != "channel":
        assert 'value="drafting pair"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Give the title"),
        ("title", "t" * 201, "Keep it to 200 characters"),
        ("title", "Hot\u202eline", "invisible control characters"),
        ("kind", "<script>", "Select a valid choice"),
        ("workshop", "999999", "Select a valid choice"),
        ("transfer_to", "Ministry\x00", "Null characters are not allowed"),
        ("description", "d\u202e", "invisible control characters"),
    ],
)
def test_the_outcome_form_refuses_hostile_input(road, field, value, message):
    data = {"title": "Joint survey", "kind": "new_option", "reached_on": "2026-11-01"}

    response = _client(road.convenor).post(_url("outcome_create", road), data | {field: value})

    assert response.status_code == 400 and message in response.content.decode()
    assert not road.dialogue.outcomes.exists()


def test_a_transfer_needs_its_recipient_next_to_the_field(road):
    response = _client(road.convenor).post(
        _url("outcome_create", road), {"title": "Hotline", "kind": "transfer", "reached_on": "2026-11-01"}
    )

    assert response.status_code == 400 and "to whom in official diplomacy" in response.content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_pages_run_the_same_queries_whatever_the_number_of_outcomes(road, django_assert_num_queries, count):
    outcomes = [
        travel(road, f"Outcome {n}", stages=1 + n % 5, start=TODAY - dt.timedelta(days=250 - n))
        for n in range(count)
    ]
    client = _client(road.convenor)
    client.get(_url("insight_transfers", road))  # warm the per-process caches
    # session, user, access, dialogue + its audit row, funnel, quarters, steps + their carriers
    with django_assert_num_queries(9):
        assert client.get(_url("insight_transfers", road)).status_code == 200
    # session, user, dialogue + audit, access, outcomes
    with django_assert_num_queries(6):
        assert client.get(_url("outcome_list", road)).status_code == 200
    # session, user, access, dialogue + audit, outcome + audit, steps + carriers, the members who may carry it
    with django_assert_num_queries(10):
        assert client.get(_url("outcome_detail", road, outcomes[-1].pk)).status_code == 200
    # the pipeline page's queries and the export's audit row, in the service's transaction (a savepoint and
    # its release)
    with django_assert_num_queries(12):
        assert client.get(_url("insight_transfers_csv", road, "steps")).status_code == 200
