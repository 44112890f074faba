"""Sealing a draft whose review is over: the checks before it, the outbox row the worker takes
(trackii/sealing/services.py), retrying or giving back a failed sealing, and `complete_seal`, which the
worker calls once it has the sealed PDF: the version sealed, its audience frozen, each reader's copy made."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.enums import SummaryStatus
from dialogues.models import Summary
from dialogues.permissions import SEALED_STATUSES
from dialogues.summaries.documents import SEAL_KIND, summary_context, summary_html
from dialogues.summaries.selectors import Version, audience_at_sealing, seal_job, versions_of
from dialogues.summaries.services.drafts import (
    _locked,
    _refuse_unresolved_mentions,
    _refuse_without_attendees,
    _save_on_the_way,
)
from dialogues.summaries.services.reading import _issue_copy, _stamped_copy
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.crypto import encrypt
from trackii.permissions import grant
from trackii.sealing.enums import SealJobState
from trackii.sealing.models import SealJob
from trackii.sealing.pdf_fonts import refuse_unsupported_characters
from trackii.sealing.services import request_seal_job, retry_seal_job

# The PDF's stylesheet, Trackii's own (sealing/pdf/fonts.css, pdf/summary.css): nothing a user wrote.
STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)


def check_sealable(
    *, summary: Summary, body: str | None = None, versions: list[Version] | None = None
) -> None:
    """Refuse, as request_seal would, a draft whose text (`body`, or the saved one) is empty or still names
    someone, whose workshop has nobody recorded as attending, or whose PDF would hold a character no font
    has. Writes nothing: the page that asks before sealing checks first, so it never asks to confirm a seal
    that would be refused. `versions` (versions_of, with `body`), when the caller has read them already."""
    if versions is None:
        versions = versions_of(summary=summary, body=body)
    if not versions[0].body.strip():
        raise ValidationError(_("The draft is empty. There is nothing to seal."))
    for version in versions[1:]:
        if not version.body.strip():
            raise ValidationError(
                _("The version in %(language)s is empty. Write it, or remove it, before sealing.")
                % {"language": version.language.name}
            )
    _refuse_without_attendees(summary.workshop)
    _refuse_unresolved_mentions(summary, before="sealing", versions=versions)
    _refuse_unsupported_characters(summary, versions)


def _refuse_unsupported_characters(summary: Summary, versions: list[Version]) -> None:
    """Refuse a draft whose PDF would hold a character no font has: in its versions' text, and in all the PDF
    carries besides (the dialogue's ground rules, its Third Party's name, its codename, the labels), read from
    the PDF's HTML as the worker renders it, less its sealing time. Kept cheap for the page that asks before
    sealing: the HTML is rendered with the versions left empty (Markdown adds no character of its own, and
    rendering it costs ten times what checking the text does) and read without its stylesheet (our own,
    two thirds of the HTML). Measured on a busy shared machine: 9-15 ms for a 900-character draft, 27-43 ms
    for a 36,000-character one, where rendering and reading the whole PDF's HTML took 21 and 196 ms."""
    texts = [(version.code, "") for version in versions]
    frame = STYLE.sub("", summary_html(summary, sealed_at=timezone.now(), texts=texts))
    refuse_unsupported_characters("\n".join([*(version.body for version in versions), frame]))


@transaction.atomic
def request_seal(*, summary: Summary, by: User, body: str | None = None) -> Summary:
    """Queue sealing of a draft whose review is over. Calling it twice queues nothing more: the outbox row
    is written in this transaction, and the worker completes it once. `body`, the text on the editor's
    screen, is saved first in the same transaction: what is sealed is what the facilitator was looking at,
    and a refused seal saves nothing."""
    summary = _save_on_the_way(summary, body=body, by=by)
    if summary.status == SummaryStatus.SEALING or summary.status in SEALED_STATUSES:
        return summary
    if summary.status == SummaryStatus.IN_REVIEW:
        raise ValidationError(_("Close the review before sealing, so no comment arrives after the seal."))
    check_sealable(summary=summary)
    summary.status = SummaryStatus.SEALING
    summary.save(update_fields=["status"])
    request_seal_job(kind=SEAL_KIND, object_id=summary.pk, by=by)
    record_event(actor=by, action=Action.SEAL_REQUESTED, target=summary)
    return summary


@transaction.atomic
def retry_seal(*, summary: Summary, by: User) -> bool:
    """Start a failed sealing again (audited). Returns whether there was a failed sealing to retry."""
    summary = _locked(summary)
    job = seal_job(summary=summary)
    if summary.status != SummaryStatus.SEALING or job is None or job.state != SealJobState.FAILED:
        return False
    retry_seal_job(job=job)
    record_event(actor=by, action=Action.SEAL_REQUESTED, target=summary, detail={"retry": True})
    return True


@transaction.atomic
def cancel_seal(*, summary: Summary, by: User) -> Summary:
    """After a failed sealing, give the draft back to its authors (to remove what broke the rendering)."""
    summary = _locked(summary)
    if summary.status != SummaryStatus.SEALING:
        return summary
    job = SealJob.objects.select_for_update().filter(kind=SEAL_KIND, object_id=summary.pk).first()
    if job is not None and not job.finished:
        raise ValidationError(_("Sealing is still in progress; wait for it to finish or fail."))
    # A done job would have made the summary sealed (returned above): this one failed. Its outbox row is
    # spent and goes; the audit log keeps the story, with the reason.
    error = job.error if job is not None else ""
    if job is not None:
        job.delete()
    summary.status = SummaryStatus.DRAFT
    summary.save(update_fields=["status"])
    record_event(actor=by, action=Action.SEAL_CANCELLED, target=summary, detail={"error": error[:500]})
    return summary


@transaction.atomic
def complete_seal(
    *, summary_id: int, pdf: bytes, sha256: str, sealed_at: dt.datetime, by: User | None
) -> Summary:
    """Called by the sealing worker, once, inside the transaction that marks its job done: store the sealed
    PDF encrypted, mark the version sealed (and the one it amends superseded), freeze the audience and make
    each audience member's copy. `by` is whoever requested the seal (None once their account is gone)."""
    summary = _locked(Summary(pk=summary_id))
    if summary.status != SummaryStatus.SEALING:
        raise ValidationError(f"Summary {summary.pk} is {summary.get_status_display().lower()}, not sealing.")
    summary.status = SummaryStatus.SEALED
    summary.sealed_at = sealed_at
    summary.sealed_sha256 = sha256
    summary.sealed_pdf = encrypt(pdf, context=summary_context(summary), data_key=summary.encryption_key_id)
    summary.save(update_fields=["status", "sealed_at", "sealed_sha256", "sealed_pdf"])
    # An amendment keeps the audience its first version was sealed for, whoever attends later; only people
    # who belong to the dialogue now (the confirmation page counts them with the same selector).
    people = list(audience_at_sealing(summary=summary))
    if summary.supersedes_id:
        Summary.objects.filter(pk=summary.supersedes_id).update(status=SummaryStatus.SUPERSEDED)
    stamped = [_stamped_copy(pdf, summary) for _ in people]
    for user in User.objects.filter(person__in=people):
        grant("dialogues.view_summary", user, summary)
    for person, copy in zip(people, stamped, strict=True):
        _issue_copy(summary, copy, person, audience=True, by=by)
    record_event(
        actor=by,
        action=Action.SEALED,
        target=summary,
        detail={"sha256": sha256, "audience": len(people), "version": summary.version},
    )
    return summary
