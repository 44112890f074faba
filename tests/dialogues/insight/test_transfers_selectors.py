"""The transfer pipeline's figures (dialogues/outcomes/selectors.py), counted in SQL over one dialogue: the
other dialogue's outcomes, seeded beside, never count."""

import datetime as dt

import pytest

from dialogues.outcomes import selectors
from tests.dialogues.helpers import pseudonym_in
from tests.dialogues.insight.transfers_helpers import build_road, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def road():
    return build_road()


def test_funnel_counts_an_outcome_at_every_stage_it_passed(road):
    travel(road, "Hotline", stages=5, start=dt.date(2026, 1, 10))
    travel(road, "Survey", stages=3, start=dt.date(2026, 2, 10))
    travel(road, "Radio", stages=1, start=dt.date(2026, 3, 10))

    assert selectors.transfer_funnel(dialogue=road.dialogue) == [3, 2, 2, 1, 1]
    assert selectors.transfer_funnel(dialogue=road.other) == [1, 0, 0, 0, 0]


def test_stages_by_quarter_counts_the_outcomes_that_reached_each_stage_in_it(road):
    travel(road, "Hotline", stages=3, start=dt.date(2026, 1, 10), gap=50)  # 10 Jan, 1 Mar, 20 Apr
    travel(road, "Survey", stages=2, start=dt.date(2026, 3, 1), gap=10)  # 1 Mar, 11 Mar

    assert selectors.stages_by_quarter(dialogue=road.dialogue) == {
        dt.date(2026, 1, 1): {"idea": 2, "developed": 2},
        dt.date(2026, 4, 1): {"shared": 1},
    }


def test_transfer_steps_are_this_dialogues_in_order_with_carriers_and_no_note(
    road, django_assert_num_queries
):
    travel(road, "Hotline", stages=3, start=dt.date(2026, 1, 10))

    with django_assert_num_queries(2):
        steps = selectors.transfer_steps(dialogue=road.dialogue)
        carried = [[p.shown for p in step.carriers.all()] for step in steps]

    assert [s.stage for s in steps] == ["idea", "developed", "shared"]
    # Each carrier by their pseudonym in this dialogue (decision 0026); the account's is not even read.
    here = pseudonym_in(road.dialogue, road.carrier)
    assert carried == [[], [here], [here]]
    assert "pseudonym" in steps[1].carriers.all()[0].get_deferred_fields()
    assert "note" in steps[0].get_deferred_fields()


def test_possible_carriers_are_the_members_of_the_dialogue_now(road):
    carriers = set(selectors.possible_carriers(dialogue=road.dialogue))

    assert {road.carrier, road.quiet, road.convenor, road.facilitator} <= carriers
    assert road.other_convenor not in carriers
