"""Reading untrusted CSV files into rows of cells: the header (one row, or several joined into
one name per column), one RawRow per record with the line it starts on, and a Problem (never
an exception) for each malformed record."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .encoding import decode
from .problems import ImportFileError, Problem
from .text import clean_text, one_line

CSV_FIELD_LIMIT = 256 * 1024 * 1024  # cells up to 256 MB are read (and then refused if too long)


@dataclass
class RawRow:
    line: int  # the line the record starts on, counting from 1
    cells: list[str]


@dataclass
class CsvTable:
    header: list[str]
    header_line: int
    encoding: str
    rows: list[RawRow | Problem]

    def index(self) -> dict[str, int]:
        """Column name → position (the first, if a name repeats)."""
        out: dict[str, int] = {}
        for i, name in enumerate(self.header):
            out.setdefault(name, i)
        return out


HEADER_JOINER = " / "


def join_header_rows(rows: list[list[str]]) -> list[str]:
    """One name per column from a header written over several rows, as spreadsheets export
    merged cells: a blank cell of an upper row takes the last name to its left (within the
    span of the row above it), and a column's names are joined "Top / Sub". A column blank
    in every row has a blank name."""
    width = max(len(r) for r in rows)
    filled: list[list[str]] = []
    for level, row in enumerate(rows):
        cells = [one_line(c) for c in row] + [""] * (width - len(row))
        if level < len(rows) - 1:  # upper rows: fill merged cells rightwards
            for i in range(1, width):
                same_parent = level == 0 or filled[level - 1][i] == filled[level - 1][i - 1]
                if not cells[i] and same_parent:
                    cells[i] = cells[i - 1]
        filled.append(cells)
    names = []
    for i in range(width):
        parts = [row[i] for row in filled if row[i]]
        names.append(HEADER_JOINER.join(dict.fromkeys(parts)))
    return names


def column_letter(position: int) -> str:
    """A spreadsheet's name of a column: 1 → A, 27 → AA."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: str | Path, *, encoding: str | None = None, delimiter: str = ",",
               skip_rows: int = 0, header_rows: int = 1) -> CsvTable:
    """Read a whole CSV file. Malformed records become Problems in `rows`; the file only
    fails as a whole when it cannot be read or has no header row."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFileError(_("Cannot read %(path)s: %(error)s")
                              % {"path": path, "error": exc.strerror or exc}) from None
    text, used = decode(raw, encoding)
    return parse_table(text, encoding=used, delimiter=delimiter, skip_rows=skip_rows,
                       header_rows=header_rows)


def parse_table(text: str, *, encoding: str = "utf-8", delimiter: str = ",",
                skip_rows: int = 0, header_rows: int = 1) -> CsvTable:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    total_lines = text.count("\n") + 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 0
    header_parts: list[list[str]] = []
    rows: list[RawRow | Problem] = []
    records = 0
    last = 0
    while True:
        start = last + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                problem = Problem(start, "", _(
                    "a quoted cell that starts on this line is never closed, so the rest of "
                    "the file (to line %(end)d) cannot be read; close the quote and import "
                    "again") % {"end": total_lines})
            elif "larger than field limit" in str(exc):
                problem = Problem(start, "", _("a cell is larger than %(mb)d MB")
                                  % {"mb": CSV_FIELD_LIMIT // 2**20})
            else:
                problem = Problem(start, "", _("malformed CSV (%(error)s); check the quotes on "
                                               "this line") % {"error": exc})
            if header is None and records >= skip_rows:
                raise ImportFileError(_("Cannot read the header row: %(problem)s")
                                      % {"problem": problem}) from None
            rows.append(problem)
            records += 1
            last = max(reader.line_num, start)
            if "unexpected end of data" in str(exc):
                break
            continue
        last = reader.line_num
        records += 1
        if records <= skip_rows:
            continue
        if header is None:
            if not header_parts and not any(c.strip() for c in cells):
                continue  # blank lines above the header
            if not header_parts:
                header_line = start
            header_parts.append(cells)
            if len(header_parts) == header_rows:
                header = join_header_rows(header_parts)
            continue
        if any(c.strip() for c in cells):  # blank rows are not rows
            rows.append(RawRow(start, cells))
    if header is None:
        raise ImportFileError(_("The file has no header row."))
    return CsvTable(header, header_line, encoding, rows)


def rows_with_cells(rows: Iterable[RawRow | Problem], width: int
                    ) -> Iterator[tuple[RawRow, list[str]] | Problem]:
    """Each readable row with its cells, Problems as they come, empty rows left out."""
    for row in rows:
        if isinstance(row, Problem):
            yield row
            continue
        cells = record_cells(row, width)
        if cells is None:
            continue
        yield cells if isinstance(cells, Problem) else (row, cells)


def record_cells(row: RawRow, width: int) -> list[str] | Problem | None:
    """The row's cells, one per header column; None for an empty row; a Problem for a row
    with extra non-empty cells (often an unquoted comma) or a NUL character."""
    cells = row.cells
    if not any(c.strip() for c in cells):
        return None
    if len(cells) > width:
        if any(c.strip() for c in cells[width:]):
            return Problem(row.line, "", ngettext(
                "this row has %(found)d cell but the header has %(width)d (is a comma or "
                "quote missing?)",
                "this row has %(found)d cells but the header has %(width)d (is a comma or "
                "quote missing?)", len(cells)) % {"found": len(cells), "width": width})
        cells = cells[:width]
    if any("\x00" in c for c in cells):
        return Problem(row.line, "", _("this row contains a NUL character; the file may be damaged"))
    return [clean_text(c) for c in cells] + [""] * (width - len(cells))
