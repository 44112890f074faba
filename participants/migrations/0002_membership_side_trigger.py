"""A membership's side must belong to the membership's own dialogue. A composite foreign key would say it, but
Django cannot declare one, so a trigger enforces it on PostgreSQL and SQLite alike."""

from django.db import migrations

from trackii.db import vendor_sql

POSTGRESQL = """
CREATE FUNCTION participants_membership_side_in_dialogue() RETURNS trigger AS $$
BEGIN
    IF NEW.side_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM dialogues_side WHERE id = NEW.side_id AND dialogue_id = NEW.dialogue_id
    ) THEN
        RAISE EXCEPTION 'membership side % does not belong to dialogue %', NEW.side_id, NEW.dialogue_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
--;
CREATE TRIGGER participants_membership_side_in_dialogue
    BEFORE INSERT OR UPDATE OF side_id, dialogue_id ON participants_membership
    FOR EACH ROW EXECUTE FUNCTION participants_membership_side_in_dialogue()
"""

SQLITE = """
CREATE TRIGGER participants_membership_side_in_dialogue_insert BEFORE INSERT ON participants_membership
WHEN NEW.side_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM dialogues_side WHERE id = NEW.side_id AND dialogue_id = NEW.dialogue_id
)
BEGIN SELECT RAISE(ABORT, 'membership side does not belong to its dialogue'); END
--;
CREATE TRIGGER participants_membership_side_in_dialogue_update BEFORE UPDATE OF side_id, dialogue_id
ON participants_membership
WHEN NEW.side_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM dialogues_side WHERE id = NEW.side_id AND dialogue_id = NEW.dialogue_id
)
BEGIN SELECT RAISE(ABORT, 'membership side does not belong to its dialogue'); END
"""


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial"), ("dialogues", "0002_initial")]

    operations = [
        vendor_sql(
            postgresql=POSTGRESQL,
            sqlite=SQLITE,
            reverse_postgresql="""
DROP TRIGGER participants_membership_side_in_dialogue ON participants_membership
--;
DROP FUNCTION participants_membership_side_in_dialogue()
""",
            reverse_sqlite="""
DROP TRIGGER participants_membership_side_in_dialogue_insert
--;
DROP TRIGGER participants_membership_side_in_dialogue_update
""",
        )
    ]
