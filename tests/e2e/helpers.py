"""Logging in through the real pages, second factor included, for the browser journeys."""

import re

from playwright.sync_api import Page, expect

from tests.accounts.helpers import enrol_totp, fresh_totp_code

PASSWORD = "a-long-test-passphrase-42"  # tests.factories.UserFactory's
# Each account's TOTP secret, by login, for those who enrolled (see enrol); a code is accepted only once.
SECRETS: dict[str, str] = {}
USED_CODES: set[str] = set()


def enrol(user) -> None:
    """Give the account a second factor, as the Third Party's roles must have."""
    SECRETS[user.email] = enrol_totp(user)


def log_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if email in SECRETS:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.locator("input[name=code]").fill(fresh_totp_code(SECRETS[email], USED_CODES))
        page.locator("main button[type=submit]").first.click()
    # The home page: its heading depends on the person's roles (trackii/home.py).
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
