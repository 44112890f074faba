"""A sealed version in its readers' hands: stamped copies (made at sealing, or later for the facilitation
team), downloads, the ground rules a member accepts before reading, and the "seen" mark."""

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import Summary, SummaryCopy, SummaryReading
from dialogues.permissions import SEALED_STATUSES
from dialogues.summaries.documents import copy_context, document_id
from dialogues.summaries.selectors import sealed_pdf_of
from dialogues.summaries.services.drafts import _locked
from participants import services as participant_services
from participants.models import Membership, Person
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.crypto import encrypt
from trackii.sealing.seal import new_copy_code, stamp_copy


def _stamped_copy(sealed_pdf: bytes, summary: Summary) -> tuple[str, bytes]:
    """A copy of the sealed version. stamp_copy parses and lays out a master once per process (CopyMaster),
    so the audience's copies, and a later download of the same version, cost a signature each."""
    code = new_copy_code()
    return code, stamp_copy(sealed_pdf, copy_code=code, document_id=document_id(summary))


def _issue_copy(
    summary: Summary, stamped: tuple[str, bytes], person: Person, *, audience: bool, by: User | None
) -> SummaryCopy:
    """Store a stamped copy and its audit record. Stamping is done before (_stamped_copy): the first audit
    row of a transaction holds the chain's lock until commit, so nothing slow may follow it."""
    code, pdf = stamped
    copy = SummaryCopy(
        summary=summary,
        holder=person,
        audience=audience,
        copy_code=code,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pdf=encrypt(pdf, context=copy_context(code), data_key=summary.encryption_key_id),
    )
    # The one audit record the copy code maps to: which copy, of what, issued to whom (auditors only).
    event = record_event(
        actor=by,
        action=Action.COPY_ISSUED,
        target_type="dialogues.summarycopy",
        target_id=code,
        dialogue_id=summary.audit_dialogue_id,
        detail={"summary": summary.pk, "version": summary.version, "holder": person.pseudonym},
    )
    copy.audit_event_id = event.pk
    copy.save()
    return copy


@transaction.atomic
def copy_for(*, summary: Summary, person: Person, by: User) -> SummaryCopy:
    """The person's own copy: the one made for them at sealing, or (for the facilitation team) a new one."""
    existing = SummaryCopy.objects.filter(summary=summary, holder=person).first()
    if existing is not None:
        return existing
    summary = _locked(summary)
    if summary.status not in SEALED_STATUSES:
        raise ValidationError(_("Only a sealed summary has copies."))
    existing = SummaryCopy.objects.filter(summary=summary, holder=person).first()
    if existing is not None:
        return existing  # made by a request that held the lock first
    stamped = _stamped_copy(sealed_pdf_of(summary=summary), summary)
    return _issue_copy(summary, stamped, person, audience=False, by=by)


@transaction.atomic
def issue_download(*, summary: Summary, person: Person, by: User) -> SummaryCopy:
    """The reader's own copy, leaving as a download: the copy (made if need be), the audit row that says whose
    copy left the building, and the reader's "downloaded" mark, together or not at all."""
    copy = copy_for(summary=summary, person=person, by=by)
    record_event(
        actor=by,
        action=Action.DOWNLOAD,
        target=copy,
        dialogue_id=summary.audit_dialogue_id,
    )
    mark_read(summary=summary, by=by, downloaded=True)
    return copy


@transaction.atomic
def accept_ground_rules_before_reading(*, membership: Membership, by: User) -> Membership:
    """The reader confirms the dialogue's ground rules before their first sealed summary: the member's
    acceptance (participants.services.mark_ground_rules_accepted) and its audit row."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ground_rules_accepted_at is None:
        membership = participant_services.mark_ground_rules_accepted(membership=membership)
        record_event(
            actor=by,
            action=Action.GROUND_RULES_ACCEPTED,
            target_type="dialogues.dialogue",
            target_id=membership.dialogue_id,
            dialogue_id=membership.dialogue_id,
        )
    return membership


@transaction.atomic
def mark_read(
    *, summary: Summary, by: User, downloaded: bool = False, now: dt.datetime | None = None
) -> SummaryReading:
    """The "seen" mark: first reading, and the latest download. Only the first reading writes an audit row:
    every later one is in the log already as the access itself (a view or a download)."""
    now = now or timezone.now()
    reading, created = SummaryReading.objects.get_or_create(
        summary=summary, user=by, defaults={"first_read_at": now}
    )
    if created:
        record_event(actor=by, action=Action.SUMMARY_FIRST_READ, target=summary)
    if downloaded:
        reading.downloaded_at = now
        reading.save(update_fields=["downloaded_at"])
    return reading
