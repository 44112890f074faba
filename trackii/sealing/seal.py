"""Seal a rendered PDF (PAdES certification, no changes permitted) and make stamped per-recipient copies.

A sealed document is the rendered PDF plus exactly one incremental update that holds the signature (and, for
a copy, the copy-code overlay and metadata). Everything before the signature is covered by it; anything
appended afterwards makes verify_pdf say "not intact". See docs/decisions/0002-sealing.md.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import secrets
from io import BytesIO

from trackii.sealing.keys import load_identity

DEFAULT_FIELD_NAME = "TrackiiSeal"
# Custom document-information keys; verify_pdf reads them back. Names, not XMP: one dictionary entry each.
COPY_CODE_KEY = "/TrackiiCopy"
DOCUMENT_ID_KEY = "/TrackiiDocument"
# Copy codes go into PDF strings and onto paper: letters, digits and hyphens only, so they need no escaping,
# read aloud unambiguously, and cannot carry a name by accident of formatting.
COPY_CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,62}[A-Z0-9]")
DOCUMENT_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._-]{0,127}")
# Crockford's base32 alphabet: no I, L, O or U, so a code typed back from paper is not misread.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Room for an ECDSA or RSA-3072 CMS signature with its certificate, so pyHanko need not sign twice to measure.
_SIGNATURE_BYTES_RESERVED = 16 * 1024


class SealingError(Exception):
    pass


def new_copy_code() -> str:
    """A fresh opaque copy code such as ``C-7KQ2-M9XD-4HPT`` (60 random bits): it says nothing of anyone."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"C-{chars[0:4]}-{chars[4:8]}-{chars[8:12]}"


def run_sync(coroutine):
    """Run a pyHanko coroutine to completion, also from a thread that already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _writer(pdf: bytes):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except Exception as error:
        raise SealingError(f"Not a PDF that can be sealed: {error}") from error
    if writer.prev.embedded_signatures:
        raise SealingError("This PDF is already signed; seal the unsigned rendering instead.")
    return writer


def _set_metadata(writer, entries: dict[str, str | None]) -> None:
    from pyhanko.pdf_utils import generic

    values = {key: value for key, value in entries.items() if value is not None}
    if not values:
        return
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if isinstance(info_ref, generic.IndirectObject):
        info = info_ref.get_object()
        writer.mark_update(info_ref)
    else:
        info = generic.DictionaryObject(info_ref or {})
        writer.set_info(info)
    for key, value in values.items():
        info[generic.NameObject(key)] = generic.TextStringObject(value)


def _sign(writer, *, reason: str, field_name: str) -> bytes:
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter

    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    output = BytesIO()
    pdf_signer = signers.PdfSigner(meta, signer=load_identity().signer)
    run_sync(pdf_signer.async_sign_pdf(writer, bytes_reserved=_SIGNATURE_BYTES_RESERVED, output=output))
    return output.getvalue()


def _check_document_id(document_id: str | None) -> None:
    if document_id is not None and not DOCUMENT_ID_RE.fullmatch(document_id):
        raise ValueError(f"A document id is letters, digits and ':._-' (up to 128), not {document_id!r}.")


def seal_pdf(
    pdf: bytes, *, reason: str, field_name: str = DEFAULT_FIELD_NAME, document_id: str | None = None
) -> bytes:
    """Certify ``pdf`` with the Third Party's key; DocMDP forbids every later change.

    ``document_id`` (e.g. "summary:12:v3") is stored in the document information and returned by verify_pdf.
    Raises SealingError for input that is not a PDF or is already signed.
    """
    _check_document_id(document_id)
    writer = _writer(pdf)
    _set_metadata(writer, {DOCUMENT_ID_KEY: document_id})
    return _sign(writer, reason=reason, field_name=field_name)


def unsigned_revision(pdf: bytes) -> bytes:
    """The document as it was before its first signature (the whole input if it has none).

    Sealing only appends, so the bytes before the signed revision are exactly the rendered PDF.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(pdf), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        return pdf
    first = min(signatures, key=lambda signature: signature.signed_revision)
    if first.signed_revision == 0:
        raise SealingError(
            "The signature covers the first revision: there is no unsigned rendering to stamp."
        )
    previous_startxref = reader.xrefs.get_startxref_for_revision(first.signed_revision - 1)
    end = pdf.find(b"%%EOF", previous_startxref)
    if end < 0:
        raise SealingError("Cannot find the end of the unsigned revision.")
    end += len(b"%%EOF")
    while end < len(pdf) and pdf[end : end + 1] in b"\r\n":
        end += 1
    return pdf[:end]


