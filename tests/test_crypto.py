"""Encryption at rest: tokens, the key ring, blind indexes, the encrypted fields and `manage.py reencrypt`."""

import os
import stat
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.forms import modelform_factory

from trackii import crypto
from trackii.crypto import DecryptionError, EncryptedJSONField, EncryptedTextField, KeyRing

KEY_A, KEY_B, KEY_C, INDEX = (crypto.generate_key() for _ in range(4))
RING_A = f"2026a:{KEY_A},index:{INDEX}"
RING_AB = f"2026a:{KEY_A},2026b:{KEY_B},index:{INDEX}"
RING_B = f"index:{INDEX},2026b:{KEY_B}"
TABLE = "test_crypto_record"


@pytest.fixture(autouse=True)
def ring_a(settings):
    settings.TRACKII_ENCRYPTION_KEYS = RING_A


@pytest.fixture(scope="module")
def record_model(django_db_setup, django_db_blocker):
    """A model with encrypted columns and a real table, for this module only.

    No app may gain a model for a test, so the table is created here and dropped afterwards, and the class
    leaves the app registry with it (so that no later `reencrypt` finds a model without a table).
    """

    class Record(models.Model):
        name = EncryptedTextField(max_length=200)
        notes = EncryptedTextField(null=True, blank=True)
        venue = EncryptedJSONField(null=True, blank=True)
        email_index = models.CharField(max_length=64, blank=True, db_index=True)

        class Meta:
            app_label = "trackii"
            db_table = TABLE
            managed = False

        def __str__(self):
            return f"record {self.pk}"

    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(Record)
    yield Record
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.delete_model(Record)
    del apps.all_models["trackii"]["record"]
    apps.clear_cache()


