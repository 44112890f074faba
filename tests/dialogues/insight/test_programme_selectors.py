import datetime as dt

import pytest

from dialogues.enums import OutcomeStage
from dialogues.insight import programme as figures
from dialogues.permissions import dialogue_access, insight_dialogues
from participants.enums import Proximity
from tests.dialogues.insight.programme_world import hidden_dialogue, programme
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _ids(world):
    return insight_dialogues(dialogue_access(world.viewer.user))


def _all(ids):
    return (
        figures.usual_suspects(dialogue_ids=ids),
        figures.newcomers_by_quarter(dialogue_ids=ids),
        figures.dialogue_spread(dialogue_ids=ids),
        figures.sides_mostly_officials(dialogue_ids=ids),
        figures.transfer_funnel(dialogue_ids=ids),
        figures.third_parties(dialogue_ids=ids),
    )


def test_insight_dialogues_are_those_the_viewer_convenes_or_facilitates():
    world = programme()
    hidden = hidden_dialogue(world)
    ids = _ids(world)
    assert sorted(ids) == sorted([world.d1.pk, world.d2.pk, world.d3.pk]) and hidden.pk not in ids


def test_usual_suspects_share_overall_and_per_quarter():
    world = programme()
    found = figures.usual_suspects(dialogue_ids=_ids(world))
    # 12 people, 15 seats; the top ceil(1.2) = 2 people hold 3 + 2 seats.
    assert found.overall == figures.Share(period=None, people=12, seats=15, top_people=2, top_seats=5)
    assert found.overall.percent == 33.3
    q1, q2 = found.by_quarter
    assert (q1.period, q1.people, q1.seats, q1.top_people, q1.top_seats) == (
        dt.date(2026, 1, 1),
        10,
        10,
        1,
        1,
    )
    assert (q2.period, q2.people, q2.seats, q2.top_people, q2.top_seats) == (dt.date(2026, 4, 1), 4, 5, 1, 2)
    assert [(s.period, s.seats, s.top_seats) for s in found.by_year] == [(dt.date(2026, 1, 1), 15, 5)]


def test_newcomers_per_quarter():
    world = programme()
    found = figures.newcomers_by_quarter(dialogue_ids=_ids(world))
    assert found == [
        figures.Newcomers(quarter=dt.date(2026, 1, 1), people=10, newcomers=10),
        figures.Newcomers(quarter=dt.date(2026, 4, 1), people=4, newcomers=2),  # p11 and p12
    ]


def _labels(world, person) -> str:
    """What the page calls a person in many dialogues: their pseudonyms in those the viewer convenes (alpha
    and charlie; bravo they only facilitate), decision 0026."""
    return ", ".join(
        f"{person.memberships.get(dialogue=d).pseudonym} ({d.codename})" for d in (world.d1, world.d3)
    )


def test_dialogue_spread_counts_current_members_and_names_only_pseudonyms():
    world = programme()
    convened = [world.d1.pk, world.d3.pk]
    spread = figures.dialogue_spread(dialogue_ids=_ids(world), convened_ids=convened)
    # p2's membership of d2 ended: p2 is in one dialogue.
    assert spread.counts == {1: 11, 2: 0, 3: 1, 4: 0}
    assert spread.in_many == ((_labels(world, world.people[1]), 3),)
    assert "P-01" not in repr(spread)  # never the account pseudonym
    # A viewer who convenes none of their dialogues sees that they are in many, not who.
    assert figures.dialogue_spread(dialogue_ids=_ids(world)).in_many == (("—", 3),)


def test_people_in_many_dialogues_are_listed_by_their_pseudonyms_where_the_viewer_convenes(
    django_assert_num_queries,
):
    world = programme()
    extra = []
    for pseudonym in ("X-11", "X-2"):
        person = PersonFactory(pseudonym=pseudonym)
        extra.append(person)
        for dialogue in (world.d1, world.d2, world.d3):
            MembershipFactory(person=person, dialogue=dialogue)
    ids, convened = _ids(world), [world.d1.pk, world.d3.pk]
    with django_assert_num_queries(2):  # the counts, and who is in many with their pseudonyms
        spread = figures.dialogue_spread(dialogue_ids=ids, convened_ids=convened)
    expected = sorted(_labels(world, person) for person in (world.people[1], *extra))
    assert spread.in_many == tuple((label, 3) for label in expected)
    assert "X-11" not in repr(spread) and "X-2" not in repr(spread)
    # Bravo, which the viewer only facilitates, never shows.
    assert all(
        person.memberships.get(dialogue=world.d2).pseudonym not in repr(spread)
        for person in (world.people[1], *extra)
    )


def test_sides_mostly_officials_only_above_half():
    world = programme()
    # South: p6..p10 (officials) at w1, p11 at w2: 5 of 6. West: p12 of 2 seats is half, not most.
    assert figures.sides_mostly_officials(dialogue_ids=_ids(world)) == [
        figures.SideOfOfficials(codename="alpha", side="South", seats=6, officials=5)
    ]


def test_sides_mostly_officials_count_parliamentarians_as_the_composition_band_does():
    world = programme()
    world.people[1].proximity = Proximity.PARLIAMENTARIAN
    world.people[1].save()
    # West: p1 (now a parliamentarian) and p12 (a serving official), 2 of 2. North: p1's 2 of 7, not most.
    assert figures.sides_mostly_officials(dialogue_ids=_ids(world)) == [
        figures.SideOfOfficials(codename="alpha", side="South", seats=6, officials=5),
        figures.SideOfOfficials(codename="bravo", side="West", seats=2, officials=2),
    ]


def test_transfer_funnel_counts_each_stage_and_beyond_in_enum_order():
    world = programme()
    funnel = figures.transfer_funnel(dialogue_ids=_ids(world))
    assert [label for label, _ in funnel] == [stage.label for stage in OutcomeStage]
    counts = dict(funnel)
    assert counts[OutcomeStage.IDEA.label] == 3
    assert counts[OutcomeStage.SHARED.label] == 2
    assert counts[OutcomeStage.TAKEN_UP.label] == 1
    assert [n for _, n in funnel] == sorted((n for _, n in funnel), reverse=True)


def test_a_dialogue_the_viewer_does_not_facilitate_changes_no_figure():
    world = programme()
    before = _all(_ids(world))
    hidden_dialogue(world)
    assert _all(_ids(world)) == before


def test_no_dialogues_no_figures_and_no_error():
    found = _all([])
    assert found[0].overall is None and found[1] == [] and found[2].counts == {1: 0, 2: 0, 3: 0, 4: 0}
    assert all(n == 0 for _, n in found[4])


def test_figures_take_one_query_each_whatever_the_number_of_dialogues(django_assert_num_queries):
    world = programme()
    ids = _ids(world)
    for chosen in ([world.d1.pk], ids):
        # usual suspects, newcomers, spread (counts, pseudonyms), officials, funnel, Third Parties
        with django_assert_num_queries(7):
            _all(chosen)
