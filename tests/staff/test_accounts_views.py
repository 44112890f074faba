"""The staff's pages on logins: who gets them (the 404 for everyone else), what they show (no login address,
client addresses to auditors only), what administrators do there, and what each page costs."""

import re

import pytest
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.helpers import enrol_totp
from tests.factories import PersonFactory, UserFactory
from tests.staff.conftest import is_logged_in, logged_in, staff
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.staff.roles import Role

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.23"
LIST = reverse("staff:account_list")
CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def detail(user) -> str:
    return reverse("staff:account_detail", args=[user.pk])


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def convenor_like(db):
    """A signed-in login with no staff role: is_staff alone opens nothing here."""
    return UserFactory(is_staff=True)


def test_pages_are_not_found_for_everyone_but_auditors_and_administrators(member, convenor_like):
    urls = [LIST, detail(member), f"{LIST}999999/", reverse("staff:account_disable", args=[member.pk])]
    for client in (Client(), as_(member), as_(convenor_like)):
        bodies = set()
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, url
            bodies.add(CSRF.sub(rb"\1", response.content))
        assert len(bodies) == 1  # a page that exists answers like one that does not
    assert AuditEvent.objects.filter(action=Action.DENIED).count() == len(urls) * 3


def test_auditors_read_but_do_not_act(auditor, member):
    client = as_(auditor)
    assert client.get(LIST).status_code == 200
    page = client.get(detail(member)).content.decode()
    assert "Disable this account" not in page and "End every session" not in page
    for name in ("account_disable", "account_enable", "account_sessions_end"):
        response = client.post(reverse(f"staff:{name}", args=[member.pk]), {"confirmed": "yes"})
        assert response.status_code == 404, name
    member.refresh_from_db()
    assert member.is_active


def test_list_shows_no_login_address_and_names_logins_by_number_and_pseudonym(administrator, auditor, member):
    root = UserFactory(email="root.person@example.org", is_staff=True, is_superuser=True)
    page = as_(administrator).get(LIST).content.decode()
    for user in (administrator, auditor, member, root):
        assert f">Login {user.pk}<" in page
    for user in (auditor, member, root):  # the administrator's own address is in the page's header
        assert user.email not in page and user.email.split("@")[0] not in page
    assert member.person.pseudonym in page
    assert "Superuser" in page and "Administrator" in page and "Auditor" in page


@pytest.mark.parametrize("typed", ["YSOLDE.marrick@example.net", "#{pk}", "# {pk}", "{pseudonym}"])
def test_search_finds_a_login_by_whole_address_number_or_pseudonym(administrator, member, typed):
    other = PersonFactory(user=UserFactory()).user
    typed = typed.format(pk=member.pk, pseudonym=member.person.pseudonym.lower())
    page = as_(administrator).get(LIST, {"q": typed}).content.decode()
    assert f">Login {member.pk}<" in page and f">Login {other.pk}<" not in page


@pytest.mark.parametrize(
    "typed", ["ysolde", "marrick@example.net", "#", "#-1", "#99999999999999999999", "x" * 254]
)
def test_search_finds_nothing_for_part_of_an_address_or_garbage(administrator, member, typed):
    response = as_(administrator).get(LIST, {"q": typed})
    assert response.status_code == 200
    assert f">Login {member.pk}<" not in response.content.decode()


@pytest.mark.parametrize("query", [{"q": "a\x00b"}, {"q": "x" * 300}, {"role": "root"}, {"before": "-1"}])
def test_hostile_filters_are_refused_with_the_form(administrator, query):
    response = as_(administrator).get(LIST, query)
    assert response.status_code == 400


def test_filters_by_role_disabled_second_factor_and_lock(settings, administrator, auditor, member):
    settings.AXES_FAILURE_LIMIT = 3
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False}
    disabled = UserFactory(is_active=False)
    enrol_totp(administrator)
    for n in range(3):
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(
            reverse("account_login"), {"login": member.email, "password": "wrong-password-123"}
        )
    client = as_(administrator)

    def listed(**query) -> set[int]:
        page = client.get(LIST, query).content.decode()
        return {
            user.pk for user in (administrator, auditor, member, disabled) if f">Login {user.pk}<" in page
        }

    assert listed(role="administrator") == {administrator.pk}
    assert listed(role="auditor") == {auditor.pk}
    assert listed(disabled="on") == {disabled.pk}
    assert listed(no_second_factor="on") == {auditor.pk, member.pk, disabled.pk}
    assert listed(locked="on") == {member.pk}
    assert "Locked after failed logins</strong>" in client.get(LIST).content.decode()


def test_list_pages_by_id(settings, administrator):
    from trackii.staff.accounts import selectors

    settings.DEBUG = False
    users = [UserFactory() for _ in range(3)]
    original = selectors.PAGE_SIZE
    selectors.PAGE_SIZE = 2
    try:
        client = as_(administrator)
        first = client.get(LIST, {"role": ""}).content.decode()
        assert f">Login {users[2].pk}<" in first and f"before={users[1].pk}" in first
        second = client.get(LIST, {"role": "", "before": users[1].pk}).content.decode()
        assert f">Login {users[0].pk}<" in second and f">Login {users[2].pk}<" not in second
    finally:
        selectors.PAGE_SIZE = original


