# ruff: noqa: RUF001  (a participant's name in Cyrillic is what is tested)
"""The bilingual summary journey in French, in Chromium (issue 22): a facilitator picks Français in the
language menu before logging in, drafts a summary in English with a Russian parallel version, and the
attribution check flags, in French, a participant named in Cyrillic whose name is on file in Latin only.
Once the name is out the review opens; a participant whose account reads French comments on the Russian
version and signs off; the facilitator seals (a real Celery worker); the participant reads the Russian
version in the reading room, downloads their copy, and the copy verifies at /verify/. Every page visited
shows French words. Screenshots at 1280 px go to artifacts/screenshots/fr-journey-*.png.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dialogues import services
from dialogues.enums import DialogueRole, InvitationStatus, WorkshopStatus
from dialogues.models import Invitation, SummaryCopy, Workshop
from dialogues.scheduling import services as scheduling_services
from tests.accounts.helpers import fresh_totp_code
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import PASSWORD, SECRETS, USED_CODES, enrol
from tests.factories import AgendaItemFactory, DialogueFactory, PersonFactory, SideFactory, UserFactory
from trackii.accounts.models import User
from trackii.sealing.verify import verify_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENGLISH = (
    "## How a hotline would work\n\nOne participant walked through an incident hour by hour; the group "
    "found three points where a call would have helped.\n\n## Next steps\n\n- A short paper on a hotline\n"
)
RUSSIAN_NAMING = (
    "## Как работала бы горячая линия\n\nКорвин Астели час за часом разобрал один инцидент; группа нашла "
    "три момента, когда звонок помог бы.\n\n## Дальнейшие шаги\n\n- Короткая записка о горячей линии\n"
)
RUSSIAN = RUSSIAN_NAMING.replace("Корвин Астели", "Один из участников")


@pytest.fixture
def workshop():
    """Lanternfield-like: a facilitator, and two participants who attended; one is on file in Latin only."""
    dialogue = DialogueFactory(codename="lanternfield", title="Lanternfield dialogue")
    north = SideFactory(dialogue=dialogue, name="North")
    facilitator = PersonFactory(
        pseudonym="P-2", name="Ingrid Alvestad", user=UserFactory(email="facilitator@example.org")
    )
    services.assign_role(dialogue=dialogue, person=facilitator, role=DialogueRole.FACILITATOR, by=None)
    enrol(facilitator.user)
    series = scheduling_services.create_series(dialogue=dialogue, title="Phase 1", by=None)
    now = timezone.now()
    workshop = scheduling_services.schedule_workshop(
        series=series,
        starts_at=now + dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=2),
        timezone_name="Europe/Paris",
        title="A hotline between coast guards",
        venue="Maison des conférences",
        by=None,
    )
    AgendaItemFactory(workshop=workshop, position=1, title="How a hotline would work")
    AgendaItemFactory(workshop=workshop, position=2, title="Next steps")
    for pseudonym, name, email in (
        ("P-32", "Korvin Asteli", "participant@example.org"),
        ("P-33", "Nadira Kessov", "participant2@example.org"),
    ):
        # The participants read Trackii in French: their own language, on file.
        person = PersonFactory(pseudonym=pseudonym, name=name, user=UserFactory(email=email, language="fr"))
        services.assign_role(
            dialogue=dialogue, person=person, role=DialogueRole.PARTICIPANT, side=north, by=None
        )
        scheduling_services.invite(workshop=workshop, person=person, by=None)
        Invitation.objects.filter(workshop=workshop, person=person).update(status=InvitationStatus.ATTENDED)
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=now - dt.timedelta(days=8), ends_at=now - dt.timedelta(days=7), status=WorkshopStatus.HELD
    )
    return workshop


def log_in_in_french(page: Page, base: str, email: str) -> None:
    """The login page in French (the language cookie, or the account's language once in)."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    if page.locator("html").get_attribute("lang") != "fr":
        page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Se connecter à Trackii")).to_be_visible()
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("form.form").get_by_role("button", name="Se connecter").click()
    if email in SECRETS:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        page.locator("input[name=code]").fill(fresh_totp_code(SECRETS[email], USED_CODES))
        page.locator("main button[type=submit]").first.click()
    expect(page).to_have_url(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_a_bilingual_summary_from_draft_to_verified_copy_in_french(
    live_server, page: Page, workshop, screenshot, workers
):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    dialogue_id = workshop.series.dialogue_id

    # The facilitator picks Français before logging in; the login and the second factor speak French.
    page.goto(f"{base}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Se connecter à Trackii")).to_be_visible()
    screenshot("fr-journey-01-login")
    page.get_by_label("Adresse électronique").fill("facilitator@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("form.form").get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    screenshot("fr-journey-02-second-factor")
    page.locator("input[name=code]").fill(fresh_totp_code(SECRETS["facilitator@example.org"], USED_CODES))
    page.locator("main button[type=submit]").first.click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("heading", level=1, name="Vos dialogues")).to_be_visible()
    screenshot("fr-journey-03-home")

    # The dialogue, then the workshop.
    page.goto(f"{base}/dialogues/{dialogue_id}/dashboard/")
    expect(page.get_by_role("heading", name="Parties et membres")).to_be_visible()
    screenshot("fr-journey-04-dashboard")
    page.goto(f"{base}/dialogues/{dialogue_id}/workshops/{workshop.pk}/")
    expect(page.get_by_role("button", name="Rédiger le compte rendu")).to_be_visible()
    screenshot("fr-journey-05-workshop")
    page.get_by_role("button", name="Rédiger le compte rendu").click()

    # The draft: English is the summary's language; a Russian version names P-32 in Cyrillic.
    expect(page).to_have_title(re.compile("Brouillon du compte rendu"))
    page.get_by_label("Le compte rendu est rédigé en").select_option("en")
    page.get_by_role("button", name="Changer la langue").click()
    expect(page.get_by_text("Le compte rendu est désormais indiqué comme rédigé en English.")).to_be_visible()
    page.get_by_label("Le compte rendu, en Markdown").fill(ENGLISH)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    adding = page.locator("#version-new")
    adding.get_by_label("Langue").select_option("ru")
    adding.get_by_label("La version, en Markdown").fill(RUSSIAN_NAMING)
    adding.get_by_role("button", name="Ajouter la version").click()
    expect(page.get_by_text("La version en Русский est enregistrée.", exact=False)).to_be_visible()
    guard = page.locator("#attribution")
    expect(guard.get_by_role("heading", name="Contrôle d’attribution")).to_be_visible()
    expect(guard).to_contain_text("Korvin Asteli")
    expect(guard).to_contain_text("Корвин Астели")
    expect(guard.locator(".finding .badge").first).to_have_text("nom")  # the kind of term, in French too
    expect(guard).to_contain_text("mention à résoudre")
    screenshot("fr-journey-06-guard-flags-cyrillic")
    page.get_by_role("button", name="Ouvrir la relecture").click()
    expect(
        page.get_by_text("Le brouillon nomme des personnes ou des organisations de ce dialogue")
    ).to_be_visible()
    screenshot("fr-journey-07-review-refused")

    # The facilitator takes the name out of the Russian version; the check is clean; the review opens.
    version = page.locator("#version-ru")
    version.get_by_label("La version, en Markdown").fill(RUSSIAN)
    version.get_by_role("button", name="Enregistrer la version en Русский").click()
    expect(page.locator("#attribution")).not_to_contain_text("Корвин")
    expect(page.locator("#attribution")).to_contain_text("Conforme")
    page.get_by_role("button", name="Ouvrir la relecture").click()
    expect(page.get_by_role("heading", name="Tour de relecture")).to_be_visible()
    screenshot("fr-journey-08-review-open")
    summary_url = page.url.split("#")[0]

    # A participant, in French, comments on the Russian version, then signs off.
    log_in_in_french(page, base, "participant@example.org")
    page.goto(f"{base}/summaries/")
    expect(page.get_by_role("heading", name="Brouillons en attente de vos commentaires")).to_be_visible()
    screenshot("fr-journey-09-participant-summaries")
    page.goto(summary_url)
    expect(page).to_have_title(re.compile("Relire le compte rendu"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compte rendu")
    page.get_by_role("link", name="Русский").click()
    expect(page.locator("article.summary-body[lang=ru]")).to_contain_text("Дальнейшие шаги")
    page.get_by_role("combobox", name="Version").select_option("ru")
    page.get_by_label("Section").select_option("Дальнейшие шаги")
    page.get_by_role("textbox", name="Votre commentaire").fill(
        "Il manque qui rédige la note : les facilitateurs."
    )
    page.get_by_role("button", name="Envoyer le commentaire").click()
    expect(page.get_by_text("Merci. Votre commentaire a été transmis aux facilitateurs")).to_be_visible()
    expect(page.locator("#your-comments")).to_contain_text("Il manque qui rédige la note")
    expect(page.locator("#your-comments")).to_contain_text("Русский")
    page.get_by_role("button", name="Je n’ai plus de commentaires").click()
    expect(page.locator("#sign-off")).to_contain_text("Vous avez indiqué aux facilitateurs")
    screenshot("fr-journey-10-participant-comments-on-russian")
    log_in_in_french(page, base, "participant2@example.org")
    page.goto(summary_url)
    page.get_by_role("button", name="Je n’ai pas de commentaires").click()

    # The facilitator reads the comment, closes the review and seals; a real worker seals.
    workers()
    log_in_in_french(page, base, "facilitator@example.org")
    page.goto(summary_url)
    expect(page.get_by_text("Il manque qui rédige la note")).to_be_visible()
    screenshot("fr-journey-11-facilitator-reads-comment")
    page.get_by_role("button", name="Clore la relecture", exact=True).click()
    expect(page).to_have_title(re.compile("Brouillon du compte rendu"))
    page.get_by_role("button", name="Sceller ce compte rendu").click()
    expect(page.get_by_text("Cette action est irréversible.")).to_be_visible()
    screenshot("fr-journey-12-seal-confirmation")
    page.get_by_role("button", name="Oui, sceller ce compte rendu").click()
    expect(page.locator("#seal-status")).to_contain_text("Scellé.", timeout=90_000)
    screenshot("fr-journey-13-sealed")
    page.get_by_role("link", name="Ouvrir le compte rendu scellé").click()
    expect(page.get_by_role("link", name="Télécharger ma copie (PDF)")).to_be_visible()

    # The participant accepts the ground rules, reads the Russian version and downloads their copy.
    log_in_in_french(page, base, "participant@example.org")
    page.goto(summary_url)
    expect(page.get_by_role("heading", name="Règles de base")).to_be_visible()
    screenshot("fr-journey-14-ground-rules")
    page.get_by_role("button", name="J’accepte les règles de base").click()
    page.get_by_role("link", name="Русский").click()
    expect(page.locator("article.summary-body[lang=ru]")).to_contain_text("Один из участников")
    expect(page.locator("a[aria-current=true]", has_text="Русский")).to_be_visible()
    screenshot("fr-journey-15-reading-room-russian")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ma copie (PDF)").click()
    pdf_path = Path(download.value.path())
    pdf = pdf_path.read_bytes()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "fr-journey-copy.pdf").write_bytes(pdf)
    assert verify_pdf(pdf).ok

    # The copy verifies at /verify/, in French.
    page.goto(f"{base}/verify/")
    expect(page.get_by_role("heading", level=1, name="Vérifier un PDF scellé")).to_be_visible()
    page.locator("input[type=file]").set_input_files(str(ARTIFACTS / "fr-journey-copy.pdf"))
    page.get_by_role("button", name="Vérifier ce PDF").click()
    result = page.locator(".verify-result")
    expect(result).to_have_class(re.compile("verify-result--ok"))
    copy = SummaryCopy.objects.get(holder__pseudonym="P-32")
    expect(result).to_contain_text(copy.copy_code)
    expect(result).to_contain_text("Code de copie")
    screenshot("fr-journey-16-verified")
    assert User.objects.get(email="participant@example.org").language == "fr"
