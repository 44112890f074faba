"""Is this PDF one Trackii sealed, unchanged since? Answers in words, for any bytes, without raising."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trackii.sealing.enums import Verdict
from trackii.sealing.keys import load_identity
from trackii.sealing.seal import COPY_CODE_KEY, DOCUMENT_ID_KEY, run_sync

logger = logging.getLogger(__name__)

# Our summaries are a few hundred kilobytes; an upload far larger is not one of them, and parsing it would
# only cost memory.
MAX_PDF_BYTES = 50 * 1024 * 1024


# What to do next, for each verdict but the good one, in the words of someone holding a file.
ADVICE = {
    Verdict.ALTERED: gettext_lazy(
        "Do not rely on what it says. The change may be innocent (a program that saved the file again, a "
        "copy damaged on the way) or deliberate; either way the text may differ from what was sealed. "
        "Download the document again from Trackii, or ask whoever gave it to you for the file exactly as "
        "they received it, and check that one."
    ),
    Verdict.FOREIGN: gettext_lazy(
        "Trackii cannot vouch for it. If it should be one of the Third Party's summaries or reports, ask for "
        "the copy downloaded from Trackii and check that one."
    ),
    Verdict.UNSIGNED: gettext_lazy(
        "Trackii cannot vouch for it. Printing to PDF, scanning, or saving a copy from another program "
        "removes the seal; only the file downloaded from Trackii carries it. Check that file instead."
    ),
    Verdict.UNREADABLE: gettext_lazy(
        "Check that you chose the right file. If it was cut short on the way (an interrupted download, an "
        "e-mail attachment not saved in full), save or download it again and check the new copy."
    ),
}


@dataclass(frozen=True)
class Verification:
    intact: bool
    # The Third Party's key made a seal found in the file (which may have been changed since: see `verdict`).
    signed_by_us: bool
    sha256: str
    verdict: str = Verdict.UNREADABLE
    copy_code: str | None = None
    document_id: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Intact and sealed by the Third Party's key: the only answer that lets anyone rely on it."""
        return self.verdict == Verdict.SEALED and self.intact and self.signed_by_us and not self.problems

    @property
    def headline(self) -> str:
        return Verdict(self.verdict).label

    @property
    def advice(self) -> str:
        return ADVICE.get(self.verdict, "")


def _info_value(reader, key: str) -> str | None:
    try:
        info = reader.trailer_view.get("/Info")
        info = info.get_object() if info is not None else None
        value = info.get(key) if info is not None else None
    except Exception:
        return None
    return str(value) if value is not None else None


def _validation_context(certificate_der: bytes):
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(certificate_der)
    # Our certificate is the only trust anchor; nothing is fetched (no OCSP/CRL for a self-signed seal).
    return ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")


