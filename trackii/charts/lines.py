"""Lines: a line per series across categories, and dated marks on the lanes of a timeline."""

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from trackii.charts.base import (
    FONT,
    INK,
    LINE,
    MUTED,
    WIDTH,
    Chart,
    Table,
    axis_labels,
    colour,
    compact,
    dash,
    format_html,
    frame,
    label,
    marker,
    number,
    scale,
    short,
    swatch,
    text_width,
)

PLOT_TOP, PLOT_BOTTOM = 22, 230


def _runs(points):
    """Consecutive known points: a withheld value breaks the line rather than being bridged."""
    run = []
    for point in points:
        if point is None:
            if run:
                yield run
            run = []
        else:
            run.append(point)
    if run:
        yield run


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
    """A line per series across the categories (e.g. retention in % per workshop); each series has its own
    dash and point shape, so lines are told apart without colour. A withheld value is a gap in its line."""
    categories, series = list(categories), list(series)
    axis = scale([v for s in series for v in s.values], top=PLOT_TOP, bottom=PLOT_BOTTOM, maximum=maximum)
    left = max(text_width(compact(v)) for v in (axis.low, axis.high)) + 10
    slot = (WIDTH - left) / max(len(categories), 1)
    parts = axis.grid(left, WIDTH)
    withheld = False
    for s_n, s in enumerate(series):
        points = [
            None if value is None else (left + slot * (n + 0.5), axis.y(value), value)
            for n, value in enumerate(s.values)
        ]
        withheld = withheld or None in points
        for run in _runs(points):
            if len(run) > 1:
                parts.append(
                    format_html(
                        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
                        'stroke-dasharray="{}"/>',
                        " ".join(f"{round(x, 1)},{round(y, 1)}" for x, y, _ in run),
                        colour(s_n),
                        dash(s_n),
                    )
                )
        for n, point in enumerate(points):
            if point is None:
                continue
            x, y, value = point
            parts.append(
                format_html(
                    "<g><title>{}: {} {}</title>{}</g>",
                    categories[n],
                    s.name,
                    number(value),
                    marker(s_n, x, y),
                )
            )
            if text_width(number(value)) <= slot - 4:
                below = s_n % 2 == 1 and y + FONT + 10 < PLOT_BOTTOM
                parts.append(label(x, y + FONT + 8 if below else max(y - 10, FONT), number(value)))
    parts.extend(axis_labels(categories, left=left, slot=slot, y=axis.bottom + FONT + 8))
    return Chart(
        key=key,
        title=title,
        description=description,
        table=Table(
            caption=f"{title} ({unit})",
            columns=(category_label or _("Category"), *(s.name for s in series)),
            rows=tuple((c, *(s.values[n] for s in series)) for n, c in enumerate(categories)),
        ),
        svg=frame(key, title, description, PLOT_BOTTOM + FONT + 18, parts, 0),
        legend=tuple((s.name, colour(n), f"{key}-p{n}") for n, s in enumerate(series)),
        swatches=tuple(swatch(key, n, shape="point") for n in range(len(series))),
        withheld=withheld,
    )


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of months between ``start`` and ``end``, every 1, 2, 3, 6, 12 or 24 months: at most 6."""
    span = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next((m for m in (1, 2, 3, 6, 12) if span / m <= 6), 12 * (span // 72 + 1))
    day = start if start.day == 1 else dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    found = []
    while day <= end:
        if (day.year * 12 + day.month - 1) % step == 0:
            found.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return found


def timeline_chart(*, key: str, title: str, description: str, lanes, start: dt.date, end: dt.date) -> Chart:
    """Dated marks on parallel lanes (e.g. the workshops of a series beside the official process), on one
    time axis from ``start`` to ``end``; each lane's marks have their own shape and colour, and their label
    beside them where it fits (above, else below; the table has every one)."""
    lanes = list(lanes)
    lane_h, label_w = 64, 150
    plot_bottom = lane_h * len(lanes)
    span = max((end - start).days, 1)
    room = WIDTH - label_w - 24

    def x_of(day: dt.date) -> float:
        return label_w + 12 + room * (min(max(day, start), end) - start).days / span

    parts = []
    for day in _months(start, end):
        x = round(x_of(day), 1)
        parts.append(
            format_html('<line x1="{}" y1="0" x2="{}" y2="{}" stroke="{}"/>', x, x, plot_bottom, LINE)
        )
        parts.append(
            label(x, plot_bottom + FONT + 6, formats.date_format(day, "M Y"), fill=MUTED, halo=False)
        )
    for n, lane in enumerate(lanes):
        y = n * lane_h + lane_h / 2
        parts.append(label(label_w - 8, y + FONT / 3, short(lane.name, 20), anchor="end", halo=False))
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', label_w, y, WIDTH - 8, y, MUTED
            )
        )
        ends = {"above": float("-inf"), "below": float("-inf")}
        for mark in sorted(lane.marks, key=lambda m: m.on):
            x = x_of(mark.on)
            parts.append(
                format_html(
                    "<g><title>{}: {}</title>{}</g>", mark.on.isoformat(), mark.label, marker(n, x, y)
                )
            )
            text = short(mark.label, 20)
            half = text_width(text) / 2
            centre = min(max(x, label_w + half), WIDTH - half)
            for side, ty in (("above", y - 12), ("below", y + FONT + 10)):
                if centre - half > ends[side] + 6:
                    parts.append(label(centre, ty, text))
                    ends[side] = centre + half
                    break
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            label_w,
            plot_bottom,
            WIDTH,
            plot_bottom,
            INK,
        )
    )
    rows = sorted(
        ((mark.on, lane.name, mark.label) for lane in lanes for mark in lane.marks), key=lambda row: row[0]
    )
    return Chart(
        key=key,
        title=title,
        description=description,
        table=Table(caption=title, columns=(_("Date"), _("Lane"), _("What")), rows=tuple(rows)),
        svg=frame(key, title, description, plot_bottom + FONT + 14, parts, 0),
        legend=tuple((lane.name, colour(n), f"{key}-p{n}") for n, lane in enumerate(lanes)),
        swatches=tuple(swatch(key, n, shape="mark") for n in range(len(lanes))),
    )
