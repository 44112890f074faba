from importlib import import_module
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.audit.services import record_event, write_checkpoint

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


def rows(count: int) -> None:
    for n in range(count):
        record_event(actor=None, action=Action.VIEW, target_type="dialogues.summary", target_id=str(n))


@pytest.fixture
def signed_chain(checkpoint_dir):
    """Rows 1-10: checkpoints signed at rows 4 and 8, rows 9 and 10 not yet signed."""
    rows(3)
    write_checkpoint()  # row 4
    rows(3)
    write_checkpoint()  # row 8
    rows(2)
    return checkpoint_dir


def fails_verification(*words: str) -> str:
    """verify_audit exits with status 1 and a message holding each of ``words``."""
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
    message = str(raised.value)
    assert raised.value.returncode == 1
    assert message.startswith("Audit chain BROKEN"), message
    for word in words:
        assert word in message, message
    return message


def passes_verification() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=StringIO())
    return out.getvalue()