def verify_pdf(data: bytes) -> Verification:
    """Check ``data`` is a PDF certified by our key, with no change permitted and none made.

    The copy code and document id are read from the document information; they can be relied on only when
    ``ok`` is true (an altered file can claim anything).
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        return Verification(intact=False, signed_by_us=False, sha256="", problems=[_("No file was given.")])
    data = bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()

    def fail(*problems: str, verdict=Verdict.UNREADABLE, copy_code=None, document_id=None) -> Verification:
        return Verification(
            intact=False,
            signed_by_us=False,
            sha256=sha256,
            verdict=verdict,
            copy_code=copy_code,
            document_id=document_id,
            problems=list(problems),
        )

    if not data:
        return fail(_("The file is empty: it has no content at all."))
    if len(data) > MAX_PDF_BYTES:
        return fail(
            _("The file is larger than %(size)s MB: not a document Trackii sealed.")
            % {"size": MAX_PDF_BYTES // (1024 * 1024)}
        )
    if b"%PDF-" not in data[:1024]:
        return fail(_("This is not a PDF file, whatever its name says: it does not begin as a PDF does."))

    try:
        return _verify(data, sha256, fail)
    except Exception:  # pyHanko and the PDF parser can raise almost anything on hostile input
        logger.warning("verify_pdf could not check a PDF (sha256 %s)", sha256, exc_info=True)
        return fail(_("The PDF is damaged (perhaps cut short) or uses features Trackii does not accept."))


def _verify(data: bytes, sha256: str, fail) -> Verification:
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return fail(_("The file cannot be read as a PDF: it is damaged (perhaps cut short) or not a PDF."))
    copy_code = _info_value(reader, COPY_CODE_KEY)
    document_id = _info_value(reader, DOCUMENT_ID_KEY)

    if not signatures:
        return fail(
            _("The PDF carries no seal."),
            verdict=Verdict.UNSIGNED,
            copy_code=copy_code,
            document_id=document_id,
        )
    our_certificate = load_identity().certificate.public_bytes(serialization.Encoding.DER)
    ours = [signature for signature in signatures if signature.signer_cert.dump() == our_certificate]
    # Our seal if there is one (then anything else is a change made after it), otherwise the last signature.
    signature = ours[0] if ours else signatures[-1]
    status = run_sync(
        async_validate_pdf_signature(
            signature, signer_validation_context=_validation_context(our_certificate)
        )
    )
    # Integrity: this file is exactly what was certified, and the certification forbids any change.
    problems: list[str] = []
    if len(signatures) > 1:
        problems.append(
            _("The PDF carries %(count)s signatures; a Trackii seal is the only one.")
            % {"count": len(signatures)}
        )
    certification = reader.root.get("/Perms", {}).get("/DocMDP")
    if certification is None or certification.get_object() is not signature.sig_object:
        problems.append(_("The signature is not a certification (author) signature."))
    if signature.docmdp_level != MDPPerm.NO_CHANGES:
        problems.append(_("The seal does not forbid changes to the document."))
    if not status.intact:
        problems.append(
            _("The document was changed after it was sealed (its content no longer matches the seal).")
        )
    elif not status.valid:
        problems.append(_("The seal's cryptographic signature is not valid."))
    if (
        status.coverage != SignatureCoverageLevel.ENTIRE_FILE
        or status.modification_level != ModificationLevel.NONE
    ):
        problems.append(_("Something was added to the file, or taken from its end, after it was sealed."))
    if ours and not problems and not status.bottom_line:
        # bottom_line also covers trust, the DocMDP verdict and seed values: it must agree with the above.
        problems.append(_("The seal did not validate."))
    intact = not problems

    # Origin. A changed byte leaves the seal's own signature valid (it signs the digest the file no longer
    # has) but the file not intact, and pyHanko then reports no trust: that is "changed after sealing by the
    # Third Party", never "not the Third Party's key". A seal that carries our certificate (which is public:
    # it is in every sealed PDF) but whose signature does not check out was not made with our key: a forgery
    # or a broken seal, never "the Third Party's seal is on it".
    if ours and (intact or status.valid):
        verdict = Verdict.SEALED if intact else Verdict.ALTERED
    elif ours:
        verdict = Verdict.FOREIGN
        problems.append(_("The seal carries the Third Party's certificate but was not made with its key."))
    else:
        verdict = Verdict.FOREIGN
        problems.append(_("The seal was not made with the Third Party's key."))
    return Verification(
        intact=intact,
        signed_by_us=bool(ours) and status.valid,
        sha256=sha256,
        verdict=verdict,
        copy_code=copy_code,
        document_id=document_id,
        problems=problems,
    )


def verdict_lines(verification: Verification) -> list[str]:
    """The verification in plain words, one line each (for the command line and the upload page). Which
    document a PDF is, is each Sealer's `describe`."""
    headline = f"{verification.headline}."
    lines = [headline if verification.ok else f"NOT VERIFIED: {headline}"]
    if verification.advice:
        lines.append(verification.advice)
    if verification.document_id:
        lines.append(f"Document: {verification.document_id}")
    if verification.copy_code:
        lines.append(f"Copy code: {verification.copy_code}")
    if verification.sha256:
        lines.append(f"SHA-256: {verification.sha256}")
    lines.extend(f"Problem: {problem}" for problem in verification.problems)
    return lines
