"""The funders' pages: the convenors' list, adding officers, and a funder nobody here manages is not found."""

import pytest
from django.urls import reverse

from funding.funders import services as funder_services
from funding.funders.services import sync_funder_access
from funding.grants import selectors as grant_selectors
from tests.factories import (
    FunderFactory,
    GrantFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _warm(client, url):
    client.get(url)  # per-process caches (content types, permissions) are filled once


@pytest.mark.parametrize("count", [1, 6])
def test_funder_list_in_constant_queries(client, django_assert_num_queries, place, count):
    for n in range(count):
        funder = FunderFactory(name=f"Listed Fund {n}")
        GrantFactory(dialogue=place.dialogue, funder=funder)
        funder_services.add_officer(funder=funder, person=PersonFactory(), by=None)
    client.force_login(place.convenor.user)
    url = reverse("funding:funder_list")
    _warm(client, url)
    # session, user, manages funding?, funders (with counts), their officers
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count("Listed Fund") == count


def test_convenor_adds_a_new_officer_and_the_officer_sees_the_grant(client, place):
    grant = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    client.force_login(place.convenor.user)
    response = client.post(
        reverse("funding:officer_add", args=[place.funder.pk]),
        {"officer-name": "Annika Brennholt", "officer-email": "annika@example.org"},
    )
    assert response.status_code == 302
    officer = place.funder.officers.exclude(pk=place.officer.pk).get()
    officer.user = UserFactory()
    officer.save()
    sync_funder_access(funder=place.funder)
    assert list(grant_selectors.grants_for_user(user=officer.user)) == [grant]


def test_a_participant_cannot_be_made_an_officer(client, place):
    client.force_login(place.convenor.user)
    response = client.post(
        reverse("funding:officer_add", args=[place.funder.pk]),
        {"officer-pseudonym": place.participants[0].pseudonym},
    )
    assert response.status_code == 400
    assert "takes part in a dialogue" in response.content.decode()


def test_a_funder_of_another_convenors_dialogue_is_not_found(client, place, other_place):
    GrantFactory(dialogue=other_place.dialogue, funder=other_place.funder)
    client.force_login(place.convenor.user)
    assert client.get(reverse("funding:funder_detail", args=[other_place.funder.pk])).status_code == 404
    assert "Foundation b" not in client.get(reverse("funding:funder_list")).content.decode()
