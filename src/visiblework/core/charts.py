"""Server-rendered SVG charts, the site's one home for them: no JavaScript, every text
escaped, a title and a description for screen readers; pages always show the same numbers
in a table beside. Bars from zero (honest scales); mirrored in right-to-left languages.

- `bar_chart`: horizontal grouped bars (release statistics);
- `column_chart`: one column per period, such as the cases per year of the browse page;
- `line_chart`: a small line over time (a worker's own wage history).
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from visiblework.core import formats

PALETTE = ["#8a2d0a", "#1f5fbf", "#4d7c0f", "#7c3aed"]
MAX_ROWS = 40


def bar_chart(rows: list[tuple[str, list[float | None]]], series: list[str], *, title: str,
              unit: str, chart_id: str, width: int = 640, rtl: bool | None = None) -> SafeString:
    """Horizontal grouped bars: one group per row label, one bar per series. Missing values
    (suppressed cells) are drawn as an empty slot with "—". In a right-to-left language
    (`rtl`, default: the active language) the chart is mirrored: labels on the right, bars
    growing leftwards, text anchored at its end."""
    if rtl is None:
        rtl = get_language_bidi()
    rows = rows[:MAX_ROWS]
    if not rows:
        return mark_safe("")  # noqa: S308
    label_w, bar_h, gap = 190, 14, 10
    group_h = bar_h * len(series) + gap
    legend_h = 22
    height = legend_h + group_h * len(rows) + 10
    top = max((v for _, values in rows for v in values if v is not None), default=1.0) or 1.0
    scale = (width - label_w - 70) / top
    parts = _start(chart_id, "chart", width, height, title, _describe(rows, series, unit))
    for i, name in enumerate(series):
        x = label_w + i * 140
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[i % 4]}"/>'
                     f'<text x="{x + 16}" y="14">{escape(name)}</text>')
    for r, (label, values) in enumerate(rows):
        y0 = legend_h + r * group_h
        parts.append(f'<text x="0" y="{y0 + bar_h}" class="label">{escape(label[:32])}</text>')
        for s, value in enumerate(values):
            y = y0 + s * bar_h
            if value is None:
                parts.append(f'<text x="{label_w}" y="{y + bar_h - 3}">—</text>')
                continue
            w = max(value * scale, 1)
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                         f'fill="{PALETTE[s % 4]}"/>'
                         f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 3}">'
                         f'{escape(_fmt(value, unit))}</text>')
    return _finish(parts, width, rtl)


def _start(chart_id: str, css: str, width: int, height: int, title: str,
           description: str) -> list[str]:
    """The opening of a chart: its box, and its title and description for screen readers."""
    return [
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {width} '
        f'{height}" width="100%" class="{css}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]


def _finish(parts: list[str], width: int, rtl: bool) -> SafeString:
    parts.append("</svg>")
    svg = "".join(parts)
    if rtl:
        svg = _mirror(svg, width)
    return mark_safe(svg)  # noqa: S308 - every text in the parts is escaped


_X = re.compile(r'(<(rect|text)\b[^>]*?) x="([\d.]+)"([^>]*?)(?: width="([\d.]+)")?([^>]*>)')


def _mirror(svg: str, width: int) -> str:
    """Flip every x coordinate for right-to-left reading. Rectangles keep their width; texts
    keep their x as their start, which in a right-to-left SVG is their right end."""

    def flip(match: re.Match) -> str:
        head, tag, x, middle, w, tail = match.groups()
        x = float(x)
        if tag == "rect":
            rect_w = float(w or re.search(r'width="([\d.]+)"', middle + tail).group(1))
            width_attr = f' width="{w}"' if w else ""
            return f'{head} x="{width - x - rect_w:.1f}"{middle}{width_attr}{tail}'
        return f'{head} x="{width - x:.1f}"{middle}{tail}'

    return _X.sub(flip, svg).replace("<svg ", '<svg direction="rtl" ', 1)


def _fmt(value: float, unit: str) -> str:
    """A bar's value as the tables beside the chart write it, in the reader's language: a
    percentage ("%"), an amount of money (a currency code such as "USD"), else a number."""
    if unit == "%":
        return formats.percent(value / 100)
    if len(unit) == 3 and unit.isalpha() and unit.isupper():
        return formats.money(value, unit)
    return f"{formats.number(value, 2)} {unit}".strip()


def _describe(rows, series, unit) -> str:
    bits = []
    for label, values in rows[:12]:
        shown = formats.join([f"{name} {_fmt(v, unit) if v is not None else _('not published')}"
                              for name, v in zip(series, values, strict=False)])
        bits.append(f"{label}: {shown}")
    more = " …" if len(rows) > 12 else ""
    return "; ".join(bits) + more


MAX_COLUMNS = 201  # e.g. every year from 1900 to 2100


def column_chart(points: list[tuple[str, int]], *, title: str, description: str, chart_id: str,
                 width: int = 480, height: int = 140, rtl: bool | None = None) -> SafeString:
    """Vertical columns, one per (label, count), from zero, in the given order (mirrored in a
    right-to-left language). The first and last labels are written under the axis, and
    labels in between where there is room; the largest count is written at the top of the
    scale. `description` is the text alternative read out with the title."""
    if rtl is None:
        rtl = get_language_bidi()
    points = points[-MAX_COLUMNS:]
    if not points:
        return mark_safe("")  # noqa: S308
    pad_x, top_pad, bottom_pad = 34, 14, 18
    plot_w, plot_h = width - 2 * pad_x, height - top_pad - bottom_pad
    step = plot_w / len(points)
    peak = max(count for _, count in points) or 1
    every = max(1, -(-len(points) * 40 // plot_w))  # at least 40 units between labels
    parts = _start(chart_id, "chart columns", width, height, title, description) + [
        f'<text x="0" y="{top_pad}">{escape(formats.number(peak))}</text>',
        f'<text x="0" y="{top_pad + plot_h}">{escape(formats.number(0))}</text>',
        f'<rect x="{pad_x}" y="{top_pad + plot_h}" width="{plot_w}" height="1" class="axis"/>',
    ]
    for i, (label, count) in enumerate(points):
        x = pad_x + i * step
        h = count / peak * plot_h
        if count:
            parts.append(f'<rect x="{x + step * 0.1:.1f}" y="{top_pad + plot_h - h:.1f}" '
                         f'width="{max(step * 0.8, 1):.1f}" height="{max(h, 1):.1f}" '
                         f'class="bar"/>')
        if i % every == 0 or i == len(points) - 1:
            if i != len(points) - 1 and len(points) - 1 - i < every:
                continue  # too close to the last label
            parts.append(f'<text x="{x + step / 2:.1f}" y="{height - 4}" text-anchor="middle">'
                         f"{escape(label)}</text>")
    return _finish(parts, width, rtl)


def line_chart(points: list[tuple[str, Decimal]], *, title: str, unit: str,
               width: int = 320, height: int = 160) -> SafeString:
    """Points are (label, value), amounts in the currency `unit` (an ISO code such as "USD").
    Values are drawn on a scale from zero; the axis is labelled in the reader's language."""
    if not points:
        return mark_safe("")  # noqa: S308
    pad_x, pad_y = 36, 20
    top = max(float(v) for _, v in points) or 1.0
    step = (width - 2 * pad_x) / max(len(points) - 1, 1)

    def xy(i: int, value: Decimal) -> tuple[float, float]:
        return (pad_x + i * step,
                height - pad_y - (float(value) / top) * (height - 2 * pad_y))

    coords = [xy(i, v) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"/>' for x, y in coords)
    labels = "".join(
        f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle">{escape(label)}</text>'
        for (x, _), (label, _) in zip(coords, points, strict=True))
    svg = (
        f'<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {width} {height}" '
        f'width="100%" class="chart" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{escape(title)}</title>'
        f'<line x1="{pad_x}" y1="{height - pad_y}" x2="{width - pad_x}" y2="{height - pad_y}" '
        f'class="axis"/>'
        f'<text x="2" y="{pad_y}">{escape(formats.money(top, unit))}</text>'
        f'<text x="2" y="{height - pad_y}">{escape(formats.money(0, unit))}</text>'
        f'<polyline points="{path}" fill="none" class="line"/>{dots}{labels}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text in it is escaped above
