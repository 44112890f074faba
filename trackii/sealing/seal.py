"""Seal a rendered PDF (PAdES certification, no changes permitted) and make stamped per-recipient copies.

A sealed document is the rendered PDF plus exactly one incremental update that holds the signature (and, for
a copy, the copy-code overlay and metadata). Everything before the signature is covered by it; anything
appended afterwards makes verify_pdf say "not intact". See docs/decisions/0002-sealing.md.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import hashlib
import re
import secrets
import threading
from dataclasses import dataclass
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


@functools.cache
def _copy_writer_class():
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class CopyWriter(IncrementalPdfFileWriter):
        """Leaves the modification dates (document information, XMP) as they are: pyHanko would write "now"
        into the layout every copy of a master shares (CopyMaster), where a later copy would carry a stale
        date. The signing time, in the signature dictionary, is each copy's own."""

        def _update_meta(self):
            pass

    return CopyWriter


def _writer(pdf: bytes, *, for_copies: bool = False):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer_class = _copy_writer_class() if for_copies else IncrementalPdfFileWriter
    try:
        writer = writer_class(BytesIO(pdf), strict=False)
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


def _signature_metadata(*, reason: str, field_name: str):
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter

    return signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )


def _sign(writer, *, reason: str, field_name: str) -> bytes:
    from pyhanko.sign import signers

    output = BytesIO()
    pdf_signer = signers.PdfSigner(
        _signature_metadata(reason=reason, field_name=field_name), signer=load_identity().signer
    )
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
    return _unsigned_revision_and_document_id(pdf)[0]


def _unsigned_revision_and_document_id(pdf: bytes) -> tuple[bytes, str | None]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(pdf), strict=False)
    revisions = _signed_revisions(reader)
    if not revisions:
        return pdf, None
    first = min(revisions)
    if first == 0:
        raise SealingError(
            "The signature covers the first revision: there is no unsigned rendering to stamp."
        )
    previous_startxref = reader.xrefs.get_startxref_for_revision(first - 1)
    end = pdf.find(b"%%EOF", previous_startxref)
    if end < 0:
        raise SealingError("Cannot find the end of the unsigned revision.")
    end += len(b"%%EOF")
    while end < len(pdf) and pdf[end : end + 1] in b"\r\n":
        end += 1
    return pdf[:end], _document_info(reader, DOCUMENT_ID_KEY)


def _signed_revisions(reader) -> list[int]:
    """The revision each signature was added in: the one that introduced its signature dictionary.

    Read from the form fields and the cross-reference sections, without parsing the signatures themselves
    (pyHanko's embedded_signatures reads each 32 KB /Contents string a character at a time, most of the cost
    of a first copy). A form that is not the plain one sealing writes falls back to pyHanko.
    """
    from pyhanko.pdf_utils import generic

    form = reader.root.get("/AcroForm")
    fields = form.get_object().get("/Fields") if form is not None else None
    revisions = []
    for field in fields or ():
        field = field.get_object()
        if "/Kids" in field:
            return [signature.signed_revision for signature in reader.embedded_signatures]
        if field.get("/FT") != "/Sig" or "/V" not in field:
            continue
        value = field.raw_get("/V")
        if not isinstance(value, generic.IndirectObject):
            return [signature.signed_revision for signature in reader.embedded_signatures]
        revisions.append(reader.xrefs.get_introducing_revision(value.reference))
    return revisions


def _document_info(reader, key: str) -> str | None:
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


