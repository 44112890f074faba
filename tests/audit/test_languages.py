# ruff: noqa: RUF001 (the pages are checked in French, Russian and Arabic, whose letters are meant)
"""The auditors' pages in the viewer's language (issue 22), and the exports that stay in English whatever
it is: programs read them, and two auditors' downloads of the same rows must be the same bytes."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action, ChainCheckStatus
from trackii.audit.services import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    return user


def test_audit_search_page_reads_in_french_and_arabic(client, auditor):
    record_event(actor=None, action=Action.VIEW, target_type="dialogues.summary", target_id="7")
    client.force_login(auditor)
    french = client.get(reverse("audit:events"), {"action": "view"}, HTTP_ACCEPT_LANGUAGE="fr")
    french = french.content.decode()
    assert "<h1>Rechercher dans le journal d’audit</h1>" in french
    assert "Consulté" in french  # the action's label, Action.VIEW
    assert "Search the audit log" not in french
    arabic = client.get(reverse("audit:events"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "<h1>البحث في سجل التدقيق</h1>" in arabic


def test_chain_status_reads_in_russian(client, auditor):
    with translation.override("ru"):
        assert str(ChainCheckStatus.PASSED.label) == "Цела"
        assert str(Action.CHAIN_VERIFIED.label) == "Цепочка проверена"
    client.force_login(auditor)
    body = client.get(reverse("audit:chain"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "<h1>Состояние цепочки</h1>" in body and "Проверить цепочку сейчас" in body


def test_filter_chips_and_form_errors_follow_the_language(client, auditor):
    client.force_login(auditor)
    body = client.get(
        reverse("audit:events"),
        {"action": "download", "target_type": "dialogues.summary"},
        HTTP_ACCEPT_LANGUAGE="fr",
    ).content.decode()
    assert "Action : Téléchargé" in body and "Type d’objet : " in body
    refused = client.get(
        reverse("audit:events"), {"since": "2026-05-02", "until": "2026-05-01"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert refused.status_code == 400
    assert "« Jusqu’au » ne peut pas précéder « Du »." in refused.content.decode()


@pytest.mark.parametrize("url_name", ["audit:export", "audit:export_jsonl"])
def test_exports_are_the_same_bytes_in_english_whatever_the_viewers_language(client, auditor, url_name):
    for n in range(3):
        record_event(actor=None, action=Action.VIEW, target_type="dialogues.summary", target_id=str(n))
    record_event(actor=None, action=Action.DENIED, target_type="dialogues.summary", target_id="9")
    client.force_login(auditor)
    downloads = {}
    for language in ("en-gb", "fr", "ru", "ar"):
        # The export's own row (action "export") falls outside the search: every download has the same rows.
        response = client.get(
            reverse(url_name), {"target_type": "dialogues.summary"}, HTTP_ACCEPT_LANGUAGE=language
        )
        downloads[language] = b"".join(response.streaming_content)
    assert len(set(downloads.values())) == 1
    text = downloads["ar"].decode()
    assert "Viewed" in text and "Access denied" in text and "withheld" not in text


def test_activity_chart_reads_right_to_left_in_arabic(client, auditor):
    for n in range(3):
        record_event(actor=None, action=Action.VIEW, target_type="dialogues.summary", target_id=str(n))
    client.force_login(auditor)
    body = client.get(reverse("audit:activity"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "<h1>النشاط اليومي</h1>" in body
    # The drawing keeps its axes left to right; each Arabic text in it is written right to left.
    assert 'direction="ltr"' in body and 'direction="rtl"' in body
