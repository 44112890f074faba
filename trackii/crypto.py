"""Encryption at rest: encrypting values under the key ring or a data key, blind indexes, encrypted fields.

The ring and the token format are in trackii/keyring.py (decision 0001); the data keys of dialogues and people
that the ring wraps, in trackii/datakeys.py (decision 0025). Everything a value needs is importable from here.
"""

import json
import os

from cryptography.exceptions import InvalidTag
from django import forms
from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from trackii.datakeys import data_key as unwrapped
from trackii.keyring import (  # noqa: F401 (re-exported: what the rest of Trackii imports from here)
    DATA_KEY_TOKEN_VERSION,
    DEVELOPMENT_KEYS_FILE,
    ENV_VARIABLE,
    INDEX_KEY_ID,
    KEY_BYTES,
    NONCE_BYTES,
    TOKEN_VERSION,
    DecryptionError,
    KeyDestroyed,
    KeyRing,
    _parse_header,
    data_key_id_of,
    generate_key,
    key_id_of,
    load_key_ring_setting,
)


class Shredded(str):
    """What an encrypted field reads when its data key was destroyed: empty, so a page shows nothing, and
    recognisable (``isinstance(value, Shredded)``) where a page says why. It keeps the stored token, so saving
    the object again leaves the value exactly as it was."""

    def __new__(cls, token: bytes = b""):
        value = super().__new__(cls, "")
        value.token = bytes(token)
        return value


class Token(bytes):
    """A value already encrypted for its row (by a field's ``pre_save`` or ``encrypt_for``): stored as is."""


def encrypt(plaintext: bytes, *, context: bytes = b"", data_key: str | None = None) -> bytes:
    """A token under the data key ``data_key`` (a dialogue's, a person's), or without one under the ring's
    newest key (what belongs to no dialogue and no person: sessions, second factors, staff requests)."""
    if data_key is None:
        return KeyRing.from_setting().encrypt(plaintext, context=context)
    encoded_id = data_key.encode("ascii")
    header = bytes([DATA_KEY_TOKEN_VERSION, len(encoded_id)]) + encoded_id
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + unwrapped(data_key).encrypt(nonce, plaintext, header + context)


