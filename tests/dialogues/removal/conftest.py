import pytest
from django.test import Client

from dialogues import services
from dialogues.enums import DialogueRole
from tests.dialogues.test_permissions import programme  # noqa: F401  (the removal tests' world)
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def convenor(programme):  # noqa: F811
    person = PersonFactory(name="Ingrid Convenor", user=UserFactory())
    services.assign_role(dialogue=programme.dialogue, person=person, role=DialogueRole.CONVENOR, by=None)
    return person


@pytest.fixture
def convenor_client(convenor):
    client = Client()
    client.force_login(convenor.user)
    return client
