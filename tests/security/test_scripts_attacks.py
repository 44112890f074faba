# ruff: noqa: RUF001  (look-alike letters and other scripts are what is tested)
"""Issue 22 attacked: nothing may hide a participant's name from the attribution guard where the page or the
sealed PDF would show it, no hostile name or language choice may crash a page, and a translation cannot
inject markup. Guard cases run on the scan itself (no database); the language cases go through the client."""

import re
from types import SimpleNamespace

import polib
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from dialogues.summaries import attribution
from trackii.scripts import clean_name

SETLANG = "/i18n/setlang/"


class _Forms:
    def __init__(self, names):
        self.names = names

    def all(self):
        return [SimpleNamespace(name=name) for name in self.names]


def _terms():
    person = SimpleNamespace(
        name="Korvin Asteli",
        other_names=_Forms(["Корвин Астели", "كورفين", "קורבין"]),
        pseudonym="P-32",
        email="korvin@example.org",
        affiliation="",
    )
    return attribution.terms_for([person])


def found(text: str) -> set[str]:
    return {finding.term.text for finding in attribution.scan(text, _terms())}


# What a reader of the page or the PDF sees as the name, however the draft stores it.
HIDDEN = {
    "zero-width joiner": "Kor\u200dvin said",
    "zero-width non-joiner": "Kor\u200cvin said",
    "soft hyphen": "Kor\u00advin said",
    "word joiner": "Kor\u2060vin",
    "byte order mark": "Kor\ufeffvin",
    "Mongolian vowel separator": "Kor\u180evin",
    "variation selector": "Kor\ufe0fvin",
    "supplementary variation selector": "Kor\U000e0100vin",
    "tag character": "Kor\U000e0041vin",
    "combining grapheme joiner": "Kor\u034fvin",
    "Hangul filler (drawn as nothing)": "Kor\u3164vin",
    "halfwidth Hangul filler": "Kor\uffa0vin",
    "right-to-left override": "said \u202enivroK\u202c today",
    "override nested in an override": "\u202e\u202dKorvin\u202c\u202c",
    "left-to-right override on Arabic": "\u202d" + "كورفين"[::-1] + "\u202c",
    "left-to-right override on Hebrew": "\u202d" + "קורבין"[::-1],
    "left-to-right isolate": "Kor\u2066vin\u2069",
    "combining accent": "Ko\u0301rvin",
    "NFKD": "Ko\u0308rvin",
    "full-width": "Ｋｏｒｖｉｎ",
    "mathematical bold": "𝐊𝐨𝐫𝐯𝐢𝐧",
    "mathematical italic": "𝐾𝑜𝑟𝑣𝑖𝑛",
    "circled": "Ⓚⓞⓡⓥⓘⓝ",
    "small capitals": "ᴋᴏʀᴠɪɴ",
    "Cherokee K": "Ꮶorvin",
    "Cherokee small K": "ꮶorvin",
    "Greek look-alikes": "Κοrvin",
    "Cyrillic look-alike": "Kоrvin",
    "Turkish dotted capital I": "KORVİN",
    "Turkish dotless i": "korvın",
    "Arabic presentation forms": "ﻛﻮﺭﻓﻴﻦ",
    "Markdown strong": "Kor**vin**",
    "Markdown emphasis": "Kor*vin*",
    "Markdown link": "[Korvin](x)",
    "decimal character reference": "K&#111;rvin",
    "hexadecimal character reference": "&#x4B;orvin",
    "named zero-width reference": "Kor&zwj;vin",
    "soft hyphen reference": "Kor&shy;vin",
    "inline HTML tag": "Kor<span>vin</span>",
    "HTML comment": "Kor<!-- x -->vin",
    "hyphenated across a line": "Kor-\nvin",
    "full name across a line break": "Korvin\nAsteli",
    "heading": "## Korvin\n\ntext",
    "table cell": "| a | b |\n|---|---|\n| Kor**vin** | x |",
    "code span": "`Korvin`",
    "pseudonym with a non-breaking hyphen": "P\u201132",
    "full-width pseudonym": "Ｐ－３２",
}


@pytest.mark.parametrize("text", HIDDEN.values(), ids=HIDDEN.keys())
def test_no_disguise_hides_a_name_the_reader_would_see(text):
    assert found(text)


def test_a_right_to_left_override_is_reported_in_the_drafts_own_words():
    (finding,) = attribution.scan("x \u202enivroK\u202c y", _terms())
    assert finding.mentions[0].match == "nivroK"


