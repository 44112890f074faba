"""Who sees which grants and funders, checked in SQL: seeded with what could leak."""

import pytest

from funding.enums import FunderKind
from funding.funders import selectors as funder_selectors
from funding.funders import services as funder_services
from funding.grants import selectors as grant_selectors
from tests.factories import DialogueFactory, FunderFactory, GrantFactory, ThirdPartyFactory, UserFactory
from tests.funding.conftest import convene

pytestmark = pytest.mark.django_db


def test_core_budget_grants_are_for_the_third_partys_convenors_only(place, other_place):
    halden = place.dialogue.third_party
    core = GrantFactory(dialogue=None, third_party=halden, funder=FunderFactory(name="Core Fund"))
    elsewhere = ThirdPartyFactory(name="Another Centre")
    GrantFactory(dialogue=None, third_party=elsewhere, funder=FunderFactory(name="Their Core Fund"))
    outsider = convene(DialogueFactory(third_party=elsewhere), "Convenor Elsewhere")
    # Both of Halden's dialogues' convenors manage Halden's core budget; nobody of another Third Party does,
    # and participants and funders of other grants do not see it at all.
    for person in (place.convenor, other_place.convenor):
        assert core in grant_selectors.grants_managed_by(user=person.user)
    assert core not in grant_selectors.grants_for_user(user=outsider.user)
    assert core not in grant_selectors.grants_for_user(user=place.participants[0].user)
    assert core not in grant_selectors.grants_for_user(user=place.officer.user)


def test_participants_see_their_dialogues_grants_and_manage_none(place, other_place):
    ours = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    GrantFactory(dialogue=other_place.dialogue, funder=other_place.funder)
    seen = list(grant_selectors.grants_for_user(user=place.participants[0].user))
    assert seen == [ours]
    assert (seen[0].can_manage, seen[0].sees_budget, seen[0].as_officer) == (False, False, False)
    assert not grant_selectors.grants_managed_by(user=place.participants[0].user).exists()


def test_convenors_manage_only_their_own_dialogues_grants(place, other_place):
    ours = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    theirs = GrantFactory(dialogue=other_place.dialogue, funder=other_place.funder)
    assert list(grant_selectors.grants_managed_by(user=place.convenor.user)) == [ours]
    assert theirs not in grant_selectors.grants_for_user(user=place.convenor.user)


def test_officers_see_their_funders_grants_as_officers(place, other_place):
    ours = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    GrantFactory(dialogue=other_place.dialogue, funder=other_place.funder)
    funder_services.sync_funder_access(funder=place.funder)
    funder_services.sync_funder_access(funder=other_place.funder)
    seen = list(grant_selectors.grants_for_user(user=place.officer.user))
    assert seen == [ours] and seen[0].as_officer and not seen[0].can_manage


def test_a_funders_page_is_for_the_convenors_of_its_grants_or_any_while_it_has_none(place, other_place):
    shared = FunderFactory(name="Shared Fund")
    GrantFactory(dialogue=place.dialogue, funder=shared)
    GrantFactory(dialogue=other_place.dialogue, funder=other_place.funder)
    fresh = funder_services.record_funder(name="New Fund", kind=FunderKind.PRIVATE, by=None)
    assert set(funder_selectors.funders_for_user(user=place.convenor.user)) == {shared, place.funder, fresh}
    assert other_place.funder not in funder_selectors.funders_for_user(user=place.convenor.user)
    # Someone who manages no funding sees no funder at all, not even a new one.
    assert not funder_selectors.funders_for_user(user=place.participants[0].user).exists()
    assert not funder_selectors.funders_for_user(user=UserFactory()).exists()
