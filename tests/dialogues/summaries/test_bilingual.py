# ruff: noqa: RUF001 - Russian and Arabic text, on purpose
"""A summary in more than one language (issue 22): drafted in the browser with a parallel version, reviewed in
one round (a comment on the Russian version), sealed by the worker's code into one PDF that holds both, each
in its language and direction, verified at /verify/; the guard reads every version; readers choose."""

import datetime as dt
import io
import re

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus, SummaryStatus, WorkshopStatus
from dialogues.models import ReviewComment, Summary, SummaryCopy, SummaryTranslation
from dialogues.summaries import selectors as summary_selectors
from dialogues.summaries import services as summaries
from dialogues.summaries.documents import summary_html
from participants.models import Membership
from tests.factories import InvitationFactory, PersonFactory, SideFactory, UserFactory, WorkshopFactory
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.confirmation import CONFIRM_FIELD, CONFIRM_VALUE
from trackii.sealing.models import SealJob
from trackii.sealing.services import run_seal_job

pytestmark = pytest.mark.django_db

ENGLISH = "## Fisheries access\n\nA joint licensing board was discussed, with seasonal quotas.\n"
RUSSIAN = "## Доступ к рыболовству\n\nОбсуждался совместный совет по лицензиям и сезонные квоты.\n"
ARABIC = "## الوصول إلى مصايد الأسماك\n\nنوقش إنشاء مجلس مشترك للتراخيص مع حصص موسمية.\n"


@pytest.fixture
def room():
    """A held workshop: a rapporteur, two attendees with logins (one reads Trackii in Russian)."""
    workshop = WorkshopFactory(
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=2),
        status=WorkshopStatus.HELD,
    )
    dialogue = workshop.series.dialogue
    side = SideFactory(dialogue=dialogue)
    rapporteur = PersonFactory(user=UserFactory())
    services.assign_role(dialogue=dialogue, person=rapporteur, role=DialogueRole.RAPPORTEUR, by=None)
    reader = PersonFactory(name="Korvin Asteli", user=UserFactory(language="ru"))
    other = PersonFactory(name="Amira Haddad", user=UserFactory())
    for person in (reader, other):
        services.assign_role(
            dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=side, by=None
        )
        InvitationFactory(workshop=workshop, person=person, status=InvitationStatus.ATTENDED)
        Membership.objects.filter(person=person).update(ground_rules_accepted_at=timezone.now())
    summary = summaries.start_summary(workshop=workshop, by=rapporteur.user)
    return {"summary": summary, "reader": reader, "other": other, "by": rapporteur.user}


