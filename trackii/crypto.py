"""Encryption at rest: a versioned key ring, AES-256-GCM tokens, blind indexes and encrypted model fields.

Why it is built this way, the key ring format and the rotation procedure: docs/decisions/0001; the data keys
of dialogues and people that the ring wraps (envelope encryption, crypto-shredding): decision 0025.

A token is ``version (1 byte) | key id length (1 byte) | key id (ASCII) | nonce (12 bytes) | ciphertext+tag``.
Version 1 is under a key of the ring (``key id`` names it); version 2 under a data key (``key id`` is the
data key's, trackii/datakeys.py). The header and the caller's ``context`` are authenticated as associated
data, so a token cannot be moved to another column, relabelled with another key id or altered by one bit
without failing to decrypt.
"""

import base64
import contextlib
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import unicodedata
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull

ENV_VARIABLE = "TRACKII_ENCRYPTION_KEYS"
DEVELOPMENT_KEYS_FILE = "encryption_keys"
INDEX_KEY_ID = "index"  # reserved entry in the ring: the HMAC key for blind indexes, never used to encrypt
TOKEN_VERSION = 1  # under a key of the ring
DATA_KEY_TOKEN_VERSION = 2  # under a data key (trackii/datakeys.py)
NONCE_BYTES = 12
KEY_BYTES = 32
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")


class DecryptionError(Exception):
    """The token is malformed, was altered, belongs to another context, or its key is not in the ring."""


class KeyDestroyed(DecryptionError):
    """The token's data key was destroyed (crypto-shredded): nothing can read it any more, by design."""


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


