# ruff: noqa: RUF001 (the pages are checked in French, Russian and Arabic, whose letters are meant)
"""Staff administration in the viewer's language, and the staff invitation e-mail in the language the inviting
administrator chose for the invitee, which the new login then keeps (issue 22)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.staff.helpers import staff
from trackii.staff.models import StaffRequest
from trackii.staff.requests import services
from trackii.staff.roles import Role

pytestmark = pytest.mark.django_db
BASE = "https://trackii.example.org/"


def test_staff_requests_page_reads_in_french_and_arabic(client):
    client.force_login(staff(email="first@example.org"))
    french = client.get(reverse("staff:requests"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<h1>Demandes concernant le personnel</h1>" in french
    assert "Inviter un membre du personnel" in french
    arabic = client.get(reverse("staff:requests"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "<h1>طلبات الموظفين</h1>" in arabic


def test_logins_page_reads_in_russian(client):
    client.force_login(staff(email="first@example.org"))
    body = client.get(reverse("staff:account_list"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "<h1>Учётные записи</h1>" in body


def test_invitation_email_is_written_in_the_language_chosen_for_the_invitee(client):
    first, second = staff(email="first@example.org"), staff(email="second@example.org")
    client.force_login(first)
    # The administrator reads Trackii in French and writes to the invitee in Russian.
    response = client.post(
        reverse("staff:invite"),
        {"email": "new.auditor@example.org", "role": Role.AUDITOR, "language": "ru"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    request = StaffRequest.objects.get()
    assert request.invitation.language == "ru"
    services.confirm_request(staff_request=request, by=second, base_url=BASE)
    mail.outbox.clear()
    assert services.send_staff_invitation(invitation_id=request.invitation_id, base_url=BASE)
    message = mail.outbox[-1]
    assert message.subject == "Ваше приглашение в Trackii"
    assert "Вас пригласили" in message.body and "You have been invited" not in message.body
    token = re.search(r"/staff/welcome/(\w+)/", message.body).group(1)
    user = services.accept_staff_invitation(token=token, password="quiet harbour lanterns 7")
    assert user.language == "ru"


def test_invitation_email_without_a_choice_is_english(client):
    first, second = staff(email="first@example.org"), staff(email="second@example.org")
    request = services.invite_staff(email="new@example.org", role=Role.AUDITOR, by=first)
    services.confirm_request(staff_request=request, by=second, base_url=BASE)
    mail.outbox.clear()
    services.send_staff_invitation(invitation_id=request.invitation_id, base_url=BASE)
    assert mail.outbox[-1].subject == "Your Trackii invitation"


def test_a_hostile_language_is_kept_as_no_choice(client):
    first = staff(email="first@example.org")
    request = services.invite_staff(
        email="x@example.org", role=Role.AUDITOR, language="xx-<script>", by=first
    )
    assert request.invitation.language == ""
