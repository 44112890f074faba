# ruff: noqa: RUF001 (the pages are checked in French, Russian and Arabic, whose letters are meant)
"""The verification page and its verdicts in the viewer's language (issue 22)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "verdict"),
    [
        ("fr", "Vérifier un PDF scellé", "Ce fichier n’est pas un PDF, ou il est endommagé"),
        ("ar", "التحقق من ملف PDF مختوم", "هذا الملف ليس ملف PDF، أو أنه تالف"),
    ],
)
def test_verify_page_answers_in_the_viewers_language(client, language, heading, verdict):
    client.force_login(UserFactory())
    upload = SimpleUploadedFile("summary.pdf", b"not a pdf at all", content_type="application/pdf")
    body = client.post(reverse("sealing:verify"), {"file": upload}, HTTP_ACCEPT_LANGUAGE=language).content
    body = body.decode()
    assert f"<h1>{heading}</h1>" in body and verdict in body
