"""An administrator invites a new auditor, a second administrator confirms, and the invitee opens the
e-mailed link, sets a password, enrols an authenticator app and lands on the audit log."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.accounts.helpers import fresh_totp_code
from tests.e2e.helpers import PASSWORD, SECRETS, USED_CODES, enrol
from tests.staff.helpers import staff
from trackii.accounts.models import User
from trackii.staff.models import StaffRequest
from trackii.staff.requests import services
from trackii.staff.roles import is_auditor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "quiet harbour lanterns 7"


def log_in_as_staff(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(fresh_totp_code(SECRETS[email], USED_CODES))
    page.locator("main button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))


def test_administrator_invites_an_auditor_and_a_second_administrator_confirms(
    live_server, page: Page, screenshot
):
    cache.clear()
    admin, admin2 = staff(email="admin@example.org"), staff(email="admin2@example.org")
    enrol(admin)
    enrol(admin2)

    log_in_as_staff(page, live_server.url, "admin@example.org")
    page.goto(f"{live_server.url}/staff/invite/")
    expect(page.get_by_role("heading", name="Invite staff")).to_be_visible()
    page.get_by_label("E-mail address").fill("new.auditor@example.org")
    page.get_by_label("Auditor").check()
    page.get_by_label("Reason (optional)").fill("Joins the compliance team")
    screenshot("staff-invite-1-form")
    page.get_by_role("button", name="Ask a second administrator to confirm").click()
    expect(page.get_by_role("heading", name="Staff requests")).to_be_visible()
    expect(page.get_by_text("The e-mail goes out once they confirm it")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Cancel"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Confirm"))).to_have_count(0)  # not theirs to confirm
    screenshot("staff-invite-2-waiting")
    assert mail.outbox == []

    log_in_as_staff(page, live_server.url, "admin2@example.org")
    page.goto(f"{live_server.url}/staff/requests/")
    page.get_by_role("link", name=re.compile("^Confirm")).click()
    expect(page.get_by_role("heading", name=re.compile("Confirm: invite to a staff role"))).to_be_visible()
    expect(page.get_by_text("Trackii e-mails new.auditor@example.org a link")).to_be_visible()
    expect(page.get_by_text("Joins the compliance team")).to_be_visible()
    screenshot("staff-invite-3-confirm")
    page.get_by_role("button", name="Yes, confirm it").click()
    expect(page.get_by_text("Confirmed.")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("staff-invite-3b-decided-375")
    page.set_viewport_size({"width": 1280, "height": 800})

    # The e-mail task, run here as the worker would.
    request = StaffRequest.objects.get()
    assert services.send_staff_invitation(invitation_id=request.invitation_id, base_url=live_server.url)
    assert mail.outbox[-1].to == ["new.auditor@example.org"]
    link = re.search(r"http://\S+/staff/welcome/\S+/", mail.outbox[-1].body).group(0)

    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", name="Set up your login")).to_be_visible()
    expect(page.get_by_text("new.auditor@example.org")).to_be_visible()
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type it again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set up my login").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    screenshot("staff-invite-4-totp")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(fresh_totp_code(secret, USED_CODES))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    page.get_by_role("link", name="I have saved these codes — continue").click()
    expect(page).to_have_url(f"{live_server.url}/audit/")
    expect(page.get_by_role("heading", name="Audit log", exact=True)).to_be_visible()
    screenshot("staff-invite-5-audit")
    assert is_auditor(User.objects.get(email="new.auditor@example.org"))

    page.goto(link)
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
