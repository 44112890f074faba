"""Disabling, re-enabling and ending sessions from the staff's pages: the rules, and one audit row each."""

import pytest
from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.staff.conftest import is_logged_in, logged_in, staff
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.staff.accounts import selectors, services
from trackii.staff.roles import Role

pytestmark = pytest.mark.django_db


def events(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_disable_login_ends_sessions_and_is_audited_once(administrator, member):
    victim = logged_in(member)
    services.disable_login(user=member, by=administrator)
    services.disable_login(user=member, by=administrator)  # safe to repeat
    member.refresh_from_db()
    assert not member.is_active and not is_logged_in(victim)
    (event,) = events(Action.ACCOUNT_DISABLED)
    assert (event.actor_id, event.target_id) == (administrator.pk, str(member.pk))


def test_disable_login_refuses_the_administrators_own_account(administrator):
    staff(Role.ADMINISTRATOR)  # not the last one: the refusal is about disabling oneself
    with pytest.raises(ValidationError, match="your own account"):
        services.disable_login(user=administrator, by=administrator)
    administrator.refresh_from_db()
    assert administrator.is_active and not events(Action.ACCOUNT_DISABLED)


def test_disable_login_refuses_a_superuser(administrator):
    root = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(ValidationError, match="command line"):
        services.disable_login(user=root, by=administrator)
    root.refresh_from_db()
    assert root.is_active


def test_disable_login_refuses_the_last_active_administrator(administrator):
    root = UserFactory(
        is_staff=True, is_superuser=True, is_active=False
    )  # a disabled superuser counts for none
    with pytest.raises(ValidationError, match="last active administrator"):
        services.disable_login(user=administrator, by=root)
    other = staff(Role.ADMINISTRATOR)
    services.disable_login(user=administrator, by=root)
    with pytest.raises(ValidationError, match="last active administrator"):
        services.disable_login(user=other, by=root)
    assert len(events(Action.ACCOUNT_DISABLED)) == 1


def test_an_active_superuser_counts_as_an_administrator_left(administrator):
    # The same rule as removing the role (decision 0020): someone who can administer must be left.
    root = UserFactory(is_staff=True, is_superuser=True)
    services.disable_login(user=administrator, by=root)
    administrator.refresh_from_db()
    assert not administrator.is_active


def test_enable_login_lets_the_account_log_in_again_and_is_audited(administrator, member):
    services.disable_login(user=member, by=administrator)
    services.enable_login(user=member, by=administrator)
    services.enable_login(user=member, by=administrator)
    member.refresh_from_db()
    assert member.is_active and is_logged_in(logged_in(member))
    (event,) = events(Action.ACCOUNT_ENABLED)
    assert (event.actor_id, event.target_id) == (administrator.pk, str(member.pk))


def test_enable_login_refuses_a_superuser(administrator):
    root = UserFactory(is_staff=True, is_superuser=True, is_active=False)
    with pytest.raises(ValidationError):
        services.enable_login(user=root, by=administrator)
    root.refresh_from_db()
    assert not root.is_active


def test_end_session_ends_that_session_only(administrator, member):
    laptop, phone = logged_in(member), logged_in(member, browser="Mozilla/5.0 Version/18 Safari/605")
    laptop_session = UserSession.objects.get(session_key=laptop.session.session_key)
    assert services.end_session(user=member, session_id=laptop_session.pk, by=administrator)
    assert not is_logged_in(laptop) and is_logged_in(phone)
    (event,) = events(Action.SESSION_ENDED)
    assert event.target_id == str(member.pk) and event.detail == {"session": laptop_session.pk}
    # Ended already, or another account's: nothing happens and nothing is recorded.
    assert not services.end_session(user=member, session_id=laptop_session.pk, by=administrator)
    other = UserSession.objects.get(session_key=logged_in(UserFactory()).session.session_key)
    assert not services.end_session(user=member, session_id=other.pk, by=administrator)
    assert len(events(Action.SESSION_ENDED)) == 1


def test_end_sessions_ends_every_session(administrator, member):
    clients = [logged_in(member), logged_in(member)]
    services.end_sessions(user=member, by=administrator)
    assert not any(is_logged_in(client) for client in clients)
    assert events(Action.SESSIONS_ENDED)[0].actor_id == administrator.pk


def test_search_is_audited_without_what_was_typed(administrator, member):
    page = services.search_accounts(
        search=selectors.understand(" Ysolde.Marrick@Example.net "), by=administrator
    )
    assert [user.pk for user in page.accounts] == [member.pk]
    (event,) = events(Action.ACCOUNTS_SEARCHED)
    assert event.detail == {"by": "address", "shown": [member.pk]}
    assert "ysolde" not in str(AuditEvent.objects.values_list("detail", flat=True)).lower()
    services.search_accounts(search=None, by=administrator)
    assert len(events(Action.ACCOUNTS_SEARCHED)) == 1


@pytest.mark.parametrize(
    "handler", ["axes.handlers.cache.AxesCacheHandler", "axes.handlers.database.AxesDatabaseHandler"]
)
def test_a_login_locked_after_failures_is_found_and_marked(settings, handler, member):
    settings.AXES_HANDLER = handler
    settings.AXES_FAILURE_LIMIT = 3
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False}
    other = UserFactory()
    for n in range(3):
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(
            reverse("account_login"), {"login": member.email, "password": "wrong-password-123"}
        )
    assert selectors.locked_account_ids() == [member.pk]
    users = list(selectors.accounts().filter(pk__in=[member.pk, other.pk]))
    selectors.mark_locked(users)
    assert {user.pk: user.locked for user in users} == {member.pk: True, other.pk: False}


def test_browser_family_names_the_browser_only():
    chrome = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
    )
    assert selectors.browser_family(chrome) == "Chrome"
    assert selectors.browser_family(chrome + " Edg/140.0") == "Edge"
    assert selectors.browser_family("Mozilla/5.0 (Macintosh) Version/18.0 Safari/605.1.15") == "Safari"
    assert selectors.browser_family("Mozilla/5.0 Gecko/20100101 Firefox/140.0") == "Firefox"
    assert selectors.browser_family("") == selectors.browser_family("curl/8") == "Other"
