"""Bars: vertical bars per category (side by side or stacked) and the horizontal bars of a funnel."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trackii.charts.base import (
    FONT,
    INK,
    WIDTH,
    Chart,
    Table,
    axis_labels,
    colour,
    compact,
    empty_note,
    format_html,
    frame,
    label,
    number,
    scale,
    short,
    swatch,
    text_width,
    textured_rect,
    withheld_word,
)

PLOT_TOP, PLOT_BOTTOM = 22, 230
DASH = "\u2013"  # an en dash  # room above the plot for the value of the tallest bar


def _total(values):
    known = [v for v in values if v is not None]
    return None if len(known) < len(values) else sum(known)


def _withheld_mark(room: float) -> str:
    """What a bar's place shows when its count is withheld: the word if it fits, else a dash."""
    word = withheld_word()
    return word if text_width(word) <= room else DASH


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
    """Vertical bars per category: side by side for each series, or stacked when ``stacked`` (whose total
    stands above each stack). A value axis with round steps at the left; a negative value hangs below zero
    (stacked bars add up counts: a negative part of a stack is left out of the picture, not the table)."""
    categories, series = list(categories), list(series)
    columns = (category_label or _("Category"), *(s.name for s in series))
    rows = tuple((category, *(s.values[n] for s in series)) for n, category in enumerate(categories))
    if stacked:
        columns = (*columns, _("Total"))
        rows = tuple((*row, _total(row[1:])) for row in rows)
        heights = [sum(max(v or 0, 0) for v in row[1:-1]) for row in rows]
    else:
        heights = [v for s in series for v in s.values]
    axis = scale(heights, top=PLOT_TOP, bottom=PLOT_BOTTOM)
    left = max(text_width(compact(v)) for v in (axis.low, axis.high)) + 10
    slot = (WIDTH - left) / max(len(categories), 1)
    gap = min(slot * 0.25, 16)
    group = min(slot - gap, 120 if stacked else 90 * max(len(series), 1))
    each = group if stacked else group / max(len(series), 1)
    zero = axis.y(0)
    parts = axis.grid(left, WIDTH)
    drawn = withheld = False
    for n, category in enumerate(categories):
        x0 = left + n * slot + (slot - group) / 2
        base = zero
        # A stack of one part shows only its total above it, not the same number twice.
        parts_in_stack = sum(1 for s in series if (s.values[n] or 0) > 0)
        for s_n, s in enumerate(series):
            value = s.values[n]
            x = x0 if stacked else x0 + s_n * each
            if value is None:
                withheld = True
                if not stacked:
                    parts.append(label(x + each / 2, zero - 5, _withheld_mark(each + gap)))
                continue
            if value == 0 or (stacked and value < 0):
                continue
            drawn = True
            y_top, y_bottom = (
                (base - (zero - axis.y(value)), base) if stacked else sorted((axis.y(value), zero))
            )
            tip = f"{category}: {s.name} {number(value)}"
            parts.append(textured_rect(key, s_n, x, y_top, each, y_bottom - y_top, tip))
            text = number(value)
            # Values only where bars are wide enough to read them apart (the table has every one).
            fits = slot >= 24 and text_width(text) <= each + (0 if stacked else gap * 0.8)
            if stacked and fits and parts_in_stack > 1 and y_bottom - y_top >= FONT + 4:
                parts.append(label(x + each / 2, y_top + FONT + 1, text))
            elif not stacked and fits:
                parts.append(label(x + each / 2, y_top - 5 if value > 0 else y_bottom + FONT + 2, text))
            if stacked:
                base = y_top
        if stacked:
            total = rows[n][-1]
            text = _withheld_mark(slot - 2) if total is None else number(total)
            if slot >= 24 and (total is None or text_width(text) <= slot - 2):
                parts.append(label(x0 + group / 2, base - 5, text))
    parts.append(
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', left, zero, WIDTH, zero, INK)
    )
    if not drawn:
        parts.append(empty_note((PLOT_TOP + PLOT_BOTTOM) / 2, _nothing(withheld)))
    parts.extend(axis_labels(categories, left=left, slot=slot, y=axis.bottom + FONT + 8))
    return Chart(
        key=key,
        title=title,
        description=description,
        table=Table(caption=f"{title} ({unit})", columns=columns, rows=rows),
        svg=frame(key, title, description, PLOT_BOTTOM + FONT + 18, parts, len(series)),
        legend=tuple((s.name, colour(n), f"{key}-p{n}") for n, s in enumerate(series)),
        swatches=tuple(swatch(key, n) for n in range(len(series))),
        withheld=withheld,
    )


def _nothing(withheld: bool) -> str:
    return (
        gettext("Nothing to draw: every value is withheld or zero")
        if withheld
        else gettext("Nothing to draw: every value is zero")
    )


def funnel_chart(*, key: str, title: str, description: str, stages, counts, unit: str) -> Chart:
    """Horizontal bars, one per stage in order, each as long as its count, centred like a funnel; each
    says its count and its share of the first stage."""
    stages, counts = list(stages), list(counts)
    row_h, label_w = 38, 230
    height = row_h * len(stages) + 8
    top = max([c for c in counts if c is not None] + [0]) or 1
    first = counts[0] if counts else None
    room = WIDTH - label_w - 10
    parts = []
    for n, (stage, count) in enumerate(zip(stages, counts, strict=True)):
        y = n * row_h + 4
        middle = y + (row_h - 8) / 2
        parts.append(label(label_w - 8, middle + FONT / 3, short(stage, 32), anchor="end", halo=False))
        if count:
            w = max(room * max(count, 0) / top, 2)
            parts.append(
                textured_rect(key, 0, label_w + (room - w) / 2, y, w, row_h - 8, f"{stage}: {number(count)}")
            )
        text = number(count)
        if count is not None and first:
            text += f" ({round(100 * count / first)}%)"
        # Beside its bar's end (inside a dark bar it would need a halo), or in the middle when there is none.
        end = label_w + (room + max(room * max(count or 0, 0) / top, 2)) / 2 if count else None
        if end is not None and end + 6 + text_width(text) <= WIDTH:
            parts.append(label(end + 6, middle + FONT / 3, text, anchor="start", halo=False))
        else:
            parts.append(label(label_w + room / 2, middle + FONT / 3, text))
    return Chart(
        key=key,
        title=title,
        description=description,
        table=Table(
            caption=f"{title} ({unit})",
            columns=(_("Stage"), unit[:1].upper() + unit[1:]),
            rows=tuple(zip(stages, counts, strict=True)),
        ),
        svg=frame(key, title, description, height, parts, 1),
        withheld=any(count is None for count in counts),
    )
