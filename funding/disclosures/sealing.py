"""How a funder-disclosure report goes through the sealing pipeline (trackii/sealing)."""

import datetime as dt
import re

from django.utils import formats
from django.utils.translation import gettext

from funding.disclosures.documents import disclosure_html
from funding.disclosures.selectors import disclosure_document_id
from funding.disclosures.services import complete_disclosure
from funding.grants.selectors import grants_for_user
from funding.models import Disclosure
from trackii.sealing.registry import Sealer

DOCUMENT_ID = re.compile(r"disclosure:(?P<pk>\d+):v(?P<version>\d+)")


def render(disclosure_id: int, sealed_at: dt.datetime) -> tuple[str, str, str]:
    disclosure = Disclosure.objects.select_related("grant__funder").get(pk=disclosure_id)
    reason = f"Funder disclosure for {disclosure.grant.funder.name}, version {disclosure.version}"
    return (
        disclosure_html(disclosure, sealed_at=sealed_at),
        disclosure_document_id(disclosure=disclosure),
        reason,
    )


def complete(*, object_id: int, pdf: bytes, sha256: str, sealed_at: dt.datetime, job) -> None:
    complete_disclosure(
        disclosure_id=object_id, pdf=pdf, sha256=sha256, sealed_at=sealed_at, by=job.requested_by
    )


def describe(verification, *, show_holder: bool = False, viewer=None) -> dict | None:
    found = DOCUMENT_ID.fullmatch(verification.document_id or "")
    if not found:
        return None
    disclosure = (
        Disclosure.objects.select_related("grant__funder")
        .filter(pk=found["pk"], version=found["version"], sealed_at__isnull=False)
        .first()
    )
    if disclosure is None:
        return {"title": gettext("A disclosure report Trackii has no record of"), "known": False}
    newer = disclosure.grant.disclosures.filter(version__gt=disclosure.version, sealed_at__isnull=False)
    # Whether a newer version exists is for those who may see the grant (and the server's command line).
    knows_history = viewer is None or grants_for_user(user=viewer).filter(pk=disclosure.grant_id).exists()
    newest = newer.order_by("-version").first() if knows_history else None
    return {
        "known": True,
        "title": gettext("Funder disclosure for %(funder)s, version %(version)s")
        % {"funder": disclosure.grant.funder.name, "version": disclosure.version},
        "sealed": formats.date_format(disclosure.sealed_at, "j F Y"),
        "superseded_by": newest.version if newest else None,
        "issued_file": verification.sha256 == disclosure.sha256,
        "copy_code": verification.copy_code,
        "copy_known": False,
    }


DISCLOSURE_SEALER = Sealer(render=render, complete=complete, describe=describe, document_prefix="disclosure:")
