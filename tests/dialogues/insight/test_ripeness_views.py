"""The ripeness log's pages: who sees and keeps it (everyone else gets the ordinary 404), the timeline and
the entries, adding, editing and deleting after asking, hostile input refused with nothing written, the CSV
audited and formula-safe, and a constant number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole, RipenessKind
from dialogues.insight.ripeness import services
from dialogues.models import RipenessEntry
from participants.models import Facilitator
from tests.dialogues.insight.ripeness_team import NAME, SERIES_TITLE, VENUE, team
from tests.factories import PersonFactory, UserFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.confirmation import CONFIRM_FIELD, CONFIRM_VALUE
from trackii.inputs import HIDDEN_CHARACTERS_MESSAGE

pytestmark = pytest.mark.django_db

WORDS = "Ministers met in Fjordhaven: first round since the strikes"


@pytest.fixture
def place():
    return team()


def _client(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def _entry(place, *, days_ago=30, kind=RipenessKind.TALKS_OPENED, text=WORDS, dialogue=None):
    return services.add_ripeness_entry(
        dialogue=dialogue or place.dialogue,
        occurred_on=timezone.localdate() - dt.timedelta(days=days_ago),
        kind=kind,
        text=text,
        by=place.facilitator.user,
    )


def _url(name, place, **kwargs):
    return reverse(f"dialogues:{name}", kwargs={"dialogue_id": place.dialogue.pk, **kwargs})


def test_page_shows_the_timeline_and_entries_newest_first_to_the_facilitation_team(place):
    _entry(place, days_ago=90, kind=RipenessKind.TALKS_OPENED, text="Talks opened at the forum")
    _entry(place, days_ago=10, kind=RipenessKind.CEASEFIRE, text="A ceasefire <b>held</b>")
    for person in (place.convenor, place.facilitator):
        response = _client(person).get(_url("insight_ripeness", place))
        assert response.status_code == 200
        body = response.content.decode()
        assert '<svg class="chart"' in body and 'role="img"' in body
        assert "series 1 · workshop 1" in body and "series 1 · workshop 2" in body
        assert body.index("A ceasefire &lt;b&gt;held&lt;/b&gt;") < body.index("Talks opened at the forum")
        assert "Official process" in body and "Ceasefire" in body
        assert 'action="' + _url("insight_ripeness_new", place) in body
        for secret in (NAME, VENUE, SERIES_TITLE, place.participant.email):
            assert secret not in body


def test_page_counts_only_workshops_not_cancelled(place):
    body = _client(place.convenor).get(_url("insight_ripeness", place)).content.decode()
    assert "2 workshops and 0 events of the official process" in body


def test_page_without_workshops_or_entries_says_so(place):
    response = _client(place.other_convenor).get(
        reverse("dialogues:insight_ripeness", kwargs={"dialogue_id": place.other.pk})
    )
    assert response.status_code == 200
    assert "Nothing to draw yet" in response.content.decode()


@pytest.mark.parametrize("who", ["rapporteur", "participant", "funder", "other_convenor"])
def test_page_is_the_ordinary_404_for_anyone_but_the_facilitation_team(place, who):
    entry = _entry(place)
    client = _client(getattr(place, who))
    for name, kwargs in (
        ("insight_ripeness", {}),
        ("insight_ripeness_csv", {}),
        ("insight_ripeness_new", {}),
        ("insight_ripeness_edit", {"entry_id": entry.pk}),
        ("insight_ripeness_delete", {"entry_id": entry.pk}),
    ):
        assert client.get(_url(name, place, **kwargs)).status_code == 404, name
    response = client.post(
        _url("insight_ripeness_new", place), {"occurred_on": "2026-01-01", "kind": "election", "text": "x"}
    )
    assert response.status_code == 404
    assert RipenessEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=getattr(place, who).user).exists()


def test_a_rapporteur_who_is_also_the_funders_officer_gets_the_ordinary_404(place):
    # Roster and aggregates together, but not manage_dialogue: insight is not theirs, the log neither.
    dialogue_services.assign_role(
        dialogue=place.dialogue, person=place.rapporteur, role=DialogueRole.FUNDER, by=None
    )
    _entry(place)
    client = _client(place.rapporteur)
    assert client.get(_url("insight_ripeness", place)).status_code == 404
    assert client.post(_url("insight_ripeness_new", place), {}).status_code == 404


def test_an_entry_of_another_dialogue_is_the_ordinary_404(place):
    theirs = _entry(place, dialogue=place.other)
    client = _client(place.convenor)
    for name in ("insight_ripeness_edit", "insight_ripeness_delete"):
        assert client.get(_url(name, place, entry_id=theirs.pk)).status_code == 404
        assert (
            client.post(_url(name, place, entry_id=theirs.pk), {CONFIRM_FIELD: CONFIRM_VALUE}).status_code
            == 404
        )
    assert RipenessEntry.objects.filter(pk=theirs.pk).exists()


def test_adding_an_entry_redirects_to_the_log(place):
    response = _client(place.facilitator).post(
        _url("insight_ripeness_new", place),
        {"occurred_on": "2026-02-01", "kind": "election", "text": "  Snap election called\r\n"},
    )
    assert response.status_code == 302 and response["Location"] == _url("insight_ripeness", place)
    entry = RipenessEntry.objects.get()
    assert (entry.occurred_on, entry.kind, entry.text) == (
        dt.date(2026, 2, 1),
        "election",
        "Snap election called",
    )
    assert AuditEvent.objects.filter(action=Action.RIPENESS_ENTRY_ADDED, target_id=str(entry.pk)).exists()


def test_new_by_get_leads_to_the_form_on_the_log(place):
    response = _client(place.convenor).get(_url("insight_ripeness_new", place))
    assert response.status_code == 302 and response["Location"].endswith("#add-entry")


HOSTILE = [
    ({"text": "x" * 2001}, "text", "Keep it to 2000 characters (this has 2001)."),
    ({"text": "x" * 100_000}, "text", "Keep it to 2000 characters (this has 100000)."),
    ({"text": "Talks \u202egol.exe"}, "text", HIDDEN_CHARACTERS_MESSAGE),
    ({"text": "Talks\x00opened"}, "text", "Null characters are not allowed."),
    ({"text": "Talks\x07opened"}, "text", HIDDEN_CHARACTERS_MESSAGE),
    ({"text": "   "}, "text", "Say in a sentence or two what happened."),
    ({"occurred_on": "1944-12-31"}, "occurred_on", "Give a date from 1945 onwards."),
    ({"occurred_on": "9999-12-31"}, "occurred_on", "Give a date between 1900 and 2200."),
    ({"occurred_on": "0001-01-01"}, "occurred_on", "Give a date between 1900 and 2200."),
    ({"occurred_on": "²⁰²⁶-01-01"}, "occurred_on", "Give a date, such as 2026-03-14."),
    ({"occurred_on": "\x00"}, "occurred_on", "Give a date, such as 2026-03-14."),
    ({"occurred_on": "=1+1"}, "occurred_on", "Give a date, such as 2026-03-14."),
    ({"kind": "coup"}, "kind", "Choose what happened from the list."),
    ({"kind": "<script>"}, "kind", "Choose what happened from the list."),
    ({"kind": ""}, "kind", "Choose what happened."),
]


@pytest.mark.parametrize(("change", "field", "message"), HOSTILE)
def test_hostile_values_are_refused_next_to_their_field_and_nothing_is_written(place, change, field, message):
    data = {"occurred_on": "2026-02-01", "kind": "election", "text": "Snap election called", **change}
    response = _client(place.facilitator).post(_url("insight_ripeness_new", place), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    form = response.context["form"]
    assert message in form.errors[field], form.errors
    assert not RipenessEntry.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.RIPENESS_ENTRY_ADDED).exists()


def test_a_far_future_date_is_refused_on_the_form(place):
    later = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    response = _client(place.facilitator).post(
        _url("insight_ripeness_new", place), {"occurred_on": later, "kind": "election", "text": "Vote"}
    )
    assert response.status_code == 400
    assert services.LATE_MESSAGE in response.context["form"].errors["occurred_on"]


def test_html_and_formulas_are_kept_as_typed_and_shown_escaped(place):
    text = '=HYPERLINK("http://x")<img src=x onerror=alert(1)>'
    _client(place.facilitator).post(
        _url("insight_ripeness_new", place), {"occurred_on": "2026-02-01", "kind": "other", "text": text}
    )
    assert RipenessEntry.objects.get().text == text
    body = _client(place.convenor).get(_url("insight_ripeness", place)).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body


def test_editing_an_entry_saves_the_change(place):
    entry = _entry(place)
    client = _client(place.convenor)
    page = client.get(_url("insight_ripeness_edit", place, entry_id=entry.pk))
    assert page.status_code == 200 and WORDS in page.content.decode()
    response = client.post(
        _url("insight_ripeness_edit", place, entry_id=entry.pk),
        {"occurred_on": "2025-11-02", "kind": "talks_broke_down", "text": "Talks broke down"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.occurred_on, entry.kind, entry.text) == (
        dt.date(2025, 11, 2),
        "talks_broke_down",
        "Talks broke down",
    )
    assert entry.written_by_id == place.convenor.user_id


def test_editing_with_hostile_text_keeps_the_entry_as_it_was(place):
    entry = _entry(place)
    response = _client(place.convenor).post(
        _url("insight_ripeness_edit", place, entry_id=entry.pk),
        {"occurred_on": "2025-11-02", "kind": "election", "text": "\u202eevil"},
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.text == WORDS and entry.kind == "talks_opened"


def test_deleting_asks_first_then_deletes(place):
    entry = _entry(place)
    client = _client(place.facilitator)
    url = _url("insight_ripeness_delete", place, entry_id=entry.pk)
    asked = client.get(url)
    assert asked.status_code == 200
    assert "Yes, delete the entry" in asked.content.decode() and WORDS in asked.content.decode()
    assert client.post(url, {}).status_code == 200  # a POST without the confirmation asks again
    assert RipenessEntry.objects.filter(pk=entry.pk).exists()
    response = client.post(url, {CONFIRM_FIELD: CONFIRM_VALUE})
    assert response.status_code == 302
    assert not RipenessEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(action=Action.RIPENESS_ENTRY_DELETED, target_id=str(entry.pk)).exists()


def test_csv_holds_the_entries_formula_safe_and_is_audited(place):
    _entry(place, text="=cmd|' /C calc'!A0")
    _entry(place, days_ago=5, kind=RipenessKind.ELECTION, text="Election, second round")
    response = _client(place.convenor).get(_url("insight_ripeness_csv", place))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="tidewater-ripeness-log.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Date", "What happened", "In the facilitators' words", "Last written by"]
    assert [row[1] for row in rows[1:]] == ["Election", "Official talks opened"]
    assert rows[2][2] == "'=cmd|' /C calc'!A0"
    # The writer, of the facilitation team and no member, by their role's label in this dialogue, never the
    # account pseudonym (decision 0026); the roster lists the same label beside their name.
    role = Facilitator.objects.get(person=place.facilitator, dialogue=place.dialogue)
    assert rows[1][3] == f"T-{role.pk}"
    row = AuditEvent.objects.get(action=Action.INSIGHT_EXPORTED)
    assert (row.target_type, row.target_id, row.detail) == (
        "dialogues.dialogue",
        str(place.dialogue.pk),
        {"table": "ripeness_entries"},
    )


def test_reading_the_page_is_audited_as_a_view_of_the_dialogue(place):
    _client(place.convenor).get(_url("insight_ripeness", place))
    row = AuditEvent.objects.filter(action=Action.VIEW).latest("id")
    assert (row.target_type, row.target_id) == ("dialogues.dialogue", str(place.dialogue.pk))


@pytest.mark.parametrize("count", [1, 6])
def test_page_makes_the_same_number_of_queries_whatever_the_entries(place, count, django_assert_num_queries):
    for n in range(count):
        writer = PersonFactory(user=UserFactory())
        dialogue_services.assign_role(
            dialogue=place.dialogue, person=writer, role=DialogueRole.FACILITATOR, by=None
        )
        services.add_ripeness_entry(
            dialogue=place.dialogue,
            occurred_on=timezone.localdate() - dt.timedelta(days=n),
            kind=RipenessKind.OTHER,
            text=f"Entry {n}",
            by=writer.user,
        )
    client = _client(place.convenor)
    # session, user, what the user holds, the dialogue, its VIEW row, the entries, the workshops
    with django_assert_num_queries(7):
        response = client.get(_url("insight_ripeness", place))
    assert response.content.decode().count("/edit/") == count


@pytest.mark.parametrize("count", [1, 6])
def test_csv_makes_the_same_number_of_queries_whatever_the_entries(place, count, django_assert_num_queries):
    for n in range(count):
        _entry(place, days_ago=n)
    client = _client(place.convenor)
    # session, user, what the user holds, the dialogue, its VIEW row, the export row (in the service's
    # transaction: a savepoint and its release here), the entries
    with django_assert_num_queries(9):
        response = client.get(_url("insight_ripeness_csv", place))
    assert response.content.decode().count("Official talks opened") == count
