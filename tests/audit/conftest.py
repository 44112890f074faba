from importlib import import_module

import pytest
from django.db import connection

from trackii.audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table


def tamper(sql: str, params=()) -> None:
    """Run ``sql`` as the database owner would, with the append-only guard lifted for the statement."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while the actor foreign key's deferred checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditevent_append_only")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_auditevent_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER audit_auditevent_no_delete")
            cursor.execute(sql, params)
            for statement in import_module(
                "trackii.audit.migrations.0002_append_only_triggers"
            ).SQLITE_FORWARD:
                cursor.execute(statement)


@pytest.fixture
def checkpoint_dir(settings, tmp_path):
    settings.TRACKII_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints"
