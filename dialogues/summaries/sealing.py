"""How a workshop summary goes through the sealing pipeline (trackii/sealing): what it renders, what sealing
changes, and what a verified summary PDF tells the person who uploaded it."""

import datetime as dt
import re

from django.utils import formats
from django.utils.translation import gettext as _

from dialogues.models import Summary, SummaryCopy
from dialogues.selectors import summaries_for_user
from dialogues.summaries.documents import document_id, summary_html
from dialogues.summaries.services import complete_seal
from trackii.sealing.registry import Sealer

DOCUMENT_ID = re.compile(r"summary:(?P<pk>\d+):v(?P<version>\d+)")


def render(summary_id: int, sealed_at: dt.datetime) -> tuple[str, str, str]:
    summary = (
        Summary.objects.select_related("workshop__series__dialogue__third_party", "supersedes")
        .prefetch_related("translations")
        .get(pk=summary_id)
    )
    workshop = summary.workshop
    # The signature's reason is part of what is signed: never translated.
    reason = f"Sealed record of {workshop.neutral_label}, version {summary.version}"
    return summary_html(summary, sealed_at=sealed_at), document_id(summary), reason


def complete(*, object_id: int, pdf: bytes, sha256: str, sealed_at: dt.datetime, job) -> None:
    complete_seal(summary_id=object_id, pdf=pdf, sha256=sha256, sealed_at=sealed_at, by=job.requested_by)


def describe(verification, *, show_holder: bool = False, viewer=None) -> dict | None:
    """Which summary and version a verified file is, whether it is the file Trackii issued, and, for auditors
    only, whose copy it is (the holder's pseudonym and the audit record of the copy)."""
    found = DOCUMENT_ID.fullmatch(verification.document_id or "")
    if not found:
        return None
    summary = (
        Summary.objects.select_related("workshop__series__dialogue", "superseded_by")
        .filter(pk=found["pk"], version=found["version"])
        .first()
    )
    if summary is None or not summary.sealed_at:
        return {"title": _("A summary Trackii has no record of"), "known": False}
    workshop = summary.workshop
    copy = (
        SummaryCopy.objects.select_related("holder")
        .filter(copy_code=verification.copy_code, summary=summary)
        .first()
        if verification.copy_code
        else None
    )
    superseded_by = getattr(summary, "superseded_by", None)
    # Holding a copy says what it is, not what happened since: that (an amendment, whether the code is one
    # Trackii issued) is for the summary's own readers, auditors and the server's command line.
    knows_history = (
        viewer is None or show_holder or summaries_for_user(user=viewer).filter(pk=summary.pk).exists()
    )
    described = {
        "known": True,
        # Whoever holds the file reads this, perhaps with no access to the dialogue: no series title.
        "title": _("Summary of %(workshop)s, version %(version)s")
        % {"workshop": workshop.neutral_label, "version": summary.version},
        "sealed": formats.date_format(summary.sealed_at, "j F Y"),
        "superseded_by": superseded_by.version
        if knows_history and superseded_by and superseded_by.sealed_at
        else None,
        # The exact file Trackii issued: the master, or the copy whose code it carries.
        "issued_file": verification.sha256 in {summary.sealed_sha256, copy.sha256 if copy else None},
        "copy_code": verification.copy_code,
        "copy_known": copy is not None or not knows_history,
    }
    if copy is not None and show_holder:
        described["holder"] = copy.holder.pseudonym
        described["audit_event_id"] = copy.audit_event_id
    return described


SUMMARY_SEALER = Sealer(render=render, complete=complete, describe=describe, document_prefix="summary:")
