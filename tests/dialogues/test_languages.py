"""The dialogue's pages, its e-mails and the calendar feed in French, Russian and Arabic (issue 22):
translated words and month names in the reader's language, e-mails in the recipient's, the feed in its
owner's."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.enums import DialogueRole, NotificationKind
from dialogues.personal import services as personal_services
from dialogues.scheduling import notifications
from dialogues.scheduling import services as scheduling_services
from tests.dialogues.helpers import member, two_sided
from tests.factories import PersonFactory, SeriesFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
STARTS = dt.datetime(2027, 3, 10, 9, 0, tzinfo=OSLO)  # a Wednesday in March

# language → (words the page must show, the month as the page writes it)
DASHBOARD = {
    "fr": (["Prochains ateliers", "Séries d'ateliers", "Parties et membres"], "mer 10 mar 2027"),
    "ru": (["Ближайшие семинары", "Серии семинаров", "Стороны и участники"], "ср 10 мар 2027"),  # noqa: RUF001 (Russian, meant)
    "ar": (["ورش العمل القادمة", "سلاسل ورش العمل", "الأطراف والأعضاء"], "أربعاء 10 مارس 2027"),
}
WORKSHOP = {
    "fr": (["Lieu (confidentiel)", "Ordre du jour", "atelier"], "mercredi 10 mars 2027"),
    "ru": (["Место проведения (конфиденциально)", "Повестка", "семинар"], "среда 10 марта 2027"),
    "ar": (["المكان (سرّي)", "جدول الأعمال", "ورشة العمل"], "الأربعاء 10 مارس 2027"),
}
CALENDAR = {
    "fr": (["Agenda", "Fuseau horaire et flux", "lun."], "mars 2027"),
    "ru": (["Календарь", "Часовой пояс и лента", "пн"], "март 2027"),
    "ar": (["التقويم", "المنطقة الزمنية والموجز", "الاثنين"], "مارس 2027"),
}


@pytest.fixture
def place():
    dialogue, north, _ = two_sided()
    convenor = member(dialogue, role=DialogueRole.CONVENOR)
    participant = member(dialogue, north)
    series = SeriesFactory(dialogue=dialogue, title="Phase 2: fisheries")
    workshop = WorkshopFactory(
        series=series, starts_at=STARTS, ends_at=STARTS + dt.timedelta(days=1, hours=8)
    )
    scheduling_services.invite_people(workshop=workshop, people=[participant], by=None)
    return dialogue, convenor, participant, workshop


def _page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode().lower()


@pytest.mark.parametrize("language", ["fr", "ru", "ar"])
def test_dashboard_speaks_the_browsers_language_with_its_month_names(client, place, language):
    dialogue, convenor, _, _ = place
    client.force_login(convenor.user)
    text = _page(client, reverse("dialogues:dashboard", args=[dialogue.pk]), language)
    words, month = DASHBOARD[language]
    for word in words:
        assert word.lower() in text
    assert month in text
    assert "next workshops" not in text and "workshop series" not in text
    assert "<bdi>tidewater</bdi>" in text  # the codename isolated inside text that may run right to left


@pytest.mark.parametrize("language", ["fr", "ru", "ar"])
def test_workshop_page_names_the_day_and_month_in_the_readers_language(client, place, language):
    dialogue, _, participant, workshop = place
    client.force_login(participant.user)
    text = _page(client, reverse("dialogues:workshop_detail", args=[dialogue.pk, workshop.pk]), language)
    words, day = WORKSHOP[language]
    for word in words:
        assert word.lower() in text
    assert day in text  # "10 марта": the month as a date names it, not "10 март"
    assert "venue (confidential)" not in text and "wednesday" not in text and "march" not in text


@pytest.mark.parametrize("language", ["fr", "ru", "ar"])
def test_calendar_month_in_the_readers_language(client, place, language):
    _, _, participant, _ = place
    client.force_login(participant.user)
    text = _page(client, reverse("dialogues:calendar_month") + "?month=2027-03", language)
    words, heading = CALENDAR[language]
    for word in words:
        assert word.lower() in text
    assert heading in text and "march" not in text and "no workshops this month" not in text


def test_english_stays_the_default_without_a_language(client, place):
    dialogue, convenor, _, _ = place
    client.force_login(convenor.user)
    text = client.get(reverse("dialogues:dashboard", args=[dialogue.pk])).content.decode()
    assert "Next workshops" in text and "Wed 10 Mar 2027" in text


def _deliver(workshop, people, mailoutbox) -> dict:
    now = dt.datetime(2027, 1, 5, 12, 0, tzinfo=dt.UTC)
    notifications.queue_notifications(
        workshop=workshop, people=people, kind=NotificationKind.INVITED, now=now
    )
    notifications.deliver_notifications(now=now + dt.timedelta(minutes=5))
    return {message.to[0]: message for message in mailoutbox if message.to[0] in {p.email for p in people}}


def test_invitation_e_mail_goes_out_in_each_recipients_language_and_names_only_the_codename(
    place, mailoutbox
):
    dialogue, _, _, workshop = place
    north = dialogue.sides.get(name="North")
    chose_french = member(dialogue, north, email="fr@example.org")
    chose_french.user.language = "fr"
    chose_french.user.save(update_fields=["language"])
    # A choice beats the languages on file; without a choice, the first of those Trackii has.
    chose_arabic = member(dialogue, north, email="ar@example.org", languages=["ru"])
    chose_arabic.user.language = "ar"
    chose_arabic.user.save(update_fields=["language"])
    speaks_russian = member(dialogue, north, email="ru@example.org", languages=["hy", "ru-RU", "fr"])
    no_login = PersonFactory(email="ru-nologin@example.org", languages=["ru"])
    services.assign_role(
        dialogue=dialogue, person=no_login, role=DialogueRole.PARTICIPANT, side=north, by=None
    )
    nothing_supported = member(dialogue, north, email="en@example.org", languages=["hy", "ka"])
    people = [chose_french, chose_arabic, speaks_russian, no_login, nothing_supported]
    sent = _deliver(workshop, people, mailoutbox)

    number = workshop.number
    french = sent["fr@example.org"]
    # One whole subject, the workshop inside it: French puts its space before the colon.
    assert french.subject == f"tidewater · série 1 · atelier {number} : invitation"
    assert "Nouvelles de tidewater" in french.body and "mer 10 mar 2027" in french.body
    assert "vous êtes invité" in french.body and "ne pas le transférer" in french.body

    arabic = sent["ar@example.org"]
    assert "ورشة العمل" in arabic.subject and "مستجدات tidewater" in arabic.body and "مارس" in arabic.body

    for address in ("ru@example.org", "ru-nologin@example.org"):
        russian = sent[address]
        assert f"серия 1 · семинар {number}" in russian.subject and "приглашение" in russian.subject
        assert "Новости диалога tidewater" in russian.body and "Ср 10 мар 2027" in russian.body  # noqa: RUF001
    assert "нет учётной записи Trackii" in sent["ru-nologin@example.org"].body

    english = sent["en@example.org"]
    assert english.subject == f"tidewater · series 1 · workshop {number}: invitation"
    assert "News about tidewater" in english.body and "Wed 10 Mar 2027" in english.body

    for message in sent.values():  # still codename-only, whatever the language
        for secret in ("Serran", "fisheries", "Fjordhaven", "North"):
            assert secret not in message.subject + message.body


def test_feed_follows_its_owners_language_not_the_calendar_programs(client, place):
    _, _, participant, workshop = place
    token = personal_services.issue_feed_token(by=participant.user)
    url = reverse("dialogues:calendar_feed", args=[token])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"SUMMARY:tidewater · series 1 · workshop {workshop.number}\r\n" in english

    participant.user.language = "ru"
    participant.user.save(update_fields=["language"])
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"SUMMARY:tidewater · серия 1 · семинар {workshop.number}\r\n" in russian

    personal_services.update_calendar_settings(
        by=participant.user, timezone_name="Europe/Oslo", feed_detail=True
    )
    detailed = client.get(url).content.decode()
    assert "DESCRIPTION:" in detailed and "время по поясу Europe/Oslo" in detailed.replace("\r\n ", "")


def test_e_mail_to_someone_with_no_choice_and_no_languages_is_english(place, mailoutbox):
    dialogue, _, _, workshop = place
    nobody = member(dialogue, dialogue.sides.get(name="North"), email="plain@example.org", languages=[])
    assert nobody.user.language == ""
    [message] = _deliver(workshop, [nobody], mailoutbox).values()
    assert message.subject.endswith(": invitation") and "News about tidewater" in message.body
