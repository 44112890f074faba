"""A person logs in through the real login page in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_with_the_right_password_shows_the_home_page(
    live_server, page: Page, user, password, screenshot
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    screenshot("login-page")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your dialogues")).to_be_visible()
    expect(page.get_by_text(user.email, exact=True)).to_be_visible()
    screenshot("home-1440")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("home-375")


def test_login_with_a_wrong_password_says_so_and_keeps_the_email(live_server, page: Page, user, screenshot):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    expect(page.get_by_label("E-mail address")).to_have_value(user.email)
    screenshot("login-wrong-password")


def test_keyboard_user_can_skip_to_content(live_server, page: Page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()


def test_pages_load_nothing_from_other_hosts(live_server, page: Page, user, password):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your dialogues")).to_be_visible()
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
