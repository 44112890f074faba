"""The direction of each block of a PDF's user-written HTML, as HTML's dir="auto" would set it.

WeasyPrint has no dir="auto" and orders the inline boxes of a right-to-left phrase inside a left-to-right
paragraph left to right: "ليلى **تحدثت** مع" in an English document came out with its bold word on the wrong
side (seen on the rendered page, docs/decisions/0008-pdf-fonts.md). Inside a block marked dir="rtl" it orders
them right. So each block whose first strong character is right-to-left (Hebrew, Arabic) gets dir="rtl".
"""

from __future__ import annotations

import html
import re
import unicodedata

# The blocks nh3 leaves in a summary (markdown filter): opening tags without attributes.
_BLOCK = re.compile(r"<(p|li|h[1-6]|td|th|dt|dd|caption)>")
_TAG = re.compile(r"<[^>]*>")


def text_direction(text: str) -> str:
    """ "rtl" or "ltr", from the first letter of plain `text` with a direction (as dir="auto" does), "ltr" if
    none has one. For a PDF's plain strings (ground rules, a Third Party's name) as for its blocks."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def direct_blocks(markup: str) -> str:
    """``markup`` with dir="rtl" on each block (p, li, headings, cells) whose own text starts, in its first
    strong character, right to left; blocks that start left to right or hold no strong character are left."""

    def direct(match: re.Match) -> str:
        tag = match.group(1)
        rest = markup[match.end() :]
        end = re.search(rf"</{tag}>|<(?:p|li|ul|ol|table|blockquote)>", rest)
        own_text = rest[: end.start()] if end else rest
        own_text = html.unescape(_TAG.sub("", own_text))
        return f'<{tag} dir="rtl">' if text_direction(own_text) == "rtl" else match.group(0)

    return _BLOCK.sub(direct, markup)
