"""A person reads Trackii in French, then in Arabic, in Chromium (issue 22): the language menu before login,
the login in French, the choice kept on the account page, the right-to-left page."""

import pytest
from playwright.sync_api import Page, expect

from trackii.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_person_chooses_french_logs_in_and_keeps_arabic(
    live_server, page: Page, user, password, screenshot
):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    page.get_by_role("button", name="Français").click()

    expect(page.get_by_role("heading", name="Se connecter à Trackii")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(password)
    page.locator("form.form").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1, name="Vos dialogues")).to_be_visible()
    expect(page.get_by_role("link", name="Votre compte")).to_be_visible()
    screenshot("fr-home")

    page.get_by_role("link", name="Votre compte").click()
    page.get_by_label("العربيّة").check()
    page.get_by_role("button", name="Enregistrer la langue").click()

    expect(page.get_by_role("heading", level=1, name="حسابك")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot("ar-account")
    assert User.objects.get(pk=user.pk).language == "ar"
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("ar-account-375")
