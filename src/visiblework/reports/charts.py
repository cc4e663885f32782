"""A small server-side SVG line chart (no JavaScript), with a text alternative."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from visiblework.core import formats


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
