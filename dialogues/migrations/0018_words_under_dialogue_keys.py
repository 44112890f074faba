"""A dialogue's own words go under its data key (decision 0025), so destroying the dialogue leaves none of them
readable in any backup: its title, conflict and ground rules; its series' titles and descriptions; its
workshops' titles; its agenda items' titles and descriptions; its outcomes' titles, descriptions, channels
(transfer_via) and evidence. The codename, the sides' names and an outcome's recipient (a check constraint
reads it) stay plain.

Each column is replaced without losing a value: a new encrypted column is added under the final field's
context, filled from the plain one (trackii.rekeying.encrypt_plain), the plain one dropped and the new one
renamed. Undone, the plain columns come back filled from the tokens (a value whose key was destroyed comes
back empty). A series' title can no longer be unique in the database: the service checks it. None of these
tables has a trigger, so SQLite's table rebuilds lose nothing.
"""

from django.db import migrations, models

import trackii.crypto
from trackii.rekeying import decrypt_to_plain, encrypt_plain, keys_for

# model -> (the path from the row to its dialogue's id, the fields to encrypt)
FIELDS = {
    "dialogue": ("pk", ("title", "conflict", "ground_rules")),
    "workshopseries": ("dialogue_id", ("title", "description")),
    "workshop": ("series__dialogue_id", ("title",)),
    "agendaitem": ("workshop__series__dialogue_id", ("title", "description")),
    "outcome": ("dialogue_id", ("title", "description", "transfer_via", "evidence")),
}


def forwards(apps, schema_editor):
    keys = keys_for(apps.get_model("dialogues", "Dialogue"), purpose="dialogue")
    for model_name, (path, fields) in FIELDS.items():
        encrypt_plain(
            apps.get_model("dialogues", model_name),
            {f"{name}_encrypted": name for name in fields},
            key_of=lambda row, path=path: keys[row[path]],
            values=() if path == "pk" else (path,),
        )
    if schema_editor.connection.vendor == "postgresql":
        # A key just given to a dialogue without one leaves a deferred foreign-key check pending, and
        # PostgreSQL alters no table with one pending: check them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def backwards(apps, schema_editor):
    for model_name, (_, fields) in FIELDS.items():
        decrypt_to_plain(
            apps.get_model("dialogues", model_name), {f"{name}_encrypted": name for name in fields}
        )


def _added():
    return [
        migrations.AddField(
            model_name=model_name,
            name=f"{name}_encrypted",
            field=trackii.crypto.EncryptedTextField(null=True, context=f"dialogues.{model_name}.{name}"),
        )
        for model_name, (_, fields) in FIELDS.items()
        for name in fields
    ]


def _nullable_first():
    """The required plain columns allowed to be empty first, so that undoing the migration can add them back
    before it fills them."""
    return [
        migrations.AlterField(
            model_name=model_name, name="title", field=models.CharField(max_length=200, null=True)
        )
        for model_name in ("dialogue", "workshopseries", "agendaitem", "outcome")
    ]


def _swapped():
    operations = []
    for model_name, (_, fields) in FIELDS.items():
        for name in fields:
            operations += [
                migrations.RemoveField(model_name=model_name, name=name),
                migrations.RenameField(model_name=model_name, old_name=f"{name}_encrypted", new_name=name),
            ]
    return operations


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0017_destruction")]

    operations = [
        migrations.RemoveConstraint(model_name="workshopseries", name="series_title_unique_in_dialogue"),
        *_nullable_first(),
        *_added(),
        migrations.RunPython(forwards, backwards, elidable=False),
        *_swapped(),
        # The final fields: their context is now their own name's, the required ones NOT NULL again.
        migrations.AlterField(
            model_name="dialogue",
            name="title",
            field=trackii.crypto.EncryptedTextField(max_length=200),
        ),
        migrations.AlterField(
            model_name="dialogue",
            name="conflict",
            field=trackii.crypto.EncryptedTextField(
                blank=True, default="", help_text="The conflict this dialogue addresses, in your own words."
            ),
        ),
        migrations.AlterField(
            model_name="dialogue",
            name="ground_rules",
            field=trackii.crypto.EncryptedTextField(
                default=(
                    "When a meeting, or part thereof, is held under the Chatham House Rule, participants are "
                    "free to use the information received, but neither the identity nor the affiliation of the "
                    "speaker(s), nor that of any other participant, may be revealed."
                )
            ),
        ),
        migrations.AlterField(
            model_name="workshopseries",
            name="title",
            field=trackii.crypto.EncryptedTextField(max_length=200),
        ),
        migrations.AlterField(
            model_name="workshopseries",
            name="description",
            field=trackii.crypto.EncryptedTextField(blank=True, default=""),
        ),
        migrations.AlterField(
            model_name="workshop",
            name="title",
            field=trackii.crypto.EncryptedTextField(blank=True, default="", max_length=200),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="title",
            field=trackii.crypto.EncryptedTextField(max_length=200),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="description",
            field=trackii.crypto.EncryptedTextField(blank=True, default=""),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="title",
            field=trackii.crypto.EncryptedTextField(max_length=200),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="description",
            field=trackii.crypto.EncryptedTextField(blank=True, default=""),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="transfer_via",
            field=trackii.crypto.EncryptedTextField(
                blank=True, default="", help_text="Through whom it travelled.", max_length=200
            ),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="evidence",
            field=trackii.crypto.EncryptedTextField(blank=True, default=""),
        ),
    ]
