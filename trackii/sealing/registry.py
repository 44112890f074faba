"""Which app seals which kind of document. The pipeline (services.run_seal_job) is the same for all; each app
says how its document renders, what sealing it changes, and how a verified file is described.

settings.TRACKII_SEALERS maps a job kind to the dotted path of a `Sealer`, so this package imports no app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Sealer:
    # (object id, sealing time) → (HTML for WeasyPrint, document id stored in the PDF, signature reason).
    render: Callable[[int, dt.datetime], tuple[str, str, str]]
    # Called once, inside the transaction that marks the job done, with the sealed bytes.
    complete: Callable[..., None]
    # (verification, show_holder=bool, viewer=user or None) → what a verified file is, or None if it is none
    # of this kind's. Whose copy it is only with show_holder (auditors, and the command line on the server);
    # whether a newer version exists only for a viewer who may see the document (None: the command line).
    describe: Callable[..., dict | None]
    # The prefix of this kind's document ids ("summary:"), to route a verified file to its sealer.
    document_prefix: str


def sealer_for(kind: str) -> Sealer:
    try:
        return import_string(settings.TRACKII_SEALERS[kind])
    except KeyError:
        raise ImproperlyConfigured(
            f"No sealer is configured for {kind!r} (settings.TRACKII_SEALERS)."
        ) from None


def sealer_for_document(document_id: str | None) -> Sealer | None:
    if not document_id:
        return None
    for path in settings.TRACKII_SEALERS.values():
        sealer = import_string(path)
        if document_id.startswith(sealer.document_prefix):
            return sealer
    return None