def test_client_address_is_shown_to_auditors_only(administrator, auditor, member):
    logged_in(member, address=ADDRESS)
    admin_page = as_(administrator).get(detail(member)).content.decode()
    auditor_page = as_(auditor).get(detail(member)).content.decode()
    assert ADDRESS not in admin_page and ">Address<" not in admin_page
    assert ADDRESS in auditor_page
    for page in (admin_page, auditor_page):
        assert "Firefox" in page and "Gecko" not in page  # the browser's family, not its user agent
        assert member.email not in page


def test_superuser_sees_addresses_and_acts(member):
    root = UserFactory(is_staff=True, is_superuser=True)
    logged_in(member, address=ADDRESS)
    page = as_(root).get(detail(member)).content.decode()
    assert ADDRESS in page and "Disable this account" in page


def test_detail_links_the_audit_timeline_for_auditors(auditor, administrator, member):
    timeline = reverse("audit:account_timeline", args=[member.pk])
    assert timeline in as_(auditor).get(detail(member)).content.decode()
    assert timeline not in as_(administrator).get(detail(member)).content.decode()


def test_disabling_asks_first_then_ends_the_open_session_at_its_next_request(administrator, member):
    victim = logged_in(member)
    url = reverse("staff:account_disable", args=[member.pk])
    client = as_(administrator)
    question = client.get(url)
    assert question.status_code == 200 and "Yes, disable this account" in question.content.decode()
    assert client.post(url).status_code == 200  # a POST without the confirmation asks again
    member.refresh_from_db()
    assert member.is_active and is_logged_in(victim)
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302 and response["Location"] == detail(member)
    assert victim.get(reverse("accounts:account")).status_code == 302  # sent to log in
    assert not is_logged_in(victim)
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DISABLED, actor=administrator).count() == 1
    page = client.get(detail(member)).content.decode()
    assert "Enable this account again" in page
    client.post(reverse("staff:account_enable", args=[member.pk]))
    member.refresh_from_db()
    assert member.is_active


def test_an_administrator_cannot_disable_themselves(administrator):
    staff(Role.ADMINISTRATOR)
    client = as_(administrator)
    assert "Disable this account" not in client.get(detail(administrator)).content.decode()
    response = client.post(
        reverse("staff:account_disable", args=[administrator.pk]), {"confirmed": "yes"}, follow=True
    )
    assert "You cannot disable your own account" in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active


def test_sessions_are_ended_one_or_all(administrator, member):
    laptop, phone = logged_in(member), logged_in(member)
    session = UserSession.objects.get(session_key=laptop.session.session_key)
    client = as_(administrator)
    client.post(reverse("staff:account_session_end", args=[member.pk, session.pk]))
    assert not is_logged_in(laptop) and is_logged_in(phone)
    missing = client.post(reverse("staff:account_session_end", args=[member.pk, session.pk]))
    assert missing.status_code == 404
    client.post(reverse("staff:account_sessions_end", args=[member.pk]))
    assert not is_logged_in(phone)


def test_another_accounts_session_cannot_be_ended_through_this_one(administrator, member):
    other = UserFactory()
    theirs = logged_in(other)
    session = UserSession.objects.get(session_key=theirs.session.session_key)
    response = as_(administrator).post(reverse("staff:account_session_end", args=[member.pk, session.pk]))
    assert response.status_code == 404 and is_logged_in(theirs)


def test_actions_need_the_csrf_token(administrator, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    for name in ("account_disable", "account_enable", "account_sessions_end"):
        response = client.post(reverse(f"staff:{name}", args=[member.pk]), {"confirmed": "yes"})
        assert response.status_code == 403, name
    member.refresh_from_db()
    assert member.is_active


def test_navigation_sends_staff_to_the_logins_page(administrator, auditor, member, convenor_like):
    for user in (administrator, auditor):
        page = as_(user).get(reverse("accounts:account")).content.decode()
        assert f'href="{LIST}"' in page and 'href="/admin/' not in page
    for user in (member, convenor_like):
        assert f'href="{LIST}"' not in as_(user).get(reverse("accounts:account")).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_costs_the_same_for_one_login_and_many(administrator):
    client = as_(administrator)
    client.get(LIST)  # the session's first look-ups (zone, permissions) are not the page's
    one = _queries(client, f"{LIST}?role=administrator")
    searched = _queries(client, f"{LIST}?q=admin.one@example.org&role=administrator")
    for _ in range(6):
        PersonFactory(user=staff(Role.ADMINISTRATOR, email=f"admin.one@example.org.{_}"))
    assert _queries(client, f"{LIST}?role=administrator") == one
    assert _queries(client, f"{LIST}?q=admin.one@example.org&role=administrator") == searched
    print(f"staff accounts list: {one} queries, {searched} with a search (its audit row)")


def test_detail_costs_the_same_for_one_session_and_many(administrator, member):
    client = as_(administrator)
    client.get(LIST)
    logged_in(member)
    one = _queries(client, detail(member))
    for _ in range(4):
        logged_in(member)
    assert _queries(client, detail(member)) == one
    print(f"staff account page: {one} queries")


def test_a_removed_role_ends_access_at_the_next_request(administrator, member):
    from django.contrib.auth.models import Group

    from trackii.staff.roles import GROUPS

    client = as_(administrator)
    assert client.get(detail(member)).status_code == 200
    administrator.groups.remove(Group.objects.get(name=GROUPS[Role.ADMINISTRATOR]))
    assert client.get(detail(member)).status_code == 404
    assert (
        client.post(reverse("staff:account_disable", args=[member.pk]), {"confirmed": "yes"}).status_code
        == 404
    )
    member.refresh_from_db()
    assert member.is_active