def raw_row(pk: int) -> dict[str, bytes | None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, notes, venue FROM {TABLE} WHERE id = %s", [pk])  # noqa: S608
        name, notes, venue = cursor.fetchone()
    return {"name": name and bytes(name), "notes": notes and bytes(notes), "venue": venue and bytes(venue)}


# --- Tokens ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("plaintext", [b"", b"Amira Haddad", "Ōsaka · قطر · 🕊".encode(), os.urandom(5000)])
def test_token_round_trip_returns_plaintext(plaintext):
    token = crypto.encrypt(plaintext, context=b"participants.person.name")
    assert crypto.decrypt(token, context=b"participants.person.name") == plaintext
    assert crypto.key_id_of(token) == "2026a"
    assert plaintext == b"" or plaintext not in token


def test_token_layout_is_version_key_id_nonce_ciphertext():
    token = crypto.encrypt(b"abc", context=b"x")
    assert token[0] == 1
    assert token[1] == len(b"2026a")
    assert token[2:7] == b"2026a"
    assert len(token) == 7 + 12 + 3 + 16  # header, nonce, ciphertext, GCM tag


def test_token_same_plaintext_encrypts_differently_each_time():
    assert crypto.encrypt(b"same", context=b"c") != crypto.encrypt(b"same", context=b"c")


def test_token_tampered_at_any_byte_fails():
    token = crypto.encrypt(b"meets the other side in Oslo", context=b"c")
    for position in range(len(token)):
        tampered = bytearray(token)
        tampered[position] ^= 0x01
        with pytest.raises(DecryptionError):
            crypto.decrypt(bytes(tampered), context=b"c")


@pytest.mark.parametrize("cut", [0, 1, 5, 20, -1])
def test_token_truncated_fails(cut):
    token = crypto.encrypt(b"secret", context=b"c")
    with pytest.raises(DecryptionError):
        crypto.decrypt(token[:cut], context=b"c")


def test_token_with_other_context_fails():
    token = crypto.encrypt(b"secret", context=b"participants.person.name")
    with pytest.raises(DecryptionError):
        crypto.decrypt(token, context=b"participants.person.notes")


def test_token_under_key_not_in_ring_fails(settings):
    token = crypto.encrypt(b"secret", context=b"c")
    settings.TRACKII_ENCRYPTION_KEYS = RING_B
    with pytest.raises(DecryptionError, match="2026a"):
        crypto.decrypt(token, context=b"c")


def test_token_under_same_id_but_other_key_fails(settings):
    token = crypto.encrypt(b"secret", context=b"c")
    settings.TRACKII_ENCRYPTION_KEYS = f"2026a:{KEY_C},index:{INDEX}"
    with pytest.raises(DecryptionError):
        crypto.decrypt(token, context=b"c")


# --- Key ring -------------------------------------------------------------------------------------------


def test_key_ring_newest_is_last_listed_and_all_decrypt(settings):
    old = crypto.encrypt(b"old", context=b"c")
    settings.TRACKII_ENCRYPTION_KEYS = RING_AB
    ring = KeyRing.from_setting()
    assert ring.newest_id == "2026b"
    assert crypto.key_id_of(crypto.encrypt(b"new", context=b"c")) == "2026b"
    assert crypto.decrypt(old, context=b"c") == b"old"


def test_key_ring_repr_shows_no_key_material():
    assert KEY_A not in repr(KeyRing.from_setting())
    assert INDEX not in repr(KeyRing.from_setting())


@pytest.mark.parametrize(
    "text",
    [
        "",
        f"index:{INDEX}",
        f"2026a:{KEY_A}",
        f"2026a:{KEY_A[:20]},index:{INDEX}",
        f"2026a:{KEY_A},2026a:{KEY_B},index:{INDEX}",
        f"2026a:{KEY_A},index:{INDEX},index:{KEY_B}",
        f"bad id:{KEY_A},index:{INDEX}",
        f"2026a{KEY_A},index:{INDEX}",
        f"2026a:{KEY_A},index:{KEY_A}",
    ],
    ids=[
        "empty",
        "no-key",
        "no-index",
        "short-key",
        "duplicate-id",
        "two-indexes",
        "bad-id",
        "no-colon",
        "reuse",
    ],
)
def test_key_ring_malformed_is_refused(text):
    with pytest.raises(ImproperlyConfigured, match="TRACKII_ENCRYPTION_KEYS"):
        KeyRing.parse(text)


def test_key_ring_production_without_keys_refuses(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="production needs TRACKII_ENCRYPTION_KEYS"):
        crypto.load_key_ring_setting(var_dir=tmp_path, production=True, environ={})
    assert list(tmp_path.iterdir()) == []


def test_key_ring_production_ignores_development_file(tmp_path):
    crypto.load_key_ring_setting(var_dir=tmp_path, production=False, environ={})
    with pytest.raises(ImproperlyConfigured):
        crypto.load_key_ring_setting(var_dir=tmp_path, production=True, environ={})


def test_key_ring_production_with_malformed_keys_refuses(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="32 random bytes"):
        crypto.load_key_ring_setting(
            var_dir=tmp_path, production=True, environ={"TRACKII_ENCRYPTION_KEYS": "k1:c2hvcnQ=,index:x"}
        )


def test_key_ring_from_environment_is_used_as_given(tmp_path):
    text = crypto.load_key_ring_setting(
        var_dir=tmp_path, production=True, environ={"TRACKII_ENCRYPTION_KEYS": f" {RING_AB} "}
    )
    assert KeyRing.parse(text).newest_id == "2026b"
    assert list(tmp_path.iterdir()) == []


def test_key_ring_development_generated_once_and_private(tmp_path):
    var_dir = tmp_path / "var"
    first = crypto.load_key_ring_setting(var_dir=var_dir, production=False, environ={})
    second = crypto.load_key_ring_setting(var_dir=var_dir, production=False, environ={})
    assert first == second
    assert sorted(p.name for p in var_dir.iterdir()) == ["encryption_keys"]
    assert stat.S_IMODE((var_dir / "encryption_keys").stat().st_mode) == 0o600
    ring = KeyRing.parse(first)
    assert ring.decrypt(ring.encrypt(b"x", context=b"c"), context=b"c") == b"x"


def test_key_ring_development_environment_wins_over_file(tmp_path):
    crypto.load_key_ring_setting(var_dir=tmp_path, production=False, environ={})
    text = crypto.load_key_ring_setting(
        var_dir=tmp_path, production=False, environ={"TRACKII_ENCRYPTION_KEYS": RING_A}
    )
    assert text == RING_A


# --- Blind index ----------------------------------------------------------------------------------------


def test_blind_index_stable_and_ignores_case_and_blanks():
    index = crypto.blind_index("Amira.Haddad@Example.org", purpose="participants.person.email")
    assert index == crypto.blind_index("  amira.haddad@example.ORG\n", purpose="participants.person.email")
    assert len(index) == 64
    assert int(index, 16) >= 0


def test_blind_index_differs_per_value_and_per_purpose():
    email = "amira.haddad@example.org"
    assert crypto.blind_index(email, purpose="a") != crypto.blind_index(email, purpose="b")
    assert crypto.blind_index(email, purpose="a") != crypto.blind_index(
        "amira.hadad@example.org", purpose="a"
    )


def test_blind_index_depends_on_index_key_not_secret_key(settings):
    before = crypto.blind_index("amira@example.org", purpose="p")
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    settings.TRACKII_ENCRYPTION_KEYS = RING_AB  # rotating encryption keys leaves indexes alone
    assert crypto.blind_index("amira@example.org", purpose="p") == before
    settings.TRACKII_ENCRYPTION_KEYS = f"2026a:{KEY_A},index:{KEY_C}"
    assert crypto.blind_index("amira@example.org", purpose="p") != before


def test_blind_index_needs_purpose():
    with pytest.raises(ValueError, match="purpose"):
        crypto.blind_index("amira@example.org", purpose="")


# --- Fields ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_field_raw_row_holds_no_plaintext(record_model):
    record = record_model.objects.create(
        name="Amira Haddad",
        notes="Former negotiator; must not be seen in Geneva",
        venue={"hotel": "Bellevue"},
    )
    raw = raw_row(record.pk)
    for column, plaintext in [("name", b"Amira Haddad"), ("notes", b"Geneva"), ("venue", b"Bellevue")]:
        assert plaintext not in raw[column]
        assert crypto.key_id_of(raw[column]) == "2026a"
    with connection.cursor() as cursor:
        # Nor in any text form PostgreSQL can render of the whole row.
        cursor.execute(f"SELECT t::text FROM {TABLE} t WHERE id = %s", [record.pk])  # noqa: S608
        (row_text,) = cursor.fetchone()
    assert "Amira" not in row_text
    assert "Geneva" not in row_text
    assert "Bellevue" not in row_text


@pytest.mark.django_db
def test_field_round_trip_through_database(record_model):
    record = record_model.objects.create(
        name="Ōmar Ḥaddād", notes="", venue={"city": "Montreux", "rooms": [101, 102], "private": True}
    )
    loaded = record_model.objects.get(pk=record.pk)
    assert loaded.name == "Ōmar Ḥaddād"
    assert loaded.notes == ""
    assert loaded.venue == {"city": "Montreux", "rooms": [101, 102], "private": True}
    assert record_model.objects.values_list("name", flat=True).get(pk=record.pk) == "Ōmar Ḥaddād"


@pytest.mark.django_db
def test_field_none_is_sql_null_and_empty_text_is_encrypted(record_model):
    record = record_model.objects.create(name="", notes=None, venue=None)
    raw = raw_row(record.pk)
    assert raw["notes"] is None
    assert raw["venue"] is None
    assert crypto.key_id_of(raw["name"]) == "2026a"
    loaded = record_model.objects.get(pk=record.pk)
    assert (loaded.name, loaded.notes, loaded.venue) == ("", None, None)


@pytest.mark.django_db
def test_field_token_copied_to_other_column_fails(record_model):
    record = record_model.objects.create(name="Amira Haddad", notes="harmless note")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET notes = name WHERE id = %s", [record.pk])  # noqa: S608
    with pytest.raises(DecryptionError):
        record_model.objects.get(pk=record.pk)


@pytest.mark.django_db
def test_field_token_copied_to_other_row_same_column_still_decrypts(record_model):
    # Documented limit: the context names the column, not the row (see docs/decisions/0001).
    first = record_model.objects.create(name="Amira")
    second = record_model.objects.create(name="Omar")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET name = (SELECT name FROM {TABLE} WHERE id = %s) WHERE id = %s",  # noqa: S608
            [first.pk, second.pk],
        )
    assert record_model.objects.get(pk=second.pk).name == "Amira"


