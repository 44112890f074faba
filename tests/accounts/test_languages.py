"""Which language a page and an e-mail are written in (issue 22): the browser's, then the cookie, then the
person's own choice kept on their login; right-to-left for Arabic; e-mails in the recipient's language."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.accounts.test_invitations import BASE
from tests.factories import UserFactory
from trackii.accounts import services
from trackii.accounts.languages import writing_to
from trackii.accounts.models import User
from trackii.accounts.tasks import send_invitation_email
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
SETLANG = "/i18n/setlang/"


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request leaves its language active in the thread; the next test file expects none."""
    yield
    translation.deactivate()


def html_attributes(page: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', page)
    return found.group(1), found.group(2)


def test_login_page_follows_the_browser_language(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9, en;q=0.5")

    page = response.content.decode()
    assert html_attributes(page) == ("fr", "ltr")
    assert response["Content-Language"] == "fr"
    assert "Se connecter" in page and "Log in to Trackii" not in page


def test_login_page_in_english_without_a_preference(client):
    response = client.get(reverse("account_login"))
    assert html_attributes(response.content.decode()) == ("en-gb", "ltr")
    assert "Log in to Trackii" in response.content.decode()


def test_language_cookie_wins_over_the_browser(client):
    response = client.post(SETLANG, {"language": "ru", "next": reverse("account_login")})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert response.cookies["django_language"].value == "ru"

    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert html_attributes(page) == ("ru", "ltr")
    assert "Войти" in page


def test_arabic_page_is_right_to_left(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="ar")
    page = response.content.decode()
    assert html_attributes(page) == ("ar", "rtl")
    assert response["Content-Language"] == "ar"
    # Each language in the menu is named in itself, in its own language and direction.
    assert 'lang="ar" dir="rtl"' in page and ">العربيّة<" in page
    assert 'lang="ru" dir="ltr"' in page and ">Русский<" in page


def test_choice_of_a_signed_in_person_is_kept_audited_and_wins_over_the_browser(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(SETLANG, {"language": "ar", "next": reverse("accounts:account")})

    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    user.refresh_from_db()
    assert user.language == "ar"
    row = AuditEvent.objects.get(action=Action.LANGUAGE_CHANGED)
    assert row.actor_id == user.pk and row.target_id == str(user.pk)
    assert not row.detail  # ids only
    # Another device: no cookie, a French browser; the kept choice decides.
    client.cookies.pop("django_language")
    page = client.get(reverse("accounts:account"), HTTP_ACCEPT_LANGUAGE="fr")
    assert page["Content-Language"] == "ar"
    assert html_attributes(page.content.decode()) == ("ar", "rtl")
    assert "Cookie" in page["Vary"]


def test_choosing_the_same_language_again_writes_nothing(client):
    user = UserFactory(language="fr")
    client.force_login(user)
    client.post(SETLANG, {"language": "fr", "next": "/"})
    assert not AuditEvent.objects.filter(action=Action.LANGUAGE_CHANGED).exists()


@pytest.mark.parametrize("language", ["xx", "", "de", "fr'><script>", "en" * 100])
def test_a_language_trackii_does_not_have_changes_nothing(client, language):
    user = UserFactory(language="ru")
    client.force_login(user)
    response = client.post(SETLANG, {"language": language, "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "ru"
    assert "django_language" not in response.cookies


ELSEWHERE = ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com", "javascript:alert(1)"]


@pytest.mark.parametrize("next_url", ELSEWHERE)
def test_next_to_another_host_is_refused(client, next_url):
    response = client.post(SETLANG, {"language": "fr", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_language_switch_needs_a_post(client):
    assert client.get(SETLANG + "?language=fr&next=/").status_code == 405


def test_menu_on_every_page_returns_to_the_same_page(client):
    page = client.get(reverse("account_login") + "?next=/account/").content.decode()
    assert f'action="{SETLANG}"' in page
    assert 'name="next" value="/accounts/login/?next=/account/"' in page


def test_account_page_offers_the_choice_and_shows_the_kept_one(client):
    user = UserFactory(language="ru")
    client.force_login(user)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'value="ru" checked' in page
    assert "Язык" in page  # the section's heading, in the chosen language


def test_own_language_costs_no_query(client):
    """The user row is read for every signed-in page anyway; the choice in it needs no query of its own."""
    plain, chosen = UserFactory(), UserFactory(language="fr")
    counts = []
    for user in (plain, chosen):
        client.force_login(user)
        client.get(reverse("accounts:account"))  # the session's first-request writes
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("accounts:account"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_invitation_email_is_written_in_the_recipients_language(
    dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    newcomer.languages = ["uk", "ru", "en"]  # no Ukrainian interface yet: Russian is the first Trackii has
    newcomer.save(update_fields=["languages"])
    with django_capture_on_commit_callbacks(execute=False):
        invitation = services.invite_person(dialogue=dialogue, person=newcomer, by=convenor, base_url=BASE)
    assert send_invitation_email(invitation.pk, BASE) is True

    message = mail.outbox[-1]
    assert message.subject == "Ваше приглашение в Trackii"
    assert "Здравствуйте" in message.body and "/welcome/" in message.body
    # Still names no dialogue and no person.
    assert dialogue.title not in message.body and dialogue.codename not in message.body
    assert newcomer.name not in message.body


def test_invitation_email_to_someone_without_a_language_is_english(
    dialogue, newcomer, convenor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = services.invite_person(dialogue=dialogue, person=newcomer, by=convenor, base_url=BASE)
    send_invitation_email(invitation.pk, BASE)
    assert mail.outbox[-1].subject == "Your Trackii invitation"
    assert mail.outbox[-1].body.startswith("Hello,")


def test_writing_to_prefers_the_login_choice_and_restores_the_page_language():

    user = User(language="ar")
    with translation.override("fr"):
        with writing_to(user, spoken=["ru"]) as code:
            assert code == "ar" and translation.get_language() == "ar"
        assert translation.get_language() == "fr"
    with writing_to(None, spoken=["zz", "fr-CA"]) as code:
        assert code == "fr"


def test_times_and_days_are_written_in_the_viewers_language():
    import datetime as dt

    from django.template import Context, Template

    moment = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
    template = Template('{% load trackii_pages %}{% zoned moment %} · {{ moment|day:"j F Y" }}')
    with translation.override("fr"):
        french = template.render(Context({"moment": moment, "viewer_tz": "Europe/Paris"}))
    with translation.override("ru"):
        russian = template.render(Context({"moment": moment, "viewer_tz": "Europe/Moscow"}))
    assert "7 déc 2026, 10:30 CET" in french and "7 décembre 2026" in french
    assert "7 дек 2026, 12:30 MSK" in russian and "7 декабря 2026" in russian
    with translation.override("en-gb"):
        english = template.render(Context({"moment": moment, "viewer_tz": "Europe/London"}))
    assert "7 Dec 2026, 09:30 GMT" in english


def test_isolate_keeps_an_address_in_its_own_direction_and_escapes_it():
    from django.template import Context, Template

    template = Template("{% load trackii_pages %}{{ email|isolate }}")
    rendered = template.render(Context({"email": "a<b>@x.org"}))
    assert rendered == "\u2068a&lt;b&gt;@x.org\u2069"
