"""Server-rendered SVG charts, the site's one home for them: no JavaScript, every text
escaped, a title and a description for screen readers; pages always show the same numbers
in a table beside. Mirrored in right-to-left languages.

Honest scales: every bar starts at zero; shares are drawn on a 0–100% axis (wider only when
a share exceeds 100%, such as a ratio); counts and money on an axis up to a round number at
or above the largest value; every chart writes its scale (ticks with labels) and every bar
its value.

Legible on a phone: the charts have no `viewBox`, so they are never scaled down. Positions
across the chart are percentages of its width and everything else is in CSS pixels: the
chart reflows to any width and its text keeps its size (14 px, 13 px for values and ticks;
site.css, "Charts"). Horizontal bars carry their label above the bar, wrapped onto as many
lines as it needs, never cut.

- `bar_chart`: horizontal bars, grouped by row when there are several series (release
  statistics);
- `column_chart`: one column per period, such as the cases per year of the browse page;
- `line_chart`: a small line over time (a worker's own wage history).
"""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from visiblework.core import formats

PALETTE = ["#8a2d0a", "#1f5fbf", "#4d7c0f", "#7c3aed"]
MAX_ROWS = 40
WRAP = 38  # characters per line of a label: about 280 px at 14 px, within a 390 px phone
LINE_H, BAR_H, BAR_GAP, ROW_GAP, LEGEND_H, AXIS_H = 18, 18, 4, 12, 20, 22
INSIDE_FROM = 0.62  # a bar longer than this share of the axis carries its value inside


def nice_axis(top: float) -> tuple[float, float]:
    """(maximum, step) of an axis from zero that holds `top`: a step of 1, 2 or 5 × 10ⁿ
    giving at most four intervals, and the maximum the first step at or above `top`
    (14.5 → 15 in steps of 5; 7.75 → 8 in steps of 2)."""
    if top <= 0:
        return 1.0, 0.25
    magnitude = 10 ** math.floor(math.log10(top / 4))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude * 4 >= top)
    return round(step * math.ceil(top / step - 1e-9), 10), step


def share_axis(top: float) -> tuple[float, float]:
    """The axis of a percentage: 0–100% in steps of 25, wider only for a value above 100."""
    return (100.0, 25.0) if top <= 100 else nice_axis(top)