@pytest.mark.django_db
def test_field_lookup_by_value_is_refused(record_model):
    for lookup in [
        {"name": "Amira"},
        {"name__icontains": "mir"},
        {"name__in": ["Amira"]},
        {"venue__city": "x"},
    ]:
        with pytest.raises(FieldError, match="encrypted"):
            list(record_model.objects.filter(**lookup))


@pytest.mark.django_db
def test_field_isnull_lookups_work(record_model):
    with_notes = record_model.objects.create(name="a", notes="n")
    without = record_model.objects.create(name="b", notes=None)
    assert list(record_model.objects.filter(notes__isnull=True)) == [without]
    assert list(record_model.objects.filter(notes=None)) == [without]
    assert list(record_model.objects.exclude(notes=None)) == [with_notes]


@pytest.mark.django_db
def test_field_lookup_through_blind_index_finds_person(record_model):
    purpose = "trackii.record.email"
    record_model.objects.create(
        name="x", email_index=crypto.blind_index("Amira@Example.org", purpose=purpose)
    )
    record_model.objects.create(name="y", email_index=crypto.blind_index("omar@example.org", purpose=purpose))
    found = record_model.objects.get(email_index=crypto.blind_index(" amira@example.ORG", purpose=purpose))
    assert found.name == "x"