def _document_info(pdf: bytes, key: str) -> str | None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(pdf), strict=False)
    info = reader.trailer_view.get("/Info")
    info = info.get_object() if info is not None else None
    value = info.get(key) if info is not None else None
    return str(value) if value is not None else None


def _inherited(page, key: str):
    node = page
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _stamp_pages(writer, copy_code: str) -> None:
    """Write the copy code small in the bottom-left corner of every page, above the page's own content."""
    from pyhanko.pdf_utils import generic

    font_ref = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
                generic.NameObject("/Encoding"): generic.NameObject("/WinAnsiEncoding"),
            }
        )
    )
    # The page's own content may leave its coordinate system transformed (WeasyPrint flips the y axis), so
    # it is wrapped in q … Q and the overlay draws in the page's default space.
    save_ref = writer.add_object(generic.StreamObject(stream_data=b"q\n"))
    overlays: dict[tuple[float, float], generic.IndirectObject] = {}
    font_name = generic.NameObject("/TrackiiCopyFont")

    page_count = int(writer.root["/Pages"]["/Count"])
    for index in range(page_count):
        page_ref, resources = writer.find_page_for_modification(index)
        page = page_ref.get_object()
        media_box = _inherited(page, "/MediaBox") or [0, 0, 595, 842]
        left, bottom = float(media_box[0]), float(media_box[1])
        overlay_ref = overlays.get((left, bottom))
        if overlay_ref is None:
            text = (
                f"Q\nq 0.35 g BT {font_name} 7 Tf 1 0 0 1 {left + 28:.2f} {bottom + 12:.2f} Tm "
                f"(Copy {copy_code}) Tj ET Q\n"
            )
            overlay_ref = overlays[(left, bottom)] = writer.add_object(
                generic.StreamObject(stream_data=text.encode("ascii"))
            )

        contents = page.raw_get("/Contents") if "/Contents" in page else generic.ArrayObject()
        contents = contents.get_object() if isinstance(contents, generic.IndirectObject) else contents
        existing = (
            list(contents) if isinstance(contents, generic.ArrayObject) else [page.raw_get("/Contents")]
        )
        page[generic.NameObject("/Contents")] = generic.ArrayObject([save_ref, *existing, overlay_ref])

        # A copy of the (possibly shared or inherited) resources with our font added, set on this page only:
        # shared dictionaries stay untouched and need no rewriting.
        own_resources = generic.DictionaryObject(resources.get_object() if resources is not None else {})
        fonts = own_resources.get("/Font")
        own_fonts = generic.DictionaryObject(fonts.get_object() if fonts is not None else {})
        own_fonts[font_name] = font_ref
        own_resources[generic.NameObject("/Font")] = own_fonts
        page[generic.NameObject("/Resources")] = own_resources
        writer.mark_update(page_ref)


def stamp_copy(
    sealed_or_unsealed_pdf: bytes,
    *,
    copy_code: str,
    document_id: str | None = None,
    reason: str = "Sealed copy",
    field_name: str = DEFAULT_FIELD_NAME,
) -> bytes:
    """A recipient's copy: ``copy_code`` on every page and in the metadata, then sealed.

    Given a sealed PDF, the copy is made from its unsigned rendering (the seal is replaced, never stacked)
    and keeps its document id unless ``document_id`` is given. Stamping and sealing happen in one
    incremental update, so the copy costs one parse and one signature, not a re-render.
    """
    if not COPY_CODE_RE.fullmatch(copy_code):
        raise ValueError(
            f"A copy code is 5-64 capital letters, digits and hyphens (see new_copy_code), not {copy_code!r}."
        )
    _check_document_id(document_id)
    try:
        unsigned = unsigned_revision(sealed_or_unsealed_pdf)
        if document_id is None and unsigned is not sealed_or_unsealed_pdf:
            document_id = _document_info(sealed_or_unsealed_pdf, DOCUMENT_ID_KEY)
    except SealingError:
        raise
    except Exception as error:
        raise SealingError(f"Not a PDF that can be stamped: {error}") from error
    writer = _writer(unsigned)
    _stamp_pages(writer, copy_code)
    _set_metadata(writer, {COPY_CODE_KEY: copy_code, DOCUMENT_ID_KEY: document_id})
    return _sign(writer, reason=reason, field_name=field_name)
