"""The fonts of Trackii's sealed PDFs: vendored files in trackii/sealing/fonts/, declared with @font-face.

A sealed document's layout (page count, where text falls, the copy-code corner) must not depend on the fonts
of the machine that sealed it, so the PDF stylesheets name only the families below, which no host font can
carry, and the renderer reads their files from this package (docs/decisions/0008-pdf-fonts.md).

"Trackii Serif" (body) and "Trackii Sans" (headings, labels, tables) cover Latin, Greek and Cyrillic; each
further script has its own family ("Trackii Serif Armenian", ...), limited with unicode-range to its script,
and the stylesheets list them after the main family (SERIF, SANS), so Pango takes each character from the face
of its script. They cannot be one family with several faces: WeasyPrint 70 keys the fonts it embeds by family,
weight and style, so two faces of one family would be merged into one broken PDF font (text drawn with the
wrong glyphs). "Trackii Mono" is for code.
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import os
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

logger = logging.getLogger(__name__)

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# Chinese, Japanese and Korean: too large to vendor (93 MB), so Debian's fonts-noto-cjk, installed by
# bin/test, bin/setup-venv and the Dockerfile, read by absolute path and checked against CJK_FACES' sha256.
CJK_FONTS_DIR = Path(os.environ.get("TRACKII_CJK_FONTS_DIR", "/usr/share/fonts/opentype/noto"))

_ARMENIAN = "U+0530-058F, U+FB13-FB17"
_GEORGIAN = "U+10A0-10FF, U+1C90-1CBF, U+2D00-2D2F"
_HEBREW = "U+0590-05FF, U+FB1D-FB4F"
_ARABIC = "U+0600-06FF, U+0750-077F, U+0870-08FF, U+FB50-FDFF, U+FE70-FEFF"
_DEVANAGARI = "U+0900-097F, U+1CD0-1CFF, U+A8E0-A8FF"
# Hangul jamo, CJK radicals and punctuation, kana, bopomofo, enclosed and compatibility forms, the
# ideographs (with extension A and the planes 2 and 3 extensions), hangul syllables, fullwidth forms.
_CJK = (
    "U+1100-11FF, U+2E80-2FFF, U+3000-303F, U+3040-33FF, U+3400-4DBF, U+4E00-9FFF, U+A960-A97F, "
    "U+AC00-D7FF, U+F900-FAFF, U+FE10-FE1F, U+FE30-FE4F, U+FF00-FFEF, U+1F200-1F2FF, U+20000-3FFFF"
)

SCRIPTS = ("Armenian", "Georgian", "Hebrew", "Arabic", "Devanagari", "CJK")
# The font-family lists of the PDF stylesheets (static/pdf/*.css).
SERIF = ", ".join(f'"{family}"' for family in ["Trackii Serif", *(f"Trackii Serif {s}" for s in SCRIPTS)])
SANS = ", ".join(f'"{family}"' for family in ["Trackii Sans", *(f"Trackii Sans {s}" for s in SCRIPTS)])
# Code: the monospaced face for Latin, Greek and Cyrillic, then the sans faces (Trackii Sans for what Noto
# Mono lacks), so that code covers every character the body text does.
MONO = ", ".join(
    f'"{family}"' for family in ["Trackii Mono", "Trackii Sans", *(f"Trackii Sans {s}" for s in SCRIPTS)]
)

# (family, file, weight, style, unicode-range or None for the face that covers Latin, Greek and Cyrillic)
FACES: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("Trackii Serif", "NotoSerif-Regular.ttf", "normal", "normal", None),
    ("Trackii Serif", "NotoSerif-Bold.ttf", "bold", "normal", None),
    ("Trackii Serif", "NotoSerif-Italic.ttf", "normal", "italic", None),
    ("Trackii Serif", "NotoSerif-BoldItalic.ttf", "bold", "italic", None),
    ("Trackii Serif Armenian", "NotoSerifArmenian-Regular.ttf", "normal", "normal", _ARMENIAN),
    ("Trackii Serif Armenian", "NotoSerifArmenian-Bold.ttf", "bold", "normal", _ARMENIAN),
    ("Trackii Serif Georgian", "NotoSerifGeorgian-Regular.ttf", "normal", "normal", _GEORGIAN),
    ("Trackii Serif Georgian", "NotoSerifGeorgian-Bold.ttf", "bold", "normal", _GEORGIAN),
    ("Trackii Serif Hebrew", "NotoSerifHebrew-Regular.ttf", "normal", "normal", _HEBREW),
    ("Trackii Serif Hebrew", "NotoSerifHebrew-Bold.ttf", "bold", "normal", _HEBREW),
    ("Trackii Serif Arabic", "NotoNaskhArabic-Regular.ttf", "normal", "normal", _ARABIC),
    ("Trackii Serif Arabic", "NotoNaskhArabic-Bold.ttf", "bold", "normal", _ARABIC),
    ("Trackii Serif Devanagari", "NotoSerifDevanagari-Regular.ttf", "normal", "normal", _DEVANAGARI),
    ("Trackii Serif Devanagari", "NotoSerifDevanagari-Bold.ttf", "bold", "normal", _DEVANAGARI),
    ("Trackii Sans", "NotoSans-Regular.ttf", "normal", "normal", None),
    ("Trackii Sans", "NotoSans-Bold.ttf", "bold", "normal", None),
    ("Trackii Sans", "NotoSans-Italic.ttf", "normal", "italic", None),
    ("Trackii Sans Armenian", "NotoSansArmenian-Regular.ttf", "normal", "normal", _ARMENIAN),
    ("Trackii Sans Armenian", "NotoSansArmenian-Bold.ttf", "bold", "normal", _ARMENIAN),
    ("Trackii Sans Georgian", "NotoSansGeorgian-Regular.ttf", "normal", "normal", _GEORGIAN),
    ("Trackii Sans Georgian", "NotoSansGeorgian-Bold.ttf", "bold", "normal", _GEORGIAN),
    ("Trackii Sans Hebrew", "NotoSansHebrew-Regular.ttf", "normal", "normal", _HEBREW),
    ("Trackii Sans Hebrew", "NotoSansHebrew-Bold.ttf", "bold", "normal", _HEBREW),
    ("Trackii Sans Arabic", "NotoSansArabic-Regular.ttf", "normal", "normal", _ARABIC),
    ("Trackii Sans Arabic", "NotoSansArabic-Bold.ttf", "bold", "normal", _ARABIC),
    ("Trackii Sans Devanagari", "NotoSansDevanagari-Regular.ttf", "normal", "normal", _DEVANAGARI),
    ("Trackii Sans Devanagari", "NotoSansDevanagari-Bold.ttf", "bold", "normal", _DEVANAGARI),
    ("Trackii Mono", "NotoMono-Regular.ttf", "normal", "normal", None),
)
# (family, file in CJK_FONTS_DIR, weight, style, unicode-range, sha256): Debian bookworm's fonts-noto-cjk
# 1:20220127+repack1-1. Each .ttc holds the JP, KR, SC, TC and HK faces; fontconfig takes the one that
# matches the document's lang. Declared only for a document that holds CJK text (cjk_font_face_css).
CJK_FACES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Trackii Serif CJK", "NotoSerifCJK-Regular.ttc", "normal", "normal", _CJK,
     "a04178ec485dffdff7cc0c0c20e1fce9202d7e2160d805e8e44a4c8841c58481"),
    ("Trackii Serif CJK", "NotoSerifCJK-Bold.ttc", "bold", "normal", _CJK,
     "a5d4b046c127da3d7c72f98b46c41489cd29bf52abfdf18aba920903e920d4ac"),
    ("Trackii Sans CJK", "NotoSansCJK-Regular.ttc", "normal", "normal", _CJK,
     "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a"),
    ("Trackii Sans CJK", "NotoSansCJK-Bold.ttc", "bold", "normal", _CJK,
     "faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb"),
)  # fmt: skip


@functools.cache
def vendored_font_files() -> frozenset[Path]:
    """The resolved paths of the font files the renderer may read: those FACES names, and the CJK_FACES files
    if they are the pinned ones (cjk_fonts_problem), nothing else."""
    cjk = [] if cjk_fonts_problem() else [(CJK_FONTS_DIR / file).resolve() for _, file, *_ in CJK_FACES]
    return frozenset([*((FONTS_DIR / file).resolve() for _, file, *_ in FACES), *cjk])


def vendored_font_path(url: str) -> Path | None:
    """The vendored font file a ``file:`` URL names, or None if it names anything else (another file, a
    folder, a path that leaves trackii/sealing/fonts/ through ``..`` or a symbolic link, another host)."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost") or parts.query:
        return None
    path = Path(url2pathname(parts.path)).resolve()  # url2pathname also undoes the %-escapes
    return path if path in vendored_font_files() else None


