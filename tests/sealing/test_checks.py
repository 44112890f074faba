"""`check --deploy` opens the signing key it was given, with its passphrase (issue 16 §6)."""

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from trackii.sealing import keys
from trackii.sealing.checks import check_signing_key


@pytest.fixture
def p12(tmp_path):
    path = tmp_path / "third-party.p12"
    path.write_bytes(keys.generate_identity_p12(passphrase="the-right-one"))
    return path


def error_ids(settings, path, passphrase) -> list[str]:
    settings.TRACKII_SIGNING_P12 = str(path) if path else ""
    settings.TRACKII_SIGNING_P12_PASSPHRASE = passphrase
    return [error.id for error in check_signing_key()]


def test_the_right_key_and_passphrase_pass(settings, p12):
    assert error_ids(settings, p12, "the-right-one") == []


def test_a_wrong_passphrase_is_an_error(settings, p12):
    assert error_ids(settings, p12, "not-the-right-one") == ["trackii.E123"]
    assert "wrong TRACKII_SIGNING_P12_PASSPHRASE" in check_signing_key()[0].msg


def test_a_key_path_that_points_nowhere_is_an_error(settings, tmp_path):
    assert error_ids(settings, tmp_path / "missing.p12", "the-right-one") == ["trackii.E122"]
    assert "No such file" in check_signing_key()[0].msg


def test_a_file_that_is_not_pkcs12_is_an_error(settings, tmp_path):
    path = tmp_path / "not-a-key.p12"
    path.write_text("-----BEGIN NOTHING-----")
    assert error_ids(settings, path, "the-right-one") == ["trackii.E123"]


def test_no_key_configured_is_an_error_for_a_deployment(settings):
    assert error_ids(settings, None, "") == ["trackii.E121"]


def test_an_expired_certificate_is_an_error(settings, tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Expired seal")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=30))
        .not_valid_after(now - datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "expired.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"expired", key, certificate, None, serialization.BestAvailableEncryption(b"pass")
        )
    )
    assert error_ids(settings, path, "pass") == ["trackii.E124"]
