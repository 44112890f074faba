"""Charts drawn on the server as accessible SVG, each with the table of its numbers.

Why a small module of our own rather than a chart library: docs/decisions/0021-charts.md. A chart is built
from plain numbers by one of the functions below (``bar_chart``, ``line_chart``, ``funnel_chart``,
``timeline_chart``) and shown with ``{% include "charts/figure.html" with chart=chart %}``, which puts the SVG
(``role="img"`` with a <title> and <desc>), a legend in words and the table of every number in one <figure>.
The same include works in the PDFs (WeasyPrint draws inline SVG).

Readable without colour: every series has its own fill pattern as well as its colour, bars carry their value
as text where there is room, and the table says everything the picture does. No script, no style attribute
(the CSP allows neither inline), nothing loaded from anywhere.

A value of ``None`` is withheld (a small count suppressed so that nobody can be singled out): nothing is drawn
for it, and the table says "withheld".
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
WITHHELD = "withheld"

# Colour and pattern per series, in order: distinguishable in greyscale and by colour-blind readers
# (the patterns carry the difference; the colours come from the page's palette).
PALETTE = ("#1f4e5f", "#d9a441", "#a23b2a", "#5b7f3a", "#6c5a8e", "#55616a", "#2a7f8f", "#8a5a2b")
PATTERNS = ("solid", "diagonal", "dots", "cross", "horizontal", "vertical", "diagonal-back", "grid")


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
        return [[WITHHELD if value is None else value for value in row] for row in self.rows]


@dataclass(frozen=True)
class Chart:
    key: str  # unique on its page: the SVG's ids and the CSV's name come from it
    title: str
    description: str  # the plain-language reading of the chart, also its <desc>
    table: Table
    svg: SafeString
    legend: tuple[tuple[str, str, str], ...] = field(default=())  # (name, colour, pattern id)

    @property
    def title_id(self) -> str:
        return f"chart-{self.key}-title"


def _number(value) -> str:
    if value is None:
        return WITHHELD
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def _defs(key: str, count: int) -> SafeString:
    """One <pattern> per series: its colour with a light texture, so that series differ without colour."""
    parts = []
    for n in range(count):
        colour, pattern = PALETTE[n % len(PALETTE)], PATTERNS[n % len(PATTERNS)]
        texture = {
            "solid": "",
            "diagonal": '<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#fff" stroke-width="1.5"/>',
            "diagonal-back": '<path d="M-1,7 l2,2 M0,0 l8,8 M7,-1 l2,2" stroke="#fff" stroke-width="1.5"/>',
            "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
            "cross": '<path d="M0,4 h8 M4,0 v8" stroke="#fff" stroke-width="1.2"/>',
            "horizontal": '<path d="M0,2 h8 M0,6 h8" stroke="#fff" stroke-width="1.2"/>',
            "vertical": '<path d="M2,0 v8 M6,0 v8" stroke="#fff" stroke-width="1.2"/>',
            "grid": '<path d="M0,0 h8 v8 M0,0 v8" stroke="#fff" stroke-width="1" fill="none"/>',
        }[pattern]
        parts.append(
            format_html(
                '<pattern id="{}" width="8" height="8" patternUnits="userSpaceOnUse">'
                '<rect width="8" height="8" fill="{}"/>{}</pattern>',
                f"{key}-p{n}",
                colour,
                mark_safe(texture),  # noqa: S308 (a constant of this module)
            )
        )
    return mark_safe("<defs>" + "".join(parts) + "</defs>")  # noqa: S308 (built with format_html)


def _fill(key: str, n: int) -> str:
    """How series ``n`` is painted: its pattern, or its plain colour where the pattern is solid (a tiled
    pattern shows hairline seams in some PDF viewers, poppler's among them)."""
    if PATTERNS[n % len(PATTERNS)] == "solid":
        return PALETTE[n % len(PALETTE)]
    return f"url(#{key}-p{n})"


def _svg(key: str, title: str, description: str, height: int, body: str, n_series: int) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{} {}" '
        'xmlns="http://www.w3.org/2000/svg" focusable="false" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}{}</svg>',
        WIDTH,
        height,
        f"{key}-svg-title",
        f"{key}-svg-desc",
        f"{key}-svg-title",
        title,
        f"{key}-svg-desc",
        description,
        _defs(key, n_series),
        mark_safe(body),  # noqa: S308 (every part built with format_html)
    )


def _legend(key: str, series) -> tuple[tuple[str, str, str], ...]:
    return tuple((s.name, PALETTE[n % len(PALETTE)], f"{key}-p{n}") for n, s in enumerate(series))


def _top(values) -> float:
    return max([v for v in values if v is not None] + [0]) or 1


