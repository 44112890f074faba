"""SQLite only: a table rebuild in a later migration (an AlterField remakes the table) dropped the triggers of
0002 that keep a membership's side within its dialogue, without a word; the embedded database of `make run`
had none. Created again here if missing. PostgreSQL keeps its triggers through ALTER TABLE: nothing to do.
`tests/test_sqlite_triggers.py` fails if a migration's trigger is missing after `migrate` on SQLite."""

import importlib

from django.db import migrations

from trackii.db import vendor_sql

SIDE_TRIGGERS = importlib.import_module("participants.migrations.0002_membership_side_trigger")
DROP = (
    "DROP TRIGGER IF EXISTS participants_membership_side_in_dialogue_insert\n--;\n"
    "DROP TRIGGER IF EXISTS participants_membership_side_in_dialogue_update"
)


class Migration(migrations.Migration):
    dependencies = [("participants", "0006_person_name")]

    operations = [
        vendor_sql(
            postgresql="SELECT 1",
            sqlite=DROP + "\n--;\n" + SIDE_TRIGGERS.SQLITE,
            reverse_postgresql="SELECT 1",
            reverse_sqlite="SELECT 1",
        )
    ]
