import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from trackii.sealing import keys


def test_sign_bytes_verifies():
    signature = keys.sign_bytes(b"chain head 1234")
    assert keys.verify_bytes(b"chain head 1234", signature)


def test_verify_bytes_changed_data_fails():
    signature = keys.sign_bytes(b"chain head 1234")
    assert not keys.verify_bytes(b"chain head 1235", signature)
    assert not keys.verify_bytes(b"chain head 1234", signature[:-2] + b"\x00\x00")
    assert not keys.verify_bytes(b"chain head 1234", b"")


def test_verify_bytes_with_a_retired_certificate(use_p12, other_p12):
    use_p12(other_p12, "other-passphrase")
    old = keys.load_identity()
    signature = keys.sign_bytes(b"checkpoint")
    use_p12("", "")
    assert keys.load_identity().certificate != old.certificate
    assert not keys.verify_bytes(b"checkpoint", signature)
    assert keys.verify_bytes(b"checkpoint", signature, certificate=old.certificate)


def test_load_identity_reads_the_configured_p12(use_p12, other_p12):
    use_p12(other_p12, "other-passphrase")
    identity = keys.load_identity()
    assert identity.certificate.subject.rfc4514_string() == "CN=Someone else"
    assert keys.load_identity() is identity  # cached per process


def test_load_identity_rsa_key_signs_and_verifies(use_p12, tmp_path):
    path = tmp_path / "rsa.p12"
    path.write_bytes(keys.generate_identity_p12(key_type="rsa-3072", passphrase="rsa-passphrase"))
    use_p12(path, "rsa-passphrase")
    assert keys.load_identity().private_key.key_size == 3072
    assert keys.verify_bytes(b"data", keys.sign_bytes(b"data"))


def test_load_identity_wrong_passphrase_is_a_configuration_error(use_p12, other_p12):
    use_p12(other_p12, "not-the-passphrase")
    with pytest.raises(ImproperlyConfigured, match="TRACKII_SIGNING_P12_PASSPHRASE"):
        keys.load_identity()


def test_load_identity_missing_file_is_a_configuration_error(use_p12, tmp_path):
    use_p12(tmp_path / "absent.p12", "x")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        keys.load_identity()


def test_load_identity_in_production_needs_a_configured_key(settings, use_p12, monkeypatch):
    monkeypatch.delenv("TRACKII_SIGNING_P12", raising=False)
    use_p12("", "")
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="TRACKII_SIGNING_P12"):
        keys.load_identity()


def test_load_identity_creates_a_private_development_key(settings, use_p12, tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKII_SIGNING_P12", raising=False)
    use_p12("", "")
    settings.VAR_DIR = tmp_path
    identity = keys.load_identity()
    path = tmp_path / "signing" / "third-party.p12"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.passphrase_path_for(path).stat().st_mode) == 0o600

    keys.load_identity.cache_clear()
    assert keys.load_identity().certificate == identity.certificate  # found again, not replaced
