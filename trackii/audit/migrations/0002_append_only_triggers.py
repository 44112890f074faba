"""Database triggers that make audit_auditevent append-only (docs/decisions/0003-audit-chain.md).

Allowed: INSERT; an UPDATE that only sets client_ip and client_ip_salt to NULL; a DELETE inside the retention
purge's transaction (PostgreSQL: SET LOCAL trackii.audit_purge = 'on'; SQLite: the purge drops and recreates
the delete trigger inside its own transaction). Everything else raises an IntegrityError.
"""

from django.db import migrations

TABLE = "audit_auditevent"

POSTGRESQL_FORWARD = """
CREATE FUNCTION audit_auditevent_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('trackii.audit_purge', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_auditevent is append-only: DELETE refused (only manage.py purge_audit deletes)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- Every column but the address and its salt must stay as it was (to_jsonb covers future columns too).
    IF NEW.client_ip IS NULL AND NEW.client_ip_salt IS NULL
       AND (to_jsonb(NEW) - 'client_ip' - 'client_ip_salt') = (to_jsonb(OLD) - 'client_ip' - 'client_ip_salt') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: UPDATE refused (only dropping client_ip is allowed)'
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_guard();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_guard();
"""

# SQLite compares column by column: a column added later must be added here (a new migration recreating it).
UNCHANGED_COLUMNS = (
    "id", "occurred_at", "actor_id", "actor_label", "action", "outcome", "target_type", "target_id",
    "dialogue_id", "request_id", "client_ip_hash", "detail", "prev_hash", "row_hash",
)
SQLITE_FORWARD = [
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON {TABLE}
    WHEN NOT (NEW.client_ip IS NULL AND NEW.client_ip_salt IS NULL AND
              {" AND ".join(f"NEW.{column} IS OLD.{column}" for column in UNCHANGED_COLUMNS)})
    BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused'); END""",
    # trackii.audit.services.SQLITE_NO_DELETE_SQL recreates this one after a purge: keep them identical.
    f"""CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON {TABLE} """
    """BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE refused'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No append-only triggers for {vendor}: the audit log needs PostgreSQL or SQLite.")


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]