def _rule(family: str, path: Path, weight: str, style: str, unicode_range: str | None) -> str:
    declarations = [
        f'font-family: "{family}"',
        f'src: url("{path.as_uri()}")',
        f"font-weight: {weight}",
        f"font-style: {style}",
    ]
    if unicode_range:
        declarations.append(f"unicode-range: {unicode_range}")
    return "@font-face { " + "; ".join(declarations) + "; }"


@functools.cache
def font_face_css() -> str:
    """The @font-face rules of the PDF families, for a <style> element of a PDF template."""
    rules = []
    for family, file, weight, style, unicode_range in FACES:
        path = FONTS_DIR / file
        if not path.is_file():
            raise FileNotFoundError(
                f"The vendored PDF font {path} is missing (see {FONTS_DIR / 'README.md'})."
            )
        rules.append(_rule(family, path, weight, style, unicode_range))
    return "\n".join(rules)


@functools.cache
def cjk_fonts_problem() -> str | None:
    """None if every CJK_FACES file is installed and is the pinned file; otherwise what is wrong (logged).

    Read once per process (hashing 93 MB takes a fraction of a second). While this says something, CJK text is
    not declared to the renderer and unsupported_characters names it, so a sealing check refuses it: a
    host font never stands in for a missing or different file."""
    for _family, file, _weight, _style, _range, sha256 in CJK_FACES:
        path = CJK_FONTS_DIR / file
        if not path.is_file():
            problem = f"{path} is missing: install Debian's fonts-noto-cjk (bin/setup-venv)."
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest == sha256:
                continue
            problem = f"{path} has sha256 {digest}, not the pinned {sha256} (fonts-noto-cjk 1:20220127)."
        logger.warning("Chinese, Japanese and Korean text cannot be sealed: %s", problem)
        return problem
    return None


