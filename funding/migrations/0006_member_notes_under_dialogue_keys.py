"""A member's note with their answer on funding is encrypted again under their dialogue's data key (decision
0025). Disclosure reports stay under the key ring: they are the funder's record of what it paid for,
aggregate only, and outlive the dialogue's destruction. Undone, the notes go back under the ring."""

from django.db import migrations

from trackii.rekeying import field_contexts, keys_for, rekey, under_the_ring


def forwards(apps, schema_editor, *, back=False):
    dialogues = keys_for(apps.get_model("dialogues", "Dialogue"), purpose="dialogue")
    FundingNote = apps.get_model("funding", "FundingNote")
    rekey(
        FundingNote,
        field_contexts(FundingNote, ["text"]),
        key_of=under_the_ring if back else lambda row: dialogues.get(row["membership__dialogue_id"]),
        values=("membership__dialogue_id",),
    )


def backwards(apps, schema_editor):
    forwards(apps, schema_editor, back=True)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0005_disclosure_language"),
        ("dialogues", "0016_values_under_dialogue_keys"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
