"""Data keys (decision 0025): each dialogue's and each person's values under their own key, wrapped by the
ring in a keystore outside the database; destroying a key makes its values unreadable here and in every
backup."""

import json
import shutil

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.utils import timezone

from dialogues.models import Summary, Workshop
from participants.models import Person
from tests.factories import DialogueFactory, PersonFactory, SummaryFactory, WorkshopFactory
from tests.test_backup import Installation, new_database, tables_in  # noqa: F401 (a fixture)
from trackii import datakeys
from trackii.crypto import (
    KeyDestroyed,
    Shredded,
    data_key_id_of,
    decrypt,
    encrypt,
    generate_key,
    key_id_of,
)
from trackii.models import DataKey

pytestmark = pytest.mark.django_db


def raw(model, pk, column: str) -> bytes:
    with connection.cursor() as cursor:
        table, column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(column)
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (names, not input)
        return bytes(cursor.fetchone()[0])


def test_a_dialogue_and_a_person_each_get_a_key_of_their_own_in_the_keystore(settings):
    workshop = WorkshopFactory(venue="Hotel Lakeside, room 4")
    dialogue = workshop.series.dialogue
    person = PersonFactory(name="Amira Haddad")
    keys = {dialogue.data_key_id, person.data_key_id, DialogueFactory().data_key_id}
    assert len(keys) == 3 and None not in keys
    assert DataKey.objects.get(pk=dialogue.data_key_id).purpose == "dialogue"
    assert DataKey.objects.get(pk=person.data_key_id).purpose == "person"
    # The wrapped key is a ring token bound to its id; the database holds no key material at all.
    wrapped = (datakeys.keystore_dir() / f"{dialogue.data_key_id}.key").read_bytes()
    assert key_id_of(wrapped) in settings.TRACKII_ENCRYPTION_KEYS
    assert data_key_id_of(raw(Workshop, workshop.pk, "venue")) == dialogue.data_key_id
    assert data_key_id_of(raw(Person, person.pk, "name")) == person.data_key_id
    assert Workshop.objects.get(pk=workshop.pk).venue == "Hotel Lakeside, room 4"


def test_a_key_file_moved_to_another_id_does_not_unwrap(own_keystore):
    first, second = DialogueFactory(), DialogueFactory()
    folder = datakeys.keystore_dir()
    (folder / f"{second.data_key_id}.key").write_bytes((folder / f"{first.data_key_id}.key").read_bytes())
    with pytest.raises(Exception, match="altered or belongs to another context"):
        datakeys.data_key(second.data_key_id)


def test_a_key_is_unwrapped_once_per_scope_and_not_kept_outside_one():
    dialogue = DialogueFactory()
    with datakeys.data_key_scope():
        assert datakeys.data_key(dialogue.data_key_id) is datakeys.data_key(dialogue.data_key_id)
    assert datakeys.data_key(dialogue.data_key_id) is not datakeys.data_key(dialogue.data_key_id)


def test_a_destroyed_dialogue_key_leaves_its_values_unreadable_and_nothing_else(
    django_capture_on_commit_callbacks,
):
    summary = SummaryFactory(body="What was said in the room")
    workshop = summary.workshop
    Workshop.objects.filter(pk=workshop.pk).update(
        venue=Workshop._meta.get_field("venue").encrypt_for(workshop, "Hotel Lakeside")
    )
    other = SummaryFactory(body="Another dialogue's summary")
    person = PersonFactory(name="Amira Haddad")
    pdf = encrypt(b"%PDF-1.7 sealed", context=b"summary:1:v1", data_key=summary.encryption_key_id)
    key_id = workshop.series.dialogue.data_key_id

    with django_capture_on_commit_callbacks(execute=True):
        datakeys.destroy_data_key(key_id)
        datakeys.destroy_data_key(key_id)  # twice is once
    assert not (datakeys.keystore_dir() / f"{key_id}.key").exists()
    assert DataKey.objects.get(pk=key_id).destroyed

    again = Summary.objects.get(pk=summary.pk)
    assert isinstance(again.body, Shredded) and again.body == ""
    assert Workshop.objects.get(pk=workshop.pk).venue == ""
    with pytest.raises(KeyDestroyed):
        decrypt(pdf, context=b"summary:1:v1")
    assert Summary.objects.get(pk=other.pk).body == "Another dialogue's summary"
    assert Person.objects.get(pk=person.pk).name == "Amira Haddad"

    # Saving the row again keeps the destroyed value exactly as it was; a new value cannot be written.
    token = raw(Summary, summary.pk, "body")
    again.save()
    assert raw(Summary, summary.pk, "body") == token
    again.body = "Something new"
    with pytest.raises(KeyDestroyed):
        again.save()


def test_update_without_an_object_is_refused_rather_than_put_under_the_ring():
    summary = SummaryFactory()
    with pytest.raises(FieldError, match="encrypted under its object's data key"):
        Summary.objects.filter(pk=summary.pk).update(body="no object, no key")


def test_a_row_inserted_in_bulk_still_gets_its_own_key():
    Person.objects.bulk_create([Person(pseudonym="P-bulk-1", name="Bulk One")])
    person = Person.objects.get(pseudonym="P-bulk-1")
    assert person.data_key_id and person.name == "Bulk One"
    assert data_key_id_of(raw(Person, person.pk, "name")) == person.data_key_id


