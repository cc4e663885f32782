"""Server-rendered SVG bar charts: no JavaScript, every text escaped, a title and a
description for screen readers; pages always show the same numbers in a table beside."""

from __future__ import annotations

import re
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
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {width} '
        f'{height}" width="100%" class="chart" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_describe(rows, series, unit))}</desc>',
    ]
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
    parts.append("</svg>")
    svg = "".join(parts)
    if rtl:
        svg = _mirror(svg, width)
    return mark_safe(svg)  # noqa: S308 - every text above is escaped


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
