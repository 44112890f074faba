"""Insight in the reader's language (issue 22): the hub, the composition page and its readings in French and
Arabic, while the CSV a spreadsheet or another program reads keeps its English headers."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation


@pytest.fixture(autouse=True)
def back_to_english():
    """A request in another language leaves it active in this thread; the next test expects English."""
    yield
    translation.deactivate()


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_hub_in_french_and_arabic(client, composed):
    dialogue = composed["dialogue"]
    client.force_login(composed["convenor"].user)
    url = reverse("dialogues:insight", args=[dialogue.pk])
    french = page(client, url, "fr")
    for words in ("Analyses", "Composition", "Continuité", "Journal de maturité", "La question à laquelle"):
        assert words in french, words
    assert "The question it helps answer" not in french
    arabic = page(client, url, "ar")
    for words in ("الرؤى", "التشكيلة", "الاستمرارية", "سجل النضج", "السؤال الذي تساعد في الإجابة عنه"):
        assert words in arabic, words
    assert dialogue.codename in arabic  # codenames are never translated
    assert f"<bdi>{dialogue.codename}</bdi>" in arabic  # and isolated from the words around them


def test_composition_readings_and_quarters_in_arabic_and_french(client, composed):
    dialogue = composed["dialogue"]
    client.force_login(composed["convenor"].user)
    url = reverse("dialogues:insight_composition", args=[dialogue.pk])
    arabic = page(client, url, "ar")
    for words in ("بعبارات بسيطة", "التوازن بين الأطراف", "في القائمة حاليًا", "ورشة العمل 1"):
        assert words in arabic, words
    french = page(client, url, "fr")
    assert "Actuellement sur la liste : 7 membres, dont 3 fonctionnaires en exercice." in french
    assert "Sièges par partie à chaque atelier" in french


def test_csv_keeps_english_headers_whoever_asks(client, composed):
    dialogue = composed["dialogue"]
    client.force_login(composed["convenor"].user)
    url = reverse("dialogues:insight_composition_csv", args=[dialogue.pk, "balance"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Workshop", "North", "South", "Outside the sides"]
    assert rows[1][0] == "Workshop 1"
