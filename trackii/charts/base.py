"""What every chart is made of: the data classes, the palette and its textures, the SVG frame, value axes,
text with a halo, and the legend's swatches. The chart functions live in bars.py and lines.py.

Drawn for two renderers: browsers and WeasyPrint (the PDFs). WeasyPrint ignores ``paint-order`` and shows
the seams between the tiles of a <pattern>, so text gets its white halo from a second <text> drawn under it,
and a textured shape is two shapes: its colour, then a pattern holding only the white texture on top.
"""

import datetime as dt
import math
from dataclasses import dataclass, field
from html import escape

from django.utils import formats
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import pgettext

_AS_IS = (int, float, SafeData)


def format_html(template: str, *args) -> SafeString:
    """Django's format_html for the SVG's many small pieces, at a fraction of its cost: numbers go in as they
    are, text already marked safe (the pieces built here) as it is, and any other text escaped (&, <, >, " and
    ') as django.utils.html.escape does. A chart draws hundreds of pieces; this keeps a page's charts in
    milliseconds (docs/benchmarks.md)."""
    return SafeString(template.format(*[a if isinstance(a, _AS_IS) else escape(str(a)) for a in args]))


WIDTH = 720
WITHHELD = "withheld"  # in the CSV, read by programs; a person reads withheld_word()
INK, MUTED, LINE = "#1c2429", "#55616a", "#d9d4c8"
FONT = 12  # the smallest text, in viewBox units: the CSS keeps a chart at least 660px wide, so never < 11px

# Colour and texture per series, in order. Every colour has at least 3:1 contrast with white (WCAG 1.4.11,
# for the shapes on the white page and for the white texture on them); the textures tell series apart in
# greyscale and for colour-blind readers.
PALETTE = ("#1f4e5f", "#a5781c", "#a23b2a", "#5b7f3a", "#6c5a8e", "#55616a", "#2a7f8f", "#8a5a2b")
PATTERNS = ("solid", "diagonal", "dots", "cross", "horizontal", "vertical", "diagonal-back", "grid")
TEXTURES = {
    "solid": "",
    "diagonal": '<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#fff" stroke-width="1.5"/>',
    "diagonal-back": '<path d="M-1,7 l2,2 M0,0 l8,8 M7,-1 l2,2" stroke="#fff" stroke-width="1.5"/>',
    "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
    "cross": '<path d="M0,4 h8 M4,0 v8" stroke="#fff" stroke-width="1.2"/>',
    "horizontal": '<path d="M0,2 h8 M0,6 h8" stroke="#fff" stroke-width="1.2"/>',
    "vertical": '<path d="M2,0 v8 M6,0 v8" stroke="#fff" stroke-width="1.2"/>',
    "grid": '<path d="M0,0.5 h8 M0.5,0 v8" stroke="#fff" stroke-width="1"/>',
}


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple  # one number (or None: withheld) per category


@dataclass(frozen=True)
class Mark:
    """One dated event on a timeline lane."""

    on: dt.date
    label: str


@dataclass(frozen=True)
class Lane:
    name: str
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Table:
    """The numbers behind a chart, or any table worth exporting: what the template shows and the CSV holds."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]

    def cells(self):
        """The rows as the CSV holds them: English "withheld" for a withheld value, numbers as they are."""
        return [[WITHHELD if value is None else value for value in row] for row in self.rows]

    @property
    def numeric(self) -> tuple[bool, ...]:
        """Per column: whether every value it has is a number (right-aligned, with thousands separators)."""
        return tuple(
            all(isinstance(row[n], int | float) for row in self.rows if row[n] is not None)
            and any(row[n] is not None for row in self.rows)
            for n in range(len(self.columns))
        )

    def header(self) -> list[tuple[str, bool]]:
        return list(zip(self.columns, self.numeric, strict=True))

    def shown(self) -> list[list[tuple[object, bool]]]:
        """The rows as the figure's table shows them: numbers written as the chart writes them."""
        numeric = self.numeric
        return [
            [
                (number(value) if numeric[n] or value is None else value, numeric[n])
                for n, value in enumerate(row)
            ]
            for row in self.rows
        ]


@dataclass(frozen=True)
class Chart:
    key: str  # unique on its page: the SVG's ids and the CSV's name come from it
    title: str
    description: str  # the plain-language reading of the chart, also its <desc>
    table: Table
    svg: SafeString
    legend: tuple[tuple[str, str, str], ...] = field(default=())  # (name, colour, pattern id)
    swatches: tuple[SafeString, ...] = field(default=())  # one small SVG per legend entry, self-contained
    withheld: bool = False  # some value is withheld: the figure says what the mark for it means

    @property
    def title_id(self) -> str:
        return f"chart-{self.key}-title"

    @property
    def legend_items(self) -> list[tuple[str, SafeString]]:
        return [
            (name, swatch)
            for (name, _colour, _pattern), swatch in zip(self.legend, self.swatches, strict=True)
        ]