def _pages(writer):
    """Every page's reference and (possibly inherited) resources, in order, in one walk of the page tree:
    pyHanko's find_page_for_modification walks it from the root for each page."""
    from pyhanko.pdf_utils import generic, misc

    seen: set = set()

    def walk(node_ref, resources):
        if not isinstance(node_ref, generic.IndirectObject) or node_ref.reference in seen:
            raise misc.PdfReadError("The page tree is not a tree of indirect objects.")
        seen.add(node_ref.reference)
        node = node_ref.get_object()
        if "/Resources" in node:
            resources = node.raw_get("/Resources")
        if node.get("/Type") == "/Pages":
            for kid_ref in node["/Kids"]:
                yield from walk(kid_ref, resources)
        else:
            yield node_ref, resources

    yield from walk(writer.root.raw_get("/Pages"), None)


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

    for page_ref, resources in _pages(writer):
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
    incremental update. The master is parsed and laid out once per process (copy_master); each further copy
    of it costs a hash and a signature, not a parse.
    """
    if not COPY_CODE_RE.fullmatch(copy_code):
        raise ValueError(
            f"A copy code is 5-64 capital letters, digits and hyphens (see new_copy_code), not {copy_code!r}."
        )
    _check_document_id(document_id)
    master = copy_master(
        bytes(sealed_or_unsealed_pdf), document_id=document_id, reason=reason, field_name=field_name
    )
    return master.stamp(copy_code)


@functools.lru_cache(maxsize=8)
def copy_master(pdf: bytes, *, document_id: str | None, reason: str, field_name: str) -> CopyMaster:
    """The CopyMaster of ``pdf``, kept for the few masters a process last copied: sealing stamps every
    audience member's copy from one, and a later download of the same version finds it ready."""
    try:
        unsigned, sealed_document_id = _unsigned_revision_and_document_id(pdf)
        if document_id is None and unsigned is not pdf:
            document_id = sealed_document_id
    except SealingError:
        raise
    except Exception as error:
        raise SealingError(f"Not a PDF that can be stamped: {error}") from error
    return CopyMaster(unsigned, document_id=document_id, reason=reason, field_name=field_name)


def _pdf_date_bytes(moment: dt.datetime) -> bytes:
    from pyhanko.pdf_utils import generic

    out = BytesIO()
    generic.pdf_date(moment).write_to_stream(out)
    return out.getvalue()


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class _Template:
    """A copy with a placeholder code and signing time and an empty signature, as pyHanko wrote it."""

    update: bytes  # everything after the unsigned rendering
    placeholder: bytes
    signing_time: bytes
    region_start: int  # the reserved /Contents region, "<" to ">", outside the /ByteRange
    region_end: int


class CopyMaster:
    """An unsigned rendering from which recipient copies are made, each with its own code and signature.

    pyHanko stamps a random placeholder code of the copy code's length, writes the metadata, the signature
    field and the DocMDP certification, and lays out the incremental update once (the template). A copy is
    that update with the placeholder and the signing time replaced by same-length bytes (so every offset,
    the cross-reference section and the /ByteRange stay exact), hashed over its /ByteRange and signed with
    a fresh CMS signature. Nothing is shared between copies but the layout: each one carries its own code
    in every overlay and in the document information, and its own signature over all of it.
    """

    def __init__(self, unsigned: bytes, *, document_id: str | None, reason: str, field_name: str):
        self.unsigned = unsigned
        self.document_id = document_id
        self.reason = reason
        self.field_name = field_name
        self._templates: dict[int, _Template] = {}
        self._lock = threading.Lock()

    def stamp(self, copy_code: str) -> bytes:
        if not COPY_CODE_RE.fullmatch(copy_code):
            raise ValueError(f"Not a copy code: {copy_code!r}.")
        template = self._template(len(copy_code))
        signing_time = _utc_now()
        new_time = _pdf_date_bytes(signing_time)
        if len(new_time) != len(template.signing_time):  # a UTC date always has the same length
            raise SealingError("The signing time does not fit the copy's layout.")
        update = template.update.replace(template.placeholder, copy_code.encode("ascii")).replace(
            template.signing_time, new_time
        )
        output = BytesIO(self.unsigned + update)
        buffer = output.getbuffer()
        digest = hashlib.sha256(buffer[: template.region_start])
        digest.update(buffer[template.region_end :])
        del buffer
        return _fill_signature(output, template, digest.digest(), signing_time)

    def _template(self, length: int) -> _Template:
        with self._lock:
            template = self._templates.get(length)
            if template is None:
                template = self._templates[length] = self._build_template(length)
            return template

    def _build_template(self, length: int) -> _Template:
        while True:
            placeholder = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))
            if placeholder.encode("ascii") not in self.unsigned:
                break
        writer = _writer(self.unsigned, for_copies=True)
        _stamp_pages(writer, placeholder)
        _set_metadata(writer, {COPY_CODE_KEY: placeholder, DOCUMENT_ID_KEY: self.document_id})
        signing_time = _utc_now()
        prepared, data = run_sync(
            _prepare_signature(
                writer, reason=self.reason, field_name=self.field_name, signing_time=signing_time
            )
        )
        if not data.startswith(self.unsigned):
            raise SealingError("pyHanko rewrote the rendering instead of appending to it.")
        update = data[len(self.unsigned) :]
        template = _Template(
            update=update,
            placeholder=placeholder.encode("ascii"),
            signing_time=_pdf_date_bytes(signing_time),
            region_start=prepared.reserved_region_start,
            region_end=prepared.reserved_region_end,
        )
        # Every occurrence must be one we wrote: the code in each overlay and in the information dictionary,
        # the time once in the signature dictionary, neither in the reserved (zero) region.
        region = slice(template.region_start - len(self.unsigned), template.region_end - len(self.unsigned))
        if (
            update.count(template.placeholder) < 2
            or update.count(template.signing_time) != 1
            or update[region].strip(b"<0>")
        ):
            raise SealingError("The copy's layout is not the one Trackii writes.")
        return template


