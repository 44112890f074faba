"""An outcome step's channel ("a private briefing by a former official among the participants") and a review
comment's section heading (a heading of the summary) go under the dialogue's data key too (decision 0025), as
0018 did for the other words: a new encrypted column filled from the plain one, the plain one dropped, the new
one renamed; undone, the plain columns come back filled from the tokens. SQLite rebuilds the outcome steps'
table for it and loses 0012's triggers that keep steps in order: created again here."""

import importlib

from django.db import migrations

import dialogues.models.outcomes
import trackii.crypto
from trackii.db import vendor_sql
from trackii.rekeying import decrypt_to_plain, encrypt_plain, keys_for

STEPS = importlib.import_module("dialogues.migrations.0012_outcome_stages_reflected_and_steps")
FIELDS = {
    "outcomestep": ("outcome__dialogue_id", "channel"),
    "reviewcomment": ("summary__workshop__series__dialogue_id", "section"),
}
SQLITE_STEP_TRIGGERS = (
    "DROP TRIGGER IF EXISTS dialogues_outcomestep_in_order\n--;\n"
    "DROP TRIGGER IF EXISTS dialogues_outcomestep_in_order_update\n--;\n" + STEPS.SQLITE
)


def forwards(apps, schema_editor):
    keys = keys_for(apps.get_model("dialogues", "Dialogue"), purpose="dialogue")
    for model_name, (path, name) in FIELDS.items():
        encrypt_plain(
            apps.get_model("dialogues", model_name),
            {f"{name}_encrypted": name},
            key_of=lambda row, path=path: keys[row[path]],
            values=(path,),
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as 0018: a key given now leaves a check pending


def backwards(apps, schema_editor):
    for model_name, (_, name) in FIELDS.items():
        decrypt_to_plain(apps.get_model("dialogues", model_name), {f"{name}_encrypted": name})


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0018_words_under_dialogue_keys")]

    operations = [
        *[
            migrations.AddField(
                model_name=model_name,
                name=f"{name}_encrypted",
                field=trackii.crypto.EncryptedTextField(null=True, context=f"dialogues.{model_name}.{name}"),
            )
            for model_name, (_, name) in FIELDS.items()
        ],
        migrations.RunPython(forwards, backwards, elidable=False),
        *[
            operation
            for model_name, (_, name) in FIELDS.items()
            for operation in (
                migrations.RemoveField(model_name=model_name, name=name),
                migrations.RenameField(model_name=model_name, old_name=f"{name}_encrypted", new_name=name),
            )
        ],
        # The final fields: their context is now their own name's.
        migrations.AlterField(
            model_name="outcomestep",
            name="channel",
            field=trackii.crypto.EncryptedTextField(
                blank=True,
                default="",
                help_text='How it travelled, e.g. "briefing to the foreign ministry". No names: carriers are '
                "chosen by pseudonym.",
                max_length=200,
                validators=[dialogues.models.outcomes.validate_line],
            ),
        ),
        migrations.AlterField(
            model_name="reviewcomment",
            name="section",
            field=trackii.crypto.EncryptedTextField(
                blank=True, default="", help_text="The heading the comment refers to.", max_length=200
            ),
        ),
        vendor_sql(
            postgresql="SELECT 1",
            sqlite=SQLITE_STEP_TRIGGERS,
            reverse_postgresql="SELECT 1",
            reverse_sqlite="SELECT 1",
        ),
    ]