# What a reader sees as something else: not the name, and no flag (the guard must stay usable).
NOT_THE_NAME = {
    "right-to-left isolate keeps Latin order": "\u2067nivroK\u2069",
    "escaped asterisk shows": "Kor\\*vin",
    "letters spaced out": "K o r v i n",
    "another word": "Korvinsky",
}


@pytest.mark.parametrize("text", NOT_THE_NAME.values(), ids=NOT_THE_NAME.keys())
def test_what_reads_as_another_word_is_not_flagged(text):
    assert found(text) <= {"Korvin Asteli"} and "Korvin" not in found(text)


def test_a_long_hostile_draft_is_scanned_without_error():
    # A lone surrogate cannot arrive: Django decodes a request body with errors="replace". Its reference can.
    text = ("\u202e" + "Kor\u200dvin **x** &#0; &#xD800; " * 2000) + "\x00"
    assert found(text)


# Names and their forms.
@pytest.mark.parametrize(
    "value",
    ["Kor\u200cvin", "\u200cنرگس", "نرگس\u200c", "Kor\u3164vin", "a\x00b", "\ue000x", "x\ud800",
     "Kor\u202evin"],
    ids=["ZWNJ in Latin", "leading ZWNJ", "trailing ZWNJ", "Hangul filler", "NUL", "private use",
         "unpaired surrogate", "override"],
)  # fmt: skip
def test_a_hiding_character_in_a_name_is_refused(value):
    with pytest.raises(ValidationError):
        clean_name(value)


def test_a_persian_name_with_its_zero_width_non_joiner_is_accepted_and_still_caught():
    name = clean_name("نرگس\u200cزاده")
    assert name == "نرگس\u200cزاده"
    person = SimpleNamespace(name=name, other_names=_Forms([]), pseudonym="", email="", affiliation="")
    terms = attribution.terms_for([person])
    assert attribution.scan("گفت نرگس\u200cزاده", terms)
    assert attribution.scan("گفت نرگسزاده", terms)


@pytest.mark.parametrize("value", ["K" * 5000, "😀 Korvin", "  Korvin   Asteli  "])
def test_odd_but_visible_names_are_kept_as_seen(value):
    assert clean_name(value) == " ".join(value.split())


# The language choice.
@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example", "https:evil.example",
     "/%0d%0aSet-Cookie:x=1", "javascript:alert(1)"],
)  # fmt: skip
def test_setlang_never_redirects_off_site_nor_splits_headers(client, next_url):
    response = client.post(SETLANG, {"language": "fr", "next": next_url})
    assert response.status_code in (302, 204)
    location = response.get("Location", "/")
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "\r" not in location and "\n" not in location


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "x" * 5000, "fr\r\nSet-Cookie: a=b", "", "../../etc"])
def test_setlang_with_a_language_not_offered_sets_nothing(client, language):
    response = client.post(SETLANG, {"language": language, "next": "/"})
    assert response.status_code < 500
    assert "django_language" not in response.cookies


@pytest.mark.django_db
def test_setlang_by_get_or_without_csrf_changes_nothing():
    from django.test import Client

    assert Client().get(SETLANG, {"language": "fr"}).cookies.get("django_language") is None
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(SETLANG, {"language": "fr", "next": "/"})
    assert response.status_code == 403 and "django_language" not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "*",
        "x" * 20000,
        "fr;q=abc",
        "fr;q=-1, ar;q=2",
        ";;;,,,",
        "ar;q=0.9" + ",de" * 2000,
        "\x00\xff",
        "zz-ZZ-x-1",
    ],
)
def test_junk_accept_language_never_fails(client, header):
    assert client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=header).status_code == 200


@pytest.mark.django_db
def test_a_huge_language_cookie_never_fails(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr" * 4000
    response = client.get("/accounts/login/")
    assert response.status_code == 200 and 'lang="en-gb"' in response.content.decode()


# Translations as an attack surface.
def _tags(text: str) -> set[str]:
    return set(re.findall(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)", text))


@pytest.mark.parametrize("language", ["fr", "ru", "ar"])
def test_no_translation_brings_markup_its_source_does_not_have(language):
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))
    smuggled = [
        entry.msgid
        for entry in catalogue.translated_entries()
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if _tags(text) - _tags(entry.msgid + entry.msgid_plural)
    ]
    assert smuggled == []


