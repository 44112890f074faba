"""The funding pages: a funder sees the grants it made and the funded dialogue's activity only in aggregate;
a dialogue's members see who funds it."""

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole, WorkshopStatus
from funding.services import sync_funder_access
from tests.factories import (
    DialogueFactory,
    FunderFactory,
    GrantFactory,
    PersonFactory,
    SideFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


def _officer(funder):
    person = PersonFactory(user=UserFactory())
    funder.officers.add(person)
    sync_funder_access(funder=funder)
    return person.user


@pytest.mark.parametrize("count", [1, 10])
def test_funder_sees_only_its_own_grants_in_constant_queries(client, django_assert_num_queries, count):
    funder = FunderFactory(name="Aldmere Peace Foundation")
    for _ in range(count):
        GrantFactory(funder=funder)
    GrantFactory(funder=FunderFactory(name="Another Funder"))
    user = _officer(funder)
    client.force_login(user)
    # session, user, grants (with funder and dialogue joined)
    client.get(reverse("funding:grant_list"))  # warm per-process caches (content types)
    with django_assert_num_queries(3):
        response = client.get(reverse("funding:grant_list"))
    body = response.content.decode()
    assert body.count("Aldmere Peace Foundation") == count and "Another Funder" not in body


def test_funder_sees_aggregates_with_small_counts_suppressed_and_no_names(client):
    dialogue = DialogueFactory()
    big, small = (
        SideFactory(dialogue=dialogue, name="Big side"),
        SideFactory(dialogue=dialogue, name="Small side"),
    )
    for side, n in ((big, 6), (small, 2)):
        for i in range(n):
            person = PersonFactory(name=f"Secret Name {side.pk}-{i}")
            services.assign_role(
                dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
            )
    WorkshopFactory(series__dialogue=dialogue, status=WorkshopStatus.HELD, venue="Hidden Lodge")
    grant = GrantFactory(dialogue=dialogue)
    client.force_login(_officer(grant.funder))
    body = client.get(reverse("funding:grant_detail", args=[grant.pk])).content.decode()
    assert "<td>Big side</td><td>6</td>" in body
    assert "<td>Small side</td><td>fewer than 5</td>" in body
    assert "Workshops held: 1." in body
    assert "Secret Name" not in body and "Hidden Lodge" not in body and "P-" not in body


def test_participant_sees_who_funds_their_dialogue(client):
    dialogue = DialogueFactory()
    person = PersonFactory(user=UserFactory())
    services.assign_role(
        dialogue=dialogue,
        person=person,
        role=DialogueRole.PARTICIPANT,
        side=SideFactory(dialogue=dialogue),
        by=None,
    )
    grant = GrantFactory(dialogue=dialogue, funder=FunderFactory(name="Concord Fund"))
    GrantFactory(funder=FunderFactory(name="Elsewhere Fund"))
    client.force_login(person.user)
    body = client.get(reverse("funding:grant_list")).content.decode()
    assert "Concord Fund" in body and "Elsewhere Fund" not in body
    assert client.get(reverse("funding:grant_detail", args=[grant.pk])).status_code == 200
