"""A sealed summary never changes: its body, version and sealed file are frozen, and it can only move on to
"superseded". The model refuses too, but this trigger also stops raw SQL, bulk updates and other programs."""

from django.db import migrations

from trackii.db import vendor_sql

POSTGRESQL = """
CREATE FUNCTION dialogues_summary_frozen_when_sealed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status IN ('sealed', 'superseded') THEN
            RAISE EXCEPTION 'summary % is sealed and cannot be deleted', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status IN ('sealed', 'superseded') AND (
        NEW.body IS DISTINCT FROM OLD.body
        OR NEW.version IS DISTINCT FROM OLD.version
        OR NEW.workshop_id IS DISTINCT FROM OLD.workshop_id
        OR NEW.supersedes_id IS DISTINCT FROM OLD.supersedes_id
        OR NEW.sealed_at IS DISTINCT FROM OLD.sealed_at
        OR NEW.sealed_sha256 IS DISTINCT FROM OLD.sealed_sha256
        OR NEW.sealed_pdf IS DISTINCT FROM OLD.sealed_pdf
        OR NEW.status NOT IN ('sealed', 'superseded')
        OR (OLD.status = 'superseded' AND NEW.status <> 'superseded')
    ) THEN
        RAISE EXCEPTION 'summary % is sealed and cannot be changed; amend it with a new version', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
--;
CREATE TRIGGER dialogues_summary_frozen_when_sealed
    BEFORE UPDATE OR DELETE ON dialogues_summary
    FOR EACH ROW EXECUTE FUNCTION dialogues_summary_frozen_when_sealed()
"""

SQLITE = """
CREATE TRIGGER dialogues_summary_frozen_when_sealed_update BEFORE UPDATE ON dialogues_summary
WHEN OLD.status IN ('sealed', 'superseded') AND (
    NEW.body IS NOT OLD.body
    OR NEW.version IS NOT OLD.version
    OR NEW.workshop_id IS NOT OLD.workshop_id
    OR NEW.supersedes_id IS NOT OLD.supersedes_id
    OR NEW.sealed_at IS NOT OLD.sealed_at
    OR NEW.sealed_sha256 IS NOT OLD.sealed_sha256
    OR NEW.sealed_pdf IS NOT OLD.sealed_pdf
    OR NEW.status NOT IN ('sealed', 'superseded')
    OR (OLD.status = 'superseded' AND NEW.status <> 'superseded')
)
BEGIN SELECT RAISE(ABORT, 'summary is sealed and cannot be changed'); END
--;
CREATE TRIGGER dialogues_summary_frozen_when_sealed_delete BEFORE DELETE ON dialogues_summary
WHEN OLD.status IN ('sealed', 'superseded')
BEGIN SELECT RAISE(ABORT, 'summary is sealed and cannot be deleted'); END
"""


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0002_initial")]

    operations = [
        vendor_sql(
            postgresql=POSTGRESQL,
            sqlite=SQLITE,
            reverse_postgresql="""
DROP TRIGGER dialogues_summary_frozen_when_sealed ON dialogues_summary
--;
DROP FUNCTION dialogues_summary_frozen_when_sealed()
""",
            reverse_sqlite="""
DROP TRIGGER dialogues_summary_frozen_when_sealed_update
--;
DROP TRIGGER dialogues_summary_frozen_when_sealed_delete
""",
        )
    ]
