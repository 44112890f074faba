import io
import time

import pypdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm

from trackii.sealing.seal import SealingError, new_copy_code, seal_pdf, stamp_copy
from trackii.sealing.verify import verify_pdf


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_seal_pdf_is_a_certification_permitting_no_changes(sealed):
    reader = PdfFileReader(io.BytesIO(sealed))
    [signature] = reader.embedded_signatures
    assert signature.field_name == "TrackiiSeal"
    assert signature.docmdp_level == MDPPerm.NO_CHANGES
    assert reader.root["/Perms"]["/DocMDP"].get_object() is signature.sig_object
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_seal_pdf_validates(sealed):
    verification = verify_pdf(sealed)
    assert verification.intact and verification.signed_by_us and verification.ok
    assert verification.problems == []
    assert verification.document_id == "summary:12:v3"
    assert verification.copy_code is None


def test_seal_pdf_keeps_the_rendered_bytes(rendered, sealed):
    assert sealed.startswith(rendered)


def test_seal_pdf_refuses_an_already_signed_pdf(sealed):
    with pytest.raises(SealingError, match="already signed"):
        seal_pdf(sealed, reason="again")


def test_seal_pdf_refuses_garbage():
    with pytest.raises(SealingError):
        seal_pdf(b"not a pdf", reason="x")


def test_seal_pdf_rejects_a_document_id_with_spaces(rendered):
    with pytest.raises(ValueError, match="document id"):
        seal_pdf(rendered, reason="x", document_id="summary of Jane Doe")


def test_stamp_copy_carries_its_code_on_every_page(rendered):
    code = new_copy_code()
    copy = stamp_copy(rendered, copy_code=code, document_id="summary:12:v3")
    texts = _page_texts(copy)
    assert len(texts) >= 3
    assert all(f"Copy {code}" in text for text in texts)


def test_stamp_copy_validates_and_names_its_code(rendered):
    code = new_copy_code()
    verification = verify_pdf(stamp_copy(rendered, copy_code=code, document_id="summary:12:v3"))
    assert verification.ok, verification.problems
    assert verification.copy_code == code
    assert verification.document_id == "summary:12:v3"


def test_stamp_copies_differ_only_by_code(rendered):
    first, second = new_copy_code(), new_copy_code()
    assert first != second
    copy_1 = stamp_copy(rendered, copy_code=first)
    copy_2 = stamp_copy(rendered, copy_code=second)
    assert copy_1 != copy_2
    assert [text.replace(first, second) for text in _page_texts(copy_1)] == _page_texts(copy_2)
    metadata_1 = dict(pypdf.PdfReader(io.BytesIO(copy_1)).metadata)
    metadata_2 = dict(pypdf.PdfReader(io.BytesIO(copy_2)).metadata)
    assert metadata_1.pop("/TrackiiCopy") == first
    assert metadata_2.pop("/TrackiiCopy") == second
    metadata_1.pop("/ModDate", None), metadata_2.pop("/ModDate", None)
    assert metadata_1 == metadata_2


def test_stamp_copy_of_a_sealed_pdf_replaces_the_seal(sealed):
    code = new_copy_code()
    copy = stamp_copy(sealed, copy_code=code)
    assert len(PdfFileReader(io.BytesIO(copy)).embedded_signatures) == 1
    verification = verify_pdf(copy)
    assert verification.ok, verification.problems
    assert (verification.copy_code, verification.document_id) == (code, "summary:12:v3")


@pytest.mark.parametrize("code", ["Jane Doe", "p-17", "C-1", "C-(1234)"])
def test_stamp_copy_rejects_codes_that_are_not_opaque_tokens(rendered, code):
    with pytest.raises(ValueError, match="copy code"):
        stamp_copy(rendered, copy_code=code)


def test_seal_pdf_with_an_rsa_key_validates(rendered, use_p12, tmp_path):
    from trackii.sealing.keys import generate_identity_p12

    path = tmp_path / "rsa.p12"
    path.write_bytes(generate_identity_p12(key_type="rsa-3072", passphrase="rsa-passphrase"))
    use_p12(path, "rsa-passphrase")
    verification = verify_pdf(stamp_copy(rendered, copy_code=new_copy_code()))
    assert verification.ok, verification.problems


def _signing_time(pdf: bytes):
    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return signature.self_reported_timestamp


def test_copies_of_one_master_each_verify_with_their_own_code_and_signature(sealed):
    # The master is laid out once (CopyMaster); each copy must still be signed over its own code.
    codes = [new_copy_code() for _ in range(4)]
    copies = [stamp_copy(sealed, copy_code=code) for code in codes]
    for code, copy in zip(codes, copies, strict=True):
        verification = verify_pdf(copy)
        assert verification.ok, verification.problems
        assert (verification.copy_code, verification.document_id) == (code, "summary:12:v3")
        assert all(f"Copy {code}" in text for text in _page_texts(copy))
    signatures = {PdfFileReader(io.BytesIO(copy)).embedded_signatures[0].pkcs7_content for copy in copies}
    assert len(signatures) == len(copies)


def test_a_copy_whose_code_is_swapped_or_whose_text_is_altered_is_refused(sealed):
    first, second = new_copy_code(), new_copy_code()
    copy = stamp_copy(sealed, copy_code=first)
    stamp_copy(sealed, copy_code=second)
    # Same length, same offsets: a holder who rewrites their code as another copy's breaks the seal.
    swapped = copy.replace(first.encode(), second.encode())
    assert swapped != copy and verify_pdf(swapped).ok is False
    assert not verify_pdf(swapped).intact
    text_at = copy.index(b"stream", len(copy) // 3)
    altered = bytearray(copy)
    altered[text_at + 20] ^= 0x01
    assert not verify_pdf(bytes(altered)).ok
    assert verify_pdf(copy).ok


def test_a_later_copy_of_a_master_carries_its_own_signing_time(sealed):
    early = stamp_copy(sealed, copy_code=new_copy_code())
    time.sleep(1.1)
    late = stamp_copy(sealed, copy_code=new_copy_code())
    assert verify_pdf(late).ok
    assert _signing_time(late) > _signing_time(early)
