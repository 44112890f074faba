"""The staff request pages: administrators act, auditors read the list, everyone else the ordinary 404."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.staff.helpers import staff
from trackii.accounts.models import User
from trackii.audit.enums import Action, Outcome
from trackii.audit.models import AuditEvent
from trackii.staff.enums import RequestKind, RequestStatus
from trackii.staff.models import StaffRequest
from trackii.staff.requests import services
from trackii.staff.roles import Role, is_auditor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins():
    return staff(email="first@example.org"), staff(email="second@example.org")


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_invite_page_asks_a_second_administrator_and_sends_nothing(admins):
    first, _ = admins
    response = client_for(first).post(
        reverse("staff:invite"), {"email": "new@example.org", "role": Role.AUDITOR, "reason": "new hire"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("staff:requests")
    request = StaffRequest.objects.get()
    assert request.kind == RequestKind.INVITE and request.requested_by == first and mail.outbox == []


def test_invite_page_shows_refusals_next_to_the_field(admins):
    first, _ = admins
    client = client_for(first)
    response = client.post(reverse("staff:invite"), {"email": "second@example.org", "role": Role.AUDITOR})
    assert response.status_code == 400 and b"already exists" in response.content
    response = client.post(reverse("staff:invite"), {"email": "<script>@x", "role": "superuser"})
    assert response.status_code == 400 and b"<script>@x" not in response.content
    assert not StaffRequest.objects.exists()


def test_confirm_page_states_what_will_happen_and_only_the_confirmed_post_acts(admins):
    first, second = admins
    account = UserFactory(email="someone@example.org")
    request = services.request_change(
        account=account, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first
    )
    client = client_for(second)
    url = reverse("staff:request_confirm", kwargs={"request_id": request.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert f"Login {account.pk} becomes an auditor".encode() in page.content
    assert b"someone@example.org" not in page.content  # not staff: named by number, never its address
    assert b"logged out everywhere" in page.content
    assert client.post(url).status_code == 200  # the question again, nothing written
    assert not is_auditor(User.objects.get(pk=account.pk))
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    assert is_auditor(User.objects.get(pk=account.pk))


def test_requester_is_sent_back_from_the_confirm_page(admins):
    first, _ = admins
    request = services.request_change(
        account=UserFactory(), kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first
    )
    client = client_for(first)
    response = client.post(
        reverse("staff:request_confirm", kwargs={"request_id": request.pk}), {"confirmed": "yes"}
    )
    assert response.status_code == 302
    assert StaffRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING
    page = client.get(reverse("staff:requests"))
    assert b"different administrator" in page.content
    assert reverse("staff:request_cancel", kwargs={"request_id": request.pk}).encode() in page.content


def test_auditor_reads_the_list_without_addresses_or_buttons(admins):
    first, _ = admins
    services.invite_staff(email="secret.person@example.org", role=Role.AUDITOR, reason="new hire", by=first)
    services.request_change(
        account=UserFactory(email="hidden@example.org"), kind="grant_role", role="auditor", by=first
    )
    page = client_for(staff(Role.AUDITOR)).get(reverse("staff:requests"))
    assert page.status_code == 200
    assert b"secret.person" not in page.content and b"hidden@example.org" not in page.content
    assert b"/confirm/" not in page.content and b"/decline/" not in page.content
    assert b"Staff now" not in page.content


@pytest.mark.parametrize("who", ["participant", "auditor"])
def test_others_get_the_ordinary_404_and_are_audited(admins, who):
    first, _ = admins
    request = services.request_change(
        account=UserFactory(), kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first
    )
    user = staff(Role.AUDITOR) if who == "auditor" else UserFactory()
    client = client_for(user)
    denied_before = AuditEvent.objects.filter(outcome=Outcome.DENIED).count()
    for method, url in [
        ("get", reverse("staff:invite")),
        ("post", reverse("staff:invite")),
        ("get", reverse("staff:request_new", kwargs={"account_id": request.account_id})),
        ("get", reverse("staff:request_confirm", kwargs={"request_id": request.pk})),
        ("post", reverse("staff:request_confirm", kwargs={"request_id": request.pk})),
        ("post", reverse("staff:request_decline", kwargs={"request_id": request.pk})),
        ("post", reverse("staff:request_cancel", kwargs={"request_id": request.pk})),
    ]:
        assert getattr(client, method)(url, {"confirmed": "yes"}).status_code == 404, url
    assert AuditEvent.objects.filter(outcome=Outcome.DENIED).count() == denied_before + 7
    assert StaffRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING
    listed = client.get(reverse("staff:requests")).status_code
    assert listed == (200 if who == "auditor" else 404)


def test_missing_and_garbage_ids_are_404(admins):
    client = client_for(admins[0])
    assert client.get("/staff/requests/999999/confirm/").status_code == 404
    assert client.get("/staff/requests/new/999999/").status_code == 404
    assert client.get("/staff/requests/1x/confirm/").status_code == 404


def test_posts_without_a_csrf_token_are_refused(admins):
    first, second = admins
    request = services.request_change(
        account=UserFactory(), kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first
    )
    client = client_for(second, enforce_csrf_checks=True)
    for url, data in [
        (reverse("staff:request_confirm", kwargs={"request_id": request.pk}), {"confirmed": "yes"}),
        (reverse("staff:request_decline", kwargs={"request_id": request.pk}), {}),
        (reverse("staff:invite"), {"email": "x@example.org", "role": "auditor"}),
    ]:
        assert client.post(url, data).status_code == 403
    assert StaffRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING
    assert StaffRequest.objects.count() == 1


def test_superuser_page_refuses_with_words(admins):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(admins[0])
    url = reverse("staff:request_new", kwargs={"account_id": superuser.pk})
    assert b"only from the command line" in client.get(url).content
    response = client.post(url, {"kind": "remove_role", "role": "administrator"})
    assert response.status_code == 400 and not StaffRequest.objects.exists()


def test_reset_asks_for_a_reason_on_the_form(admins):
    from tests.accounts.helpers import enrol_totp

    account = staff(Role.AUDITOR)
    enrol_totp(account)
    url = reverse("staff:request_new", kwargs={"account_id": account.pk})
    response = client_for(admins[0]).post(url, {"kind": "reset_second_factor", "reason": ""})
    assert response.status_code == 400 and b"Say why" in response.content
    response = client_for(admins[0]).post(url, {"kind": "reset_second_factor", "reason": "lost phone"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.SECOND_FACTOR_RESET_REQUESTED).count() == 1


def test_requests_list_reads_the_same_number_of_queries_for_one_and_several(
    admins, django_assert_num_queries
):
    first, second = admins
    client = client_for(second)
    services.request_change(account=UserFactory(), kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first)
    client.get(reverse("staff:requests"))  # warm the session and permission caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("staff:requests")).status_code == 200
        return len(captured)

    one = count()
    for _ in range(4):
        services.request_change(
            account=UserFactory(), kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first
        )
        services.invite_staff(email=f"n{_}@example.org", role=Role.AUDITOR, by=first)
    staff(Role.AUDITOR)
    assert count() == one


def test_a_removed_administrators_open_session_ends(admins):
    first, second = admins
    third = staff(email="third@example.org")
    client = client_for(third)
    assert client.get(reverse("staff:invite")).status_code == 200
    request = services.request_change(
        account=third, kind=RequestKind.REMOVE_ROLE, role=Role.ADMINISTRATOR, reason="left", by=first
    )
    services.confirm_request(staff_request=request, by=second, base_url="https://trackii.example.org/")
    response = client.get(reverse("staff:invite"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(User.objects.get(pk=third.pk))  # logging in again gives nothing
    assert client.get(reverse("staff:invite")).status_code == 404
    assert client.get(reverse("staff:requests")).status_code == 404


def test_recent_requests_say_how_an_invitation_went(admins):
    first, second = admins
    request = services.invite_staff(email="new@example.org", role=Role.AUDITOR, by=first)
    services.confirm_request(staff_request=request, by=second, base_url="https://trackii.example.org/")
    page = client_for(first).get(reverse("staff:requests"))
    assert b"Confirmed: e-mail on its way" in page.content
    services.send_staff_invitation(
        invitation_id=request.invitation_id, base_url="https://trackii.example.org/"
    )
    assert b"Confirmed: link e-mailed" in client_for(first).get(reverse("staff:requests")).content
