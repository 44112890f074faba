# ruff: noqa: RUF001 - Russian words, Cyrillic letters on purpose
"""A funder's grant page in the reader's language (issue 22): French and Arabic labels, enum labels, the
activity charts' readings, and the form a convenor generates a disclosure report with."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from funding.enums import GrantStatus
from funding.funders import services as funder_services
from funding.grants import services as grant_services
from tests.factories import ExpenseFactory, GrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def back_to_english():
    """A request in another language leaves it active in this thread; the next test expects English."""
    yield
    translation.deactivate()


@pytest.fixture
def grant(place):
    grant = GrantFactory(dialogue=place.dialogue, funder=place.funder, amount=Decimal("90000"))
    funder_services.sync_funder_access(funder=place.funder)
    grant_services.change_grant_status(grant=grant, status=GrantStatus.ACCEPTED, by=place.convenor.user)
    grant_services.change_grant_status(grant=grant, status=GrantStatus.ACTIVE, by=place.convenor.user)
    ExpenseFactory(grant=grant, amount=Decimal("1250.50"), spent_on=grant.starts_on)
    return grant


def test_funders_grant_page_in_french(client, place, grant):
    client.force_login(place.officer.user)
    body = client.get(reverse("funding:grant_detail", args=[grant.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    page = body.content.decode()
    for words in (
        "Ce que la tierce partie partage avec vous",
        "Dépenses par catégorie",
        "Active",
        "Activité, de manière agrégée",
        "Participants par partie",
        "Déplacements",
    ):
        assert words in page, words
    assert "Spending by category" not in page and place.dialogue.codename in page


def test_funders_grant_page_in_arabic(client, place, grant):
    client.force_login(place.officer.user)
    page = client.get(
        reverse("funding:grant_detail", args=[grant.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    for words in ("الإنفاق حسب الفئة", "سارية", "النشاط بصورة إجمالية", "المشاركون حسب الطرف", "السفر"):
        assert words in page, words
    # Amounts in the Arabic locale's format, isolated from the right-to-left words around them.
    assert "<bdi>EUR 90000,00</bdi>" in page and "<bdi>EUR 1250,50 (1%)</bdi>" in page


def test_convenor_chooses_the_reports_language_in_the_form(client, place, grant):
    client.force_login(place.convenor.user)
    page = client.get(
        reverse("funding:grant_detail", args=[grant.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    # The form offers every interface language, the reader's own chosen.
    assert 'name="language"' in page and '<option value="ru" lang="ru" selected>Русский</option>' in page
    assert "Язык отчёта" in page and "Сформировать отчёт о раскрытии" in page
