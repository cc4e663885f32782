"""The results table: one row per measurement, printed once and written as Markdown."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

PASS = "pass"  # noqa: S105 - a result code, not a password
MISS = "miss"
INFO = "info"
NOT_AVAILABLE = "n/a"

# Targets shared by more than one group of rows (issue 17): after a write, the next browse
# within WRITE_RATIO × an unchanged one; browse p99 while writing within STREAM_P99 seconds.
WRITE_RATIO = 2.0
STREAM_P99 = 0.050


@dataclass
class Row:
    measure: str  # what was measured, with its size
    ours: str
    comparison: str = "—"
    ratio: str = "—"
    target: str = "—"
    result: str = INFO  # PASS, MISS, INFO or NOT_AVAILABLE
    note: str = ""  # shown under the table


def columns() -> list[str]:
    return [_("measure"), _("ours"), _("comparison"), _("ratio"), _("target"), _("result")]


def result_label(code: str) -> str:
    return {PASS: _("pass"), MISS: _("miss"), INFO: _("info"),
            NOT_AVAILABLE: _("not available")}.get(code, code)


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def render(rows: list[Row]) -> str:
    """The table as a Markdown pipe table with padded columns: readable in a terminal and
    valid in the results file. One line per row, never wrapped."""
    header = columns()
    body = [[_cell(v) for v in (row.measure, row.ours, row.comparison, row.ratio, row.target,
                                result_label(row.result))] for row in rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *(line(cells) for cells in body)])


def notes(rows: list[Row]) -> list[str]:
    return [f"{row.measure}: {row.note}" for row in rows if row.note]


# --- Formatting helpers ------------------------------------------------------------------------


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.1f} ms"


def per_second(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{value:,.0f} {unit}"


def times(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 1:
        return f"{value:.2f}×"
    return f"{value:.1f}×" if value < 100 else f"{value:,.0f}×"


def kib(size: int | None) -> str:
    return "—" if size is None else f"{size / 1024:.1f} KB"


def gib(size: int | None) -> str:
    return "—" if size is None else f"{size / 2**30:.2f} GiB"


def secs(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def verdict(ok: bool | None) -> str:
    if ok is None:
        return NOT_AVAILABLE
    return PASS if ok else MISS