def url(name, summary, **query):
    path = reverse(f"dialogues:{name}", args=[summary.workshop.series.dialogue_id, summary.pk])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def draft_bilingual(client, room, russian=RUSSIAN):
    summary, by = room["summary"], room["by"]
    client.force_login(by)
    assert client.post(url("summary_save", summary), {"body": ENGLISH}).status_code == 302
    response = client.post(
        url("summary_version_save", summary), {"adding": "1", "language": "ru", "body": russian}
    )
    assert response.status_code == 302
    return summary


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_a_bilingual_summary_is_reviewed_sealed_verified_and_holds_both_versions(client, room):
    summary = draft_bilingual(client, room)
    page = client.get(url("summary_detail", summary)).content.decode()
    assert 'lang="ru" dir="ltr"' in page and "Доступ к рыболовству" in page
    summary = summaries.open_review(
        summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=room["by"]
    )

    # The reviewer reads the Russian version (their interface language) and comments on it.
    reader = room["reader"]
    client.force_login(reader.user)
    page = client.get(url("summary_detail", summary), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'aria-current="true" class="version-choice__current">Русский' in page
    assert "Обсуждался совместный совет" in page
    response = client.post(
        url("summary_comment", summary),
        {"language": "ru", "section": "Доступ к рыболовству", "body": "Уточните, что квоты сезонные."},
    )
    assert response.status_code == 302
    comment = ReviewComment.objects.get(summary=summary)
    assert comment.language == "ru" and comment.section == "Доступ к рыболовству"
    # The facilitators see which version it is about.
    client.force_login(room["by"])
    assert (
        '<span class="badge" lang="ru">Русский</span>'
        in client.get(url("summary_detail", summary)).content.decode()
    )

    summaries.close_review(summary=summary, reason="Enough comments.", by=room["by"])
    response = client.post(url("summary_seal", summary), {CONFIRM_FIELD: CONFIRM_VALUE})
    assert response.status_code == 302
    run_seal_job(job_id=SealJob.objects.get(object_id=summary.pk).pk)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SEALED

    text = pdf_text(summary_selectors.sealed_pdf_of(summary=summary))
    assert "joint licensing board" in text and "совместный совет по лицензиям" in text
    assert text.index("joint licensing board") < text.index("совместный совет")
    assert "Русский" in text and "English" in text

    copy = SummaryCopy.objects.get(summary=summary, holder=reader)
    client.force_login(UserFactory())
    data = summary_selectors.copy_pdf(copy=copy)
    page = client.post(
        reverse("sealing:verify"), {"file": SimpleUploadedFile("copy.pdf", data, "application/pdf")}
    ).content.decode()
    assert "Intact: sealed by the Third Party" in page and "Exactly the file Trackii issued" in page


def test_every_version_of_a_sealed_summary_is_frozen(client, room):
    summary = draft_bilingual(client, room)
    summary = summaries.open_review(
        summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=room["by"]
    )
    summaries.close_review(summary=summary, reason="Done.", by=room["by"])
    summaries.request_seal(summary=summary, by=room["by"])
    run_seal_job(job_id=SealJob.objects.get(object_id=summary.pk).pk)
    version = SummaryTranslation.objects.get(summary=summary)
    with pytest.raises(ValidationError):
        version.delete()
    # Below the model, the database's trigger refuses too.
    with pytest.raises(IntegrityError), transaction.atomic():
        rewritten = SummaryTranslation._meta.get_field("body").encrypt_for(version, "Переписано")
        SummaryTranslation.objects.filter(pk=version.pk).update(body=rewritten)
    with pytest.raises(IntegrityError), transaction.atomic():
        SummaryTranslation.objects.bulk_create([SummaryTranslation(summary=summary, language="fr", body="x")])
    # An amendment carries every version into the new draft.
    amendment = summaries.amend_summary(summary=Summary.objects.get(pk=summary.pk), by=room["by"])
    assert amendment.language == "en"
    assert [(t.language, t.body) for t in amendment.translations.all()] == [("ru", RUSSIAN)]


def test_the_guard_blocks_sealing_when_only_the_russian_version_names_someone(client, room):
    summary = draft_bilingual(client, room, russian=RUSSIAN + "\nКак сказал Korvin Asteli, квоты важны.\n")
    findings = summary_selectors.attribution_findings(summary=summary)
    assert [f.term.text for f in findings] == ["Korvin Asteli"]
    assert findings[0].mentions[0].section == "Русский · Доступ к рыболовству"
    with pytest.raises(ValidationError, match="Korvin Asteli"):
        summaries.open_review(summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=room["by"])
    summary.review_deadline = timezone.now() - dt.timedelta(days=1)
    summary.save(update_fields=["review_deadline"])
    response = client.post(url("summary_seal", summary), {CONFIRM_FIELD: CONFIRM_VALUE})
    assert response.status_code == 400 and "Korvin Asteli" in response.content.decode()
    assert not SealJob.objects.filter(object_id=summary.pk).exists()


def test_the_reader_chooses_the_version_and_the_reading_room_names_the_pdfs_languages(client, room):
    summary = draft_bilingual(client, room)
    summary = summaries.open_review(
        summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=room["by"]
    )
    summaries.close_review(summary=summary, reason="Done.", by=room["by"])
    summaries.request_seal(summary=summary, by=room["by"])
    run_seal_job(job_id=SealJob.objects.get(object_id=summary.pk).pk)

    client.force_login(room["other"].user)  # no language chosen, English browser: the main version
    page = client.get(url("summary_detail", summary)).content.decode()
    assert "joint licensing board" in page and "Обсуждался" not in page
    assert "The PDF holds every version, one after another, under the one seal: English and Русский." in page
    page = client.get(url("summary_detail", summary, version="ru")).content.decode()
    assert "Обсуждался" in page and "joint licensing board" not in page
    for hostile in ("xx", "<script>", "ru%00", ""):
        page = client.get(url("summary_detail", summary, version=hostile)).content.decode()
        assert "joint licensing board" in page and "<script>" not in page.split("<main", 1)[1]
    room_page = client.get(reverse("dialogues:reading_room")).content.decode()
    assert (
        "In English and Русский: read any of them on its page; the PDF holds them all, in this order."
        in room_page
    )

    client.force_login(room["reader"].user)  # interface language Russian: the Russian version first
    page = client.get(url("summary_detail", summary), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Обсуждался" in page


@pytest.mark.parametrize(
    "data, field",
    [
        ({"language": "xx", "body": "Текст"}, "Choose a language from the list"),
        ({"language": "ru' OR 1=1", "body": "Текст"}, "Choose a language from the list"),
        ({"language": "ru", "body": "   \n"}, "The version is empty"),
        ({"language": "en", "body": "Same language"}, "The summary itself is written in this language"),
        ({"language": "tlh", "body": "Klingon"}, "Choose a language from the list"),
    ],
)
def test_hostile_versions_are_refused_next_to_their_field(client, room, data, field):
    summary = room["summary"]
    client.force_login(room["by"])
    response = client.post(url("summary_version_save", summary), {"adding": "1", **data})
    assert response.status_code == 400 and field in response.content.decode()
    assert not SummaryTranslation.objects.exists()


def test_two_versions_in_one_language_are_one_version(client, room):
    summary = draft_bilingual(client, room)
    client.post(
        url("summary_version_save", summary), {"adding": "1", "language": "ru", "body": "Второй текст"}
    )
    assert list(SummaryTranslation.objects.values_list("language", "body")) == [("ru", "Второй текст")]
    with pytest.raises(IntegrityError), transaction.atomic():
        SummaryTranslation.objects.create(summary=summary, language="ru", body="Третий")
    # The main language cannot become one a parallel version already has.
    response = client.post(url("summary_language", summary), {"language": "ru"})
    assert response.status_code == 400 and "already has a parallel version" in response.content.decode()
    response = client.post(url("summary_language", summary), {"language": "klingon"})
    assert response.status_code == 400
    assert client.post(url("summary_language", summary), {"language": "fr"}).status_code == 302
    assert Summary.objects.get(pk=summary.pk).language == "fr"
    assert client.post(url("summary_version_remove", summary), {"language": "ru"}).status_code == 302
    assert not SummaryTranslation.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        Action.SUMMARY_VERSION_SAVED,
        Action.SUMMARY_VERSION_REMOVED,
        Action.SUMMARY_LANGUAGE_SET,
    } <= actions


def test_a_comment_about_a_version_is_checked_against_that_version(room):
    summary = summaries.save_draft(summary=room["summary"], body=ENGLISH, by=room["by"])
    summaries.save_parallel_version(summary=summary, language_code="ru", body=RUSSIAN, by=room["by"])
    summary = summaries.open_review(
        summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=room["by"]
    )
    reader = room["reader"]
    with pytest.raises(ValidationError, match="sections of that version"):
        summaries.add_review_comment(
            summary=summary,
            person=reader,
            by=reader.user,
            language="ru",
            section="Fisheries access",
            body="x",
        )
    with pytest.raises(ValidationError, match="versions"):
        summaries.add_review_comment(
            summary=summary, person=reader, by=reader.user, language="ar", section="", body="x"
        )
    with pytest.raises(ValidationError, match="not in the draft"):
        summaries.add_review_comment(
            summary=summary, person=reader, by=reader.user, language="ru", section="", body="x",
            quote="joint licensing board", suggested_text="Совет",
        )  # fmt: skip
    comment = summaries.add_review_comment(
        summary=summary, person=reader, by=reader.user, language="ru", section="", body="x",
        quote="сезонные квоты", suggested_text="квоты по сезонам",
    )  # fmt: skip
    # The accepted correction is applied to the Russian version, not to the English one.
    from dialogues.summaries.steering.services import apply_correction

    summaries.close_review(summary=summary, reason="Done.", by=room["by"])
    summaries.respond_to_comment(comment=comment, status="accepted", by=room["by"])
    apply_correction(comment=comment, by=room["by"])
    assert "квоты по сезонам" in SummaryTranslation.objects.get().body
    assert Summary.objects.get(pk=summary.pk).body == ENGLISH


def test_the_pdf_of_an_arabic_version_runs_right_to_left_under_labels_in_the_main_language(room):
    summary = summaries.save_draft(summary=room["summary"], body=ENGLISH, by=room["by"])
    summaries.save_parallel_version(summary=summary, language_code="ar", body=ARABIC, by=room["by"])
    summaries.save_parallel_version(summary=summary, language_code="ru", body=RUSSIAN, by=room["by"])
    html = summary_html(Summary.objects.get(pk=summary.pk), sealed_at=timezone.now())
    assert re.search(r'<section class="version version--next" lang="ar" dir="rtl">', html)
    assert '<html lang="en-gb" dir="ltr">' in html
    assert html.index('lang="en"') < html.index('lang="ar"') < html.index('lang="ru"')
    # A summary written in Russian prints its own labels in Russian.
    summaries.set_summary_language(summary=summary, language_code="uk", by=room["by"])
    html = summary_html(Summary.objects.get(pk=summary.pk), sealed_at=timezone.now())
    assert '<html lang="en-gb" dir="ltr">' in html  # Ukrainian: no interface translation yet, English labels


@pytest.mark.parametrize(
    "language, words",
    [
        ("fr", ("Contrôle d’attribution", "Ajouter une version dans une autre langue")),
        ("ru", ("Проверка атрибуции", "Добавить версию на другом языке")),
        ("ar", ("فحص الإسناد", "إضافة صيغة بلغة أخرى")),
    ],
)
def test_the_draft_page_reads_in_french_russian_and_arabic(client, room, language, words):
    summary = draft_bilingual(client, room)
    page = client.get(url("summary_detail", summary), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert word in page
    assert "Attribution check" not in page and "Save the draft" not in page


def test_a_russian_sealed_pdf_names_its_months_as_russian_dates_do(room):
    """The genitive "7 декабря 2026" after a day's number, never the nominative "7 Декабрь 2026"."""
    summary = summaries.set_summary_language(summary=room["summary"], language_code="ru", by=room["by"])
    summary = summaries.request_seal(summary=summary, body=RUSSIAN, by=room["by"])
    run_seal_job(job_id=SealJob.objects.get(object_id=summary.pk).pk)
    summary.refresh_from_db()
    text = pdf_text(summary_selectors.sealed_pdf_of(summary=summary))
    with translation.override("ru"):
        genitive = dateformat.format(summary.sealed_at, "E")
        nominative = dateformat.format(summary.sealed_at, "F")
    assert f"{summary.sealed_at.astimezone(dt.UTC).day} {genitive} " in text
    assert nominative not in text