@pytest.mark.parametrize("language", ["en-gb", "fr", "ru", "ar"])
def test_a_codename_in_a_translated_sentence_is_escaped(language):
    template = Template(
        "{% load i18n %}{% blocktranslate trimmed with codename=c number=n title=t %}"
        "Agenda · {{ codename }} workshop {{ number }} ({{ title }}){% endblocktranslate %}"
    )
    with translation.override(language):
        out = template.render(Context({"c": "<script>x</script>", "n": 1, "t": '"><img src=x>'}))
    assert "<script>" not in out and "<img" not in out and "&lt;script&gt;" in out


# Whose language an e-mail is written in, and sessions in another language.
@pytest.mark.django_db
def test_a_logged_out_language_cookie_changes_no_one_elses_emails(client):
    from tests.factories import UserFactory
    from trackii.accounts.languages import language_of

    client.post(SETLANG, {"language": "fr", "next": "/"})  # someone else, logged out, on this browser
    user = UserFactory()
    client.force_login(user)
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar").status_code == 200
    user.refresh_from_db()
    assert user.language == ""
    with translation.override("fr"):  # the page's language while the e-mail is written
        assert language_of(user) == settings.LANGUAGE_CODE


@pytest.mark.django_db
def test_a_removed_member_reading_in_french_loses_their_session_and_pages(client):
    from django.urls import reverse

    from dialogues import services
    from dialogues.enums import DialogueRole
    from dialogues.removal.services import cut_off_person
    from tests.factories import DialogueFactory, PersonFactory, SideFactory, UserFactory

    dialogue = DialogueFactory()
    side = SideFactory(dialogue=dialogue)
    convenor = PersonFactory(user=UserFactory())
    services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=None)
    member = PersonFactory(user=UserFactory(language="fr"))
    services.assign_role(dialogue=dialogue, person=member, role=DialogueRole.PARTICIPANT, side=side, by=None)
    client.force_login(member.user)
    dashboard = reverse("dialogues:dialogue_detail", args=[dialogue.pk])
    page = client.get(dashboard)
    assert page.status_code == 200 and 'lang="fr"' in page.content.decode()

    services.revoke_role(dialogue=dialogue, person=member, role=DialogueRole.PARTICIPANT, by=convenor.user)
    assert client.get(dashboard).status_code == 404
    services.assign_role(dialogue=dialogue, person=member, role=DialogueRole.PARTICIPANT, side=side, by=None)
    cut_off_person(person=member, dialogue=dialogue, reason="Leaked a draft.", by=convenor.user)
    response = client.get(dashboard)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Summary versions.
@pytest.mark.django_db
def test_a_name_disguised_in_a_parallel_version_blocks_sealing():
    from dialogues.summaries import selectors as summary_selectors
    from dialogues.summaries import services as summaries
    from tests.dialogues.summaries.test_bilingual import room as _room

    room = _room.__wrapped__()
    summary = room["summary"]
    summaries.save_parallel_version(
        summary=summary,
        language_code="ru",
        body="Обсуждали квоты. Кор**вин** \u202eniv\u202c.",
        by=room["by"],
    )
    assert summary_selectors.open_mention_count(summary=summary) >= 1


@pytest.mark.django_db
def test_a_version_sent_to_another_dialogues_summary_is_404(client):
    from django.urls import reverse

    from dialogues.models import SummaryTranslation
    from dialogues.summaries import services as summaries
    from tests.dialogues.summaries.test_bilingual import room as _room

    mine, theirs = _room.__wrapped__(), _room.__wrapped__()
    client.force_login(mine["by"])
    summary = theirs["summary"]
    for dialogue_id in (mine["summary"].workshop.series.dialogue_id, summary.workshop.series.dialogue_id):
        path = reverse("dialogues:summary_version_save", args=[dialogue_id, summary.pk])
        response = client.post(path, {"adding": "1", "language": "ru", "body": "Текст."})
        assert response.status_code == 404
    assert not SummaryTranslation.objects.filter(summary=summary).exists()
    del summaries


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["", "zz", "ru\x00", "../en", "r" * 10000, "EN", "en&version=ru"])
def test_the_version_asked_for_with_junk_shows_the_default(asked):
    from django.test import RequestFactory

    from dialogues.summaries import pages
    from dialogues.summaries import services as summaries
    from tests.dialogues.summaries.test_bilingual import room as _room

    room = _room.__wrapped__()
    summary = room["summary"]
    summaries.save_parallel_version(summary=summary, language_code="ru", body="Текст.", by=room["by"])
    request = RequestFactory().get("/", {"version": asked})
    assert pages.shown_version(request, summary)["shown"].main


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["ሰላም ለሁሉም", "Agreed \U0001f91d", "\ue000 private"], ids=["Ethiopic", "emoji", "private use"]
)
def test_a_version_with_characters_no_font_draws_is_refused_before_sealing(text):
    from dialogues.summaries import services as summaries
    from tests.dialogues.summaries.test_bilingual import ENGLISH
    from tests.dialogues.summaries.test_bilingual import room as _room

    room = _room.__wrapped__()
    summary = room["summary"]
    summary = summaries.save_draft(summary=summary, body=ENGLISH, by=room["by"])
    summaries.save_parallel_version(summary=summary, language_code="ru", body=text, by=room["by"])
    with pytest.raises(ValidationError, match="no font in Trackii's PDFs"):
        summaries.check_sealable(summary=summary)


