import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def password():
    return "a-long-test-passphrase-42"


@pytest.fixture
def user(django_user_model, password):
    return django_user_model.objects.create_user(email="member@example.org", password=password)
