"""Funder-disclosure reports: queueing a version for the sealing pipeline, completing it when sealed, and
handing out its PDF. Keyword-only, one transaction each, safe to repeat; every step is in the audit log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from funding.disclosures.selectors import DISCLOSURE_KIND, disclosure_context, disclosure_job, disclosure_pdf
from funding.enums import GrantStatus
from funding.models import Disclosure, Grant
from trackii.accounts.languages import language_of, supported
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.crypto import encrypt
from trackii.sealing.enums import SealJobState
from trackii.sealing.pdf_fonts import refuse_unsupported_characters
from trackii.sealing.services import request_seal_job, retry_seal_job


@transaction.atomic
def request_disclosure(*, grant: Grant, by: User, language: str | None = None) -> Disclosure:
    """Queue a new version of the grant's disclosure report (Celery renders and seals it), written in
    `language` (by default the interface language of whoever asks). While a version is still being generated,
    asking again returns that one, in its own language; if it failed, it is tried again (same version)."""
    written_in = supported(language) if language else language_of(by)
    if written_in is None:
        raise ValidationError(_("Choose one of Trackii's languages for the report."))
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.status == GrantStatus.PROPOSED:
        raise ValidationError(_("Accept the grant before disclosing it: a proposal may still change."))
    _refuse_unsupported_characters(grant=grant, language=written_in)
    latest = grant.disclosures.defer("pdf").order_by("-version").first()
    if latest is not None and latest.sealed_at is None:
        job = disclosure_job(disclosure=latest)
        if job is not None and job.state == SealJobState.FAILED:
            retry_seal_job(job=job)
            record_event(actor=by, action=Action.SEAL_REQUESTED, target=latest, detail={"retry": True})
        return latest
    disclosure = Disclosure.objects.create(
        grant=grant, version=(latest.version + 1) if latest else 1, requested_by=by, language=written_in
    )
    request_seal_job(kind=DISCLOSURE_KIND, object_id=disclosure.pk, by=by)
    record_event(actor=by, action=Action.SEAL_REQUESTED, target=disclosure, detail={"language": written_in})
    return disclosure


def _refuse_unsupported_characters(*, grant: Grant, language: str) -> None:
    """Refuse a report whose text (the funder's name, the purpose, conditions, rulings...) holds a character
    no PDF font has: the text is the report's HTML as the worker will render it, less its sealing time."""
    from funding.disclosures.documents import disclosure_html

    draft = Disclosure(grant=grant, version=0, language=language)
    refuse_unsupported_characters(disclosure_html(draft, sealed_at=timezone.now()))


@transaction.atomic
def complete_disclosure(
    *, disclosure_id: int, pdf: bytes, sha256: str, sealed_at, by: User | None
) -> Disclosure:
    """Called by the sealing worker, once, inside the transaction that marks its job done (`by`: who asked
    for this version)."""
    disclosure = Disclosure.objects.select_for_update().select_related("grant").get(pk=disclosure_id)
    if disclosure.sealed_at is not None:
        raise ValidationError(f"Disclosure {disclosure.pk} is already sealed.")
    disclosure.sealed_at = sealed_at
    disclosure.sha256 = sha256
    disclosure.pdf = encrypt(pdf, context=disclosure_context(disclosure=disclosure))
    disclosure.save(update_fields=["sealed_at", "sha256", "pdf"])
    record_event(
        actor=by,
        action=Action.DISCLOSURE_GENERATED,
        target=disclosure,
        dialogue_id=disclosure.grant.dialogue_id,
        detail={"grant": disclosure.grant_id, "version": disclosure.version, "sha256": sha256},
    )
    return disclosure


def download_disclosure(*, disclosure: Disclosure, by: User) -> bytes:
    """The sealed report's PDF for one reader, the download recorded in the audit log."""
    record_event(actor=by, action=Action.DOWNLOAD, target=disclosure)
    return disclosure_pdf(disclosure=disclosure)
