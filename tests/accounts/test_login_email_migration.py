"""accounts 0004 converts the logins already in a database: each address encrypted and indexed, allauth's
clear copies deleted, and back again when the migration is reversed. accounts 0005 removes what logging in
left in clear: signed-only sessions and the forms axes kept of failed logins."""

import pytest
from django.contrib.sessions.backends.db import SessionStore as SignedOnlyStore
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
        # Only the columns of that schema: later migrations add fields (accounts 0008, `language`).
        login = User.objects.only("id", "email").get(email="OLD.LOGIN@example.org")
        assert login.email == "old.login@example.org"

        _migrate([BEFORE])
        assert _sql("SELECT email FROM accounts_user WHERE id = %s", [user_id]) == [
            ("old.login@example.org",)
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_clear_sessions_go_and_failed_login_forms_are_blanked_but_their_counts_stay():
    try:
        _migrate([AFTER])
        old = SignedOnlyStore()
        old["account_login"] = {"email": ADDRESS}
        old.create()
        _sql(
            "INSERT INTO axes_accessattempt (username, ip_address, user_agent, get_data, post_data, "
            "http_accept, path_info, attempt_time, failures_since_start) VALUES ('0a6c125822f327aa', "
            "'192.0.2.1', 'x', 'next=/dialogues/', %s, '*/*', '/accounts/login/', now(), 4)",
            [f"login={ADDRESS}"],
        )

        _migrate([("accounts", "0005_sessions_and_login_attempts_unreadable")])

        assert _sql("SELECT count(*) FROM django_session") == [(0,)]
        assert _sql("SELECT username, get_data, post_data, failures_since_start FROM axes_accessattempt") == [
            ("0a6c125822f327aa", "", "", 4)
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
