import pytest
from django.core.cache import cache

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole
from tests.accounts.helpers import enrol_totp
from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Lockout counters and rate limits live in the shared cache (Redis): one test's failures must not lock
    # the next test out.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dialogue():
    return DialogueFactory(title="Riverside talks", codename="heron", ground_rules="The Chatham House Rule.")


@pytest.fixture
def side(dialogue):
    return SideFactory(dialogue=dialogue, name="North")


@pytest.fixture
def convenor(dialogue):
    """A convenor of the dialogue with an authenticator app (their role requires one)."""
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    person = PersonFactory(user=UserFactory(email="convenor@example.org"))
    dialogue_services.assign_role(dialogue=dialogue, person=person, role=DialogueRole.CONVENOR, by=admin)
    enrol_totp(person.user)
    return person.user


@pytest.fixture
def newcomer(dialogue, side, convenor):
    """A participant of the dialogue without a login."""
    person = PersonFactory(name="Amira Haddad", email="Amira.Haddad@example.org")
    dialogue_services.assign_role(
        dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=convenor
    )
    return person
