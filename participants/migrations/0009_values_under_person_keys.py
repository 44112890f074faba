"""Every person gets their data key, and who they are (name, e-mail, phone, affiliation, notes) and the
reasons for their cut-offs are encrypted again under it; the other forms of a name, under the key of the
dialogue that recorded them (decision 0025). Only the tokens change. Undone, the values go back under the ring."""

from django.db import migrations

from trackii.rekeying import field_contexts, keys_for, rekey, under_the_ring


def forwards(apps, schema_editor, *, back=False):
    Person = apps.get_model("participants", "Person")
    people = keys_for(Person, purpose="person")
    dialogues = keys_for(apps.get_model("dialogues", "Dialogue"), purpose="dialogue")
    rekey(
        Person,
        field_contexts(Person, ["name", "email", "phone", "affiliation", "notes"]),
        key_of=under_the_ring if back else lambda row: people.get(row["pk"]),
    )
    CutOff = apps.get_model("participants", "CutOff")
    rekey(
        CutOff,
        field_contexts(CutOff, ["reason"]),
        key_of=under_the_ring if back else lambda row: people.get(row["person_id"]),
        values=("person_id",),
    )
    PersonName = apps.get_model("participants", "PersonName")
    rekey(
        PersonName,
        field_contexts(PersonName, ["name"]),
        key_of=under_the_ring if back else lambda row: dialogues.get(row["recorded_in_id"]),
        values=("recorded_in_id",),
    )


def backwards(apps, schema_editor):
    forwards(apps, schema_editor, back=True)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0008_person_data_key"),
        ("dialogues", "0016_values_under_dialogue_keys"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