def bar_chart(rows: list[tuple[str, list[float | None]]], series: list[str], *, title: str,
              unit: str, chart_id: str, rtl: bool | None = None,
              intervals: list[tuple[float, float] | None] | None = None,
              width: int | None = None) -> SafeString:
    """Horizontal bars: one group per row label, one bar per series, each with its value
    written beside it (or inside, near the end of the axis). Percentages (`unit` "%", values
    from 0 to 100) are drawn on a 0–100% axis; other values on `nice_axis`. Missing values
    (suppressed cells) are written "not published". `intervals` (one per row, or None) are
    95% intervals of the first series, drawn as a line under its bar. In a right-to-left
    language (`rtl`, default: the active language) the chart is mirrored: bars grow from the
    right. `width` is ignored (kept for callers written before): a chart takes the width of
    its box."""
    if rtl is None:
        rtl = get_language_bidi()
    rows = rows[:MAX_ROWS]
    if not rows:
        return mark_safe("")  # noqa: S308
    intervals = (intervals or [])[:len(rows)]
    intervals += [None] * (len(rows) - len(intervals))
    top = max([v for _label, values in rows for v in values if v is not None]
              + [high for interval in intervals if interval for high in interval[1:]],
              default=0.0)
    axis_max, step = share_axis(top) if unit == "%" else nice_axis(top)
    ticks = [step * i for i in range(round(axis_max / step) + 1)]
    body: list[str] = []
    y = 0
    if len(series) > 1:
        for i, name in enumerate(series):
            body.append(_rect(0, 0, y + 3, 12, rtl, fill=PALETTE[i % 4], px_w=12)
                        + _text(0, y + 14, name, rtl, dx=18, css="legend"))
            y += LEGEND_H
        y += 4
    if any(intervals):
        # xgettext:no-python-format
        note = _("The line under a bar is its 95% interval.")
        body.append(_text(0, y + 14, note, rtl, dx=2, css="legend"))
        y += LEGEND_H + 4
    plot_top = y
    for (label, values), interval in zip(rows, intervals, strict=True):
        for line in _wrap(label):
            body.append(_text(0, y + 14, line, rtl, dx=2, css="label"))
            y += LINE_H
        y += 3
        for s, value in enumerate(values):
            if value is None:
                body.append(_text(0, y + 13, _("not published"), rtl, dx=2, css="value muted"))
            else:
                share = max(value, 0) / axis_max
                body.append(_rect(0, share, y, BAR_H, rtl, fill=PALETTE[s % 4]))
                inside = share > INSIDE_FROM
                body.append(_text(share, y + 13, _fmt(value, unit), rtl,
                                  dx=-5 if inside else 5, anchor="end" if inside else "start",
                                  css="value inside" if inside else "value"))
                if s == 0 and interval:
                    low, high = (max(v, 0) / axis_max for v in interval)
                    body.append(_whisker(low, high, y + BAR_H + 5, rtl))
                    y += 10
            y += BAR_H + BAR_GAP
        y += ROW_GAP
    axis_y = y
    grid = [f'<line x1="{_pos(t / axis_max, rtl)}" x2="{_pos(t / axis_max, rtl)}" '
            f'y1="{plot_top}" y2="{axis_y}" class="grid"/>' for t in ticks]
    grid.append(f'<line x1="0" x2="100%" y1="{axis_y}" y2="{axis_y}" class="axis"/>')
    labels = [_tick(t, step, unit) for t in ticks]
    for i in _labelled(labels):
        anchor = "start" if i == 0 else "end" if i == len(ticks) - 1 else "middle"
        grid.append(_text(ticks[i] / axis_max, axis_y + 16, labels[i], rtl, anchor=anchor,
                          css="tick"))
    height = axis_y + AXIS_H
    description = (_describe(rows, series, unit, intervals) + " "
                   + _scale_sentence(axis_max, step, unit))
    return _finish(_start(chart_id, "barchart", height, title, description, rtl)
                   + grid + body)


NARROWEST = 320  # px: the width at which tick labels must still not touch
TICK_CHAR = 7.5  # px: about the width of a character of a tick label


def _labelled(labels: list[str]) -> list[int]:
    """Which ticks get their label: all of them when there is room at the narrowest width
    (an end label takes its full width inwards, its neighbour half of its own), else every
    other one, or only the two ends."""
    last = len(labels) - 1
    room = NARROWEST / max(last, 1)
    if max(len(label) for label in labels) * TICK_CHAR * 1.5 <= room:
        return list(range(len(labels)))
    if last % 2 == 0:
        return list(range(0, last + 1, 2))
    return [0, last]


def _whisker(low: float, high: float, y: float, rtl: bool) -> str:
    """An interval from `low` to `high` (shares of the width): a line with an upright at
    each end."""
    x1, x2 = _pos(low, rtl), _pos(high, rtl)
    return (f'<g class="interval"><line x1="{x1}" x2="{x2}" y1="{y:g}" y2="{y:g}"/>'
            f'<line x1="{x1}" x2="{x1}" y1="{y - 4:g}" y2="{y + 4:g}"/>'
            f'<line x1="{x2}" x2="{x2}" y1="{y - 4:g}" y2="{y + 4:g}"/></g>')


def _pos(share: float, rtl: bool) -> str:
    """A position across the chart, as a percentage of its width, mirrored right to left."""
    return f"{(1 - share if rtl else share) * 100:.2f}%"


def _rect(start: float, share: float, y: float, height: float, rtl: bool, *, fill: str = "",
          css: str = "", px_w: float | None = None) -> str:
    """A rectangle from `start` over `share` of the width (or over `px_w` pixels)."""
    width = f"{px_w:g}" if px_w is not None else f"{share * 100:.2f}%"
    if rtl:
        # its right edge at the mirrored start; a fixed width in pixels is moved back by it
        x = f"{(1 - start - (0 if px_w is not None else share)) * 100:.2f}%"
        shift = f' transform="translate(-{px_w:g} 0)"' if px_w is not None else ""
    else:
        x, shift = f"{start * 100:.2f}%", ""
    paint = f' fill="{fill}"' if fill else ""
    klass = f' class="{css}"' if css else ""
    return f'<rect x="{x}" y="{y:g}" width="{width}" height="{height:g}"{paint}{klass}{shift}/>'


