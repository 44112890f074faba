"""Every dialogue gets its data key, and every value of a dialogue written under the key ring is encrypted
again under it (decision 0025): summaries and their versions, review comments, sealed PDFs and readers' copies,
venues, availability notes, ripeness entries and outcome notes. Only the tokens change; a sealed summary's
freezing triggers are paused for that rewrite alone. Undone, every value goes back under the ring (the data
keys stay in the keystore, unused)."""

from django.db import migrations

from trackii.rekeying import field_contexts, keys_for, rekey, under_the_ring


def forwards(apps, schema_editor, *, back=False):
    keys = keys_for(apps.get_model("dialogues", "Dialogue"), purpose="dialogue")
    connection = schema_editor.connection

    def move(model_name, fields, path, *, pdf=None, values=(), paused=False):
        model = apps.get_model("dialogues", model_name)
        columns = field_contexts(model, fields)
        if pdf:
            columns.update(pdf)
        rekey(
            model,
            columns,
            key_of=under_the_ring if back else lambda row: keys.get(row[path]),
            values=(path, *values),
            connection=connection if paused else None,
        )

    in_summary = "summary__workshop__series__dialogue_id"
    move(
        "Summary",
        ["body", "review_close_reason"],
        "workshop__series__dialogue_id",
        # dialogues.summaries.documents.summary_context, as it is when this migration is written
        pdf={"sealed_pdf": lambda row: f"summary:{row['pk']}:v{row['version']}".encode()},
        values=("version",),
        paused=True,
    )
    move("SummaryTranslation", ["body"], in_summary, paused=True)
    move("ReviewComment", ["body", "suggested_text", "quote", "response"], in_summary)
    move(
        "SummaryCopy",
        [],
        in_summary,
        # dialogues.summaries.documents.copy_context
        pdf={"pdf": lambda row: f"summary-copy:{row['copy_code']}".encode()},
        values=("copy_code",),
    )
    move("RipenessEntry", ["text"], "dialogue_id")
    move("OutcomeStep", ["note"], "outcome__dialogue_id", paused=True)
    move("Workshop", ["venue"], "series__dialogue_id")
    move("Invitation", ["availability_note"], "workshop__series__dialogue_id")


def backwards(apps, schema_editor):
    forwards(apps, schema_editor, back=True)


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0015_dialogue_data_key"),
        ("trackii", "0002_datakey"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
