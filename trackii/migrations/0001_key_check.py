"""The key-check table, and its first values from the ring this migration runs with (decision 0016).

On an existing database the values already stored are decrypted first (a sample of each column), so a first
run with the wrong ring fails here instead of recording the wrong keys as the right ones. On a new database
there is nothing to compare with: the ring it is created with becomes its ring.
"""

from django.db import migrations, models


def record_the_ring(apps, schema_editor):
    from trackii.keycheck import record_missing

    record_missing(model=apps.get_model("trackii", "KeyCheck"))


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="KeyCheck",
            fields=[
                ("key_id", models.CharField(max_length=32, primary_key=True, serialize=False)),
                ("value", models.BinaryField()),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        # Nothing to undo: the table goes with the reversed CreateModel.
        migrations.RunPython(record_the_ring, migrations.RunPython.noop),
    ]