def withheld_word() -> str:
    return pgettext("a count not shown", "withheld")


def number(value) -> str:
    """A value as the chart writes it, in the viewer's language: whole numbers with its thousands separator,
    one decimal otherwise (with its decimal mark). Digits stay Western Arabic in every language, as Django
    writes them; the separators come from the language's formats, read once per call."""
    if value is None:
        return withheld_word()
    fraction = isinstance(value, float) and not value.is_integer()
    text = f"{value:,.1f}" if fraction else f"{int(value):,}"
    thousands, decimal = formats.get_format("THOUSAND_SEPARATOR"), formats.get_format("DECIMAL_SEPARATOR")
    if (thousands, decimal) == (",", "."):
        return text
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def compact(value: float) -> str:
    """An axis label: 1,500 stays; 12,000 is 12k; 3,400,000 is 3.4M."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e4, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}".removesuffix(".0") + suffix
    return number(value)


def text_width(text: str, size: int = FONT) -> float:
    """Roughly how wide ``text`` is in viewBox units (about 0.6 em a character in a sans-serif)."""
    return len(text) * size * 0.6


def short(text, limit: int = 16) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def colour(n: int) -> str:
    return PALETTE[n % len(PALETTE)]


def texture_id(key: str, n: int) -> str | None:
    """The id of series ``n``'s texture pattern, or None for the solid one."""
    return None if PATTERNS[n % len(PATTERNS)] == "solid" else f"{key}-p{n}"


def _pattern(pattern_id: str, n: int) -> SafeString:
    return format_html(
        '<pattern id="{}" width="8" height="8" patternUnits="userSpaceOnUse">{}</pattern>',
        pattern_id,
        mark_safe(TEXTURES[PATTERNS[n % len(PATTERNS)]]),  # noqa: S308 (a constant of this module)
    )


def defs(key: str, count: int) -> SafeString:
    """One texture <pattern> per series that has one (the white marks only: the colour is its own shape)."""
    found = [_pattern(texture_id(key, n), n) for n in range(count) if texture_id(key, n)]
    return mark_safe("<defs>" + "".join(found) + "</defs>" if found else "")  # noqa: S308 (format_html)


def textured_rect(key: str, n: int, x, y, width, height, tip: str) -> SafeString:
    """A rectangle in series ``n``'s colour with its texture over it; ``tip`` shows on hover."""
    box = format_html(
        'x="{}" y="{}" width="{}" height="{}"', round(x, 2), round(y, 2), round(width, 2), round(height, 2)
    )
    pattern = texture_id(key, n)
    over = format_html('<rect {} fill="url(#{})"/>', box, pattern) if pattern else ""
    return format_html('<g><title>{}</title><rect {} fill="{}"/>{}</g>', tip, box, colour(n), over)


def rtl(text) -> bool:
    """Whether ``text`` holds a right-to-left letter (Arabic, Hebrew, Syriac, Thaana, N'Ko...)."""
    return any("\u0590" <= char <= "\u08ff" or "\ufb1d" <= char <= "\ufefc" for char in str(text))


# A right-to-left text's anchor, so it ends at the same x: SVG reads start and end along its direction.
FLIPPED = {"start": "end", "end": "start", "middle": "middle"}


def label(
    x, y, text: str, *, size: int = FONT, anchor: str = "middle", fill: str = INK, halo=True
) -> SafeString:
    """Text, readable over bars and lines: a white outline drawn first, then the text itself. The drawing is
    laid out left to right (frame() says so); a text with right-to-left letters is written right to left with
    the anchor flipped, so it ends where a left-to-right one would and reads in its own order."""
    if rtl(text):
        common = format_html(
            'x="{}" y="{}" text-anchor="{}" font-size="{}" direction="rtl" unicode-bidi="embed"',
            round(x, 1),
            round(y, 1),
            FLIPPED[anchor],
            size,
        )
    else:
        common = format_html(
            'x="{}" y="{}" text-anchor="{}" font-size="{}"', round(x, 1), round(y, 1), anchor, size
        )
    under = (
        format_html(
            '<text {} fill="#fff" stroke="#fff" stroke-width="3" stroke-linejoin="round" aria-hidden="true">'
            "{}</text>",
            common,
            text,
        )
        if halo
        else ""
    )
    return format_html('{}<text {} fill="{}">{}</text>', under, common, fill, text)


def frame(key: str, title: str, description: str, height: float, body, n_series: int) -> SafeString:
    return format_html(
        # direction="ltr": the axes and numbers keep their places on a right-to-left page (label() turns
        # each right-to-left text itself).
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{} {}" '
        'direction="ltr" xmlns="http://www.w3.org/2000/svg" focusable="false" '
        'preserveAspectRatio="xMinYMin meet" '
        'font-family="Trackii Sans, system-ui, sans-serif">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}{}</svg>',
        WIDTH,
        round(height),
        f"{key}-svg-title",
        f"{key}-svg-desc",
        f"{key}-svg-title",
        title,
        f"{key}-svg-desc",
        description,
        defs(key, n_series),
        mark_safe("".join(body)),  # noqa: S308 (every part built with format_html)
    )


