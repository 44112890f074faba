"""The verification page and `manage.py verify_pdf` name the sealed summary a PDF is, and only auditors learn
whose copy it carries."""

import datetime as dt
import html
import re

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
from trackii.sealing.seal import seal_pdf
from trackii.sealing.services import run_seal_job
from trackii.sealing.verify import MAX_PDF_BYTES

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
    codename, series = workshop.series.dialogue.codename, workshop.series.position
    assert f"Summary of {codename} · series {series} · workshop {workshop.number}, version 1" in page
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


def _signed_range_byte(pdf: bytes) -> int:
    """A byte of a content stream that the seal covers (the first part of its /ByteRange)."""
    first_part_ends = int(re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", pdf)[1])
    position = pdf.index(b"stream", 200) + len(b"stream") + 20
    assert position < first_part_ends
    return position


def test_verify_page_tells_a_changed_copy_from_a_foreign_one(client, copy):
    """(b) A byte flipped inside what the seal covers: the Third Party's seal, the document altered since.
    Nothing names the document the file claims to be (an altered file can claim any)."""
    client.force_login(UserFactory())
    pdf = summary_selectors.copy_pdf(copy=copy)
    position = _signed_range_byte(pdf)
    flipped = pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]
    response = upload(client, flipped)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Changed after sealing: the Third Party's seal is on it, but the document was altered" in page
    assert "Download the document again from Trackii" in page
    assert "not made with the Third Party's key" not in page and "someone else" not in page
    assert "Summary of" not in page and copy.copy_code not in page
    event = AuditEvent.objects.filter(action="pdf_verified").get()
    assert event.detail["verdict"] == "altered" and event.detail["intact"] is False


def test_verify_page_names_a_pdf_signed_with_another_key_as_not_ours(client, rendered, use_p12, other_p12):
    """(c) A real signature, made with a key the Third Party does not hold."""
    use_p12(other_p12, "other-passphrase")
    foreign = seal_pdf(rendered, reason="Someone else's seal")
    use_p12("", "")
    client.force_login(UserFactory())
    page = html.unescape(upload(client, foreign).content.decode())
    assert "Not sealed by this Third Party: the PDF is signed, but with someone else's key" in page
    assert "ask for the copy downloaded from Trackii" in page
    assert "The seal was not made with the Third Party's key." in page


def test_verify_page_says_a_plain_pdf_carries_no_seal(client, rendered):
    """(d) A PDF straight from WeasyPrint, never sealed."""
    client.force_login(UserFactory())
    page = html.unescape(upload(client, rendered).content.decode())
    assert "Not sealed: this PDF carries no seal or signature at all" in page
    assert "only the file downloaded from Trackii carries it" in page


@pytest.mark.parametrize("kind", ["text", "truncated", "image"])
def test_verify_page_says_what_is_not_a_pdf_or_is_damaged(client, copy, kind):
    """(e) A text file named .pdf, a copy cut short on the way, a picture: no form error about the file's
    type, the verdict in words and what to do."""
    client.force_login(UserFactory())
    pdf = summary_selectors.copy_pdf(copy=copy)
    data = {
        "text": b"Minutes of the meeting, typed up later.\n",
        "truncated": pdf[: len(pdf) * 2 // 3],
        "image": b"GIF89a not a pdf",
    }[kind]
    response = upload(client, data, name="summary.pdf")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "This file is not a PDF, or it is damaged" in page
    assert "Check that you chose the right file" in page
    assert "Choose a .pdf file" not in page and "not made with the Third Party's key" not in page
    assert AuditEvent.objects.get(action="pdf_verified").detail["verdict"] == "unreadable"


def test_verify_page_refuses_a_file_too_large_next_to_the_field(client, settings):
    client.force_login(UserFactory())
    response = upload(client, b"%PDF-1.7\n" + bytes(MAX_PDF_BYTES))
    assert response.status_code == 400
    assert "files can be at most" in response.content.decode()
    assert not AuditEvent.objects.filter(action="pdf_verified").exists()


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