def test_missing_keys_are_recorded_never_deleted_and_forgotten_when_they_come_back():
    dialogue = DialogueFactory()
    path = datakeys.keystore_dir() / f"{dialogue.data_key_id}.key"
    wrapped = path.read_bytes()
    path.unlink()
    assert dialogue.data_key_id in datakeys.missing_keys()
    assert dialogue.data_key_id in datakeys.reconcile_missing()
    key = DataKey.objects.get(pk=dialogue.data_key_id)
    assert key.gone and not key.destroyed and key.found_missing_at is not None
    # The keystore comes back (mounted late): the sweep deletes nothing it did not destroy, upkeep forgets it.
    path.write_bytes(wrapped)
    assert datakeys.upkeep() == {"deleted": 0, "missing": 0}
    assert path.exists() and not DataKey.objects.get(pk=dialogue.data_key_id).gone


def test_the_sweep_finishes_what_a_stopped_destruction_left(own_keystore):
    kept, destroyed, halfway = DialogueFactory(), DialogueFactory(), DialogueFactory()
    DataKey.objects.filter(pk=destroyed.data_key_id).update(destroyed_at=timezone.now())  # file not deleted
    doomed = own_keystore / f"{datakeys.DOOMED}{halfway.data_key_id}"
    (own_keystore / f"{halfway.data_key_id}.key").rename(doomed)  # stopped between rename and erase
    assert datakeys.sweep_destroyed() == 2
    assert not doomed.exists() and not (own_keystore / f"{destroyed.data_key_id}.key").exists()
    assert (own_keystore / f"{kept.data_key_id}.key").exists()


def test_rotation_never_rewraps_a_destroyed_key(own_keystore, settings):
    dialogue = DialogueFactory()
    DataKey.objects.filter(pk=dialogue.data_key_id).update(destroyed_at=timezone.now())
    settings.TRACKII_ENCRYPTION_KEYS = settings.TRACKII_ENCRYPTION_KEYS + f",next:{generate_key()}"
    rewrapped, _current = datakeys.rewrap_all()
    assert rewrapped == 0


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_before_destruction_and_restored_after_decrypts_none_of_the_dialogue(
    new_database,  # noqa: F811
    tmp_path,
):
    """The issue's test: a real pg_dump before the destruction, restored (pg_restore) after it, on the
    installation whose keystore lost the dialogue's key: not one of its values or PDFs decrypts, every other
    value does, and the restored pages know the dialogue is destroyed."""
    site = Installation(new_database("before"), tmp_path / "var")
    site.manage("migrate", "--no-input", "-v0")
    site.manage("seed_demo")  # sealed summaries and copies, comments, venues, names

    def probe(installation, dialogue_id):
        lines = installation.run("-m", "tests.shredding_probe", str(dialogue_id)).stdout.splitlines()
        return json.loads(lines[-1])

    dialogue_id = int(
        site.manage(
            "shell", "--no-imports", "-c",
            "from dialogues.models import Dialogue; print(Dialogue.objects.get(codename='tidewater').pk)",
        ).stdout.split()[-1]
    )  # fmt: skip
    before = probe(site, dialogue_id)
    assert before["dialogue read"] >= 20 and set(before) == {"dialogue read", "other read"}

    backup, keys = tmp_path / "backup", tmp_path / "keys"
    site.manage("backup", str(backup), "--keys", str(keys))
    site.manage(
        "shell", "--no-imports", "-c",
        "from django.db import transaction; from dialogues.models import Dialogue; "
        "from trackii.datakeys import destroy_data_key\n"
        f"with transaction.atomic(): destroy_data_key(Dialogue.objects.get(pk={dialogue_id}).data_key_id)",
    )  # fmt: skip

    restored = Installation(new_database("restored"), site.var_dir)  # the same keystore, a backup's database
    output = restored.manage("restore", str(backup), "--keys", str(keys)).stdout
    assert "1 data keys of this backup are not in the keystore" in output
    assert "The keystore was empty" not in output  # the escrowed copy in KEYS did not bring the key back
    after = probe(restored, dialogue_id)
    assert after == {"dialogue destroyed": before["dialogue read"], "other read": before["other read"]}
    gone = restored.manage(
        "shell", "--no-imports", "-c",
        "from dialogues.models import Dialogue; "
        f"key = Dialogue.objects.get(pk={dialogue_id}).data_key; print(key.gone, key.destroyed)",
    ).stdout.split()[-2:]  # fmt: skip
    assert gone == ["True", "False"]  # found missing, never counted as destroyed here (nothing is deleted)

    # A keystore that holds none of the backup's keys (another installation's) is refused before anything.
    elsewhere = Installation(new_database("elsewhere"), tmp_path / "var-elsewhere")
    (elsewhere.var_dir / "keystore").mkdir(parents=True)
    (elsewhere.var_dir / "keystore" / "0123456789abcdef.key").write_bytes(b"not this backup's")
    refused = elsewhere.manage("restore", str(backup), "--keys", str(keys), ok=False)
    assert refused.returncode == 1 and "holds none of this backup's" in refused.stderr
    assert tables_in(elsewhere.database) == 0
    shutil.rmtree(tmp_path / "var" / "keystore")
