"""What a hostile or careless administrator tried against issue 19's staff pages, kept as regressions."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory
from tests.staff.helpers import staff
from trackii.accounts.models import User
from trackii.staff.accounts import services as account_services
from trackii.staff.enums import RequestKind
from trackii.staff.requests import services
from trackii.staff.roles import Role, is_administrator

BASE = "https://trackii.example.org/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_asking_for_a_change_never_shows_a_participants_login_address():
    """An administrator who is nobody's dialogue member could read the address behind any pseudonym by
    opening /staff/requests/new/<n>/ for each number, or by asking and reading the list."""
    administrator = staff(email="first@example.org")
    member = PersonFactory(user=UserFactory(email="ysolde.marrick@example.net")).user
    client = client_for(administrator)
    page = client.get(reverse("staff:request_new", args=[member.pk]))
    assert page.status_code == 200 and b"ysolde" not in page.content
    assert f"Login {member.pk}".encode() in page.content
    client.post(
        reverse("staff:request_new", args=[member.pk]),
        {"kind": RequestKind.GRANT_ROLE, "role": Role.AUDITOR, "reason": ""},
    )
    listed = client.get(reverse("staff:requests"))
    assert b"ysolde" not in listed.content and f"Login {member.pk}".encode() in listed.content
    # A staff colleague is still named by address: administrators must know whom they confirm.
    colleague = staff(email="colleague@example.org")
    assert b"colleague@example.org" in client.get(reverse("staff:request_new", args=[colleague.pk])).content


@pytest.mark.django_db(transaction=True)
def test_confirming_a_removal_and_disabling_at_once_leave_an_administrator():
    """Two administrators: X asked to lose the role and Y confirms it while X disables Y. Each check alone
    sees the other administrator; run together they either left none or (as the audit rows' key locks
    crossed) ended in a deadlock, a 500 for one of them. The confirmation pauses after its checks here, so
    the disabling runs inside that window: it must wait, then be refused in words."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    x, y = staff(email="x@example.org"), staff(email="y@example.org")
    request = services.request_change(account=x, kind=RequestKind.REMOVE_ROLE, role=Role.ADMINISTRATOR, by=x)
    checked, release = threading.Event(), threading.Event()
    original = services._remove_role
    errors: list[BaseException] = []

    def paused(**kwargs):
        checked.set()
        release.wait(5)
        original(**kwargs)

    def confirm():
        try:
            services.confirm_request(staff_request=request, by=y, base_url=BASE)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def disable():
        try:
            account_services.disable_login(user=y, by=x)
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    services._remove_role = paused
    try:
        confirming = threading.Thread(target=confirm)
        confirming.start()
        assert checked.wait(5)
        disabling = threading.Thread(target=disable)
        disabling.start()
        disabling.join(1)  # blocks on the administrators' row until the confirmation commits
        release.set()
        confirming.join(10)
        disabling.join(10)
    finally:
        services._remove_role = original
        release.set()
    assert [str(error) for error in errors if not isinstance(error, ValidationError)] == []
    active = [user for user in User.objects.filter(is_active=True) if is_administrator(user)]
    assert active, "no active administrator is left"


@pytest.mark.django_db
def test_a_disabled_administrator_loses_the_role_without_being_enabled_first():
    """Disabling is how a rogue administrator is stopped at once; removing the role used to require enabling
    the account first, which gave the role back until a second administrator confirmed the removal."""
    first, second, rogue = (
        staff(email="a@example.org"),
        staff(email="b@example.org"),
        staff(email="r@example.org"),
    )
    account_services.disable_login(user=rogue, by=first)
    request = services.request_change(
        account=rogue, kind=RequestKind.REMOVE_ROLE, role=Role.ADMINISTRATOR, by=first
    )
    services.confirm_request(staff_request=request, by=second, base_url=BASE)
    rogue = User.objects.get(pk=rogue.pk)
    assert not rogue.is_active and not rogue.is_staff and not rogue.groups.exists()
    # Granting a role to a disabled account is still refused.
    with pytest.raises(ValidationError, match="disabled"):
        services.request_change(account=rogue, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first)
