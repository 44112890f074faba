"""The verification page and `manage.py verify_pdf` name the sealed summary a PDF is, and only auditors learn
whose copy it carries."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dialogues.enums import InvitationStatus
from dialogues.models import SummaryCopy
from dialogues.summaries import selectors as summary_selectors
from dialogues.summaries import services as summaries
from tests.factories import (
    FacilitatorFactory,
    InvitationFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    WorkshopFactory,
)
from trackii.audit.apps import AUDITORS_GROUP
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.sealing.models import SealJob
from trackii.sealing.services import run_seal_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy():
    workshop = WorkshopFactory(
        starts_at=timezone.now() - dt.timedelta(days=3), ends_at=timezone.now() - dt.timedelta(days=2)
    )
    person = PersonFactory(user=UserFactory(), pseudonym="P-HOLDER")
    MembershipFactory(person=person, dialogue=workshop.series.dialogue)  # a member, so in the audience
    InvitationFactory(workshop=workshop, person=person, status=InvitationStatus.ATTENDED)
    by = FacilitatorFactory(
        dialogue=workshop.series.dialogue, person=PersonFactory(user=UserFactory())
    ).person.user
    summary = summaries.start_summary(workshop=workshop, by=by)
    summary = summaries.save_draft(summary=summary, body="## Options\n\nA joint board.\n", by=by)
    summaries.request_seal(summary=summary, by=by)
    run_seal_job(job_id=SealJob.objects.get().pk)
    return SummaryCopy.objects.select_related("summary__workshop__series__dialogue").get(holder=person)


def upload(client, data: bytes, name="copy.pdf"):
    return client.post(reverse("sealing:verify"), {"file": SimpleUploadedFile(name, data, "application/pdf")})


def test_verify_page_names_the_summary_but_not_the_holder(client, copy):
    client.force_login(UserFactory())
    response = upload(client, summary_selectors.copy_pdf(copy=copy))
    page = response.content.decode()
    workshop = copy.summary.workshop
    assert response.status_code == 200
    assert "Intact: sealed by the Third Party" in page
    assert f"Summary of {workshop.series.dialogue.codename} workshop {workshop.number}, version 1" in page
    assert "Exactly the file Trackii issued" in page and copy.copy_code in page
    assert "P-HOLDER" not in page and "Issued to" not in page
    event = AuditEvent.objects.filter(action="pdf_verified").get()
    assert event.detail["intact"] is True and event.detail["copy_code"] == copy.copy_code


def test_verify_page_tells_an_auditor_whose_copy_it_is(client, copy):
    auditor = UserFactory(is_staff=True)
    auditor.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    client.force_login(auditor)
    page = upload(client, summary_selectors.copy_pdf(copy=copy)).content.decode()
    assert "Issued to" in page and "P-HOLDER" in page and str(copy.audit_event_id) in page


def test_verify_page_flags_a_changed_byte_and_an_appended_update(client, copy):
    client.force_login(UserFactory())
    pdf = summary_selectors.copy_pdf(copy=copy)
    middle = len(pdf) // 2
    flipped = pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1 :]
    for changed in (flipped, pdf + b"\n1 0 obj\n<< >>\nendobj\n%%EOF\n"):
        page = upload(client, changed).content.decode()
        assert "Intact: sealed" not in page
        assert "What is wrong" in page


def test_verify_page_accepts_a_later_copy_and_refuses_it_with_another_copys_code(client, copy):
    # A copy made after sealing, from the master laid out once (CopyMaster): its own code, its own seal.
    member = PersonFactory(user=UserFactory())
    later = summaries.copy_for(summary=copy.summary, person=member, by=member.user)
    pdf = summary_selectors.copy_pdf(copy=later)
    client.force_login(UserFactory())
    page = upload(client, pdf).content.decode()
    assert "Intact: sealed by the Third Party" in page and later.copy_code in page
    assert "Exactly the file Trackii issued" in page
    swapped = pdf.replace(later.copy_code.encode(), copy.copy_code.encode())
    page = upload(client, swapped).content.decode()
    assert "Intact: sealed" not in page and "What is wrong" in page


def test_verify_page_refuses_what_is_not_a_pdf(client):
    client.force_login(UserFactory())
    response = upload(client, b"GIF89a not a pdf", name="photo.pdf")
    assert response.status_code == 400
    assert "This kind of file cannot be uploaded here" in response.content.decode()


def test_verify_pdf_command_names_the_summary_and_the_holder(copy, tmp_path, capsys):
    path = tmp_path / "found.pdf"
    path.write_bytes(summary_selectors.copy_pdf(copy=copy))
    call_command("verify_pdf", str(path))
    output = capsys.readouterr().out
    assert "Sealed document: Summary of" in output and "Copy issued to: P-HOLDER" in output
    path.write_bytes(summary_selectors.copy_pdf(copy=copy) + b"%changed\n")
    with pytest.raises(SystemExit) as exited:
        call_command("verify_pdf", str(path))
    assert exited.value.code == 1


def test_verify_pdf_command_is_audited_as_the_command(copy, tmp_path, capsys):
    path = tmp_path / "found.pdf"
    path.write_bytes(summary_selectors.copy_pdf(copy=copy))
    call_command("verify_pdf", str(path))
    event = AuditEvent.objects.filter(action=Action.PDF_VERIFIED).get()
    assert (event.request_id, event.actor_label) == ("command-verify_pdf", "system")
    assert event.detail["copy_code"] == copy.copy_code
