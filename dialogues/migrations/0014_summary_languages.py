"""Summaries in more than one language (issue 22): the main version's language, parallel versions sealed with
it, and which version a review comment is about. A parallel version of a sealed (or sealing) summary is
frozen with it: the model refuses, and the trigger below also stops raw SQL and bulk updates. The language of
a sealed summary is frozen like its text: the seal trigger of 0003 is recreated with it."""

import importlib

import django.db.models.deletion
import trackii.crypto
from django.db import migrations, models

from trackii.db import vendor_sql

POSTGRESQL = """
CREATE FUNCTION dialogues_summarytranslation_frozen_when_sealed() RETURNS trigger AS $$
DECLARE
    owner_status varchar;
BEGIN
    SELECT status INTO owner_status FROM dialogues_summary
        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.summary_id ELSE NEW.summary_id END;
    IF owner_status IN ('sealing', 'sealed', 'superseded')
        OR (TG_OP = 'UPDATE' AND OLD.summary_id IS DISTINCT FROM NEW.summary_id) THEN
        RAISE EXCEPTION 'the versions of a sealed summary cannot be changed; amend it with a new version'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
--;
CREATE TRIGGER dialogues_summarytranslation_frozen_when_sealed
    BEFORE INSERT OR UPDATE OR DELETE ON dialogues_summarytranslation
    FOR EACH ROW EXECUTE FUNCTION dialogues_summarytranslation_frozen_when_sealed()
"""

SQLITE = """
CREATE TRIGGER dialogues_summarytranslation_frozen_update BEFORE UPDATE ON dialogues_summarytranslation
WHEN (SELECT status FROM dialogues_summary WHERE id = OLD.summary_id) IN ('sealing', 'sealed', 'superseded')
BEGIN SELECT RAISE(ABORT, 'the versions of a sealed summary cannot be changed'); END
--;
CREATE TRIGGER dialogues_summarytranslation_frozen_delete BEFORE DELETE ON dialogues_summarytranslation
WHEN (SELECT status FROM dialogues_summary WHERE id = OLD.summary_id) IN ('sealing', 'sealed', 'superseded')
BEGIN SELECT RAISE(ABORT, 'the versions of a sealed summary cannot be deleted'); END
--;
CREATE TRIGGER dialogues_summarytranslation_frozen_insert BEFORE INSERT ON dialogues_summarytranslation
WHEN (SELECT status FROM dialogues_summary WHERE id = NEW.summary_id) IN ('sealing', 'sealed', 'superseded')
BEGIN SELECT RAISE(ABORT, 'the versions of a sealed summary cannot be added to'); END
"""

# 0003's seal trigger, with the main version's language among what a sealed summary may not change.
SEAL_TRIGGER = importlib.import_module("dialogues.migrations.0003_summary_seal_trigger")
FROZEN_LANGUAGE = (
    "        OR NEW.language IS DISTINCT FROM OLD.language\n",
    "    OR NEW.language IS NOT OLD.language\n",
)


def _seal_function(sql: str) -> str:
    """0003's PostgreSQL function alone (its trigger stays), replaced in place."""
    return sql.split("--;")[0].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


def _with_language(sql: str, line: str) -> str:
    """`sql` with `line` added after the condition on the body, the first of those that freeze a summary."""
    after = sql.index("\n", sql.index("NEW.body IS")) + 1
    return sql[:after] + line + sql[after:]


# On SQLite a later migration's table rebuild (an AddField here, AlterFields before) drops a table's triggers
# without a word: both of 0003's are dropped if still there and created again, the update one with the language.
SEAL_SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS dialogues_summary_frozen_when_sealed_update\n--;\n"
    "DROP TRIGGER IF EXISTS dialogues_summary_frozen_when_sealed_delete"
)


def _sqlite_triggers(sql: str) -> tuple[str, str]:
    update, delete = (part.strip() for part in sql.split("--;")[:2])
    return update, delete