@pytest.mark.django_db
def test_field_model_form_saves_encrypted(record_model):
    form_class = modelform_factory(record_model, fields=["name", "notes", "venue"])
    form = form_class(data={"name": "Amira Haddad", "notes": "", "venue": '{"city": "Oslo"}'})
    assert form.is_valid(), form.errors
    record = form.save()
    assert b"Amira" not in raw_row(record.pk)["name"]
    assert raw_row(record.pk)["notes"] is None  # a blank optional field is NULL, not an encrypted ""
    assert record_model.objects.get(pk=record.pk).venue == {"city": "Oslo"}
    too_long = form_class(data={"name": "x" * 201})
    assert "name" in too_long.errors


def test_field_deconstruct_rebuilds_same_field(record_model):
    for field_name in ["name", "notes", "venue"]:
        field = record_model._meta.get_field(field_name)
        _name, path, args, kwargs = field.deconstruct()
        assert path in {"trackii.crypto.EncryptedTextField", "trackii.crypto.EncryptedJSONField"}
        rebuilt = type(field)(*args, **kwargs)
        assert rebuilt.deconstruct()[3] == kwargs
        assert rebuilt.editable and rebuilt.null == field.null and rebuilt.max_length == field.max_length
    pinned = EncryptedTextField(context="participants.person.name", editable=False)
    assert pinned.deconstruct()[3] == {"context": "participants.person.name", "editable": False}


def test_field_pinned_context_keeps_values_readable_after_rename(record_model):
    field = EncryptedTextField(context="trackii.record.name")
    field.set_attributes_from_name("full_name")
    field.model = record_model
    assert field.encryption_context == record_model._meta.get_field("name").encryption_context
    token = crypto.encrypt(b"Amira", context=b"trackii.record.name")
    assert field.from_db_value(token, None, connection) == "Amira"


def test_field_unique_or_indexed_fails_system_check(record_model):
    field = EncryptedTextField(unique=True)
    field.set_attributes_from_name("secret")
    field.model = record_model
    assert [error.id for error in field.check()] == ["trackii.E001"]
    assert record_model._meta.get_field("name").check() == []


# --- reencrypt ------------------------------------------------------------------------------------------


@pytest.fixture
def key_checks_not_recorded(db):
    """The test database recorded the key checks of the suite's own ring; these tests bring rings of their
    own, so they start from a database that has met none yet (tests/test_keycheck.py covers the checks)."""
    from trackii.models import KeyCheck

    KeyCheck.objects.all().delete()


def run_reencrypt(*args: str) -> str:
    out = StringIO()
    call_command("reencrypt", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_reencrypt_rotation_keeps_values_readable_after_old_key_is_removed(
    record_model, settings, key_checks_not_recorded, own_keystore
):
    records = [
        record_model.objects.create(name=f"Person {i}", notes=None if i % 2 else f"note {i}", venue={"i": i})
        for i in range(7)
    ]
    settings.TRACKII_ENCRYPTION_KEYS = RING_AB
    with pytest.raises(CommandError, match="18 values still use older keys"):
        run_reencrypt("--check")

    output = run_reencrypt("--batch-size", "3")
    assert "trackii.Record: 18 values in 7 rows re-encrypted (2026a: 18)" in output
    assert "0 values in 0 rows use older keys" in run_reencrypt("--check")
    assert "trackii.Record: 0 values in 0 rows re-encrypted" in run_reencrypt()  # re-run: nothing left

    settings.TRACKII_ENCRYPTION_KEYS = RING_B
    for i, record in enumerate(records):
        loaded = record_model.objects.get(pk=record.pk)
        assert (loaded.name, loaded.notes, loaded.venue) == (f"Person {i}", record.notes, {"i": i})
        assert {crypto.key_id_of(token) for token in raw_row(record.pk).values() if token} == {"2026b"}


@pytest.mark.django_db
def test_reencrypt_after_partial_run_only_touches_old_values(
    record_model, settings, key_checks_not_recorded, own_keystore
):
    records = [record_model.objects.create(name=f"Person {i}") for i in range(5)]
    settings.TRACKII_ENCRYPTION_KEYS = RING_AB
    records[1].save()  # as an interrupted run or an ordinary edit would leave it: already under 2026b
    records[3].save()
    output = run_reencrypt("--batch-size", "2")
    assert "trackii.Record: 3 values in 3 rows re-encrypted (2026a: 3)" in output


@pytest.mark.django_db
def test_reencrypt_with_key_missing_from_ring_stops_and_names_it(
    record_model, settings, key_checks_not_recorded, own_keystore
):
    record_model.objects.create(name="Amira")
    settings.TRACKII_ENCRYPTION_KEYS = RING_B
    out = StringIO()
    with pytest.raises(CommandError, match="1 values still use older keys"):
        call_command("reencrypt", "--check", stdout=out)
    assert "trackii.Record: 1 values in 1 rows use older keys (2026a: 1)" in out.getvalue()
    with pytest.raises(CommandError, match="Is a key missing from the ring"):
        run_reencrypt()
