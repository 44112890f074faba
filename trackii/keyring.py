"""The key ring and the token format: what every encrypted value and every data key is made with.

Why it is built this way, the key ring format and the rotation procedure: docs/decisions/0001; the data keys
the ring wraps: decision 0025 (trackii/datakeys.py). Values are encrypted through trackii/crypto.py.

A token is ``version (1 byte) | key id length (1 byte) | key id (ASCII) | nonce (12 bytes) | ciphertext+tag``.
Version 1 is under a key of the ring (``key id`` names it); version 2 under a data key (``key id`` is the
data key's). The header and the caller's ``context`` are authenticated as associated data, so a token cannot
be moved to another column, relabelled with another key id or altered by one bit without failing to decrypt.
"""

import base64
import contextlib
import functools
import hashlib
import hmac
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
from django.core.exceptions import ImproperlyConfigured

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


def key_id_of(token: bytes) -> str:
    """The id of the key a token is under: a ring key's, or for a data-key token the data key's."""
    return _parse_header(bytes(token))[1]


def data_key_id_of(token: bytes) -> str | None:
    """The data key a token is under, or None for a token under the ring."""
    version, key_id, _ = _parse_header(bytes(token))
    return key_id if version == DATA_KEY_TOKEN_VERSION else None