def _text(share: float, y: float, text: str, rtl: bool, *, dx: float = 0,
          anchor: str = "start", css: str = "") -> str:
    """A text at a position across the chart, `dx` pixels further along the reading
    direction; `anchor` is logical (start is the right end in a right-to-left chart)."""
    shift = f' dx="{-dx if rtl else dx:g}"' if dx else ""
    klass = f' class="{css}"' if css else ""
    return (f'<text x="{_pos(share, rtl)}" y="{y:g}"{shift} text-anchor="{anchor}"{klass}>'
            f"{escape(text)}</text>")


def _wrap(label: str, limit: int = WRAP) -> list[str]:
    """A label cut into lines of at most `limit` characters between words (a longer word
    keeps a line of its own): every word is shown."""
    lines: list[str] = []
    line = ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def _start(chart_id: str, css: str, height: int, title: str, description: str,
           rtl: bool) -> list[str]:
    """The opening of a chart: its box (the full width, `height` pixels, no viewBox so that
    nothing is scaled), and its title and description for screen readers."""
    opening, ltr = (('<svg direction="rtl" role="img"', "") if rtl
                    else ('<svg role="img"', ' direction="ltr"'))
    return [
        f'{opening} aria-labelledby="{chart_id}-t {chart_id}-d" width="100%" '
        f'height="{height}" class="{css}"{ltr} font-size="14" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]


def _finish(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in the parts is escaped


def _fmt(value: float, unit: str) -> str:
    """A bar's value as the tables beside the chart write it, in the reader's language: a
    percentage ("%"), an amount of money (a currency code such as "USD"), else a number."""
    if unit == "%":
        return formats.percent(value / 100)
    if _is_currency(unit):
        return formats.money(value, unit)
    return f"{formats.number(value, 2)} {unit}".strip()


def _is_currency(unit: str) -> bool:
    return len(unit) == 3 and unit.isalpha() and unit.isupper()


def _tick(value: float, step: float, unit: str) -> str:
    """An axis label: as round as the step allows."""
    digits = 0 if float(step).is_integer() else 2
    if unit == "%":
        return formats.percent(value / 100)
    if _is_currency(unit):
        return formats.money(value, unit, digits=digits)
    return f"{formats.number(value, digits)} {unit}".strip()


def _scale_sentence(axis_max: float, step: float, unit: str) -> str:
    return _("Scale from %(low)s to %(high)s.") % {"low": _tick(0, step, unit),
                                                   "high": _tick(axis_max, step, unit)}


def _describe(rows, series, unit, intervals=None) -> str:
    bits = []
    for r, (label, values) in enumerate(rows[:12]):
        shown = formats.join([f"{name} {_fmt(v, unit) if v is not None else _('not published')}"
                              for name, v in zip(series, values, strict=False)])
        interval = intervals[r] if intervals else None
        if interval:
            shown += " " + _("(95%% interval %(low)s to %(high)s)") % {
                "low": _fmt(interval[0], unit), "high": _fmt(interval[1], unit)}
        bits.append(f"{label}: {shown}")
    more = " …" if len(rows) > 12 else ""
    return "; ".join(bits) + more + "."


MAX_COLUMNS = 201  # e.g. every year from 1900 to 2100
LABEL_SLOTS = 6  # labels under the columns: room for six at the narrowest width (300 px)


def column_chart(points: list[tuple[str, int]], *, title: str, description: str, chart_id: str,
                 height: int = 150, rtl: bool | None = None,
                 width: int | None = None) -> SafeString:
    """Vertical columns, one per (label, count), from zero, in the given order (mirrored in a
    right-to-left language), on an axis up to a round number (`nice_axis`) whose ticks are
    labelled. The first and last labels are written under the axis, and labels in between
    where there is room at any width. `description` is the text alternative read out with
    the title. `width` is ignored: the chart takes the width of its box."""
    if rtl is None:
        rtl = get_language_bidi()
    points = points[-MAX_COLUMNS:]
    if not points:
        return mark_safe("")  # noqa: S308
    top_pad, bottom_pad = 16, 20
    plot_h = height - top_pad - bottom_pad
    base = top_pad + plot_h
    step = 1 / len(points)
    axis_max, tick_step = nice_axis(max(count for _label, count in points))
    ticks = [t for t in (tick_step * i for i in range(round(axis_max / tick_step) + 1))
             if float(t).is_integer()]
    every = max(1, -(-len(points) // LABEL_SLOTS))
    parts = _start(chart_id, "colchart", height, title, description, rtl)
    for t in ticks:
        y = base - t / axis_max * plot_h
        parts.append(f'<line x1="0" x2="100%" y1="{y:.1f}" y2="{y:.1f}" '
                     f'class="{"axis" if t == 0 else "grid"}"/>')
    for i, (label, count) in enumerate(points):
        if count:
            h = max(count / axis_max * plot_h, 1)
            parts.append(_rect(i * step + step * 0.1, step * 0.8, base - h, h, rtl, css="bar"))
        last = i == len(points) - 1
        if (i % every == 0 and len(points) - 1 - i >= every) or last:
            share, anchor = ((0.0, "start") if i == 0 else (1.0, "end") if last
                             else ((i + 0.5) * step, "middle"))
            parts.append(_text(share, height - 4, label, rtl, anchor=anchor, css="tick"))
    for t in ticks[1:]:  # on top of the columns, with a halo (site.css); 0 is the axis
        y = base - t / axis_max * plot_h
        parts.append(_text(0, y - 3, formats.number(t), rtl, dx=2, css="tick scale"))
    return _finish(parts)


def line_chart(points: list[tuple[str, Decimal]], *, title: str, unit: str,
               height: int = 160, rtl: bool | None = None,
               width: int | None = None) -> SafeString:
    """Points are (label, value), amounts in the currency `unit` (an ISO code such as "USD"),
    drawn on an axis from zero to a round number (`nice_axis`) labelled in the reader's
    language. The line is drawn in a box stretched to the chart's width, its text is not
    (`width` is ignored)."""
    if rtl is None:
        rtl = get_language_bidi()
    if not points:
        return mark_safe("")  # noqa: S308
    pad_top, pad_bottom, margin = 20, 22, 0.06
    plot_h = height - pad_top - pad_bottom
    axis_max, step = nice_axis(max(float(v) for _label, v in points))
    span = max(len(points) - 1, 1)

    def share(i: int) -> float:
        return margin + (1 - 2 * margin) * (i / span if len(points) > 1 else 0.5)

    def y(value: Decimal | float) -> float:
        return pad_top + plot_h - float(value) / axis_max * plot_h

    parts = _start("chart", "linechart", height, title, _describe(
        [(label, [float(v)]) for label, v in points], [""], unit).strip(), rtl)
    for t in (0.0, axis_max):
        parts.append(f'<line x1="0" x2="100%" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                     f'class="{"axis" if t == 0 else "grid"}"/>')
        parts.append(_text(0, y(t) - 3, _tick(t, step, unit), rtl, css="tick scale"))
    # the line alone is stretched: a 0–100 box across the width, its stroke not scaled
    coords = " ".join(f"{(1 - share(i) if rtl else share(i)) * 100:.2f},{y(v):.1f}"
                      for i, (_label, v) in enumerate(points))
    parts.append(f'<svg width="100%" height="{height}" viewBox="0 0 100 {height}" '
                 f'preserveAspectRatio="none"><polyline points="{coords}" fill="none" '
                 f'class="line" vector-effect="non-scaling-stroke"/></svg>')
    every = max(1, -(-len(points) // 4))
    for i, (label, v) in enumerate(points):
        parts.append(f'<circle cx="{_pos(share(i), rtl)}" cy="{y(v):.1f}" r="3"/>')
        last = i == len(points) - 1
        if (i % every == 0 and len(points) - 1 - i >= every) or last:
            at, anchor = ((0.0, "start") if i == 0 and len(points) > 1 else (1.0, "end")
                          if last and len(points) > 1 else (share(i), "middle"))
            parts.append(_text(at, height - 4, label, rtl, anchor=anchor, css="tick"))
    return _finish(parts)
