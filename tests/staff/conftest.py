import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory
from trackii.audit.apps import AUDITORS_GROUP
from trackii.staff.roles import GROUPS, Role

PASSWORD = "a-long-test-passphrase-42"


def staff(role: Role | None = None, **fields):
    user = UserFactory(is_staff=True, **fields)
    if role is not None:
        user.groups.add(Group.objects.get(name=GROUPS[role]))
    return user


@pytest.fixture
def administrator(db):
    return staff(Role.ADMINISTRATOR, email="admin.one@example.org")


@pytest.fixture
def auditor(db):
    user = staff(email="auditor.one@example.org")
    user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    return user


@pytest.fixture
def member(db):
    """A participant's login with a person (pseudonym T-…) and an address that must never be listed."""
    return PersonFactory(user=UserFactory(email="ysolde.marrick@example.net")).user


def logged_in(
    user, address: str = "198.51.100.23", browser: str = "Mozilla/5.0 Gecko Firefox/140.0"
) -> Client:
    """A real login (so allauth tracks the session, with its address and browser)."""
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=browser)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def is_logged_in(client) -> bool:
    return client.get(reverse("accounts:account")).status_code == 200
