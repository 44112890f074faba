"""Key-check values: a key ring with the right key ids but other keys is refused at start and by
`reencrypt --check`, instead of writing values no one can read (issue 16 §6, decision 0016)."""

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from tests.factories import PersonFactory
from trackii import crypto
from trackii.celery import refuse_a_wrong_key_ring
from trackii.crypto import INDEX_KEY_ID, KeyRing
from trackii.keycheck import record_missing, refuse_a_wrong_ring
from trackii.models import KeyCheck

pytestmark = pytest.mark.django_db


def entries(text: str) -> dict[str, str]:
    return dict(entry.split(":", 1) for entry in text.split(","))


def ring_text(keys: dict[str, str]) -> str:
    return ",".join(f"{key_id}:{key}" for key_id, key in keys.items())


@pytest.fixture
def right(settings) -> dict[str, str]:
    """The ring the test database was created with (its key checks were recorded by the migration)."""
    return entries(settings.TRACKII_ENCRYPTION_KEYS)


@pytest.fixture
def newest(right) -> str:
    return [key_id for key_id in right if key_id != INDEX_KEY_ID][-1]


def reencrypt(*args: str) -> str:
    out = StringIO()
    call_command("reencrypt", *args, stdout=out)
    return out.getvalue()


def test_the_migration_recorded_every_key_of_the_ring(right):
    assert set(KeyCheck.objects.values_list("key_id", flat=True)) == set(right)
    call_command("check")  # no error
    refuse_a_wrong_ring("web server")  # no error


def test_a_ring_with_the_same_key_id_and_another_key_is_refused_by_check(settings, right, newest):
    PersonFactory()
    settings.TRACKII_ENCRYPTION_KEYS = ring_text({**right, newest: crypto.generate_key()})
    with pytest.raises(SystemCheckError, match=rf"trackii\.E113.*key '{newest}' is not the key"):
        call_command("check")


def test_another_index_key_is_refused_by_check(settings, right):
    settings.TRACKII_ENCRYPTION_KEYS = ring_text({**right, INDEX_KEY_ID: crypto.generate_key()})
    with pytest.raises(SystemCheckError, match=r"trackii\.E113.*key 'index' is not the key"):
        call_command("check")


def test_a_ring_with_none_of_the_database_keys_is_refused_by_check(settings, right, newest):
    other = {key_id: key for key_id, key in right.items() if key_id != newest}
    settings.TRACKII_ENCRYPTION_KEYS = ring_text({"other1": crypto.generate_key(), **other})
    with pytest.raises(SystemCheckError, match="none of its keys"):
        call_command("check")


def test_a_new_key_at_the_front_of_the_ring_is_no_error(settings, right):
    settings.TRACKII_ENCRYPTION_KEYS = ring_text({"next": crypto.generate_key(), **right})  # rotation, step 1
    call_command("check")


def test_web_and_worker_refuse_to_start_with_a_wrong_ring(settings, right, newest):
    settings.TRACKII_ENCRYPTION_KEYS = ring_text({**right, newest: crypto.generate_key()})
    with pytest.raises(ImproperlyConfigured, match="The web server refuses to start"):
        refuse_a_wrong_ring("web server")
    with pytest.raises(SystemExit, match="The worker refuses to start"):
        refuse_a_wrong_key_ring()


def test_reencrypt_check_decrypts_every_value_and_refuses_a_wrong_ring(settings, right, newest):
    PersonFactory.create_batch(3)  # name and e-mail each: 6 values
    assert "6 of 6 values decrypt with this ring." in reencrypt("--check")

    settings.TRACKII_ENCRYPTION_KEYS = ring_text({**right, newest: crypto.generate_key()})
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("reencrypt", "--check", stdout=out)
    assert "The key ring is not this database's" in str(refused.value)
    assert "6 values cannot be decrypted with this key ring" in str(refused.value)
    assert "participants.Person: 0 values in 0 rows use older keys; 6 cannot be decrypted" in out.getvalue()
    assert "0 of 6 values decrypt with this ring." in out.getvalue()


def test_reencrypt_refuses_to_rewrite_under_a_wrong_ring(settings, right, newest):
    settings.TRACKII_ENCRYPTION_KEYS = ring_text({**right, newest: crypto.generate_key()})
    with pytest.raises(CommandError, match=f"key '{newest}' is not the key this database was written with"):
        reencrypt()


def test_reencrypt_records_the_new_key_of_a_rotation(settings, right, own_keystore):
    person = PersonFactory()
    new_key = crypto.generate_key()
    rotated = {**right, "next": new_key}  # rotation, step 2: the new key encrypts
    settings.TRACKII_ENCRYPTION_KEYS = ring_text(rotated)
    out = StringIO()
    # The person's values are under their data key: rotation re-wraps that key, not the row.
    with pytest.raises(CommandError, match="1 values still use older keys"):
        call_command("reencrypt", "--check", stdout=out)
    assert "not recorded yet: next" in out.getvalue()
    assert "participants.Person: 0 values in 0 rows use older keys" in out.getvalue()
    output = reencrypt()
    assert "Data keys: 1 re-wrapped under next, 0 already were." in output
    assert crypto.key_id_of((own_keystore / f"{person.data_key_id}.key").read_bytes()) == "next"
    assert KeyCheck.objects.filter(key_id="next").exists()

    settings.TRACKII_ENCRYPTION_KEYS = ring_text({**rotated, "next": crypto.generate_key()})
    with pytest.raises(SystemCheckError, match="key 'next' is not the key"):
        call_command("check")
    settings.TRACKII_ENCRYPTION_KEYS = ring_text(rotated)
    assert type(person).objects.get(pk=person.pk).name == person.name


def test_first_recording_refuses_a_ring_that_does_not_decrypt_what_is_stored(
    settings, right, newest, own_keystore
):
    """An existing database meets key checks for the first time: the ring is checked against its values,
    and against the data keys it wraps (the person's values are under one)."""
    person = PersonFactory()
    KeyCheck.objects.all().delete()
    wrong = KeyRing.parse(ring_text({**right, newest: crypto.generate_key()}))
    with pytest.raises(
        ImproperlyConfigured,
        match=rf"key '{newest}' does not decrypt 1 of the values .*data key {person.data_key_id}",
    ):
        record_missing(wrong)
    assert not KeyCheck.objects.exists()

    assert sorted(record_missing()) == sorted(right)
    assert record_missing() == []  # once


@pytest.mark.django_db(transaction=True)
def test_the_migration_records_the_ring_of_an_existing_database_and_refuses_a_wrong_one(
    settings, right, newest
):
    PersonFactory()
    call_command("migrate", "trackii", "zero", verbosity=0)  # as before this migration existed
    assert KeyCheck._meta.db_table not in connection.introspection.table_names()

    settings.TRACKII_ENCRYPTION_KEYS = ring_text({**right, newest: crypto.generate_key()})
    with pytest.raises(ImproperlyConfigured, match="does not decrypt"):
        call_command("migrate", "trackii", verbosity=0)
    assert KeyCheck._meta.db_table not in connection.introspection.table_names()  # rolled back

    settings.TRACKII_ENCRYPTION_KEYS = ring_text(right)
    call_command("migrate", "trackii", verbosity=0)
    assert set(KeyCheck.objects.values_list("key_id", flat=True)) == set(right)
