"""Five stages of the transfer pipeline (issue 21: "reflected in an official outcome" added, "developed" read
as "written up"), and each outcome's steps: one per stage reached, in order of stage and of date. That a step
is not dated before the stage before it (nor after the stage after it) spans rows, so a trigger holds it."""

import dialogues.models.outcomes
import django.core.validators
import django.db.models.deletion
import trackii.crypto
from django.conf import settings
from django.db import migrations, models

from trackii.db import vendor_sql

MESSAGE = "the stages of an outcome are reached in order: a step cannot be dated before the stage before it"

POSTGRESQL = f"""
CREATE FUNCTION dialogues_outcomestep_in_order() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM dialogues_outcomestep s
        WHERE s.outcome_id = NEW.outcome_id AND s.id <> NEW.id AND (
            (s.position < NEW.position AND s.reached_on > NEW.reached_on)
            OR (s.position > NEW.position AND s.reached_on < NEW.reached_on)
        )
    ) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
--;
CREATE TRIGGER dialogues_outcomestep_in_order BEFORE INSERT OR UPDATE ON dialogues_outcomestep
    FOR EACH ROW EXECUTE FUNCTION dialogues_outcomestep_in_order()
"""
REVERSE_POSTGRESQL = """
DROP TRIGGER dialogues_outcomestep_in_order ON dialogues_outcomestep
--;
DROP FUNCTION dialogues_outcomestep_in_order()
"""
_OUT_OF_ORDER = """
    WHEN EXISTS (
        SELECT 1 FROM dialogues_outcomestep s
        WHERE s.outcome_id = NEW.outcome_id AND s.id <> NEW.id AND (
            (s.position < NEW.position AND s.reached_on > NEW.reached_on)
            OR (s.position > NEW.position AND s.reached_on < NEW.reached_on)
        )
    )
"""
SQLITE = f"""
CREATE TRIGGER dialogues_outcomestep_in_order BEFORE INSERT ON dialogues_outcomestep
{_OUT_OF_ORDER.replace("s.id <> NEW.id AND ", "")}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
--;
CREATE TRIGGER dialogues_outcomestep_in_order_update BEFORE UPDATE ON dialogues_outcomestep
{_OUT_OF_ORDER}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
"""
REVERSE_SQLITE = """
DROP TRIGGER dialogues_outcomestep_in_order
--;
DROP TRIGGER dialogues_outcomestep_in_order_update
"""


class Migration(migrations.Migration):

    dependencies = [
        ('dialogues', '0011_ripeness_log'),
        ('participants', '0004_cut_off'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='outcome',
            name='stage',
            field=models.CharField(choices=[('idea', 'Idea raised'), ('developed', 'Written up'), ('shared', 'Shared with officials'), ('taken_up', 'Taken up'), ('reflected', 'Reflected in an official outcome')], default='idea', max_length=12),
        ),
        migrations.CreateModel(
            name='OutcomeStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('idea', 'Idea raised'), ('developed', 'Written up'), ('shared', 'Shared with officials'), ('taken_up', 'Taken up'), ('reflected', 'Reflected in an official outcome')], max_length=12)),
                ('position', models.PositiveSmallIntegerField(editable=False)),
                ('reached_on', models.DateField()),
                ('channel', models.CharField(blank=True, help_text='How it travelled, e.g. "briefing to the foreign ministry". No names: carriers are chosen by pseudonym.', max_length=200, validators=[dialogues.models.outcomes.validate_line])),
                ('note', trackii.crypto.EncryptedTextField(blank=True, default='', validators=[dialogues.models.outcomes.validate_note, django.core.validators.MaxLengthValidator(2000)])),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('carriers', models.ManyToManyField(blank=True, related_name='carried_outcome_steps', to='participants.person')),
                ('outcome', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='dialogues.outcome')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['outcome', 'position'],
                'constraints': [models.UniqueConstraint(fields=('outcome', 'stage'), name='outcome_step_once_per_stage'), models.CheckConstraint(condition=models.Q(models.Q(('position', 1), ('stage', 'idea')), models.Q(('position', 2), ('stage', 'developed')), models.Q(('position', 3), ('stage', 'shared')), models.Q(('position', 4), ('stage', 'taken_up')), models.Q(('position', 5), ('stage', 'reflected')), _connector='OR'), name='outcome_step_position_is_stage')],
            },
        ),
        vendor_sql(
        postgresql=POSTGRESQL,
        sqlite=SQLITE,
        reverse_postgresql=REVERSE_POSTGRESQL,
        reverse_sqlite=REVERSE_SQLITE,
    ),
    ]
