"""Staff changes need two administrators: one asks, a different one confirms, and only then does anything
change."""

import datetime as dt
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.accounts.helpers import enrol_totp
from tests.factories import UserFactory
from tests.staff.helpers import staff
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.staff.enums import RequestKind, RequestStatus
from trackii.staff.models import StaffRequest
from trackii.staff.requests import selectors, services
from trackii.staff.roles import Role, is_administrator, is_auditor

pytestmark = pytest.mark.django_db
BASE = "https://trackii.example.org/"
PASSWORD = "quiet harbour lanterns 7"


@pytest.fixture
def admins():
    return staff(email="first@example.org"), staff(email="second@example.org")


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def _invite_and_confirm(admins, *, email="new.auditor@example.org", role=Role.AUDITOR):
    first, second = admins
    request = services.invite_staff(email=email, role=role, by=first)
    services.confirm_request(staff_request=request, by=second, base_url=BASE)
    assert services.send_staff_invitation(invitation_id=request.invitation_id, base_url=BASE)
    return request, re.search(r"/staff/welcome/(\w+)/", mail.outbox[-1].body).group(1)


def test_invitation_sends_nothing_until_a_second_administrator_confirms(admins):
    first, second = admins
    request = services.invite_staff(email=" New.Auditor@Example.org ", role=Role.AUDITOR, by=first)
    assert request.status == RequestStatus.PENDING and request.invitation.email == "new.auditor@example.org"
    assert not services.send_staff_invitation(invitation_id=request.invitation_id, base_url=BASE)
    assert mail.outbox == []
    request, token = _invite_and_confirm((first, second), email="other@example.org")
    assert mail.outbox[0].to == ["other@example.org"] and mail.outbox[0].subject == "Your Trackii invitation"
    assert not services.send_staff_invitation(invitation_id=request.invitation_id, base_url=BASE)  # once
    user = services.accept_staff_invitation(token=token, password=PASSWORD)
    assert user.is_staff and not user.is_superuser and is_auditor(user) and not is_administrator(user)
    with pytest.raises(services.InvitationUnusable):
        services.accept_staff_invitation(token=token, password=PASSWORD)
    staff_rows = [a for a in actions() if a.startswith("staff_")]
    assert staff_rows == [
        Action.STAFF_INVITATION_REQUESTED,  # the first address: still waiting
        Action.STAFF_INVITATION_REQUESTED,
        Action.STAFF_REQUEST_CONFIRMED,
        Action.STAFF_INVITATION_SENT,
        Action.STAFF_INVITATION_ACCEPTED,
    ]


def test_invitation_refuses_hostile_or_taken_addresses(admins):
    first, _ = admins
    for hostile in ("", "not an address", "a@b", "x" * 250 + "@example.org", "a@example.org\nBcc: b@x.org"):
        with pytest.raises(ValidationError) as refused:
            services.invite_staff(email=hostile, role=Role.AUDITOR, by=first)
        assert "email" in refused.value.message_dict
    with pytest.raises(ValidationError, match="already exists"):
        services.invite_staff(email="SECOND@example.org", role=Role.AUDITOR, by=first)
    with pytest.raises(ValidationError):
        services.invite_staff(email="ok@example.org", role="superuser", by=first)
    services.invite_staff(email="ok@example.org", role=Role.AUDITOR, by=first)
    with pytest.raises(ValidationError, match="already open"):
        services.invite_staff(email="OK@example.org", role=Role.ADMINISTRATOR, by=first)
    assert StaffRequest.objects.count() == 1


def test_requester_cannot_confirm_their_own_request(admins):
    first, _ = admins
    account = UserFactory()
    request = services.request_change(
        account=account, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first
    )
    with pytest.raises(ValidationError, match="different administrator"):
        services.confirm_request(staff_request=request, by=first, base_url=BASE)
    with pytest.raises(ValidationError, match="different administrator"):
        services.decline_request(staff_request=request, by=first)
    account.refresh_from_db()
    assert not is_auditor(account) and not account.is_staff
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRequest.objects.filter(pk=request.pk).update(status=RequestStatus.CONFIRMED, decided_by=first)


def test_second_administrator_grants_a_role_and_the_account_logs_in_again(admins):
    first, second = admins
    account = UserFactory()
    epoch = account.session_epoch
    request = services.request_change(
        account=account, kind=RequestKind.GRANT_ROLE, role=Role.ADMINISTRATOR, reason="covers leave", by=first
    )
    assert StaffRequest.objects.get(pk=request.pk).reason == "covers leave"
    services.confirm_request(staff_request=request, by=second, base_url=BASE)
    account = User.objects.get(pk=account.pk)
    assert account.is_staff and is_administrator(account) and account.session_epoch == epoch + 1
    assert Action.STAFF_ROLE_GRANTED in actions() and Action.SESSIONS_ENDED in actions()
    with pytest.raises(ValidationError, match="no longer waiting"):
        services.confirm_request(staff_request=request, by=second, base_url=BASE)


def test_only_an_administrator_asks_or_confirms(admins):
    first, _ = admins
    auditor = staff(Role.AUDITOR)
    account = UserFactory()
    with pytest.raises(ValidationError, match="Only an administrator"):
        services.request_change(account=account, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=auditor)
    request = services.request_change(
        account=account, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first
    )
    with pytest.raises(ValidationError, match="Only an administrator"):
        services.confirm_request(staff_request=request, by=auditor, base_url=BASE)


def test_subject_of_a_change_cannot_decide_it(admins):
    first, second = admins
    request = services.request_change(
        account=second, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first
    )
    with pytest.raises(ValidationError, match="your own account"):
        services.confirm_request(staff_request=request, by=second, base_url=BASE)