@pytest.mark.django_db
def test_a_huge_version_is_refused_next_to_its_field(client):
    from django.urls import reverse

    from dialogues.models import SummaryTranslation
    from tests.dialogues.summaries.test_bilingual import room as _room

    room = _room.__wrapped__()
    summary = room["summary"]
    client.force_login(room["by"])
    path = reverse("dialogues:summary_version_save", args=[summary.workshop.series.dialogue_id, summary.pk])
    response = client.post(path, {"adding": "1", "language": "ru", "body": "Т" * 300_000})
    assert response.status_code == 400
    assert not SummaryTranslation.objects.filter(summary=summary).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["\u0301\u0301", "   ", "\u0301 \u0308"], ids=["marks", "spaces", "marks and spaces"]
)
def test_a_name_or_name_form_that_reads_as_nothing_is_refused(value):
    from participants.services import add_name_form, create_person
    from tests.factories import DialogueFactory, PersonFactory

    with pytest.raises(ValidationError) as refused:
        create_person(name=value, by=None)
    assert "name" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        add_name_form(person=PersonFactory(), name=value, by=None, dialogue_id=DialogueFactory().pk)
    assert "name" in refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    "other", ["KORVIN ASTELI", "Ｋｏｒｖｉｎ Ａｓｔｅｌｉ", "Kórvin  Asteli", "ｋｏｒｖｉｎ\u00a0asteli"]
)
def test_the_same_name_in_another_case_or_width_is_not_a_second_form(other):
    from participants.services import add_name_form
    from tests.factories import DialogueFactory, PersonFactory

    person = PersonFactory(name="Korvin Asteli")
    with pytest.raises(ValidationError, match="already has this form"):
        add_name_form(person=person, name=other, by=None, dialogue_id=DialogueFactory().pk)


