"""accounts 0004 converts the logins already in a database: each address encrypted and indexed, allauth's
clear copies deleted, and back again when the migration is reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from trackii.accounts.fields import login_index
from trackii.accounts.models import User

BEFORE = ("accounts", "0003_invitation_open_per_dialogue")
AFTER = ("accounts", "0004_login_email_encrypted")
ADDRESS = " Old.Login@Example.org"


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(target)


def _sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


@pytest.mark.django_db(transaction=True)
def test_existing_logins_are_encrypted_and_allauth_copies_deleted():
    try:
        _migrate([BEFORE])
        (user_id,) = _sql(
            "INSERT INTO accounts_user (password, is_superuser, email, is_active, is_staff, date_joined, "
            "session_epoch) VALUES ('!', false, %s, true, false, now(), 0) RETURNING id",
            [ADDRESS],
        )[0]
        _sql(
            'INSERT INTO account_emailaddress (email, verified, "primary", user_id) '
            "VALUES (%s, true, true, %s)",
            [ADDRESS.strip().lower(), user_id],
        )

        _migrate([AFTER])

        ((stored, index),) = _sql("SELECT email, email_index FROM accounts_user WHERE id = %s", [user_id])
        assert b"old.login" not in bytes(stored).lower() and index == login_index("old.login@example.org")
        assert _sql("SELECT count(*) FROM account_emailaddress") == [(0,)]
        assert User.objects.get(email="OLD.LOGIN@example.org").email == "old.login@example.org"

        _migrate([BEFORE])
        assert _sql("SELECT email FROM accounts_user WHERE id = %s", [user_id]) == [
            ("old.login@example.org",)
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
