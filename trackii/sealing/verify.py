"""Is this PDF one Trackii sealed, unchanged since? Answers in words, for any bytes, without raising."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from io import BytesIO

from trackii.sealing.keys import load_identity
from trackii.sealing.seal import COPY_CODE_KEY, DOCUMENT_ID_KEY, run_sync

logger = logging.getLogger(__name__)

# Our summaries are a few hundred kilobytes; an upload far larger is not one of them, and parsing it would
# only cost memory.
MAX_PDF_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Verification:
    intact: bool
    signed_by_us: bool
    sha256: str
    copy_code: str | None = None
    document_id: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Intact and sealed by the Third Party's key: the only answer that lets anyone rely on it."""
        return self.intact and self.signed_by_us and not self.problems


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
        return Verification(intact=False, signed_by_us=False, sha256="", problems=["No file was given."])
    data = bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()

    def fail(*problems: str, copy_code=None, document_id=None, signed_by_us=False) -> Verification:
        return Verification(
            intact=False,
            signed_by_us=signed_by_us,
            sha256=sha256,
            copy_code=copy_code,
            document_id=document_id,
            problems=list(problems),
        )

    if not data:
        return fail("The file is empty.")
    if len(data) > MAX_PDF_BYTES:
        return fail(
            f"The file is larger than {MAX_PDF_BYTES // (1024 * 1024)} MB: not a document Trackii sealed."
        )
    if b"%PDF-" not in data[:1024]:
        return fail("This is not a PDF file.")

    try:
        return _verify(data, sha256, fail)
    except Exception:  # pyHanko and the PDF parser can raise almost anything on hostile input
        logger.warning("verify_pdf could not check a PDF (sha256 %s)", sha256, exc_info=True)
        return fail("The PDF is damaged or uses features Trackii does not accept; it cannot be verified.")


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
        return fail("The PDF cannot be read: it is damaged or not a PDF.")
    copy_code = _info_value(reader, COPY_CODE_KEY)
    document_id = _info_value(reader, DOCUMENT_ID_KEY)

    if not signatures:
        return fail("The PDF carries no seal.", copy_code=copy_code, document_id=document_id)
    # Integrity: this file is exactly what was certified, and the certification forbids any change.
    problems: list[str] = []
    if len(signatures) > 1:
        problems.append(f"The PDF carries {len(signatures)} signatures; a Trackii seal is the only one.")
    signature = signatures[-1]
    certification = reader.root.get("/Perms", {}).get("/DocMDP")
    if certification is None or certification.get_object() is not signature.sig_object:
        problems.append("The signature is not a certification (author) signature.")
    if signature.docmdp_level != MDPPerm.NO_CHANGES:
        problems.append("The seal does not forbid changes to the document.")

    our_certificate = load_identity().certificate.public_bytes(serialization.Encoding.DER)
    status = run_sync(
        async_validate_pdf_signature(
            signature, signer_validation_context=_validation_context(our_certificate)
        )
    )
    if not status.intact:
        problems.append(
            "The document was changed after it was sealed (its content no longer matches the seal)."
        )
    elif not status.valid:
        problems.append("The seal's cryptographic signature is not valid.")
    if (
        status.coverage != SignatureCoverageLevel.ENTIRE_FILE
        or status.modification_level != ModificationLevel.NONE
    ):
        problems.append("Something was added to the file after it was sealed.")

    # Origin: signed with the Third Party's own certificate (the only trust anchor we give pyHanko).
    signed_by_us = signature.signer_cert.dump() == our_certificate and status.trusted
    if signed_by_us and not problems and not status.bottom_line:
        # bottom_line also covers the DocMDP verdict and seed values: it must agree with the checks above.
        problems.append("The seal did not validate.")
    intact = not problems
    if not signed_by_us:
        problems.append("The seal was not made with the Third Party's key.")
    return Verification(
        intact=intact,
        signed_by_us=signed_by_us,
        sha256=sha256,
        copy_code=copy_code,
        document_id=document_id,
        problems=problems,
    )


def verdict_lines(verification: Verification) -> list[str]:
    """The verification in plain words, one line each (for the command line and the upload page). Which
    document a PDF is, is each Sealer's `describe`."""
    if verification.ok:
        lines = ["Intact: sealed by the Third Party and unchanged since."]
    elif verification.signed_by_us and not verification.intact:
        lines = ["NOT INTACT: sealed by the Third Party, but changed since."]
    else:
        lines = ["NOT VERIFIED: this is not an intact document sealed by the Third Party."]
    if verification.document_id:
        lines.append(f"Document: {verification.document_id}")
    if verification.copy_code:
        lines.append(f"Copy code: {verification.copy_code}")
    if verification.sha256:
        lines.append(f"SHA-256: {verification.sha256}")
    lines.extend(f"Problem: {problem}" for problem in verification.problems)
    return lines