async def _prepare_signature(writer, *, reason: str, field_name: str, signing_time: dt.datetime):
    """pyHanko's signing up to the digest: the signature dictionary, the certification and the whole update
    written with the /Contents region reserved and empty."""
    from pyhanko.sign import signers

    pdf_signer = signers.PdfSigner(
        _signature_metadata(reason=reason, field_name=field_name), signer=load_identity().signer
    )
    session = pdf_signer.init_signing_session(writer)
    session.system_time = signing_time
    validation_info = await session.perform_presign_validation(writer)
    tbs = session.prepare_tbs_document(
        validation_info=validation_info, bytes_reserved=_SIGNATURE_BYTES_RESERVED
    )
    prepared, output = tbs.digest_tbs_document(output=BytesIO())
    return prepared, output.getvalue()


def _fill_signature(output: BytesIO, template: _Template, digest: bytes, signing_time: dt.datetime) -> bytes:
    from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest

    PreparedByteRangeDigest(
        document_digest=digest,
        reserved_region_start=template.region_start,
        reserved_region_end=template.region_end,
    ).fill_with_cms(output, _signature_cms(digest, signing_time))
    return output.getvalue()


_reference_cms: tuple[object, bytes] | None = None


def _signature_cms(digest: bytes, signing_time: dt.datetime) -> bytes:
    """The PAdES CMS signature over ``digest``: pyHanko's own, built once per key, with this document's
    message digest and a fresh signature over the signed attributes.

    pyHanko rebuilds and re-encodes the whole structure, certificate included, for every signature (about
    35 ms); only the digest and the signature differ from one copy to the next. The signed attributes are
    content type, message digest and the signing certificate (PAdES has no CMS signing time: it is /M).
    """
    from asn1crypto import cms
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    global _reference_cms
    identity = load_identity()
    if _reference_cms is None or _reference_cms[0] is not identity:
        reference = run_sync(
            identity.signer.async_sign(
                digest,
                "sha256",
                use_pades=True,
                signed_attr_settings=PdfCMSSignedAttributes(signing_time=signing_time),
            )
        )
        _reference_cms = (identity, reference.dump())
        return _reference_cms[1]
    content_info = cms.ContentInfo.load(_reference_cms[1])
    [signer_info] = content_info["content"]["signer_infos"]
    [message_digest] = [
        attribute for attribute in signer_info["signed_attrs"] if attribute["type"].native == "message_digest"
    ]
    message_digest["values"] = [digest]
    signed_attributes = signer_info["signed_attrs"].untag().dump()
    signer_info["signature"] = identity.signer.sign_raw(signed_attributes, "sha256")
    return content_info.dump()
