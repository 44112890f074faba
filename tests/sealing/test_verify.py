import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from trackii.sealing.enums import Verdict
from trackii.sealing.seal import seal_pdf
from trackii.sealing.verify import MAX_PDF_BYTES, verdict_lines, verify_pdf

NOT_OUR_KEY = "The seal was not made with the Third Party's key."


def _flip_byte_in_first_stream(pdf: bytes) -> bytes:
    position = pdf.index(b"stream", 200) + len(b"stream") + 20
    changed = bytearray(pdf)
    changed[position] ^= 0x01
    return bytes(changed)


def test_verify_pdf_one_byte_changed_is_not_intact(sealed):
    verification = verify_pdf(_flip_byte_in_first_stream(sealed))
    assert not verification.intact
    assert not verification.ok
    assert any("changed after it was sealed" in problem for problem in verification.problems)
    # Still the Third Party's seal (its signature checks out; the document under it changed): never "not our
    # key", which would tell the holder of a damaged copy it was forged.
    assert verification.verdict == Verdict.ALTERED and verification.signed_by_us
    assert NOT_OUR_KEY not in verification.problems
    assert verification.headline.startswith("Changed after sealing") and "Download" in verification.advice


def test_verify_pdf_metadata_update_appended_is_not_intact(sealed):
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.set_info(
        generic.DictionaryObject({generic.NameObject("/TrackiiCopy"): generic.TextStringObject("C-FAKE")})
    )
    output = io.BytesIO()
    writer.write(output)

    verification = verify_pdf(output.getvalue())
    assert not verification.intact
    assert verification.copy_code == "C-FAKE"  # what the file claims, which is why ok is False
    assert any("added to the file" in problem for problem in verification.problems)
    assert verification.verdict == Verdict.ALTERED and NOT_OUR_KEY not in verification.problems


def test_verify_pdf_annotation_appended_is_not_intact(sealed):
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    page_ref, _resources = writer.find_page_for_modification(0)
    note = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Text"),
                generic.NameObject("/Rect"): generic.ArrayObject(map(generic.FloatObject, (50, 50, 80, 80))),
                generic.NameObject("/Contents"): generic.TextStringObject("added later"),
            }
        )
    )
    page_ref.get_object()[generic.NameObject("/Annots")] = generic.ArrayObject([note])
    writer.mark_update(page_ref)
    output = io.BytesIO()
    writer.write(output)

    verification = verify_pdf(output.getvalue())
    assert not verification.intact
    assert verification.signed_by_us and verification.verdict == Verdict.ALTERED


def test_verify_pdf_unsealed_pdf_is_not_verified(rendered):
    verification = verify_pdf(rendered)
    assert not verification.intact and not verification.signed_by_us
    assert verification.problems == ["The PDF carries no seal."]
    assert verification.verdict == Verdict.UNSIGNED and "no seal or signature" in verification.headline


def test_verify_pdf_sealed_with_another_key_is_not_ours(rendered, use_p12, other_p12):
    use_p12(other_p12, "other-passphrase")
    foreign = seal_pdf(rendered, reason="not ours")
    use_p12("", "")

    verification = verify_pdf(foreign)
    assert verification.intact
    assert not verification.signed_by_us and not verification.ok
    assert NOT_OUR_KEY in verification.problems
    assert verification.verdict == Verdict.FOREIGN and "someone else's key" in verification.headline


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"hello, this is plain text", "not a PDF"),
        (bytes(range(256)) * 40, "not a PDF"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "cannot be read as a PDF"),
    ],
)
def test_verify_pdf_garbage_gives_a_problem_not_a_traceback(data, problem):
    verification = verify_pdf(data)
    assert not verification.intact and not verification.signed_by_us
    assert len(verification.problems) == 1 and problem in verification.problems[0]
    assert verification.verdict == Verdict.UNREADABLE
    assert verification.headline == "This file is not a PDF, or it is damaged"


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_verify_pdf_truncated_sealed_pdf_is_not_intact(sealed, keep):
    verification = verify_pdf(sealed[: int(len(sealed) * keep)])
    assert not verification.intact and not verification.ok
    assert verification.verdict == Verdict.UNREADABLE and "cut short" in verification.problems[0]
    assert NOT_OUR_KEY not in verification.problems


def test_verify_pdf_last_byte_missing_is_changed_after_sealing(sealed):
    verification = verify_pdf(sealed[:-1])
    assert verification.verdict == Verdict.ALTERED and not verification.ok
    assert any("taken from its end" in problem for problem in verification.problems)


def test_verify_pdf_refuses_huge_input():
    verification = verify_pdf(b"%PDF-1.7\n" + bytes(MAX_PDF_BYTES))
    assert not verification.intact
    assert "larger than" in verification.problems[0]


def test_verify_pdf_not_bytes_is_a_problem():
    assert verify_pdf(None).problems == ["No file was given."]


def test_verdict_lines_say_intact_and_name_the_document(sealed):
    lines = verdict_lines(verify_pdf(sealed))
    assert lines[0].startswith("Intact")
    assert "Document: summary:12:v3" in lines


def test_verdict_lines_say_what_is_wrong_and_what_to_do(sealed):
    lines = verdict_lines(verify_pdf(_flip_byte_in_first_stream(sealed)))
    assert lines[0] == (
        "NOT VERIFIED: Changed after sealing: the Third Party's seal is on it, but the document was altered."
    )
    assert lines[1].startswith("Do not rely on what it says.")
