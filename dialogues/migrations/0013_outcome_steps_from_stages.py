"""Every outcome recorded before the pipeline had steps gets one for the stage it had reached, dated the day
it was transferred if that is known, or the day it was recorded, with the channel it noted ("through whom")."""

from django.db import migrations

STAGES = ("idea", "developed", "shared", "taken_up", "reflected")


def add_steps(apps, schema_editor):
    Outcome = apps.get_model("dialogues", "Outcome")
    OutcomeStep = apps.get_model("dialogues", "OutcomeStep")
    OutcomeStep.objects.bulk_create(
        OutcomeStep(
            outcome_id=outcome.pk,
            stage=outcome.stage,
            position=STAGES.index(outcome.stage) + 1,
            reached_on=outcome.transferred_on or outcome.created_at.date(),
            channel=outcome.transfer_via[:200],
            recorded_by_id=outcome.recorded_by_id,
        )
        for outcome in Outcome.objects.exclude(steps__isnull=False).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0012_outcome_stages_reflected_and_steps")]

    operations = [migrations.RunPython(add_steps, migrations.RunPython.noop)]