def cjk_font_face_css() -> str:
    """The @font-face rules of the CJK families ("" if cjk_fonts_problem): render_pdf adds them to a document
    that holds CJK text only, as WeasyPrint copies every declared file (93 MB here) for each document."""
    if cjk_fonts_problem():
        return ""
    return "\n".join(
        _rule(family, CJK_FONTS_DIR / file, weight, style, unicode_range)
        for family, file, weight, style, unicode_range, _ in CJK_FACES
    )


def _ranges(unicode_range: str) -> list[range]:
    bounds = (part.strip().removeprefix("U+").split("-") for part in unicode_range.split(","))
    return [range(int(b[0], 16), int(b[-1], 16) + 1) for b in bounds]


def _in(ranges: list[range] | None, codepoint: int) -> bool:
    return ranges is None or any(codepoint in r for r in ranges)


def has_cjk(text: str) -> bool:
    """Whether ``text`` (HTML or plain; character references count) holds a character of the CJK ranges."""
    ranges = _ranges(_CJK)
    return any(_in(ranges, ord(c)) for c in set(text + html.unescape(text)) if ord(c) >= 0x1100)


@functools.cache
def _coverage() -> frozenset[int]:
    """The characters both PDF font lists (SERIF and SANS; MONO falls back to SANS) can draw: for each list,
    the characters all faces of one of its families have (every weight, style), within their unicode-range."""
    from fontTools.ttLib import TTFont  # comes with WeasyPrint

    cjk = [] if cjk_fonts_problem() else [(f, CJK_FONTS_DIR / file, r) for f, file, _w, _s, r, _ in CJK_FACES]
    faces = [(family, FONTS_DIR / file, r) for family, file, _w, _s, r in FACES] + cjk
    by_family: dict[str, frozenset[int]] = {}
    for family, path, unicode_range in faces:
        # A collection's faces (JP, KR, SC, TC, HK) share one character map: read the first.
        cmap = TTFont(path, fontNumber=0, lazy=True).getBestCmap()
        ranges = _ranges(unicode_range) if unicode_range else None
        chars = frozenset(c for c in cmap if _in(ranges, c))
        by_family[family] = by_family[family] & chars if family in by_family else chars
    lists = [[name.strip('" ') for name in css_list.split(",")] for css_list in (SERIF, SANS)]
    covered = [frozenset().union(*(by_family.get(f, frozenset()) for f in names)) for names in lists]
    return frozenset.intersection(*covered)


def unsupported_characters(text: str) -> list[str]:
    """The characters of ``text`` that no font of Trackii's PDFs has, each once, in order of appearance.

    Whitespace and format characters (zero-width joiners, direction marks) are not drawn and are ignored.
    Character references (``&#x13000;``, which Markdown passes through) are read as the characters they name.
    """
    covered = _coverage()
    found: dict[str, None] = {}
    for char in text + html.unescape(text):
        if char.isspace() or unicodedata.category(char) == "Cf" or ord(char) in covered:
            continue
        found[char] = None
    return list(found)


def describe_characters(chars: list[str]) -> str:
    """ "𓀀 (U+13000), ☃ (U+2603)": for a message naming the characters unsupported_characters found."""
    return ", ".join(f"{c} (U+{ord(c):04X})" for c in chars)


def refuse_unsupported_characters(text: str) -> None:
    """Raise ValidationError naming the characters of ``text`` that no PDF font has (a sealing check: a sealed
    document never shows a missing-glyph box, nor a host font standing in for one)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    missing = unsupported_characters(text)
    if not missing:
        return
    shown = describe_characters(missing[:LISTED]) + (" …" if len(missing) > LISTED else "")
    message = ngettext(
        "This character has no font in Trackii's PDFs: %(characters)s. Remove or replace it before sealing.",
        "These characters have no font in Trackii's PDFs: %(characters)s. Remove or replace them before "
        "sealing.",
        len(missing),
    ) % {"characters": shown}
    if cjk_fonts_problem() and has_cjk("".join(missing)):
        message += " " + _(
            "The fonts for Chinese, Japanese and Korean are not installed on this server: ask its "
            "administrator to install them."
        )
    raise ValidationError(message)


LISTED = 20  # characters named in a refusal; more are shown as "…"