def decrypt(token: bytes, *, context: bytes = b"") -> bytes:
    """The plaintext; raises DecryptionError on any alteration, another context or a key not in the ring,
    KeyDestroyed when the token's data key was destroyed."""
    token = bytes(token)
    version, key_id, header_length = _parse_header(token)
    if version == TOKEN_VERSION:
        return KeyRing.from_setting().decrypt(token, context=context)
    aead = unwrapped(key_id)
    nonce = token[header_length : header_length + NONCE_BYTES]
    try:
        return aead.decrypt(nonce, token[header_length + NONCE_BYTES :], token[:header_length] + context)
    except InvalidTag:
        raise DecryptionError("The token was altered or belongs to another context.") from None


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 (hex, 64 characters) of the normalised value under a key derived for ``purpose``.

    Normalised with NFKC, stripped and case-folded, so look-ups ignore case and surrounding blanks. The same
    value gives different indexes for different purposes, so two columns cannot be joined on their indexes.
    """
    return KeyRing.from_setting().blind_index(value, purpose=purpose)


# --- Model fields ---------------------------------------------------------------------------------------


class _NullOnlyExact(Exact):
    """``filter(field=None)`` still works (Django turns it into isnull); any real value is refused."""

    def __init__(self, lhs, rhs):
        if rhs is not None:
            raise FieldError(lhs.output_field.lookup_refusal("exact"))
        super().__init__(lhs, rhs)


class EncryptedTextField(models.BinaryField):
    """A text value stored as an AES-GCM token bound to ``<app_label>.<model>.<field name>``.

    Encrypted values cannot be filtered, ordered or indexed meaningfully; use a blind index column for
    look-ups. Renaming the model or the field changes the context: pass ``context="<old context>"`` to keep
    reading values written under the old name.
    """

    description = "Text encrypted at rest"
    empty_values = [None, ""]

    def __init__(self, *args, context: str | None = None, **kwargs):
        kwargs.setdefault("editable", True)
        self.context = context
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        if not self.editable:
            kwargs["editable"] = False
        if self.context is not None:
            kwargs["context"] = self.context
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.primary_key or self.unique or self.db_index:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be a primary key, unique or indexed: its values are random.",
                    hint="Index a blind index column (trackii.crypto.blind_index) instead.",
                    obj=self,
                    id="trackii.E001",
                )
            )
        return errors

    def _check_str_default_value(self):
        return []  # the Python value is text, so a text default is right

    @property
    def encryption_context(self) -> bytes:
        if self.context is not None:
            return self.context.encode()
        return f"{self.model._meta.label_lower}.{self.name}".encode()

    def lookup_refusal(self, lookup_name: str) -> str:
        return (
            f"{self.encryption_context.decode()} is encrypted and cannot be filtered by value "
            f"('{lookup_name}'): use a blind index column, or 'isnull'."
        )

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _NullOnlyExact
        raise FieldError(self.lookup_refusal(lookup_name))

    def get_transform(self, lookup_name):
        return None

    def get_default(self):
        return models.Field.get_default(self)  # BinaryField's would turn the empty default into b""

    def _serialise(self, value) -> bytes:
        if not isinstance(value, str):
            raise TypeError(f"{self.encryption_context.decode()} holds text, not {type(value).__name__}.")
        return value.encode("utf-8")

    def _deserialise(self, plaintext: bytes):
        return plaintext.decode("utf-8")

    def pre_save(self, model_instance, add):
        """The value encrypted for its row: under the data key its model names (``encryption_key_id``: its
        dialogue's or its person's), else under the ring."""
        value = getattr(model_instance, self.attname)
        if value is None or isinstance(value, Token):
            return value
        return self.encrypt_for(model_instance, value)

    def encrypt_for(self, model_instance, value) -> Token:
        """``value`` as this field stores it for ``model_instance``: what ``update()`` must be given."""
        if isinstance(value, Shredded):
            return Token(value.token)  # destroyed: kept exactly as it was
        # Not getattr(…, None): an AttributeError inside the property must not quietly mean "the ring".
        key_id = (
            model_instance.encryption_key_id if hasattr(type(model_instance), "encryption_key_id") else None
        )
        return Token(encrypt(self._serialise(value), context=self.encryption_context, data_key=key_id))

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None:
            return None
        if isinstance(value, Token):
            return connection.Database.Binary(bytes(value))
        if hasattr(self.model, "encryption_key_id"):
            # update() and bulk_update() give no object, so no data key: refuse rather than fall back to
            # the ring, which would put a dialogue's value out of reach of its destruction.
            raise FieldError(
                f"{self.encryption_context.decode()} is encrypted under its object's data key: save the "
                "object, or give update() the field's encrypt_for(object, value)."
            )
        token = encrypt(self._serialise(value), context=self.encryption_context)
        return connection.Database.Binary(token)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        try:
            return self._deserialise(decrypt(bytes(value), context=self.encryption_context))
        except KeyDestroyed:
            return Shredded(value)

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def value_to_string(self, obj):
        return self.value_from_object(obj)

    def formfield(self, **kwargs):
        defaults = {"max_length": self.max_length}
        if self.null:
            defaults["empty_value"] = None
        return models.Field.formfield(self, **{**defaults, **kwargs})


class EncryptedJSONField(EncryptedTextField):
    """A JSON-serialisable dict or list (venue details, for instance), encrypted like EncryptedTextField."""

    description = "JSON encrypted at rest"
    empty_strings_allowed = False
    empty_values = [None, "", [], (), {}]

    def _serialise(self, value) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def _deserialise(self, plaintext: bytes):
        return json.loads(plaintext)

    def to_python(self, value):
        return value

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.JSONField, **kwargs})
