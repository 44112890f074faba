"""Uploads are refused when too large or of the wrong type, with a message that says what to do."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from trackii.accounts.uploads import validate_upload

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def test_pdf_within_the_limit_is_accepted():
    assert validate_upload(SimpleUploadedFile("summary.pdf", PDF), max_bytes=1024) == "application/pdf"


def test_file_over_the_limit_is_refused_with_its_size():
    big = SimpleUploadedFile("summary.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError, match=r"files can be at most 1\.0") as caught:
        validate_upload(big, max_bytes=1024)
    assert caught.value.code == "too_large"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("summary.pdf", b"<html><script>alert(1)</script></html>"),  # a PDF by name only
        ("summary.exe", PDF),  # PDF bytes, wrong name
        ("photo.png", PDF),
        ("notes.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ],
)
def test_wrong_type_is_refused_with_a_clear_message(name, content):
    with pytest.raises(ValidationError, match=r"cannot be uploaded here\. Choose a \.pdf file") as caught:
        validate_upload(SimpleUploadedFile(name, content))
    assert caught.value.code == "wrong_type"


def test_file_position_is_kept_for_the_caller():
    upload = SimpleUploadedFile("summary.pdf", PDF)
    upload.read(3)
    validate_upload(upload)
    assert upload.tell() == 3


@pytest.mark.django_db
def test_request_body_over_the_limit_is_refused(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = Client().post("/accounts/login/", {"login": "x" * 4096, "password": "y"})
    assert response.status_code == 400
