"""A dialogue's own words are under its data key (issue 23): no row holds them in clear, destroying the key
leaves them empty on every page, and dialogues 0018 converts the rows a database already has (and back);
0019 does the same for outcome steps' channels and review comments' section headings."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from dialogues.enums import DialogueRole, OutcomeKind, OutcomeStage
from dialogues.models import (
    AgendaItem,
    Dialogue,
    Outcome,
    OutcomeStep,
    ReviewComment,
    Workshop,
    WorkshopSeries,
)
from dialogues.scheduling import services as scheduling_services
from tests.dialogues.helpers import member
from tests.factories import (
    AgendaItemFactory,
    DialogueFactory,
    OutcomeFactory,
    PersonFactory,
    SeriesFactory,
    SummaryFactory,
    WorkshopFactory,
)
from trackii.crypto import Shredded, data_key_id_of
from trackii.datakeys import destroy_data_key

WORDS = {
    "title": "Serran Strait fisheries talks",
    "conflict": "Fishing rights around the Serran islands",
    "ground_rules": "Nothing said here leaves the room with a name",
    "series": "Phase 2: the northern banks",
    "series_description": "Harbour masters and coast guards",
    "workshop": "Night crossing at Kellhaven",
    "agenda": "Who patrols the median line",
    "agenda_description": "Maps from both coast guards",
    "outcome": "Joint hotline between coast guards",
    "outcome_description": "A telephone line staffed by both",
    "transfer_via": "The envoy's deputy, Ilse Varga",
    "evidence": "Letter of 3 March from the ministry",
    "channel": "A private briefing by a former official among the participants",
    "section": "Incidents at sea near Kellhaven",
}
COLUMNS = {
    "dialogues_dialogue": ("title", "conflict", "ground_rules"),
    "dialogues_workshopseries": ("title", "description"),
    "dialogues_workshop": ("title",),
    "dialogues_agendaitem": ("title", "description"),
    "dialogues_outcome": ("title", "description", "transfer_via", "evidence"),
    "dialogues_outcomestep": ("channel",),
    "dialogues_reviewcomment": ("section",),
}


def _seed():
    dialogue = DialogueFactory(
        codename="serran",
        title=WORDS["title"],
        conflict=WORDS["conflict"],
        ground_rules=WORDS["ground_rules"],
    )
    series = SeriesFactory(dialogue=dialogue, title=WORDS["series"], description=WORDS["series_description"])
    workshop = WorkshopFactory(series=series, title=WORDS["workshop"])
    AgendaItemFactory(workshop=workshop, title=WORDS["agenda"], description=WORDS["agenda_description"])
    outcome = OutcomeFactory(
        dialogue=dialogue,
        workshop=workshop,
        kind=OutcomeKind.TRANSFER,
        title=WORDS["outcome"],
        description=WORDS["outcome_description"],
        transfer_to="Ministry of Foreign Affairs",
        transfer_via=WORDS["transfer_via"],
        evidence=WORDS["evidence"],
    )
    OutcomeStep.objects.create(
        outcome=outcome, stage=OutcomeStage.IDEA, reached_on=dt.date(2026, 3, 1), channel=WORDS["channel"]
    )
    summary = SummaryFactory(workshop=workshop)
    ReviewComment.objects.create(
        summary=summary, author=PersonFactory(), section=WORDS["section"], body="Too strong."
    )
    return dialogue, workshop


def _rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t::text FROM {table} t")  # noqa: S608 - fixed table names
        return "\n".join(row[0] for row in cursor.fetchall())


def _tokens(table: str, column: str) -> list[bytes]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names
        return [bytes(row[0]) for row in cursor.fetchall()]


@pytest.mark.django_db
def test_raw_rows_hold_none_of_the_words_and_every_token_is_under_the_dialogue_key():
    dialogue, _ = _seed()
    for table, columns in COLUMNS.items():
        dump = _rows(table)
        for needle in WORDS.values():
            assert needle not in dump and needle.encode().hex() not in dump, (table, needle)
        for column in columns:
            assert {data_key_id_of(token) for token in _tokens(table, column)} == {dialogue.data_key_id}
    again = Outcome.objects.get()
    assert (again.title, again.transfer_via, again.evidence) == (
        WORDS["outcome"],
        WORDS["transfer_via"],
        WORDS["evidence"],
    )
    assert Dialogue.objects.get().ground_rules == WORDS["ground_rules"]


@pytest.mark.django_db
def test_a_series_title_stays_unique_in_its_dialogue_without_a_constraint():
    dialogue = DialogueFactory()
    first = scheduling_services.create_series(dialogue=dialogue, title="Phase 1", by=None)
    again = scheduling_services.create_series(dialogue=dialogue, title=" Phase 1 ", by=None)
    other = scheduling_services.create_series(dialogue=DialogueFactory(), title="Phase 1", by=None)
    assert again.pk == first.pk and other.pk != first.pk
    assert WorkshopSeries.objects.filter(dialogue=dialogue).count() == 1


@pytest.mark.django_db
def test_a_destroyed_dialogue_reads_as_shredded_and_its_pages_say_so(
    client, django_capture_on_commit_callbacks
):
    dialogue, workshop = _seed()
    convenor = member(dialogue, role=DialogueRole.CONVENOR)
    participant = member(dialogue)
    with django_capture_on_commit_callbacks(execute=True):
        destroy_data_key(dialogue.data_key_id)

    again = Dialogue.objects.get(pk=dialogue.pk)
    assert isinstance(again.title, Shredded) and again.title == "" and again.conflict == ""
    assert WorkshopSeries.objects.get().title == "" and Workshop.objects.get().title == ""
    assert AgendaItem.objects.get().title == "" and Outcome.objects.get().evidence == ""
    again.save()  # the destroyed values are kept as they were, not refused

    client.force_login(convenor.user)
    pages = [
        reverse("home"),
        reverse("dialogues:dashboard", args=[dialogue.pk]),
        reverse("dialogues:dialogue_detail", args=[dialogue.pk]),
        reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk]),
        reverse("dialogues:series_detail", args=[dialogue.pk, workshop.series_id]),
        reverse("dialogues:outcome_list", args=[dialogue.pk]),
    ]
    # Lists and the dialogue's own page open (200); its other pages say it was destroyed (410 Gone).
    opened = {reverse("home"), reverse("dialogues:dialogue_detail", args=[dialogue.pk])}
    for url in pages:
        response = client.get(url)
        assert response.status_code == (200 if url in opened else 410), url
        text = response.content.decode()
        for needle in WORDS.values():
            assert needle not in text, (url, needle)
    client.force_login(participant.user)
    assert client.get(reverse("home")).status_code == 200


BEFORE = ("dialogues", "0017_destruction")
AFTER = ("dialogues", "0018_words_under_dialogue_keys")


def _sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_words_a_database_has_and_gives_them_back_undone():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE])
        executor.loader.build_graph()
        old = executor.loader.project_state([BEFORE]).apps
        third_party = old.get_model("participants", "ThirdParty").objects.create(name="Nordic Institute")
        dialogue = old.get_model("dialogues", "Dialogue").objects.create(
            title=WORDS["title"], codename="serran", conflict=WORDS["conflict"], third_party=third_party
        )
        _sql(
            "INSERT INTO dialogues_workshopseries (dialogue_id, title, description, position) "
            "VALUES (%s, %s, %s, 1)",
            [dialogue.pk, WORDS["series"], WORDS["series_description"]],
        )
        _sql(
            "INSERT INTO dialogues_outcome (dialogue_id, kind, stage, title, description, transfer_to, "
            "transfer_via, evidence, created_at) VALUES (%s, 'idea', 'idea', %s, '', '', %s, %s, now())",
            [dialogue.pk, WORDS["outcome"], WORDS["transfer_via"], WORDS["evidence"]],
        )

        MigrationExecutor(connection).migrate([AFTER])

        for table in ("dialogues_dialogue", "dialogues_workshopseries", "dialogues_outcome"):
            dump = _rows(table)
            assert not [needle for needle in WORDS.values() if needle in dump], table
        key_id = _sql("SELECT data_key_id FROM dialogues_dialogue WHERE id = %s", [dialogue.pk])[0][0]
        assert key_id and {data_key_id_of(t) for t in _tokens("dialogues_outcome", "evidence")} == {key_id}
        new = Dialogue.objects.only("id", "title", "conflict", "ground_rules").get(pk=dialogue.pk)
        assert (new.title, new.conflict) == (WORDS["title"], WORDS["conflict"])
        assert new.ground_rules.startswith("When a meeting")
        series = WorkshopSeries.objects.only("id", "title", "description").get()
        assert (series.title, series.description) == (WORDS["series"], WORDS["series_description"])
        outcome = Outcome.objects.only("id", "title", "transfer_via", "evidence").get()
        assert (outcome.title, outcome.transfer_via, outcome.evidence) == (
            WORDS["outcome"],
            WORDS["transfer_via"],
            WORDS["evidence"],
        )

        MigrationExecutor(connection).migrate([BEFORE])
        assert _sql("SELECT title, conflict FROM dialogues_dialogue") == [(WORDS["title"], WORDS["conflict"])]
        assert _sql("SELECT title, transfer_via, evidence FROM dialogues_outcome") == [
            (WORDS["outcome"], WORDS["transfer_via"], WORDS["evidence"])
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
