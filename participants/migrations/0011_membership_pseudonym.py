"""Per-dialogue pseudonyms (issue 23, decision 0026): `Membership.pseudonym`, unique within its dialogue.

Existing memberships get theirs from `assign_pseudonyms` below. Each person's **first** membership (the
earliest `joined_on`, then the lowest id) keeps their account pseudonym ("P-5"): the sealed summaries, their
PDFs and copies are frozen (a trigger refuses any change) and the pages, audit rows and e-mails of that
dialogue already say "P-5", so the dialogue where most of the person's history lies reads as before. Every
later membership gets a new random pseudonym ("P-7KQM"), so from now on the pages of two dialogues no
longer name the same person alike. What was already shown in the other dialogues before the migration (an
e-mail sent, a page read) cannot be recalled; the decision says so. Nothing sealed is touched: sealed
bodies never named pseudonyms (the attribution guard keeps them out) and copies carry only opaque codes.

The drawing is random, not a counter, so it says nothing about who joined first."""

import importlib
import secrets

from django.db import migrations, models

from trackii.db import vendor_sql

SIDE_TRIGGERS_AGAIN = importlib.import_module(
    "participants.migrations.0007_membership_side_triggers_on_sqlite_again"
)

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # as participants.selectors, frozen here


def _draw(taken: set[str]) -> str:
    while True:
        tail = "".join(secrets.choice(ALPHABET) for _ in range(4))
        if not tail.isdigit() and f"P-{tail}" not in taken:
            return f"P-{tail}"


def assign_pseudonyms(membership_model) -> int:
    """Give every membership without a pseudonym one: the person's account pseudonym in the dialogue of their
    first membership, a fresh random one, unique in its dialogue, elsewhere. Returns how many it assigned.
    Safe to run twice: a membership that has one keeps it."""
    rows = list(
        membership_model.objects.order_by("person_id", "joined_on", "pk").values_list(
            "pk", "person_id", "dialogue_id", "pseudonym", "person__pseudonym"
        )
    )
    taken: dict[int, set[str]] = {}
    for _pk, _person, dialogue_id, pseudonym, account in rows:
        taken.setdefault(dialogue_id, set())
        if pseudonym:
            taken[dialogue_id].add(pseudonym)
    # The first membership of each person: their account pseudonym, unless a membership of that dialogue
    # already holds it (then they get a random one like the others).
    first_seen: set[int] = set()
    chosen: list[tuple[int, str]] = []
    for pk, person_id, dialogue_id, pseudonym, account in rows:
        first = person_id not in first_seen
        first_seen.add(person_id)
        if pseudonym:
            continue
        if first and account not in taken[dialogue_id]:
            value = account
        else:
            value = _draw(taken[dialogue_id])
        taken[dialogue_id].add(value)
        chosen.append((pk, value))
    objects = [membership_model(pk=pk, pseudonym=value) for pk, value in chosen]
    membership_model.objects.bulk_update(objects, ["pseudonym"], batch_size=1000)
    return len(objects)


def forwards(apps, schema_editor):
    assign_pseudonyms(apps.get_model("participants", "Membership"))


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0014_summary_languages"),
        ("participants", "0010_erasure_request"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="pseudonym",
            field=models.CharField(
                default="",
                help_text='What the dialogue\'s pages call the member, e.g. "P-7KQM".',
                max_length=32,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                fields=("dialogue", "pseudonym"), name="membership_pseudonym_once_per_dialogue"
            ),
        ),
        # SQLite rebuilds the table for the new column and the constraint, dropping 0002's triggers without a
        # word (as 0007 says): created again. PostgreSQL keeps them.
        vendor_sql(
            postgresql="SELECT 1",
            sqlite=SIDE_TRIGGERS_AGAIN.DROP + "\n--;\n" + SIDE_TRIGGERS_AGAIN.SIDE_TRIGGERS.SQLITE,
            reverse_postgresql="SELECT 1",
            reverse_sqlite="SELECT 1",
        ),
    ]
