# ruff: noqa: RUF001 - Russian words, Cyrillic letters on purpose
"""A disclosure report is written in one language, chosen when it is generated (issue 22): its sealed PDF has
that language's labels, dates and numbers, `lang` and `dir` on its page, whoever renders or downloads it, and
it seals and verifies like any other. Arabic is shaped and right to left (PNGs in /tmp/shots-D/)."""

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from funding.disclosures import selectors as disclosure_selectors
from funding.disclosures import services as disclosure_services
from funding.disclosures.documents import disclosure_html
from funding.models import Disclosure
from tests.funding.disclosures.test_disclosures import grant  # noqa: F401 - the fixture
from trackii.audit.models import AuditEvent
from trackii.sealing.enums import SealJobState
from trackii.sealing.services import run_seal_job
from trackii.sealing.verify import verify_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def back_to_english():
    """A request in another language leaves it active in this thread; the next test expects English."""
    yield
    translation.deactivate()


SHOTS = Path("/tmp/shots-D")  # noqa: S108 - where the brief asks the screenshots to be


def generate(grant, by, language) -> tuple[Disclosure, bytes]:  # noqa: F811 - not the fixture
    disclosure = disclosure_services.request_disclosure(grant=grant, by=by, language=language)
    # The worker renders with whatever language is active: the report's own must win.
    with translation.override("fr"):
        job = run_seal_job(job_id=disclosure_selectors.disclosure_job(disclosure=disclosure).pk)
    assert job.state == SealJobState.DONE, job.error
    disclosure.refresh_from_db()
    return disclosure, disclosure_selectors.disclosure_pdf(disclosure=disclosure)


def words_of(pdf: bytes) -> str:
    """The PDF's text with Arabic presentation forms folded back to letters (NFKC) and spaces squeezed."""
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_a_russian_report_seals_verifies_and_reads_russian(place, grant):  # noqa: F811
    disclosure, pdf = generate(grant, place.convenor.user, "ru")
    assert disclosure.language == "ru"
    verification = verify_pdf(pdf)
    assert verification.ok and verification.document_id == f"disclosure:{disclosure.pk}:v1"
    text = words_of(pdf).lower()  # headings are upper-cased by the stylesheet
    for label in (
        "Отчёт о раскрытии для донора",
        "Зачем нужен этот отчёт",
        "Условия и решения",
        "Что сказали участники",
        "Расходы",
        "Всего потрачено",
        "Деятельность в обобщённом виде",
        "Страница 2 из",
        "EUR 90 000,00",  # Russian grouping and decimal comma
        "Проезд EUR 1 250,50",
        "подтверждено вторым организатором",
        "менее 5",
    ):
        assert label.lower() in text, label
    for english in ("Why this report exists", "Conditions and rulings", "Total spent", "Page 2 of"):
        assert english.lower() not in text, english
    event = AuditEvent.objects.get(
        action="seal_requested", target_type="funding.disclosure", target_id=str(disclosure.pk)
    )
    assert event.detail == {"language": "ru"}


def test_an_arabic_report_seals_verifies_reads_arabic_and_is_right_to_left(place, grant):  # noqa: F811
    disclosure, pdf = generate(grant, place.convenor.user, "ar")
    html = disclosure_html(disclosure, sealed_at=disclosure.sealed_at)
    assert '<html lang="ar" dir="rtl">' in html
    assert verify_pdf(pdf).ok
    text = words_of(pdf)
    # pypdf gives the glyphs in the order they are drawn; an Arabic line may come out in either order.
    for label in ("تقرير الإفصاح للجهة المانحة", "الشروط والقرارات", "إجمالي المُنفَق", "ما قاله المشاركون"):
        letters = "".join(label.split())
        squeezed = "".join(text.split())
        assert letters in squeezed or letters[::-1] in squeezed, label
    assert "Conditions and rulings" not in text
    fonts = {
        str(font.get("/BaseFont"))
        for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Arabic" in name for name in fonts), fonts
    if pdftoppm := shutil.which("pdftoppm"):
        SHOTS.mkdir(exist_ok=True)
        (SHOTS / "disclosure-ar.pdf").write_bytes(pdf)
        subprocess.run(
            [pdftoppm, "-r", "60", "-png", str(SHOTS / "disclosure-ar.pdf"), str(SHOTS / "disclosure-ar")],
            check=True,
        )
        assert list(SHOTS.glob("disclosure-ar-*.png"))


def test_language_chosen_in_the_form_and_a_stranger_one_refused(client, place, grant):  # noqa: F811
    client.force_login(place.convenor.user)
    url = reverse("funding:disclosures", args=[grant.pk])
    refused = client.post(url, {"language": "xx"}, follow=True)
    assert not Disclosure.objects.exists()
    assert "Choose one of Trackii" in refused.content.decode()
    client.post(url, {"language": "ar"})
    assert Disclosure.objects.get().language == "ar"


def test_without_a_choice_the_report_is_in_the_asking_persons_language(client, place, grant):  # noqa: F811
    client.force_login(place.convenor.user)
    client.post(reverse("funding:disclosures", args=[grant.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert Disclosure.objects.get().language == "fr"
    user = place.second_convenor.user
    user.language = "ru"
    user.save(update_fields=["language"])
    assert disclosure_services.request_disclosure(grant=grant, by=user).version == 1  # still generating
