import stat

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import call_command
from django.core.management.base import CommandError

from trackii.sealing.seal import new_copy_code, stamp_copy


def _create(*args):
    from io import StringIO

    out = StringIO()
    call_command("create_signing_key", *args, stdout=out)
    return out.getvalue()


def test_create_signing_key_writes_a_private_p12(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKII_SIGNING_P12_PASSPHRASE", raising=False)
    path = tmp_path / "keys" / "third-party.p12"
    output = _create("--out", str(path), "--common-name", "Example Third Party")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    passphrase = output.split("Passphrase (shown once; set TRACKII_SIGNING_P12_PASSPHRASE to it): ")[
        1
    ].strip()
    key, certificate, _ = pkcs12.load_key_and_certificates(path.read_bytes(), passphrase.encode())
    assert key is not None
    assert certificate.subject.rfc4514_string() == "CN=Example Third Party"


def test_create_signing_key_uses_the_passphrase_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKII_SIGNING_P12_PASSPHRASE", "from-the-environment")
    path = tmp_path / "k.p12"
    output = _create("--out", str(path), "--key-type", "rsa-3072")
    assert "Passphrase" not in output
    key, _certificate, _ = pkcs12.load_key_and_certificates(path.read_bytes(), b"from-the-environment")
    assert key.key_size == 3072


def test_create_signing_key_refuses_to_overwrite(tmp_path):
    path = tmp_path / "k.p12"
    _create("--out", str(path))
    before = path.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        _create("--out", str(path))
    assert path.read_bytes() == before


def test_create_signing_key_force_replaces(tmp_path):
    path = tmp_path / "k.p12"
    _create("--out", str(path))
    before = path.read_bytes()
    _create("--out", str(path), "--force")
    assert path.read_bytes() != before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _verify(path, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("verify_pdf", str(path))
        raise SystemExit(0)
    return exited.value.code, capsys.readouterr().out


@pytest.mark.django_db  # the command names the sealed document from the database
def test_verify_pdf_command_intact_copy_exits_0(rendered, tmp_path, capsys):
    code = new_copy_code()
    path = tmp_path / "copy.pdf"
    path.write_bytes(stamp_copy(rendered, copy_code=code, document_id="disclosure:4:v1"))
    status, output = _verify(path, capsys)
    assert status == 0
    assert output.startswith("Intact")
    assert f"Copy code: {code}" in output and "Document: disclosure:4:v1" in output


@pytest.mark.django_db  # the command names the sealed document from the database
def test_verify_pdf_command_changed_file_exits_1(sealed, tmp_path, capsys):
    path = tmp_path / "changed.pdf"
    path.write_bytes(sealed + b"\n% appended\n")
    status, output = _verify(path, capsys)
    assert status == 1
    assert output.startswith("NOT")
    assert "Problem:" in output


@pytest.mark.django_db  # the command names the sealed document from the database
def test_verify_pdf_command_garbage_exits_1(tmp_path, capsys):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"\x00garbage")
    status, output = _verify(path, capsys)
    assert status == 1
    assert "NOT VERIFIED: This file is not a PDF, or it is damaged." in output
    assert "Problem: This is not a PDF file, whatever its name says" in output


def test_verify_pdf_command_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("verify_pdf", str(tmp_path / "absent.pdf"))