def _label_slots(categories, width: float, top_y: int) -> list[str]:
    """Category names under the plot; with many narrow slots only every few (the table has all)."""
    step = max(1, -(-70 // max(int(width), 1)))
    return [
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#1c2429">{}</text>',
            round(width * (n + 0.5), 1),
            top_y,
            _short(category),
        )
        for n, category in enumerate(categories)
        if n % step == 0
    ]


def _halo_text(x, y, text: str, *, size: int = 11) -> SafeString:
    """A value drawn over bars and lines: dark text on a white outline, so it reads on any fill. The outline
    is its own copy underneath, not ``paint-order``, which WeasyPrint ignores (it would stroke the white
    over the letters and blank them out in the PDFs)."""
    return format_html(
        '<text x="{x}" y="{y}" text-anchor="middle" font-size="{size}" fill="none" stroke="#fff" '
        'stroke-width="3" stroke-linejoin="round" aria-hidden="true">{text}</text>'
        '<text x="{x}" y="{y}" text-anchor="middle" font-size="{size}" fill="#1c2429">{text}</text>',
        x=x,
        y=y,
        size=size,
        text=text,
    )


def _short(text: str, limit: int = 16) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    categories,
    series,
    unit: str,
    stacked: bool = False,
    category_label: str = "",
) -> Chart:
    """Vertical bars per category: side by side for each series, or stacked when ``stacked``."""
    categories, series = list(categories), list(series)
    plot_h, label_h = 200, 34
    height = plot_h + label_h + 10
    slot = WIDTH / max(len(categories), 1)
    if stacked:
        totals = [sum(s.values[n] or 0 for s in series) for n in range(len(categories))]
        top = _top(totals)
    else:
        top = _top([v for s in series for v in s.values])
    parts = [format_html('<line x1="0" y1="{}" x2="{}" y2="{}" stroke="#55616a"/>', plot_h, WIDTH, plot_h)]
    for n in range(len(categories)):
        gap = min(slot * 0.2, 12)
        x0 = n * slot + gap / 2
        base = plot_h
        width = (slot - gap) if stacked else (slot - gap) / max(len(series), 1)
        for s_n, s in enumerate(series):
            value = s.values[n]
            if value is None and not stacked and width >= 40:
                # Said where the bar would be, so that a withheld count is not read as none.
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="#55616a">{}</text>',
                        round(x0 + s_n * width + width / 2, 1),
                        plot_h - 6,
                        WITHHELD,
                    )
                )
            if value is None or value <= 0:
                continue
            h = plot_h * value / top
            x = x0 if stacked else x0 + s_n * width
            y = base - h if stacked else plot_h - h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff" '
                    'stroke-width="0.5"><title>{}: {} {}</title></rect>',
                    round(x, 2),
                    round(y, 2),
                    round(width, 2),
                    round(h, 2),
                    _fill(key, s_n),
                    categories[n],
                    s.name,
                    _number(value),
                )
            )
            if h >= 14 and width >= 18:
                parts.append(_halo_text(round(x + width / 2, 1), round(y + 12, 1), _number(value)))
            if stacked:
                base -= h
    parts.extend(_label_slots(categories, slot, plot_h + 16))
    columns = (category_label or "Category", *(s.name for s in series))
    rows = tuple((category, *(s.values[n] for s in series)) for n, category in enumerate(categories))
    if stacked:
        columns = (*columns, "Total")
        rows = tuple((*row, _total(row[1:])) for row in rows)
    return Chart(
        key=key,
        title=title,
        description=description,
        table=Table(caption=f"{title} ({unit})", columns=columns, rows=rows),
        svg=_svg(key, title, description, height, "".join(parts), len(series)),
        legend=_legend(key, series),
    )


def _total(values):
    known = [v for v in values if v is not None]
    return None if len(known) < len(values) else sum(known)


def line_chart(
    *,
    key: str,
    title: str,
    description: str,
    categories,
    series,
    unit: str,
    maximum: float | None = None,
    category_label: str = "",
) -> Chart:
    """A line per series across the categories (e.g. retention in % per workshop); points carry markers
    of the series' pattern and their value, so lines are told apart without colour."""
    categories, series = list(categories), list(series)
    plot_h = 200
    height = plot_h + 44
    slot = WIDTH / max(len(categories), 1)
    top = maximum or _top([v for s in series for v in s.values])
    parts = [format_html('<line x1="0" y1="{}" x2="{}" y2="{}" stroke="#55616a"/>', plot_h, WIDTH, plot_h)]
    for s_n, s in enumerate(series):
        colour = PALETTE[s_n % len(PALETTE)]
        points = [
            (round(slot * (n + 0.5), 1), round(plot_h - (plot_h - 16) * value / top, 1), value)
            for n, value in enumerate(s.values)
            if value is not None
        ]
        if len(points) > 1:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
                    'stroke-dasharray="{}"/>',
                    " ".join(f"{x},{y}" for x, y, _ in points),
                    colour,
                    "" if s_n == 0 else f"{4 + 2 * s_n} 3",
                )
            )
        for x, y, value in points:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="10" height="10" fill="{}" stroke="{}">'
                    "<title>{}: {}</title></rect>{}",
                    x - 5,
                    y - 5,
                    _fill(key, s_n),
                    colour,
                    s.name,
                    _number(value),
                    _halo_text(x, max(y - 9, 10), _number(value)),
                )
            )
    parts.extend(_label_slots(categories, slot, plot_h + 16))
    return Chart(
        key=key,
        title=title,
        description=description,
        table=Table(
            caption=f"{title} ({unit})",
            columns=(category_label or "Category", *(s.name for s in series)),
            rows=tuple((c, *(s.values[n] for s in series)) for n, c in enumerate(categories)),
        ),
        svg=_svg(key, title, description, height, "".join(parts), len(series)),
        legend=_legend(key, series),
    )