def generate_key() -> str:
    """A new random 256-bit key, in the urlsafe base64 form the key ring expects."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def _decode_key(key_id: str, text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{ENV_VARIABLE}: key {key_id!r} must be {KEY_BYTES} random bytes in urlsafe base64 "
            "(python -c 'from trackii.crypto import generate_key; print(generate_key())' makes one)."
        )
    return key


class KeyRing:
    """Ordered, versioned keys: the newest (last listed) encrypts, any listed key decrypts.

    Parsed from ``"<id>:<b64>,<id>:<b64>,index:<b64>"``; the ``index`` entry is the separate HMAC key for
    blind indexes and may stand anywhere in the list.
    """

    def __init__(self, keys: dict[str, bytes], *, index_key: bytes):
        if not keys:
            raise ImproperlyConfigured(f"{ENV_VARIABLE} lists no encryption key.")
        if index_key in keys.values():
            raise ImproperlyConfigured(
                f"{ENV_VARIABLE}: the index key must differ from every encryption key."
            )
        self._aeads = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._index_key = index_key
        self._index_keys_by_purpose: dict[str, bytes] = {}
        self.key_ids: tuple[str, ...] = tuple(keys)
        self.newest_id: str = self.key_ids[-1]

    def __repr__(self) -> str:  # never show key material
        return f"<KeyRing {', '.join(self.key_ids)} (newest {self.newest_id})>"

    @classmethod
    def parse(cls, text: str) -> "KeyRing":
        keys: dict[str, bytes] = {}
        index_key = None
        for entry in (part.strip() for part in text.split(",")):
            if not entry:
                continue
            key_id, sep, encoded = entry.partition(":")
            key_id = key_id.strip()
            if not sep or not _KEY_ID.fullmatch(key_id):
                raise ImproperlyConfigured(
                    f"{ENV_VARIABLE}: each entry must be '<id>:<urlsafe base64 key>' with an id of 1-32 "
                    f"letters, digits, '.', '_' or '-'; got an entry starting {entry[:8]!r}."
                )
            if key_id in keys or (key_id == INDEX_KEY_ID and index_key is not None):
                raise ImproperlyConfigured(f"{ENV_VARIABLE}: key id {key_id!r} is listed twice.")
            key = _decode_key(key_id, encoded.strip())
            if key_id == INDEX_KEY_ID:
                index_key = key
            else:
                keys[key_id] = key
        if index_key is None:
            raise ImproperlyConfigured(
                f"{ENV_VARIABLE} needs an '{INDEX_KEY_ID}:<key>' entry: the HMAC key for blind indexes."
            )
        return cls(keys, index_key=index_key)

    @classmethod
    def from_setting(cls) -> "KeyRing":
        """The ring in ``settings.TRACKII_ENCRYPTION_KEYS``, parsed once per distinct value."""
        from django.conf import settings

        text = getattr(settings, "TRACKII_ENCRYPTION_KEYS", None)
        if text is None:
            # Until settings.py defines the setting, read the environment / var/ file the same way it will.
            text = _fallback_setting(str(settings.VAR_DIR), bool(getattr(settings, "PRODUCTION", False)))
        return _parse_cached(text)

    def encrypt(self, plaintext: bytes, *, context: bytes = b"", key_id: str | None = None) -> bytes:
        """A token under the newest key, or under ``key_id`` (the key-check values need one per key)."""
        key_id = key_id or self.newest_id
        encoded_id = key_id.encode("ascii")
        header = bytes([TOKEN_VERSION, len(encoded_id)]) + encoded_id
        nonce = os.urandom(NONCE_BYTES)
        return header + nonce + self._aeads[key_id].encrypt(nonce, plaintext, header + context)

    def decrypt(self, token: bytes, *, context: bytes = b"") -> bytes:
        token = bytes(token)
        version, key_id, header_length = _parse_header(token)
        if version != TOKEN_VERSION:
            raise DecryptionError("The token is under a data key, not a key of the ring.")
        aead = self._aeads.get(key_id)
        if aead is None:
            raise DecryptionError(f"Key {key_id!r} is not in the key ring.")
        nonce = token[header_length : header_length + NONCE_BYTES]
        try:
            return aead.decrypt(nonce, token[header_length + NONCE_BYTES :], token[:header_length] + context)
        except InvalidTag:
            raise DecryptionError("The token was altered or belongs to another context.") from None

    def blind_index(self, value: str, *, purpose: str) -> str:
        if not purpose:
            raise ValueError("A blind index needs a purpose, e.g. 'participants.person.email'.")
        key = self._index_keys_by_purpose.get(purpose)
        if key is None:
            key = HKDF(
                algorithm=hashes.SHA256(),
                length=32,
                salt=None,
                info=b"trackii/blind-index/v1/" + purpose.encode(),
            ).derive(self._index_key)
            self._index_keys_by_purpose[purpose] = key
        normalised = unicodedata.normalize("NFKC", value).strip().casefold()
        return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


@functools.lru_cache(maxsize=8)
def _parse_cached(text: str) -> KeyRing:
    return KeyRing.parse(text)


@functools.lru_cache(maxsize=4)
def _fallback_setting(var_dir: str, production: bool) -> str:
    return load_key_ring_setting(var_dir=Path(var_dir), production=production)


def _parse_header(token: bytes) -> tuple[int, str, int]:
    """(version, key id, header length) of a token."""
    if len(token) < 2 or token[0] not in (TOKEN_VERSION, DATA_KEY_TOKEN_VERSION):
        raise DecryptionError("Not an encrypted token of a known version.")
    header_length = 2 + token[1]
    if token[1] == 0 or len(token) < header_length + NONCE_BYTES + 16:
        raise DecryptionError("The token is truncated.")
    try:
        return token[0], token[2:header_length].decode("ascii"), header_length
    except UnicodeDecodeError:
        raise DecryptionError("The token's key id is malformed.") from None


def load_key_ring_setting(*, var_dir: Path, production: bool, environ=os.environ) -> str:
    """The value for ``settings.TRACKII_ENCRYPTION_KEYS``, checked.

    From the ``TRACKII_ENCRYPTION_KEYS`` environment variable; without it, production refuses to start and
    development generates a ring once into ``var_dir/encryption_keys`` (mode 0600) and reads it from there.
    """
    text = environ.get(ENV_VARIABLE, "").strip()
    if not text:
        if production:
            raise ImproperlyConfigured(
                f"TRACKII_ENV=production needs {ENV_VARIABLE}: '<id>:<key>,...,{INDEX_KEY_ID}:<key>' with "
                "32-byte urlsafe base64 keys (see docs/decisions/0001-encryption-at-rest.md). Without it "
                "nothing encrypted can be read or written."
            )
        text = _development_key_ring(var_dir)
    KeyRing.parse(text)  # refuse a malformed ring at start-up, not at the first save
    return text


def _development_key_ring(var_dir: Path) -> str:
    path = var_dir / DEVELOPMENT_KEYS_FILE
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        # Written to a private temporary file and linked into place, so that the web server and the worker
        # starting together agree on one ring and never read a half-written file.
        descriptor, temporary = tempfile.mkstemp(dir=var_dir, prefix=".encryption_keys.")
        try:
            with os.fdopen(descriptor, "w") as handle:  # mkstemp creates it with mode 0600
                handle.write(f"dev1:{generate_key()},{INDEX_KEY_ID}:{generate_key()}\n")
            with contextlib.suppress(FileExistsError):  # another process won the race: use its ring
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


def encrypt(plaintext: bytes, *, context: bytes = b"", data_key: str | None = None) -> bytes:
    """A token under the data key ``data_key`` (a dialogue's, a person's), or without one under the ring's
    newest key (what belongs to no dialogue and no person: sessions, second factors, staff requests)."""
    if data_key is None:
        return KeyRing.from_setting().encrypt(plaintext, context=context)
    from trackii.datakeys import data_key as unwrapped

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
    from trackii.datakeys import data_key as unwrapped

    aead = unwrapped(key_id)
    nonce = token[header_length : header_length + NONCE_BYTES]
    try:
        return aead.decrypt(nonce, token[header_length + NONCE_BYTES :], token[:header_length] + context)
    except InvalidTag:
        raise DecryptionError("The token was altered or belongs to another context.") from None


def key_id_of(token: bytes) -> str:
    """The id of the key a token is under: a ring key's, or for a data-key token the data key's."""
    return _parse_header(bytes(token))[1]


def data_key_id_of(token: bytes) -> str | None:
    """The data key a token is under, or None for a token under the ring."""
    version, key_id, _ = _parse_header(bytes(token))
    return key_id if version == DATA_KEY_TOKEN_VERSION else None


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
