"""The composition's numbers and readings: attended seats only, of this dialogue's held workshops only."""

import pytest

from dialogues.insight.composition import OUTSIDE, composition, composition_charts, readings
from participants.enums import ProximityBand
from tests.dialogues.helpers import member, two_sided
from tests.dialogues.insight.helpers import held_workshop
from tests.factories import SeriesFactory

pytestmark = pytest.mark.django_db

SERVING, FORMER, CIVIL, EXPERT = (
    ProximityBand.SERVING_OFFICIAL,
    ProximityBand.FORMER_OFFICIAL,
    ProximityBand.CIVIL_SOCIETY,
    ProximityBand.INDEPENDENT_EXPERT,
)


def test_composition_counts_attended_seats_of_held_workshops_by_side_and_band(composed):
    data = composition(dialogue=composed["dialogue"])
    north, south = composed["north"].pk, composed["south"].pk
    first, second = composed["workshops"]
    assert [w.pk for w in data.workshops] == [first.pk, second.pk]  # not the scheduled nor the cancelled
    assert [w.short for w in data.workshops] == ["Workshop 1", "Workshop 2"]
    assert data.sides == ((north, "North"), (south, "South"), (None, OUTSIDE))
    assert data.seats == {
        (first.pk, north, SERVING): 3,  # two serving officials and a parliamentarian
        (first.pk, north, CIVIL): 1,
        (first.pk, south, EXPERT): 1,  # the former official was absent
        (first.pk, None, CIVIL): 1,  # the observer (a journalist)
        (second.pk, north, SERVING): 1,
        (second.pk, south, EXPERT): 1,
        (second.pk, south, FORMER): 1,
    }
    assert data.bands == (SERVING, FORMER, ProximityBand.CLOSE_TO_GOVERNMENT, CIVIL, EXPERT)


def test_composition_roster_is_current_members_only(composed):
    dialogue = composed["dialogue"]
    gone = member(dialogue, composed["north"])
    dialogue.memberships.filter(person=gone).update(left_on=dialogue.memberships.get(person=gone).joined_on)
    data = composition(dialogue=dialogue)
    north, south = composed["north"].pk, composed["south"].pk
    assert data.members == {
        (north, SERVING): 3,
        (north, CIVIL): 1,
        (south, EXPERT): 1,
        (south, FORMER): 1,
        (None, CIVIL): 1,
    }


def test_composition_never_counts_another_dialogues_seats(composed):
    other = composition(dialogue=composed["other"])
    assert sum(other.seats.values()) == 2
    ours = composition(dialogue=composed["dialogue"])
    assert sum(ours.seats.values()) == 9
    assert all(w.pk in {x.pk for x in composed["workshops"]} for w in ours.workshops)


def test_readings_say_the_balance_the_majorities_and_the_missing_bands(composed):
    said = readings(composition(dialogue=composed["dialogue"]))
    assert said == [
        "North held 4 of the 5 side seats at Listening circles · workshop 1 (South 1).",
        "Serving officials hold most of North's seats: 4 of 5 across 2 workshops.",
        "North has had no former officials, people close to government or independent experts at any "
        "workshop.",
        "Independent experts hold most of South's seats: 2 of 3 across 2 workshops.",
        "South has had no serving officials, people close to government or people from civil society at "
        "any workshop.",
        "Observers and resource persons held 1 seat in all, outside the balance between the sides.",
        "On the roster now: 7 members, 3 of them serving officials.",
    ]


def test_readings_without_a_held_workshop_say_so(db):
    dialogue, north, _ = two_sided()
    member(dialogue, north)
    assert readings(composition(dialogue=dialogue)) == [
        "No workshop has been held yet: the seats will show here once attendance is recorded.",
        "On the roster now: 1 member, 0 of them serving officials.",
    ]
    assert list(composition_charts(composition(dialogue=dialogue))) == ["roster"]


def test_balanced_workshops_read_as_balanced(db):
    dialogue, north, south = two_sided()
    series = SeriesFactory(dialogue=dialogue)
    held_workshop(series, 1, attended=[member(dialogue, north), member(dialogue, south)])
    said = readings(composition(dialogue=dialogue))
    assert said[0].startswith("The sides were in balance at every workshop held")
    assert "Others hold most of North's seats: 1 of 1 across 1 workshop." in said


def test_only_the_widest_gaps_are_spelt_out(db):
    dialogue, north, _ = two_sided()
    northerners = [member(dialogue, north) for _ in range(8)]
    series = SeriesFactory(dialogue=dialogue, title="Phase")
    for n in range(1, 6):
        held_workshop(series, n, attended=northerners[: 3 + n])
    balance = readings(composition(dialogue=dialogue))[:4]
    assert balance == [
        "North held 8 of the 8 side seats at Phase · workshop 5 (South 0).",
        "North held 7 of the 7 side seats at Phase · workshop 4 (South 0).",
        "North held 6 of the 6 side seats at Phase · workshop 3 (South 0).",
        "The sides were out of balance at 2 more workshops.",
    ]


def test_charts_one_per_side_the_balance_and_the_roster_with_their_tables(composed):
    charts = composition_charts(composition(dialogue=composed["dialogue"]))
    north, south = composed["north"].pk, composed["south"].pk
    assert list(charts) == [f"side-{north}", f"side-{south}", "side-outside", "balance", "roster"]
    assert charts[f"side-{north}"].table.rows == (
        ("Workshop 1", 3, 0, 0, 1, 0, 4),
        ("Workshop 2", 1, 0, 0, 0, 0, 1),
    )
    assert charts["balance"].table.columns == ("Workshop", "North", "South", OUTSIDE)
    assert charts["balance"].table.rows == (("Workshop 1", 4, 1, 1), ("Workshop 2", 1, 2, 0))
    assert charts["roster"].table.rows == (
        ("North", 3, 0, 0, 1, 0, 4),
        ("South", 0, 1, 0, 0, 1, 2),
        (OUTSIDE, 0, 0, 0, 1, 0, 1),
    )
    assert "<svg" in charts["balance"].svg


def test_several_series_name_workshops_by_series_position(composed):
    dialogue = composed["dialogue"]
    later = SeriesFactory(dialogue=dialogue, title="Working groups")
    held_workshop(later, 1, days_ago=1)
    shorts = [w.short for w in composition(dialogue=dialogue).workshops]
    assert shorts == ["S1 · workshop 1", "S1 · workshop 2", "S2 · workshop 1"]