def funnel_chart(*, key: str, title: str, description: str, stages, counts, unit: str) -> Chart:
    """Horizontal bars, one per stage in order, each as long as its count, centred like a funnel."""
    stages, counts = list(stages), list(counts)
    row_h, label_w = 34, 220
    height = row_h * len(stages) + 8
    top = _top(counts)
    room = WIDTH - label_w - 10
    parts = []
    for n, (stage, count) in enumerate(zip(stages, counts, strict=True)):
        y = n * row_h + 4
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#1c2429">{}</text>',
                label_w - 8,
                y + row_h / 2 + 4,
                _short(stage, 30),
            )
        )
        if count:
            w = max(room * count / top, 2)
            x = label_w + (room - w) / 2
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                    round(x, 2),
                    y,
                    round(w, 2),
                    row_h - 8,
                    _fill(key, 0),
                    stage,
                    _number(count),
                )
            )
        parts.append(_halo_text(label_w + room / 2, y + row_h / 2 + 2, _number(count), size=12))
    return Chart(
        key=key,
        title=title,
        description=description,
        table=Table(
            caption=f"{title} ({unit})",
            columns=("Stage", unit.capitalize()),
            rows=tuple(zip(stages, counts, strict=True)),
        ),
        svg=_svg(key, title, description, height, "".join(parts), 1),
    )


def timeline_chart(*, key: str, title: str, description: str, lanes, start: dt.date, end: dt.date) -> Chart:
    """Dated marks on parallel lanes (e.g. the workshops of a series beside the official process), on one
    time axis from ``start`` to ``end``; each lane's marks have their own shape."""
    lanes = list(lanes)
    lane_h, label_w = 46, 150
    height = lane_h * len(lanes) + 30
    span = max((end - start).days, 1)
    room = WIDTH - label_w - 16
    parts = []
    for n, lane in enumerate(lanes):
        y = n * lane_h + lane_h / 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#1c2429">{}</text>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d9d4c8"/>',
                label_w - 8,
                y + 4,
                _short(lane.name, 22),
                label_w,
                y,
                WIDTH - 8,
                y,
            )
        )
        for mark in lane.marks:
            x = round(label_w + 8 + room * (mark.on - start).days / span, 1)
            shape = (
                format_html('<circle cx="{}" cy="{}" r="6"', x, y)
                if n % 2 == 0
                else format_html(
                    '<rect x="{}" y="{}" width="11" height="11" transform="rotate(45 {} {})"',
                    x - 5.5,
                    y - 5.5,
                    x,
                    y,
                )
            )
            parts.append(
                format_html(
                    '{} fill="{}" stroke="{}"><title>{}: {}</title>{}',
                    shape,
                    _fill(key, n),
                    PALETTE[n % len(PALETTE)],
                    mark.on.isoformat(),
                    mark.label,
                    mark_safe("</circle>" if n % 2 == 0 else "</rect>"),  # noqa: S308 (a constant)
                )
            )
    axis_y = lane_h * len(lanes) + 18
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="11" fill="#55616a">{}</text>'
            '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#55616a">{}</text>',
            label_w + 8,
            axis_y,
            start.strftime("%-d %b %Y"),
            WIDTH - 8,
            axis_y,
            end.strftime("%-d %b %Y"),
        )
    )
    rows = sorted(
        ((mark.on, lane.name, mark.label) for lane in lanes for mark in lane.marks), key=lambda row: row[0]
    )
    return Chart(
        key=key,
        title=title,
        description=description,
        table=Table(caption=title, columns=("Date", "Lane", "What"), rows=tuple(rows)),
        svg=_svg(key, title, description, height, "".join(parts), len(lanes)),
        legend=tuple((lane.name, PALETTE[n % len(PALETTE)], f"{key}-p{n}") for n, lane in enumerate(lanes)),
    )


__all__ = [
    "WITHHELD",
    "Chart",
    "Lane",
    "Mark",
    "Series",
    "Table",
    "bar_chart",
    "funnel_chart",
    "line_chart",
    "timeline_chart",
]
