"""The Third Party's signing identity: one key and its self-signed certificate, from a PKCS#12 file.

Where it comes from, first match wins:
1. ``TRACKII_SIGNING_P12`` (setting or environment): a PKCS#12 file, with ``TRACKII_SIGNING_P12_PASSPHRASE``;
2. outside production only: ``$TRACKII_VAR_DIR/signing/third-party.p12`` with its passphrase in
   ``third-party.passphrase`` beside it, created on first use (or by ``manage.py create_signing_key``).
Production without ``TRACKII_SIGNING_P12`` is a configuration error, never a silently generated key.
"""

from __future__ import annotations

import datetime
import fcntl
import functools
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_COMMON_NAME = "Trackii Third Party seal"
KEY_TYPES = ("ec-p256", "rsa-3072")
CERTIFICATE_YEARS = 10

type PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class Identity:
    private_key: PrivateKey
    certificate: x509.Certificate
    signer: object  # pyhanko.sign.signers.SimpleSigner (imported lazily)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate, hex: how documents and logs name the key that signed them."""
        return self.certificate.fingerprint(hashes.SHA256()).hex()


def _setting(name: str) -> str:
    return str(getattr(settings, name, None) or os.environ.get(name, "") or "")


def development_key_path() -> Path:
    var_dir = Path(getattr(settings, "VAR_DIR", None) or os.environ.get("TRACKII_VAR_DIR", "var"))
    return var_dir / "signing" / "third-party.p12"


def passphrase_path_for(p12_path: Path) -> Path:
    return p12_path.with_suffix(".passphrase")


def generate_identity_p12(
    *, common_name: str = DEFAULT_COMMON_NAME, key_type: str = "ec-p256", passphrase: str
) -> bytes:
    """A new key and self-signed certificate as PKCS#12 bytes, encrypted with ``passphrase``."""
    if key_type == "ec-p256":
        key: PrivateKey = ec.generate_private_key(ec.SECP256R1())
    elif key_type == "rsa-3072":
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    else:
        raise ValueError(f"Unknown key type {key_type!r}; choose one of {', '.join(KEY_TYPES)}.")
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * CERTIFICATE_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: the seal says the Third Party stands by the text
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=common_name.encode(),
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )


def write_private_file(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write ``data`` to ``path``, mode 0600 from the first byte: never readable by others, even briefly."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    path.chmod(0o600)


def _create_development_identity(p12_path: Path) -> None:
    passphrase = secrets.token_urlsafe(24)
    data = generate_identity_p12(passphrase=passphrase)
    write_private_file(passphrase_path_for(p12_path), passphrase.encode(), overwrite=True)
    write_private_file(p12_path, data, overwrite=False)


def _preloaded_key_signer(*, private_key: PrivateKey, **kwargs):
    """A pyHanko SimpleSigner that signs with the key already in memory.

    SimpleSigner parses its key from DER for every signature; for RSA-3072 that check alone costs 100-300 ms
    here, which would make each recipient copy miss its 100 ms budget.
    """
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    class PreloadedKeySigner(SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15" and isinstance(private_key, rsa.RSAPrivateKey):
                return private_key.sign(data, PKCS1v15(), hash_algorithm)
            if mechanism == "ecdsa" and isinstance(private_key, ec.EllipticCurvePrivateKey):
                return private_key.sign(data, ec.ECDSA(hash_algorithm))
            return super().sign_raw(data, digest_algorithm)

    return PreloadedKeySigner(**kwargs)


def identity_from_p12(data: bytes, passphrase: str | None, *, source: str) -> Identity:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        key, certificate, _extra = pkcs12.load_key_and_certificates(
            data, passphrase.encode() if passphrase else None
        )
    except ValueError as error:
        raise ImproperlyConfigured(
            f"Cannot open the signing key {source}: wrong TRACKII_SIGNING_P12_PASSPHRASE or not PKCS#12 "
            f"({error})."
        ) from None
    if key is None or certificate is None:
        raise ImproperlyConfigured(
            f"The signing key file {source} must hold one private key and its certificate."
        )
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ImproperlyConfigured(f"The signing key in {source} must be an EC or RSA key.")
    key_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cert_asn1 = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    signer = _preloaded_key_signer(
        private_key=key,
        signing_cert=cert_asn1,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([cert_asn1]),
    )
    return Identity(private_key=key, certificate=certificate, signer=signer)


@functools.cache
def load_identity() -> Identity:
    """The signing identity, loaded once per process. Outside production, creates a development key."""
    configured = _setting("TRACKII_SIGNING_P12")
    if configured:
        path = Path(configured)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ImproperlyConfigured(
                f"TRACKII_SIGNING_P12={configured} cannot be read: {error.strerror}."
            ) from None
        return identity_from_p12(data, _setting("TRACKII_SIGNING_P12_PASSPHRASE"), source=configured)

    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(
            "TRACKII_ENV=production needs TRACKII_SIGNING_P12 (PKCS#12, see `manage.py create_signing_key`) "
            "and TRACKII_SIGNING_P12_PASSPHRASE."
        )
    path = development_key_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # The web server and a worker may both start on a fresh machine: one creates, the other waits and reads.
    with open(path.parent / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _create_development_identity(path)
        data = path.read_bytes()
        passphrase_file = passphrase_path_for(path)
        passphrase = passphrase_file.read_text().strip() if passphrase_file.exists() else ""
    return identity_from_p12(data, passphrase or _setting("TRACKII_SIGNING_P12_PASSPHRASE"), source=str(path))


def _signature_scheme(key_or_public_key):
    if isinstance(key_or_public_key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return (ec.ECDSA(hashes.SHA256()),)
    return (
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH),
        hashes.SHA256(),
    )


def sign_bytes(data: bytes) -> bytes:
    """A detached signature of ``data`` by the Third Party's key (ECDSA-SHA256 or RSA-PSS-SHA256)."""
    key = load_identity().private_key
    return key.sign(data, *_signature_scheme(key))


def verify_bytes(data: bytes, signature: bytes, *, certificate: x509.Certificate | None = None) -> bool:
    """Whether ``signature`` is ours over ``data``. Pass ``certificate`` to check against a retired key."""
    public_key = (certificate or load_identity().certificate).public_key()
    try:
        public_key.verify(signature, data, *_signature_scheme(public_key))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