@pytest.mark.django_db
def test_a_persian_name_form_with_its_non_joiner_is_stored_as_typed():
    from participants.services import add_name_form
    from tests.factories import DialogueFactory, PersonFactory

    form = add_name_form(
        person=PersonFactory(name="Narges Zadeh"),
        name="نرگس\u200cزاده",
        by=None,
        dialogue_id=DialogueFactory().pk,
    )
    assert form.name == "نرگس\u200cزاده" and form.script == "Arabic"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, status",
    [
        (b"name=%ED%A0%80Korvin", 400),  # an unpaired surrogate in UTF-8: read as U+FFFD, refused
        (b"name=%C0%AFKorvin", 400),  # an overlong encoding
        (b"name=%FF%FE", 400),
        (b"name=" + b"K" * 1_000_000, 400),
        (b"name=Kor%E2%80%8Cvin", 400),  # a ZWNJ inside a Latin name
        (b"name=Kor%E3%85%A4vin", 400),  # a Hangul filler
        (b"name=%CC%81%CC%81", 400),  # combining marks alone
        (b"name=%D9%86%D8%B1%DA%AF%D8%B3%E2%80%8C%D8%B2%D8%A7%D8%AF%D9%87", 302),  # نرگس‌زاده
        (b"name=a&name=b", 302),
    ],
)
def test_the_names_page_takes_raw_hostile_bytes_without_failing(client, body, status):
    from dialogues.models import Dialogue  # noqa: F401  (the app is loaded)
    from tests.dialogues.names.test_views import page_url
    from tests.dialogues.names.test_views import roster as _roster

    dialogue, convenor, member = _roster.__wrapped__()
    client.force_login(convenor.user)
    response = client.post(
        page_url(dialogue, member), data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == status


def _person(name, **fields):
    return SimpleNamespace(
        name=name,
        other_names=_Forms(fields.pop("forms", [])),
        pseudonym=fields.get("pseudonym", ""),
        email=fields.get("email", ""),
        affiliation="",
    )


def test_a_korean_name_stored_decomposed_is_caught_and_a_longer_name_is_not():
    import unicodedata

    terms = attribution.terms_for([_person("김민수")])
    assert attribution.scan(unicodedata.normalize("NFD", "회의에서 김민수 씨가 말했다"), terms)
    assert attribution.scan("김\u200b민\u3164수", terms)
    assert not attribution.scan("김민숙", terms)
    assert not attribution.scan(unicodedata.normalize("NFD", "김민숙"), terms)


@pytest.mark.parametrize("text", ["Soﬁa", "SO\ufb01A FISCHER", "sofia&#64;example.org", "P-⁷", "P\u2011₇"])
def test_ligatures_references_and_small_digits_hide_nothing(text):
    terms = attribution.terms_for([_person("Sofia Fischer", pseudonym="P-7", email="sofia@example.org")])
    assert attribution.scan(text, terms)


@pytest.mark.django_db
def test_hostile_but_harmless_versions_seal_verify_and_stay_frozen(client):
    """Markup, isolates, a Persian non-joiner and CJK in the versions: sealed, verified, nothing executable in
    the PDF, the versions frozen against a direct POST, the reading room's ?version= junk harmless."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from django.utils import timezone

    from dialogues.enums import SummaryStatus
    from dialogues.models import SummaryTranslation
    from dialogues.summaries import selectors as summary_selectors
    from dialogues.summaries import services as summaries
    from tests.dialogues.summaries.test_bilingual import ENGLISH, pdf_text, url
    from tests.dialogues.summaries.test_bilingual import room as _room
    from trackii.confirmation import CONFIRM_FIELD, CONFIRM_VALUE
    from trackii.sealing.models import SealJob
    from trackii.sealing.services import run_seal_job

    room = _room.__wrapped__()
    summary, by = room["summary"], room["by"]
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))\n\n"
    summary = summaries.save_draft(summary=summary, body=ENGLISH + hostile, by=by)
    versions = {
        "fa": "## دسترسی\n\nمی\u200cخواهیم درباره \u2066P-99\u2069 سهمیه\u200cها گفتگو کنیم.\n",
        "ko": "## 어업\n\n공동 면허 위원회가 논의되었다.\n",
        "zh": "## 渔业\n\n讨论了联合许可委员会。" + "季节配额。" * 2000 + "\n",
    }
    for code, body in versions.items():
        summaries.save_parallel_version(summary=summary, language_code=code, body=body, by=by)
    summaries.check_sealable(summary=summary)
    summary = summaries.open_review(summary=summary, deadline=timezone.now() + dt.timedelta(days=3), by=by)
    summaries.close_review(summary=summary, reason="Enough comments.", by=by)
    client.force_login(by)
    assert client.post(url("summary_seal", summary), {CONFIRM_FIELD: CONFIRM_VALUE}).status_code == 302
    run_seal_job(job_id=SealJob.objects.get(object_id=summary.pk).pk)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SEALED

    pdf = summary_selectors.sealed_pdf_of(summary=summary)
    text = pdf_text(pdf)
    assert "公同" not in text and "공동 면허" in text and "P-99" in text
    assert "<script" not in text and b"/JavaScript" not in pdf and b"/JS " not in pdf
    page = client.post(
        reverse("sealing:verify"), {"file": SimpleUploadedFile("s.pdf", pdf, "application/pdf")}
    ).content.decode()
    assert "Intact: sealed by the Third Party" in page

    response = client.post(
        url("summary_version_save", summary), {"language": "ko", "body": "Korvin Asteli 말했다"}
    )
    assert response.status_code in (400, 404)
    assert "Korvin" not in SummaryTranslation.objects.get(summary=summary, language="ko").body

    client.force_login(room["reader"].user)
    for junk in ["zz", "ko%00", "../fa", "x" * 5000]:
        response = client.get(url("summary_detail", summary, version=junk))
        assert response.status_code == 200


# Found and not fixed here (see the report): spellings the fold does not reach.
@pytest.mark.xfail(strict=True, reason="one transliteration scheme (anyascii): й is i, never y or j")
@pytest.mark.parametrize("text", ["Andrey Zaytsev", "Andrej Zajcev"], ids=["BGN/PCGN", "ISO 9 / scholarly"])
def test_a_russian_name_in_another_common_latin_spelling_is_caught(text):
    assert attribution.scan(text, attribution.terms_for([_person("Андрей Зайцев")]))


@pytest.mark.xfail(strict=True, reason="CJK radicals have no NFKC mapping; confusables.txt is not used")
def test_a_chinese_name_with_a_radical_look_alike_is_caught():
    assert attribution.scan("⺩伟", attribution.terms_for([_person("王伟")]))  # U+2EA9 CJK RADICAL JADE