def empty_note(y: float, words: str) -> SafeString:
    return label(WIDTH / 2, y, words, fill=MUTED, halo=False)


@dataclass(frozen=True)
class Scale:
    """A value axis: ``low`` (zero or below) to ``high``, drawn between ``top`` and ``bottom`` (SVG y)."""

    low: float
    high: float
    step: float
    top: float
    bottom: float

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * (value - self.low) / ((self.high - self.low) or 1)

    def grid(self, left: float, right: float) -> list[SafeString]:
        """Horizontal lines at each step with their value to the left; the zero line darker."""
        lines, n = [], 0
        while (value := self.low + n * self.step) <= self.high + self.step / 1000:
            y = round(self.y(value), 1)
            lines.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
                    left,
                    y,
                    right,
                    y,
                    MUTED if value == 0 else LINE,
                )
            )
            lines.append(label(left - 6, y + FONT / 3, compact(value), anchor="end", fill=MUTED, halo=False))
            n += 1
        return lines


def scale(values, *, top: float, bottom: float, maximum: float | None = None) -> Scale:
    """A scale with round steps (1, 2 or 5 times a power of ten) covering zero and every value."""
    known = [v for v in values if v is not None]
    high = maximum if maximum is not None else max([*known, 0])
    low = min([*known, 0])
    span = (high - low) or 1
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1) if all(float(v).is_integer() for v in known) else step
    return Scale(
        low=math.floor(low / step) * step,
        high=max(math.ceil(high / step) * step, step),
        step=step,
        top=top,
        bottom=bottom,
    )


def axis_labels(categories, *, left: float, slot: float, y: float) -> list[SafeString]:
    """Category names under the plot; with many narrow slots only every few (the table has all)."""
    longest = max((len(short(c)) for c in categories), default=1)
    room = min(longest, 16) * FONT * 0.6 + 8
    step = max(1, math.ceil(room / max(slot, 1)))
    limit = max(4, int(slot * step / (FONT * 0.6)) - 1)
    shown, end = [], float("-inf")
    for n, category in enumerate(categories):
        if n % step == 0:
            text = short(category, min(16, limit))
            half = text_width(text) / 2  # kept inside the drawing: the last day's name is not cut off
            x = min(max(left + slot * (n + 0.5), half), WIDTH - half)
            if x - half >= end + 4:  # and never over the name before it
                shown.append(label(x, y, text, halo=False))
                end = x + half
    return shown


def swatch(key: str, n: int, shape: str = "box") -> SafeString:
    """The legend's mark for series ``n`` ("box": bars, "point": a line, "mark": a timeline lane), drawn as
    the chart draws it: its own small SVG with its own pattern (a pattern in another <svg> does not reach it
    in every renderer)."""
    pattern = texture_id(key, n)
    if shape == "box":
        inner = format_html('<rect width="16" height="16" fill="{}"/>', colour(n))
        if pattern:
            inner = format_html(
                '<defs>{}</defs>{}<rect width="16" height="16" fill="url(#{})"/>',
                _pattern(f"{pattern}-legend", n),
                inner,
                f"{pattern}-legend",
            )
    elif shape == "mark":
        inner = marker(n, 8, 8)
    else:
        inner = format_html(
            '<line x1="0" y1="8" x2="28" y2="8" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>{}',
            colour(n),
            dash(n),
            marker(n, 14, 8),
        )
    width = 28 if shape == "point" else 16
    return format_html(
        '<svg width="{}" height="16" viewBox="0 0 {} 16" aria-hidden="true" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        width,
        width,
        inner,
    )


def dash(n: int) -> str:
    return ("", "8 4", "2 3", "10 3 2 3", "4 4", "12 5")[n % 6]


def marker(n: int, x: float, y: float) -> SafeString:
    """Series ``n``'s point: a circle, square, diamond or triangle in its colour, outlined in white."""
    kind = n % 4
    x, y = round(x, 1), round(y, 1)
    attrs = format_html('fill="{}" stroke="#fff" stroke-width="1.5"', colour(n))
    if kind == 0:
        return format_html('<circle cx="{}" cy="{}" r="5.5" {}/>', x, y, attrs)
    if kind == 1:
        return format_html('<rect x="{}" y="{}" width="10" height="10" {}/>', x - 5, y - 5, attrs)
    if kind == 2:
        return format_html('<path d="M{},{} l6.5,6.5 l-6.5,6.5 l-6.5,-6.5 z" {}/>', x, y - 6.5, attrs)
    return format_html('<path d="M{},{} l6.5,11 h-13 z" {}/>', x, y - 6.5, attrs)