_UPDATE, _DELETE = _sqlite_triggers(SEAL_TRIGGER.SQLITE)

SEAL_WITH_LANGUAGE = vendor_sql(
    postgresql=_with_language(_seal_function(SEAL_TRIGGER.POSTGRESQL), FROZEN_LANGUAGE[0]),
    sqlite="\n--;\n".join([SEAL_SQLITE_DROP, _with_language(_UPDATE, FROZEN_LANGUAGE[1]), _DELETE]),
    reverse_postgresql=_seal_function(SEAL_TRIGGER.POSTGRESQL),
    reverse_sqlite="\n--;\n".join([SEAL_SQLITE_DROP, _UPDATE, _DELETE]),
)


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0013_outcome_steps_from_stages"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewcomment",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[
                    ("en", "English"),
                    ("fr", "Français"),
                    ("ru", "Русский"),
                    ("ar", "العربية"),
                    ("uk", "Українська"),
                    ("hy", "Հայերեն"),
                    ("az", "Azərbaycan dili"),
                    ("ka", "ქართული"),
                    ("tr", "Türkçe"),
                    ("he", "עברית"),
                    ("fa", "فارسی"),
                    ("ur", "اردو"),
                    ("hi", "हिन्दी"),
                    ("zh", "中文"),
                    ("ja", "日本語"),
                    ("ko", "한국어"),
                    ("de", "Deutsch"),
                    ("es", "Español"),
                ],
                default="",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="summary",
            name="language",
            field=models.CharField(
                choices=[
                    ("en", "English"),
                    ("fr", "Français"),
                    ("ru", "Русский"),
                    ("ar", "العربية"),
                    ("uk", "Українська"),
                    ("hy", "Հայերեն"),
                    ("az", "Azərbaycan dili"),
                    ("ka", "ქართული"),
                    ("tr", "Türkçe"),
                    ("he", "עברית"),
                    ("fa", "فارسی"),
                    ("ur", "اردو"),
                    ("hi", "हिन्दी"),
                    ("zh", "中文"),
                    ("ja", "日本語"),
                    ("ko", "한국어"),
                    ("de", "Deutsch"),
                    ("es", "Español"),
                ],
                default="en",
                max_length=8,
            ),
        ),
        migrations.CreateModel(
            name="SummaryTranslation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("fr", "Français"),
                            ("ru", "Русский"),
                            ("ar", "العربية"),
                            ("uk", "Українська"),
                            ("hy", "Հայերեն"),
                            ("az", "Azərbaycan dili"),
                            ("ka", "ქართული"),
                            ("tr", "Türkçe"),
                            ("he", "עברית"),
                            ("fa", "فارسی"),
                            ("ur", "اردو"),
                            ("hi", "हिन्दी"),
                            ("zh", "中文"),
                            ("ja", "日本語"),
                            ("ko", "한국어"),
                            ("de", "Deutsch"),
                            ("es", "Español"),
                        ],
                        max_length=8,
                    ),
                ),
                (
                    "body",
                    trackii.crypto.EncryptedTextField(
                        blank=True, default="", help_text="Markdown. Never name who said what."
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "summary",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="dialogues.summary",
                    ),
                ),
            ],
            options={
                "ordering": ["summary", "created_at", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("summary", "language"), name="summary_translation_once_per_language"
                    )
                ],
            },
        ),
        vendor_sql(
            postgresql=POSTGRESQL,
            sqlite=SQLITE,
            reverse_postgresql="""
DROP TRIGGER dialogues_summarytranslation_frozen_when_sealed ON dialogues_summarytranslation
--;
DROP FUNCTION dialogues_summarytranslation_frozen_when_sealed()
""",
            reverse_sqlite="""
DROP TRIGGER dialogues_summarytranslation_frozen_update
--;
DROP TRIGGER dialogues_summarytranslation_frozen_delete
--;
DROP TRIGGER dialogues_summarytranslation_frozen_insert
""",
        ),
        SEAL_WITH_LANGUAGE,
    ]