def test_removing_a_role_keeps_other_staff_roles_and_ends_sessions(admins):
    first, second = admins
    account = staff(Role.AUDITOR)
    services.confirm_request(
        staff_request=services.request_change(
            account=account, kind=RequestKind.GRANT_ROLE, role=Role.ADMINISTRATOR, by=first
        ),
        by=second,
        base_url=BASE,
    )
    request = services.request_change(
        account=account, kind=RequestKind.REMOVE_ROLE, role=Role.AUDITOR, by=first
    )
    services.confirm_request(staff_request=request, by=second, base_url=BASE)
    account = User.objects.get(pk=account.pk)
    assert account.is_staff and is_administrator(account) and not is_auditor(account)
    request = services.request_change(
        account=account, kind=RequestKind.REMOVE_ROLE, role=Role.ADMINISTRATOR, by=first
    )
    services.confirm_request(staff_request=request, by=second, base_url=BASE)
    account = User.objects.get(pk=account.pk)
    assert not account.is_staff and not is_administrator(account)
    assert actions().count(Action.STAFF_ROLE_REMOVED) == 2


def test_the_last_administrator_cannot_be_removed():
    only = staff(email="only@example.org")
    with pytest.raises(ValidationError, match="last administrator"):
        services.request_change(account=only, kind=RequestKind.REMOVE_ROLE, role=Role.ADMINISTRATOR, by=only)


def test_removing_one_of_two_administrators_needs_a_third(admins):
    """The one removed cannot confirm (their own account), nor can the one who asked."""
    first, second = admins
    request = services.request_change(
        account=second, kind=RequestKind.REMOVE_ROLE, role=Role.ADMINISTRATOR, by=first
    )
    for by in admins:
        with pytest.raises(ValidationError):
            services.confirm_request(staff_request=request, by=by, base_url=BASE)
    services.confirm_request(staff_request=request, by=staff(email="third@example.org"), base_url=BASE)
    assert not is_administrator(User.objects.get(pk=second.pk))


def test_superusers_are_not_changed_from_here(admins):
    first, _ = admins
    superuser = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(superuser)
    for kind, role in (
        (RequestKind.GRANT_ROLE, Role.AUDITOR),
        (RequestKind.REMOVE_ROLE, Role.ADMINISTRATOR),
        (RequestKind.RESET_SECOND_FACTOR, ""),
    ):
        with pytest.raises(ValidationError, match="command line"):
            services.request_change(account=superuser, kind=kind, role=role, reason="because", by=first)
    assert not StaffRequest.objects.exists()


def test_requests_expire_after_a_week(admins):
    first, second = admins
    account = UserFactory()
    request = services.request_change(
        account=account, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first
    )
    StaffRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="expired"):
        services.confirm_request(staff_request=request, by=second, base_url=BASE)
    assert not selectors.pending_requests().exists()
    # The same change may be asked for again; the stale request is marked expired.
    services.request_change(account=account, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first)
    assert StaffRequest.objects.get(pk=request.pk).status == RequestStatus.EXPIRED


def test_expired_invitation_link_is_refused(admins):
    request, token = _invite_and_confirm(admins)
    request.invitation.expires_at = timezone.now() - dt.timedelta(seconds=1)
    request.invitation.save()
    with pytest.raises(services.InvitationUnusable):
        services.accept_staff_invitation(token=token, password=PASSWORD)
    assert not User.objects.filter(email="new.auditor@example.org").exists()


def test_cancel_by_requester_and_decline_by_another_withdraw_the_invitation(admins):
    first, second = admins
    request = services.invite_staff(email="a@example.org", role=Role.AUDITOR, by=first)
    with pytest.raises(ValidationError, match="Only the administrator who asked"):
        services.cancel_request(staff_request=request, by=second)
    services.cancel_request(staff_request=request, by=first)
    other = services.invite_staff(email="a@example.org", role=Role.AUDITOR, by=first)
    services.decline_request(staff_request=other, by=second)
    assert StaffRequest.objects.get(pk=other.pk).status == RequestStatus.DECLINED
    assert StaffRequest.objects.get(pk=request.pk).status == RequestStatus.CANCELLED
    assert {Action.STAFF_REQUEST_CANCELLED, Action.STAFF_REQUEST_DECLINED} <= set(actions())
    assert mail.outbox == []


def test_reset_second_factor_needs_a_reason_removes_authenticators_and_ends_sessions(admins):
    first, second = admins
    account = staff(Role.AUDITOR)
    enrol_totp(account)
    UserSession.objects.create(user=account, session_key="k" * 32, ip="127.0.0.1", user_agent="test")
    with pytest.raises(ValidationError) as refused:
        services.request_change(account=account, kind=RequestKind.RESET_SECOND_FACTOR, reason="  ", by=first)
    assert "reason" in refused.value.message_dict
    request = services.request_change(
        account=account, kind=RequestKind.RESET_SECOND_FACTOR, reason="lost phone", by=first
    )
    assert Authenticator.objects.filter(user=account).exists()
    epoch = account.session_epoch
    services.confirm_request(staff_request=request, by=second, base_url=BASE)
    assert not Authenticator.objects.filter(user=account).exists()
    assert not UserSession.objects.filter(user=account).exists()
    assert User.objects.get(pk=account.pk).session_epoch == epoch + 1
    assert {Action.SECOND_FACTOR_RESET_REQUESTED, Action.SECOND_FACTOR_RESET} <= set(actions())


def test_one_pending_request_per_change(admins):
    first, _ = admins
    account = UserFactory()
    services.request_change(account=account, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first)
    with pytest.raises(ValidationError, match="already waiting"):
        services.request_change(account=account, kind=RequestKind.GRANT_ROLE, role=Role.AUDITOR, by=first)
