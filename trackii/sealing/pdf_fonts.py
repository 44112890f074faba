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
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

_ARMENIAN = "U+0530-058F, U+FB13-FB17"
_GEORGIAN = "U+10A0-10FF, U+1C90-1CBF, U+2D00-2D2F"
_HEBREW = "U+0590-05FF, U+FB1D-FB4F"
_ARABIC = "U+0600-06FF, U+0750-077F, U+0870-08FF, U+FB50-FDFF, U+FE70-FEFF"

SCRIPTS = ("Armenian", "Georgian", "Hebrew", "Arabic")
# The font-family lists of the PDF stylesheets (static/pdf/*.css).
SERIF = ", ".join(f'"{family}"' for family in ["Trackii Serif", *(f"Trackii Serif {s}" for s in SCRIPTS)])
SANS = ", ".join(f'"{family}"' for family in ["Trackii Sans", *(f"Trackii Sans {s}" for s in SCRIPTS)])
# Code: the monospaced face for Latin, Greek and Cyrillic, then the sans faces of the other scripts.
MONO = ", ".join(f'"{family}"' for family in ["Trackii Mono", *(f"Trackii Sans {s}" for s in SCRIPTS)])

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
    ("Trackii Mono", "NotoMono-Regular.ttf", "normal", "normal", None),
)


@functools.cache
def vendored_font_files() -> frozenset[Path]:
    """The resolved paths of the font files the renderer may read: those FACES names, nothing else."""
    return frozenset((FONTS_DIR / file).resolve() for _, file, *_ in FACES)


def vendored_font_path(url: str) -> Path | None:
    """The vendored font file a ``file:`` URL names, or None if it names anything else (another file, a
    folder, a path that leaves trackii/sealing/fonts/ through ``..`` or a symbolic link, another host)."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost") or parts.query:
        return None
    path = Path(url2pathname(parts.path)).resolve()  # url2pathname also undoes the %-escapes
    return path if path in vendored_font_files() else None


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
        declarations = [
            f'font-family: "{family}"',
            f'src: url("{path.as_uri()}")',
            f"font-weight: {weight}",
            f"font-style: {style}",
        ]
        if unicode_range:
            declarations.append(f"unicode-range: {unicode_range}")
        rules.append("@font-face { " + "; ".join(declarations) + "; }")
    return "\n".join(rules)
