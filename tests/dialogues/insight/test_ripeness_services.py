"""The ripeness log's services: each change in one transaction with its audit row, which names the kind and
the date and never the words; the rules on dates and hostile text; the words encrypted at rest."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dialogues.enums import RipenessKind
from dialogues.insight.ripeness import services
from dialogues.models import RipenessEntry
from tests.factories import DialogueFactory, RipenessEntryFactory, UserFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.inputs import HIDDEN_CHARACTERS_MESSAGE, plain_text

pytestmark = pytest.mark.django_db

WORDS = "The ministers met in Fjordhaven for the first time since the strikes"
DAY = dt.date(2026, 3, 14)


def _add(dialogue=None, *, by=None, **changes):
    values = {"occurred_on": DAY, "kind": RipenessKind.TALKS_OPENED, "text": WORDS, **changes}
    return services.add_ripeness_entry(
        dialogue=dialogue or DialogueFactory(), by=by or UserFactory(), **values
    )


def test_add_ripeness_entry_stores_it_and_audits_kind_and_date_only():
    by = UserFactory()
    entry = _add(by=by)
    row = AuditEvent.objects.get(action=Action.RIPENESS_ENTRY_ADDED)
    assert (row.actor_id, row.target_type, row.target_id) == (by.pk, "dialogues.ripenessentry", str(entry.pk))
    assert row.dialogue_id == entry.dialogue_id
    assert row.detail == {"kind": "talks_opened", "occurred_on": "2026-03-14"}
    assert "Fjordhaven" not in str(row.detail)
    entry.refresh_from_db()
    assert (entry.text, entry.written_by_id) == (WORDS, by.pk)


def test_change_ripeness_entry_audits_the_fields_changed_never_the_words():
    entry = _add()
    by = UserFactory()
    services.change_ripeness_entry(
        entry=entry, occurred_on=DAY, kind=RipenessKind.CEASEFIRE, text="A ceasefire held in the north", by=by
    )
    row = AuditEvent.objects.get(action=Action.RIPENESS_ENTRY_CHANGED)
    assert row.detail == {"kind": "ceasefire", "occurred_on": "2026-03-14", "fields": ["kind", "text"]}
    assert "north" not in str(row.detail)
    entry.refresh_from_db()
    assert (entry.kind, entry.text, entry.written_by_id) == (
        "ceasefire",
        "A ceasefire held in the north",
        by.pk,
    )


def test_change_ripeness_entry_with_the_same_values_writes_nothing():
    entry = _add()
    before = AuditEvent.objects.count()
    services.change_ripeness_entry(
        entry=entry, occurred_on=DAY, kind=RipenessKind.TALKS_OPENED, text=f"  {WORDS}\r\n", by=UserFactory()
    )
    assert AuditEvent.objects.count() == before


def test_delete_ripeness_entry_audits_then_deletes_and_a_second_time_does_nothing():
    entry = _add()
    by = UserFactory()
    services.delete_ripeness_entry(entry=entry, by=by)
    services.delete_ripeness_entry(entry=entry, by=by)
    assert not RipenessEntry.objects.exists()
    rows = AuditEvent.objects.filter(action=Action.RIPENESS_ENTRY_DELETED)
    assert [(r.target_id, r.detail) for r in rows] == [
        (str(entry.pk), {"kind": "talks_opened", "occurred_on": "2026-03-14"})
    ]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(1944, 12, 31), "Give a date from 1945 onwards."),
        (dt.date(1900, 1, 1), "Give a date from 1945 onwards."),
        ("next_year_and_a_day", services.LATE_MESSAGE),
    ],
)
def test_add_ripeness_entry_refuses_dates_out_of_range(day, message):
    if day == "next_year_and_a_day":
        day = timezone.localdate() + dt.timedelta(days=services.DAYS_AHEAD + 1)
    with pytest.raises(ValidationError) as refused:
        _add(occurred_on=day)
    assert refused.value.message_dict == {"occurred_on": [message]}
    assert not RipenessEntry.objects.exists() and not AuditEvent.objects.exists()


def test_add_ripeness_entry_accepts_1945_and_a_year_ahead():
    _add(occurred_on=dt.date(1945, 1, 1))
    _add(occurred_on=timezone.localdate() + dt.timedelta(days=services.DAYS_AHEAD))
    assert RipenessEntry.objects.count() == 2


@pytest.mark.parametrize(
    "text",
    [
        "Talks\x00 opened",
        "Talks opened \u202egol.exe",
        "Talks \u2066isolated\u2069",
        "Talks\x1b[31m opened",
        "Line\u2028separator",
        "Lone \ud800 surrogate",
    ],
    ids=["nul", "rtl-override", "bidi-isolate", "escape", "line-separator", "surrogate"],
)
def test_add_ripeness_entry_refuses_hidden_characters(text):
    with pytest.raises(ValidationError) as refused:
        _add(text=text)
    assert refused.value.message_dict == {"text": [HIDDEN_CHARACTERS_MESSAGE]}
    assert not RipenessEntry.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Say in a sentence or two what happened."),
        (" \r\n\t ", "Say in a sentence or two what happened."),
        ("x" * 2001, "Keep it to 2,000 characters (this has 2,001)."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_add_ripeness_entry_refuses_empty_or_long_text(text, message):
    with pytest.raises(ValidationError) as refused:
        _add(text=text)
    assert refused.value.message_dict == {"text": [message]}


def test_add_ripeness_entry_refuses_an_unknown_kind():
    with pytest.raises(ValidationError) as refused:
        _add(kind="coup")
    assert refused.value.message_dict == {"kind": ["Choose what happened from the list."]}


def test_text_keeps_lines_html_formulas_and_scripts_that_need_joiners():
    # Persian needs the zero-width non-joiner; HTML and a formula start are stored as typed (the page
    # escapes, the CSV neutralises).
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with its non-joiner
    entry = _add(text=f'=HYPERLINK("x")\r\n<script>alert(1)</script>\r\n{persian}')
    entry.refresh_from_db()
    assert entry.text == f'=HYPERLINK("x")\n<script>alert(1)</script>\n{persian}'
    assert len(entry.text) <= 2000


def test_plain_text_is_strict_on_single_lines():
    assert plain_text(" a\r\nb ", multiline=True) == "a\nb"
    with pytest.raises(ValidationError):
        plain_text("a\nb", multiline=False)


def test_ripeness_words_are_not_in_the_database_in_clear():
    secret = "Back-channel through the Velorian fisheries attaché in Marrowbay"
    entry = _add(text=secret)
    with connection.cursor() as cursor:
        # The whole row as text, bytea as hex: bypasses the ORM, which decrypts.
        cursor.execute("SELECT t::text FROM dialogues_ripenessentry t")
        dump = "\n".join(row[0] for row in cursor.fetchall())
    assert "Marrowbay" not in dump and b"Marrowbay".hex() not in dump
    entry.refresh_from_db()
    assert entry.text == secret


def test_database_refuses_an_entry_before_1945_or_of_an_unknown_kind():
    for values in ({"occurred_on": dt.date(1944, 5, 1)}, {"kind": "coup"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            RipenessEntryFactory(**values)


def test_a_deleted_login_leaves_the_entry_it_wrote():
    # A login that wrote audit rows is never deleted; one made outside the services (an import) may be.
    by = UserFactory()
    entry = RipenessEntryFactory(written_by=by)
    by.delete()
    entry.refresh_from_db()
    assert entry.written_by_id is None
