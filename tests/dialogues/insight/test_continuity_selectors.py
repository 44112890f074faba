"""The continuity of a dialogue (dialogues/insight/continuity.py): the arithmetic, what it never reads, and
its one query."""

import pytest

from dialogues.enums import InvitationStatus, WorkshopStatus
from dialogues.insight import continuity as selectors
from tests.dialogues.insight.helpers import called, held, people
from tests.factories import DialogueFactory, InvitationFactory, SeriesFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _dialogue_with_three_workshops():
    """Two series; the second series' workshop falls between the first series' two."""
    dialogue = DialogueFactory(codename="tidewater")
    one, two = (
        SeriesFactory(dialogue=dialogue, title="Phase one"),
        SeriesFactory(dialogue=dialogue, title="Group"),
    )
    p = people(6)
    held(one, 90, p[0:4], number=1)  # p1 p2 p3 p4
    held(two, 60, [p[0], p[1], p[4]], number=1, absent=[p[2]])  # p1 p2 p5 (p3 absent)
    held(one, 30, [p[0], p[2], p[5]], number=2, declined=[p[1]])  # p1 p3 p6
    return dialogue, p


def test_continuity_counts_each_workshop_against_the_one_before_in_date_order():
    dialogue, p = _dialogue_with_three_workshops()

    rows = selectors.continuity(dialogue=dialogue).workshops

    assert [r.short for r in rows] == ["S1·W1", "S2·W1", "S1·W2"]
    assert [r.label for r in rows] == [
        "Phase one · workshop 1",
        "Group · workshop 1",
        "Phase one · workshop 2",
    ]
    assert [len(r.attendees) for r in rows] == [4, 3, 3]
    assert [r.from_previous for r in rows] == [0, 2, 1]
    assert [r.from_first for r in rows] == [4, 2, 2]
    assert [r.newcomers for r in rows] == [4, 1, 1]
    assert [r.returning for r in rows] == [0, 2, 2]
    assert [r.dropped for r in rows] == [(), called(dialogue, p[2], p[3]), called(dialogue, p[1], p[4])]


def test_continuity_says_who_has_not_attended_since_and_reads_it_out():
    dialogue, p = _dialogue_with_three_workshops()
    data = selectors.continuity(dialogue=dialogue)
    (p4,), (first, second) = called(dialogue, p[3]), called(dialogue, p[1], p[4])

    assert [(last.short, who) for last, who in data.lapsed] == [
        ("S1·W1", (p4,)),
        ("S2·W1", (first, second)),
    ]
    assert selectors.reading(data) == [
        "2 of the 4 attendees of the first workshop (S1·W1) were at the latest (S1·W2).",
        "At S1·W2, 1 of 3 attendees had been at the workshop before it and 1 came for the first time.",
        f"{p4} has not attended since S1·W1.",
        f"{first} and {second} have not attended since S2·W1.",
    ]


def test_continuity_reads_only_attendance_of_this_dialogues_held_workshops():
    dialogue, p = _dialogue_with_three_workshops()
    series = dialogue.series.first()
    # Could leak: someone of another dialogue, at a held workshop there; an attended invitation to a workshop
    # not held; a cancelled workshop.
    elsewhere = SeriesFactory(dialogue=DialogueFactory(codename="riverstone"))
    (stranger,) = people(1, start=77)
    held(elsewhere, 45, [stranger, p[0]], number=1)
    WorkshopFactory(series=series, number=7, status=WorkshopStatus.SCHEDULED)
    InvitationFactory(
        workshop=WorkshopFactory(series=series, number=8, status=WorkshopStatus.CANCELLED),
        person=stranger,
        status=InvitationStatus.ATTENDED,
    )

    data = selectors.continuity(dialogue=dialogue)

    seen = set().union(*(r.attendees for r in data.workshops))
    assert len(data.workshops) == 3
    assert "P-77" not in seen and "P-77" not in repr(data)
    assert seen == set(called(dialogue, *p))
    # Not the account pseudonyms, nor what the other dialogue calls p1 (decision 0026).
    assert "P-1" not in repr(data) and called(elsewhere.dialogue, p[0])[0] not in repr(data)
    assert "Secretname" not in repr(data) and "riverstone" not in repr(data)
    assert "Secretname" not in repr(selectors.reading(data))


def test_continuity_keeps_a_held_workshop_nobody_attended():
    series = SeriesFactory()
    crowd = people(2)
    held(series, 40, crowd, number=1)
    held(series, 20, (), number=2)

    rows = selectors.continuity(dialogue=series.dialogue).workshops

    assert [(r.short, len(r.attendees), r.dropped) for r in rows] == [
        ("W1", 2, ()),
        ("W2", 0, called(series.dialogue, *crowd)),
    ]


def test_continuity_of_a_dialogue_with_nothing_held_is_empty():
    series = SeriesFactory()
    WorkshopFactory(series=series)

    data = selectors.continuity(dialogue=series.dialogue)

    assert data.workshops == () and data.lapsed == ()
    assert selectors.reading(data) == []
    assert selectors.retention_chart(data) is None and selectors.newcomers_chart(data) is None


@pytest.mark.parametrize("workshops", [1, 6])
def test_continuity_is_one_query(django_assert_num_queries, workshops):
    series = SeriesFactory()
    crowd = people(12)
    for n in range(workshops):
        held(series, 100 - n * 10, crowd[n : n + 6], number=n + 1)

    with django_assert_num_queries(1):
        data = selectors.continuity(dialogue=series.dialogue)
    assert len(data.workshops) == workshops


def test_retention_chart_starts_at_the_second_workshop_in_percent():
    dialogue, _ = _dialogue_with_three_workshops()
    data = selectors.continuity(dialogue=dialogue)

    chart = selectors.retention_chart(data)

    assert chart.table.rows == (("S2·W1", 50, 67), ("S1·W2", 50, 33))
    assert "<svg" in chart.svg and 'role="img"' in chart.svg
    assert selectors.retention_chart(selectors.continuity(dialogue=SeriesFactory().dialogue)) is None


def test_newcomers_chart_stacks_returning_and_new():
    dialogue, _ = _dialogue_with_three_workshops()

    chart = selectors.newcomers_chart(selectors.continuity(dialogue=dialogue))

    assert chart.table.columns == ("Workshop", "Returning", "Newcomers", "Total")
    assert chart.table.rows == (("S1·W1", 0, 4, 4), ("S2·W1", 2, 1, 3), ("S1·W2", 2, 1, 3))


def test_every_table_has_its_key():
    dialogue, p = _dialogue_with_three_workshops()
    data = selectors.continuity(dialogue=dialogue)
    (p4,), (first, second) = called(dialogue, p[3]), called(dialogue, p[1], p[4])

    for key in selectors.TABLES:
        assert selectors.table(data, key).rows
    assert selectors.table(data, "people") is None
    assert selectors.table(data, "workshops").rows[1][-1] == " ".join(called(dialogue, p[2], p[3]))
    assert selectors.table(data, "lapsed").rows == (
        (p4, "Phase one · workshop 1", "S1·W1"),
        (first, "Group · workshop 1", "S2·W1"),
        (second, "Group · workshop 1", "S2·W1"),
    )
