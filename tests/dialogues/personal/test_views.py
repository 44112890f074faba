"""A person's own pages through the test client."""

import pytest
from django.urls import reverse

from dialogues.models import Unavailability
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_unavailable_dates_the_wrong_way_round_are_refused_next_to_the_field(client):
    person = PersonFactory(user=UserFactory())
    client.force_login(person.user)
    response = client.post(
        reverse("dialogues:availability"), {"starts_on": "2030-05-03", "ends_on": "2030-05-01"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "The last day must be on or after the first." in body
    assert not Unavailability.objects.exists()
