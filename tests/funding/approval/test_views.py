"""A member's own page on their dialogue's funding: their answer, and what the convenors read of it."""

import pytest
from django.urls import reverse

from funding.enums import ConditionKind
from participants.enums import FundingConsent
from participants.models import Membership
from tests.factories import (
    ConditionFactory,
    FunderFactory,
    GrantFactory,
)

pytestmark = pytest.mark.django_db


def _warm(client, url):
    client.get(url)  # per-process caches (content types, permissions) are filled once


@pytest.mark.parametrize("count", [1, 6])
def test_approval_page_in_constant_queries(client, django_assert_num_queries, place, count):
    for n in range(count):
        grant = GrantFactory(dialogue=place.dialogue, funder=FunderFactory(name=f"Funder {n}"))
        ConditionFactory(grant=grant, kind=ConditionKind.AGENDA, text=f"Condition {n}")
    client.force_login(place.participants[0].user)
    url = reverse("funding:approval", args=[place.dialogue.pk])
    _warm(client, url)
    # session, user, what the user holds, membership (+ audit), grants, conditions
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count("Condition ") >= count


def test_participant_answers_and_the_convenor_reads_it(client, place):
    grant = GrantFactory(dialogue=place.dialogue, funder=place.funder)
    participant = place.participants[0]
    client.force_login(participant.user)
    url = reverse("funding:approval", args=[place.dialogue.pk])
    assert client.post(url, {"note": "kept"}).content.decode().count("kept") >= 1  # no answer: 400, note kept
    response = client.post(url, {"consent": "approved", "note": "Glad it is a foundation"})
    assert response.status_code == 302
    membership = Membership.objects.get(person=participant, dialogue=place.dialogue)
    assert membership.funding_consent == FundingConsent.APPROVED
    client.force_login(place.convenor.user)
    body = client.get(reverse("funding:grant_detail", args=[grant.pk])).content.decode()
    assert "Glad it is a foundation" in body


def test_the_answer_page_is_the_participants_own(client, place, other_place):
    client.force_login(other_place.participants[0].user)
    assert client.get(reverse("funding:approval", args=[place.dialogue.pk])).status_code == 404
    client.force_login(place.convenor.user)  # convenors read answers on the grant page instead
    assert client.get(reverse("funding:approval", args=[place.dialogue.pk])).status_code == 404


def test_participant_reaches_the_answer_page_from_the_funding_page(client, place):
    GrantFactory(dialogue=place.dialogue, funder=place.funder)
    client.force_login(place.participants[0].user)
    body = client.get(reverse("funding:grant_list")).content.decode()
    assert reverse("funding:approval", args=[place.dialogue.pk]) in body and "Not yet answered" in body
