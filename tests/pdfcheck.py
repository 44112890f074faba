"""What a rendered PDF holds, read back with pypdf: the fonts it uses and the glyphs it draws with them.

Used by the tests that hold the sealed PDFs to Trackii's vendored fonts (docs/decisions/0008-pdf-fonts.md).
"""

import io
import re

import pypdf
from pypdf.generic import ContentStream, TextStringObject

SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
NOTDEF = 0  # glyph id 0 is .notdef in every TrueType/OpenType font: the "missing glyph" box


def _resources(reader: pypdf.PdfReader):
    """Every resource dictionary that content is drawn with: each page's, and those of its form XObjects."""
    pending = [page.get("/Resources") for page in reader.pages]
    seen = set()
    while pending:
        resources = pending.pop()
        if resources is None:
            continue
        resources = resources.get_object()
        if id(resources) in seen:
            continue
        seen.add(id(resources))
        yield resources
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                pending.append(xobject.get("/Resources"))


def _font_name(font) -> str:
    """The font's /FontDescriptor /FontName (its /BaseFont if it has none), without a subset prefix."""
    font = font.get_object()
    descendant = font.get("/DescendantFonts", [font])[0].get_object()
    descriptor = descendant.get("/FontDescriptor")
    name = descriptor.get_object()["/FontName"] if descriptor is not None else descendant["/BaseFont"]
    return SUBSET_PREFIX.sub("", str(name).lstrip("/"))


def font_names(pdf: bytes) -> set[str]:
    """The names of every font the PDF's pages draw with, subset prefixes ("ABCDEF+") stripped."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return {
        _font_name(font)
        for resources in _resources(reader)
        for font in (resources.get("/Font") or {}).values()
    }


def _string_bytes(operand) -> bytes:
    if isinstance(operand, TextStringObject):  # pypdf decodes some strings; the glyph ids are the raw bytes
        return operand.original_bytes
    return bytes(operand)


_CIDCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s+(\d+)")
_CIDRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s+(\d+)")


def _code_to_glyph(font):
    """How a Type0 font's two-byte codes map to glyph ids (its CIDToGIDMap is /Identity: CID = glyph id).

    WeasyPrint writes /Identity-H (code = glyph id) until a glyph is missing; then it writes its own CMap in
    which the codes of the missing characters map to CID 0, so a content stream never shows <0000>.
    Any other encoding fails loudly rather than being read wrongly.
    """
    descendant = font["/DescendantFonts"][0].get_object()
    assert descendant.get("/CIDToGIDMap", "/Identity") == "/Identity", descendant.get("/CIDToGIDMap")
    encoding = font["/Encoding"].get_object()
    if encoding == "/Identity-H":
        return lambda code: code
    assert encoding.get("/Type") == "/CMap", encoding
    data = encoding.get_data()
    assert b"begincodespacerange\n<0000> <ffff>" in data, data[:300]
    table = {}
    for block in re.findall(rb"begincidchar(.*?)endcidchar", data, re.S):
        table.update((int(code, 16), int(cid)) for code, cid in _CIDCHAR.findall(block))
    for block in re.findall(rb"begincidrange(.*?)endcidrange", data, re.S):
        for low, high, cid in _CIDRANGE.findall(block):
            table.update(
                (code, int(cid) + code - int(low, 16)) for code in range(int(low, 16), int(high, 16) + 1)
            )
    return lambda code: table.get(code, NOTDEF)  # a code the CMap does not map is drawn as .notdef


def glyphs(pdf: bytes) -> list[tuple[str, int]]:
    """(font name, glyph id) of every glyph drawn by a text-showing operator (Tj, TJ, ' and ") on every page.

    WeasyPrint embeds each font as a Type0 font whose strings are two-byte codes (see _code_to_glyph).
    """
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = []
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        content = ContentStream(page.get_contents(), reader)
        name = to_glyph = None
        for operands, operator in content.operations:
            if operator == b"Tf":
                current = fonts[operands[0]].get_object()
                name, to_glyph = _font_name(current), _code_to_glyph(current)
                continue
            if operator in (b"Tj", b"'"):
                strings = [operands[0]]
            elif operator == b'"':
                strings = [operands[2]]
            elif operator == b"TJ":
                strings = [item for item in operands[0] if not isinstance(item, (int, float))]
            else:
                continue
            for string in strings:
                raw = _string_bytes(string)
                assert len(raw) % 2 == 0, (name, raw)
                found += [
                    (name, to_glyph(int.from_bytes(raw[i : i + 2], "big"))) for i in range(0, len(raw), 2)
                ]
    return found


def notdef_glyphs(pdf: bytes) -> list[str]:
    """The fonts in which the PDF draws a .notdef glyph (a missing-glyph box), once per such glyph."""
    return [name for name, glyph in glyphs(pdf) if glyph == NOTDEF]
