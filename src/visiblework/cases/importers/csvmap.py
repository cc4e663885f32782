"""Import any spreadsheet of incidents (saved as CSV) through a mapping file (TOML) that says
which column is what. The format is documented in docs/importing.md; MAPPING_KEYS below is
its machine-readable outline. The whole mapping is checked before the first row is read: its
keys and values, every date_format, every column against the file's header and every
taxonomy; everything wrong is reported together.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from ..actornames import split_names
from ..external_ids import looks_like_external_id
from ..models import ActorKind, CaseStatus, Role
from ..places import read_places
from ..vocabularies import BUILT_IN
from .dates import When, check_format, read_when, read_years, years_named
from .indexes import ActorIndex, TermIndex
from .merge import Ownership
from .problems import ImportFileError, Problem, RowSkip, unexpected
from .reading import CsvTable, RawRow, column_letter, read_table, rows_with_cells
from .text import clean_text, one_line, shown, split_list
from .writing import BATCH_SIZE, Importer, ImportStats, Incoming, fingerprint, rules_digest

LIST_ITEM_LIMIT = 1000  # longer list items (actor names, terms, URLs) are left out
BUILT_IN_TAXONOMIES = frozenset(key for key, *_rest in BUILT_IN)  # their terms are never created
RESERVED_NAMES = {"aiid", "seed"}
MAX_HEADER_ROWS = 10
REGION = "region"  # the built-in taxonomy that region-level places (Europe, Africa) fill

# table → key → (type, required). The outline of the mapping format.
STR = gettext_noop("text")
INT = gettext_noop("integer")
BOOL = gettext_noop("true or false")
STR_OR_LIST = gettext_noop("text or list of texts")
COLUMN = gettext_noop('a column name, { letter = "C" } or { position = 3 }')
MAPPING_KEYS: dict[str, dict[str, tuple[str, bool]]] = {
    "source": {"name": (STR, True), "id_column": (COLUMN, False), "skip_rows": (INT, False),
               "header_rows": (INT, False), "encoding": (STR, False),
               "delimiter": (STR, False), "status": (STR, False), "keep_ids": (BOOL, False)},
    "fields": {"title": (COLUMN, True), "summary": (COLUMN, True), "body": (COLUMN, False),
               "date": (COLUMN, False), "date_format": (STR_OR_LIST, False),
               "year": (COLUMN, False), "countries": (COLUMN, False),
               "countries_separator": (STR, False)},
    "lists": {"separator": (STR, False)},
    "actors": {"column": (COLUMN, True), "role": (STR, True), "separator": (STR, False),
               "kind": (STR, False)},
    "terms": {"column": (COLUMN, True), "taxonomy": (STR, True), "taxonomy_name": (STR, False),
              "create": (BOOL, False), "separator": (STR, False), "facet": (BOOL, False)},
    "sources": {"url_column": (COLUMN, False), "title_column": (COLUMN, False),
                "title": (STR, False), "publisher": (STR, False),
                "publisher_column": (COLUMN, False), "authors_column": (COLUMN, False),
                "date_column": (COLUMN, False), "archived_url_column": (COLUMN, False),
                "separator": (STR, False)},
}
SOURCE_COLUMNS = ("url_column", "title_column", "publisher_column", "authors_column",
                  "date_column", "archived_url_column")
ARRAYS = {"actors", "terms", "sources"}  # written [[actors]]: any number of them


class MappingError(ImportFileError):
    pass


@dataclass(frozen=True)
class Column:
    """A column named in a mapping: by its header name, or by its place (from 1; written
    { letter = "C" } or { position = 3 }) when the name is blank or repeated. Empty: no
    column."""

    name: str = ""
    position: int = 0

    def __bool__(self) -> bool:
        return bool(self.name or self.position)

    def __str__(self) -> str:
        return self.name if self.name else column_letter(self.position) if self.position else ""


NO_COLUMN = Column()


@dataclass
class ActorColumn:
    column: Column
    role: str
    separator: str
    kind: str = ActorKind.COMPANY
    own_separator: bool = False  # the block sets its separator: names split on it alone


@dataclass
class TermColumn:
    column: Column
    taxonomy: str
    separator: str
    taxonomy_name: str = ""
    create: bool = False
    facet: bool = False


@dataclass
class SourceColumns:
    url_column: Column = NO_COLUMN
    title_column: Column = NO_COLUMN
    title: str = ""
    publisher: str = ""
    publisher_column: Column = NO_COLUMN
    authors_column: Column = NO_COLUMN
    date_column: Column = NO_COLUMN
    archived_url_column: Column = NO_COLUMN
    separator: str = ""


@dataclass
class Mapping:
    name: str
    title: Column
    summary: Column
    id_column: Column = NO_COLUMN
    keep_ids: bool = False  # ids are already "name:id" (an export's): kept as they are
    skip_rows: int = 0
    header_rows: int = 1
    encoding: str | None = None
    delimiter: str = ","
    status: str = CaseStatus.PUBLISHED
    body: Column = NO_COLUMN
    date: Column = NO_COLUMN
    date_formats: list[str] = field(default_factory=list)
    year: Column = NO_COLUMN
    countries: Column = NO_COLUMN
    countries_separator: str = ";"
    separator: str = ";"
    actors: list[ActorColumn] = field(default_factory=list)
    terms: list[TermColumn] = field(default_factory=list)
    sources: list[SourceColumns] = field(default_factory=list)
    path: str = ""
    errors: list[str] = field(default_factory=list)  # left for CsvImport to report (strict=False)

    @property
    def label(self) -> str:
        return f"import csv {self.name}"[:150]

    def columns(self) -> list[tuple[str, Column]]:
        """(where in the mapping, column) for every column the mapping names."""
        out = [("source.id_column", self.id_column), ("fields.title", self.title),
               ("fields.summary", self.summary), ("fields.body", self.body),
               ("fields.date", self.date), ("fields.year", self.year),
               ("fields.countries", self.countries)]
        out += [(f"actors #{i}", a.column) for i, a in enumerate(self.actors, 1)]
        out += [(f"terms #{i}", t.column) for i, t in enumerate(self.terms, 1)]
        for i, s in enumerate(self.sources, 1):
            out += [(f"sources #{i}", getattr(s, k)) for k in SOURCE_COLUMNS]
        return [(where, column) for where, column in out if column]


# --- Reading the mapping -----------------------------------------------------------------------


def _type_ok(kind: str, value: Any) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == COLUMN:
        return isinstance(value, str | dict)
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _check_table(where: str, table: Any, spec: dict[str, tuple[str, bool]], errors: list[str]) -> dict:
    if not isinstance(table, dict):
        errors.append(_("%(where)s must be a table") % {"where": where})
        return {}
    for key, value in table.items():
        if key not in spec:
            close = difflib.get_close_matches(key, spec, n=1)
            hint = (" " + _("(did you mean %(key)s?)") % {"key": close[0]}) if close else ""
            errors.append(_("%(where)s: unknown key %(key)s%(hint)s; the keys are %(keys)s")
                          % {"where": where, "key": key, "hint": hint, "keys": ", ".join(spec)})
        elif not _type_ok(spec[key][0], value):
            errors.append(_("%(where)s: %(key)s must be %(type)s")
                          % {"where": where, "key": key, "type": _(spec[key][0])})
    for key, (_kind, required) in spec.items():
        if required and key not in table:
            errors.append(_("%(where)s: %(key)s is required") % {"where": where, "key": key})
    checked = {k: v for k, v in table.items() if k in spec and _type_ok(spec[k][0], v)}
    for key, value in list(checked.items()):
        if spec[key][0] == COLUMN:
            checked[key] = _column(where, key, value, errors)
    return checked


def _column(where: str, key: str, value: str | dict, errors: list[str]) -> Column:
    """A column as the mapping names it: "Name", { letter = "C" } or { position = 3 }."""
    if isinstance(value, str):
        if not value.strip():
            errors.append(_("%(where)s: %(key)s is empty: name a column, or leave %(key)s out")
                          % {"where": where, "key": key})
            return NO_COLUMN
        return Column(name=value)
    if len(value) == 1 and isinstance(value.get("letter"), str):
        letters = value["letter"].strip().upper()
        if re.fullmatch(r"[A-Z]{1,3}", letters):
            position = 0
            for letter in letters:
                position = position * 26 + ord(letter) - ord("A") + 1
            return Column(position=position)
    elif (len(value) == 1 and isinstance(value.get("position"), int)
          and not isinstance(value["position"], bool) and value["position"] >= 1):
        return Column(position=value["position"])
    errors.append(_('%(where)s: %(key)s must be a column name, { letter = "C" } (a spreadsheet '
                    'column, A to ZZZ) or { position = 3 } (counting from 1)')
                  % {"where": where, "key": key})
    return NO_COLUMN


def load_mapping(path: str | Path, *, strict: bool = True) -> Mapping:
    """Read and check a mapping file; MappingError lists everything wrong with it. With
    strict=False the mistakes found are kept in Mapping.errors instead, for CsvImport to
    report with the ones only the file can show (columns, taxonomies)."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise MappingError(_("Cannot read the mapping %(path)s: %(error)s")
                           % {"path": path, "error": exc.strerror or exc}) from None
    except UnicodeDecodeError:
        raise MappingError(_("The mapping %(path)s is not UTF-8 text") % {"path": path}) from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(_("The mapping %(path)s is not valid TOML: %(error)s")
                           % {"path": path, "error": exc}) from None
    return parse_mapping(raw, str(path), strict=strict)


def _mapping_problems(path: str, errors: list[str]) -> str:
    return (_("The mapping %(path)s has problems:") % {"path": path} + "\n"
            + "\n".join(f"  - {e}" for e in errors))


def parse_mapping(raw: dict[str, Any], path: str = "mapping", *, strict: bool = True) -> Mapping:
    errors: list[str] = []
    for key in raw:
        if key not in MAPPING_KEYS:
            close = difflib.get_close_matches(key, MAPPING_KEYS, n=1)
            hint = (" " + _("(did you mean %(key)s?)") % {"key": close[0]}) if close else ""
            errors.append(_("unknown table [%(key)s]%(hint)s; the tables are %(keys)s")
                          % {"key": key, "hint": hint, "keys": ", ".join(MAPPING_KEYS)})
    for key in ("source", "fields"):
        if key not in raw:
            errors.append(_("the table [%(key)s] is required") % {"key": key})
    source = _check_table("[source]", raw.get("source", {}), MAPPING_KEYS["source"], errors)
    fields = _check_table("[fields]", raw.get("fields", {}), MAPPING_KEYS["fields"], errors)
    lists = _check_table("[lists]", raw.get("lists", {}), MAPPING_KEYS["lists"], errors)
    arrays: dict[str, list[dict]] = {}
    for key in ARRAYS:
        value = raw.get(key, [])
        if not isinstance(value, list):
            errors.append(_("%(key)s must be written [[%(key)s]] (a list of tables)") % {"key": key})
            value = []
        arrays[key] = [_check_table(f"[[{key}]] #{i}", t, MAPPING_KEYS[key], errors)
                       for i, t in enumerate(value, 1)]

    name = source.get("name", "")
    if name and not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", name):
        errors.append(_("[source] name must be a short lower-case name (letters, digits, - and _), "
                        "e.g. aiaaic: it prefixes the cases' ids"))
    if name in RESERVED_NAMES:
        errors.append(_("[source] name %(name)s is reserved; choose another") % {"name": name})
    skip_rows = source.get("skip_rows", 0)
    if skip_rows < 0:
        errors.append(_("[source] skip_rows cannot be negative"))
        skip_rows = 0
    header_rows = source.get("header_rows", 1)
    if not 1 <= header_rows <= MAX_HEADER_ROWS:
        errors.append(_("[source] header_rows must be between 1 and %(n)d")
                      % {"n": MAX_HEADER_ROWS})
        header_rows = 1
    delimiter = source.get("delimiter", ",")
    if len(delimiter) != 1 or delimiter in "\"\r\n":
        errors.append(_("[source] delimiter must be one character (\",\", \";\" or \"\\t\")"))
        delimiter = ","
    status = source.get("status", CaseStatus.PUBLISHED)
    if status not in (CaseStatus.PUBLISHED, CaseStatus.DRAFT):
        errors.append(_("[source] status must be published or draft"))
    separator = lists.get("separator", ";")

    def separator_of(where: str, table: dict, default: str) -> str:
        value = table.get("separator", default)
        if not value:
            errors.append(_("%(where)s: separator must be non-empty text (e.g. \";\" or \"\\n\")")
                          % {"where": where})
        return value or default

    if "separator" in lists:
        separator = separator_of("[lists]", lists, ";")
    actors = []
    for i, a in enumerate(arrays["actors"], 1):
        where = f"[[actors]] #{i}"
        if a.get("role") and a["role"] not in Role.values:
            errors.append(_("%(where)s: role %(role)s is not one of %(roles)s")
                          % {"where": where, "role": a["role"], "roles": ", ".join(Role.values)})
        if a.get("kind") and a["kind"] not in ActorKind.values:
            errors.append(_("%(where)s: kind %(kind)s is not one of %(kinds)s")
                          % {"where": where, "kind": a["kind"], "kinds": ", ".join(ActorKind.values)})
        if a.get("column") and "role" in a:
            actors.append(ActorColumn(a["column"], a["role"], separator_of(where, a, separator),
                                      a.get("kind") or ActorKind.COMPANY,
                                      own_separator="separator" in a))
    terms = []
    for i, t in enumerate(arrays["terms"], 1):
        where = f"[[terms]] #{i}"
        key = t.get("taxonomy", "")
        if key and not re.fullmatch(r"[a-z][a-z0-9_]{0,49}", key):
            errors.append(_("%(where)s: taxonomy must be a key like aiaaic_sector (lower-case "
                            "letters, digits and _)") % {"where": where})
        if t.get("create") and key in BUILT_IN_TAXONOMIES:
            errors.append(_("%(where)s: %(key)s is a built-in taxonomy: its terms cannot be "
                            "created by an import (remove create = true)")
                          % {"where": where, "key": key})
        if t.get("column") and key:
            terms.append(TermColumn(t["column"], key, separator_of(where, t, separator),
                                    t.get("taxonomy_name", ""), t.get("create", False),
                                    t.get("facet", False)))
    sources = []
    for i, s in enumerate(arrays["sources"], 1):
        if not (s.get("url_column") or s.get("title_column") or s.get("title")):
            errors.append(_("[[sources]] #%(n)d: give url_column, title_column or title") % {"n": i})
            continue
        spec = SourceColumns(**{k: v for k, v in s.items() if k != "separator"})
        spec.separator = s.get("separator", "")
        sources.append(spec)
    formats = fields.get("date_format", [])
    formats = [formats] if isinstance(formats, str) else formats
    if formats and not (fields.get("date") or any(s.date_column for s in sources)):
        errors.append(_("[fields] date_format needs a date column"))
    for fmt in formats:
        problem = check_format(fmt)
        if problem:
            errors.append(_("[fields] date_format: %(problem)s") % {"problem": problem})
    if source.get("keep_ids") and not source.get("id_column"):
        errors.append(_("[source] keep_ids needs an id_column"))
    if errors and strict:
        raise MappingError(_mapping_problems(path, errors))
    return Mapping(
        name=name, title=fields.get("title", NO_COLUMN), summary=fields.get("summary", NO_COLUMN),
        id_column=source.get("id_column", NO_COLUMN), keep_ids=bool(source.get("keep_ids", False)),
        skip_rows=skip_rows,
        header_rows=header_rows, encoding=source.get("encoding") or None, delimiter=delimiter,
        status=status, body=fields.get("body", NO_COLUMN), date=fields.get("date", NO_COLUMN),
        date_formats=formats, year=fields.get("year", NO_COLUMN),
        countries=fields.get("countries", NO_COLUMN),
        countries_separator=fields.get("countries_separator", separator), separator=separator,
        actors=actors, terms=terms, sources=sources, path=path, errors=errors)


# --- Cells -------------------------------------------------------------------------------------


_url = URLValidator(schemes=["http", "https"])


def web_address(value: str) -> bool:
    if len(value) > 1000:
        return False
    try:
        _url(value)
    except ValidationError:
        return False
    return True


# --- The import --------------------------------------------------------------------------------


class CsvImport:
    def __init__(self, path: str | Path, mapping: Mapping, *, dry_run: bool = False,
                 encoding: str | None = None, batch_size: int = BATCH_SIZE):
        self.path = Path(path)
        self.mapping = mapping
        self.actors = ActorIndex()
        self.terms = TermIndex()
        self.notes: list[str] = []
        self.areas: Counter[str] = Counter()  # region-level places that add no term
        self._reported: set[frozenset[int]] = set()  # pairs of actors already warned about
        m = mapping
        self.table: CsvTable = read_table(path, encoding=encoding or m.encoding,
                                          delimiter=m.delimiter, skip_rows=m.skip_rows,
                                          header_rows=m.header_rows)
        self.index, self.labels = self._check(m.errors)
        if not m.id_column:
            self.notes.append(_("The mapping names no id column: importing this file again will "
                                "create its cases again."))
        self.importer = Importer(
            label=m.label, source=m.name, dry_run=dry_run, batch_size=batch_size,
            status=m.status, indexes=[self.actors, self.terms],
            owns=Ownership(taxonomies=frozenset(t.taxonomy for t in m.terms),
                           roles=frozenset(a.role for a in m.actors),
                           countries=bool(m.countries), body=bool(m.body)),
            rules=rules_digest(repr(m)),
            fixed_taxonomies=[t.taxonomy for t in m.terms if not t.create])

    @property
    def total(self) -> int:
        return len(self.table.rows)

    def label(self, column: Column) -> str:
        """A column as messages name it: its name, or "C (Its name)" when named by place."""
        return self.labels.get(column, str(column))

    def _check(self, mapping_errors: list[str]) -> tuple[dict[Column, int], dict[Column, str]]:
        """Every mistake of the mapping, with the file: its own ones, the columns the file
        lacks, the taxonomies that do not exist. One MappingError lists them all."""
        header = self.table.header
        index, labels, column_errors = self._resolve_columns()
        taxonomy_errors = self._check_taxonomies()
        if not (mapping_errors or column_errors or taxonomy_errors):
            return index, labels
        parts = []
        if mapping_errors:
            parts.append(_mapping_problems(self.mapping.path, mapping_errors))
        if column_errors:
            parts.append(
                _("The mapping %(mapping)s does not fit %(file)s (header on line %(line)d):")
                % {"mapping": self.mapping.path, "file": self.path.name,
                   "line": self.table.header_line} + "\n"
                + "\n".join(f"  - {e}" for e in column_errors) + "\n"
                + _("The columns are: %(columns)s") % {"columns": ", ".join(
                    f"{column_letter(i)} {name or '(' + _('blank') + ')'}"
                    for i, name in enumerate(header, 1))})
        parts += taxonomy_errors
        raise MappingError("\n".join(parts))

    def _resolve_columns(self) -> tuple[dict[Column, int], dict[Column, str], list[str]]:
        header = self.table.header
        first: dict[str, int] = {}
        for i, name in enumerate(header):
            first.setdefault(name, i)
        by_fold: dict[str, list[str]] = {}
        for name in header:
            by_fold.setdefault(name.casefold(), []).append(name)
        errors = []
        index: dict[Column, int] = {}
        labels: dict[Column, str] = {}
        for where, column in self.mapping.columns():
            if column.position:
                if column.position > len(header):
                    errors.append(ngettext(
                        "%(where)s: there is no column %(column)s: the file has %(n)d column",
                        "%(where)s: there is no column %(column)s: the file has %(n)d columns",
                        len(header)) % {"where": where, "column": column, "n": len(header)})
                    continue
                index[column] = column.position - 1
                name = header[column.position - 1]
                labels[column] = f"{column} ({name})" if name else str(column)
                continue
            name = column.name.strip()
            if name not in first and len(by_fold.get(name.casefold(), [])) == 1:
                name = by_fold[name.casefold()][0]  # "headline" for "Headline"
            if name not in first:
                close = difflib.get_close_matches(name, header, n=1)
                hint = (" " + _("(did you mean %(column)s?)") % {"column": close[0]}) if close else ""
                errors.append(_("%(where)s: the file has no column %(column)s%(hint)s")
                              % {"where": where, "column": shown(column.name), "hint": hint})
            elif header.count(name) > 1:
                errors.append(ngettext(
                    "%(where)s: the column %(column)s appears %(n)d time in the header",
                    "%(where)s: the column %(column)s appears %(n)d times in the header",
                    header.count(name))
                    % {"where": where, "column": shown(column.name), "n": header.count(name)}
                    + " " + _("(name one by its letter, e.g. { letter = \"%(letter)s\" })")
                    % {"letter": column_letter(first[name] + 1)})
            else:
                index[column] = first[name]
                labels[column] = column.name
        return index, labels, errors

    def _check_taxonomies(self) -> list[str]:
        errors = [
            _("There is no taxonomy %(key)s: use an existing one (%(keys)s) or add create = true "
              "and taxonomy_name to its [[terms]].")
            % {"key": t.taxonomy, "keys": ", ".join(self.terms.known_taxonomies())}
            for t in self.mapping.terms
            if not t.create and self.terms.taxonomy(t.taxonomy) is None]
        return list(dict.fromkeys(errors))

    def setup(self) -> None:
        for order, t in enumerate(self.mapping.terms):
            if self.terms.taxonomy(t.taxonomy) is not None:
                continue
            self.terms.ensure_taxonomy(t.taxonomy, t.taxonomy_name or t.taxonomy,
                                       description=_("Imported from %(source)s")
                                       % {"source": self.mapping.name},
                                       is_facet=t.facet, order=200 + order)

    def items(self) -> Iterator[Incoming | Problem]:
        width = len(self.table.header)
        for item in rows_with_cells(self.table.rows, width):
            if isinstance(item, Problem):
                yield item
                continue
            row, cells = item
            try:
                yield self._lazy(row, cells)
            except RowSkip as exc:
                yield Problem(row.line, exc.column, exc.message)
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the import half-way
                yield unexpected(row.line, exc)

    def _when(self, column: Column, value: str, warn: Callable[[str, str], None], *,
              years: bool = False) -> When:
        """The date (or year) of a cell. One that cannot be read never drops the row: it is
        left out with a warning, keeping the years the cell names ("Summer 2019")."""
        try:
            return read_years(value) if years else read_when(value, self.mapping.date_formats)
        except ValueError as exc:
            kept = years_named(value)
            if kept.date:
                shown_years = (f"{kept.date}\u2013{kept.year_end}" if kept.year_end
                               else kept.date)
                warn(self.label(column), _("%(problem)s; the year %(years)s is kept")
                     % {"problem": exc, "years": shown_years})
            else:
                warn(self.label(column), _("%(problem)s; the row is kept without it")
                     % {"problem": exc})
            return kept

    def _lazy(self, row: RawRow, cells: list[str]) -> Incoming:
        """A row with only its ids and fingerprint read: the rest of it is read when the
        writer builds it, which it does not do for a row it imported before, unchanged."""
        external_id, other_ids = self._ids(row, cells)

        def build(warn_later: Callable[[str, str], None]) -> dict[str, Any]:
            incoming = self._incoming(row, cells)
            for warning in incoming.warnings:
                warn_later(warning.column, warning.message)
            return incoming.build(warn_later)

        m = self.mapping
        actors = sum(1 + cells[self.index[a.column]].count(a.separator)
                     + cells[self.index[a.column]].count(",") for a in m.actors)
        return Incoming(row.line, external_id, build, self._column_names, [], actors=actors,
                        other_ids=other_ids, fingerprint=fingerprint(cells))

    def _ids(self, row: RawRow, cells: list[str]) -> tuple[str, list[str]]:
        """The row's external id and, with keep_ids, merged duplicates' ids."""
        m = self.mapping
        external_id = ""
        other_ids: list[str] = []
        if m.id_column:
            value = one_line(cells[self.index[m.id_column]])
            if not value:
                raise RowSkip(self.label(m.id_column), _("the id is empty"))
            if m.keep_ids:  # "aiid:1; aiaaic:A1": the case's own id, then merged duplicates'
                value, *other_ids = split_list(value, m.separator)
                for kept in (value, *other_ids):
                    if not looks_like_external_id(kept):
                        raise RowSkip(self.label(m.id_column), _(
                            "the id %(value)s is not of the form name:id (keep_ids = true)")
                            % {"value": shown(kept)})
            external_id = value if m.keep_ids else f"{m.name}:{value}"
            if len(external_id) > 120:
                most = 119 - len(m.name)
                raise RowSkip(self.label(m.id_column), ngettext(
                    "the id %(value)s is too long (at most %(n)d character)",
                    "the id %(value)s is too long (at most %(n)d characters)", most)
                    % {"value": shown(value), "n": most})
        return external_id, other_ids

    @functools.cached_property
    def _column_names(self) -> dict[str, str]:
        return self._columns()

    def _columns(self) -> dict[str, str]:
        """Case-data field → the column it comes from, for messages."""
        m = self.mapping
        year_column = self.label(m.year or m.date)
        columns = {"id": self.label(m.id_column), "title": self.label(m.title),
                   "summary": self.label(m.summary), "body": self.label(m.body),
                   "date": self.label(m.date), "year": year_column, "year_end": year_column,
                   "countries": self.label(m.countries),
                   "actors": "; ".join(dict.fromkeys(self.label(a.column) for a in m.actors)),
                   "sources": "; ".join(dict.fromkeys(
                       self.label(c) for s in m.sources for c in (s.url_column, s.title_column)
                       if c))}
        for t in m.terms:
            columns.setdefault(t.taxonomy, self.label(t.column))
        return columns

    def _incoming(self, row: RawRow, cells: list[str]) -> Incoming:
        """The whole row, read and checked (RowSkip when it cannot be used)."""
        m = self.mapping

        def cell(column: Column) -> str:
            return cells[self.index[column]] if column else ""

        warnings: list[Problem] = []

        def warn(column: str, message: str) -> None:
            warnings.append(Problem(row.line, column, message, skipped=False))

        external_id, other_ids = self._ids(row, cells)
        title = one_line(cell(m.title))
        summary = clean_text(cell(m.summary)).strip()
        body = clean_text(cell(m.body)).strip() if m.body else ""
        when = self._when(m.date, cell(m.date), warn) if m.date else When()
        date = when.date
        if m.year and not when.date:  # the year column, when there is no date
            when = self._when(m.year, cell(m.year), warn, years=True)
        countries, regions = self._places(cell, warn)
        actor_names = [(a, name) for a in m.actors for name in self._actor_names(a, cell, warn)]
        term_values = [(t, value) for t in m.terms
                       for value in self._list(cell(t.column), t.separator,
                                               self.label(t.column), warn)]
        sources = self._sources(cell, warn)

        def build(warn_later: Callable[[str, str], None]) -> dict[str, Any]:
            actors = []
            for a, name in actor_names:
                column = self.label(a.column)
                if len(name) > 200:
                    warn_later(column, _("the name %(value)s is too long for an actor (200 "
                                         "characters); left out") % {"value": shown(name)})
                    continue
                actor = self.actors.get_or_create(name, kind=a.kind)
                self._warn_duplicates(name, actor, column, warn_later)
                actors.append({"name": actor.name, "slug": actor.slug, "role": a.role})
            terms: dict[str, list[str]] = {}
            for t, value in term_values:
                column = self.label(t.column)
                term = self.terms.find(t.taxonomy, value)
                if term is None and t.create:
                    if len(value) > 200:
                        warn_later(column, _("%(value)s is too long for a term (200 "
                                             "characters); left out") % {"value": shown(value)})
                        continue
                    term = self.terms.get_or_create(t.taxonomy, value)
                    if term is None:
                        warn_later(column, ngettext(
                            "taxonomy %(key)s already has %(n)d term; %(value)s left out",
                            "taxonomy %(key)s already has %(n)d terms; %(value)s left out",
                            self.terms.max_terms) % {"key": t.taxonomy, "n": self.terms.max_terms,
                                                     "value": shown(value)})
                        continue
                if term is None:
                    warn_later(column, _("%(value)s is not a term of %(key)s; left out")
                               % {"value": shown(value), "key": t.taxonomy})
                    continue
                slugs = terms.setdefault(t.taxonomy, [])
                if term.slug not in slugs:
                    slugs.append(term.slug)
            for slug in regions:
                if self.terms.find(REGION, slug) is not None:
                    slugs = terms.setdefault(REGION, [])
                    if slug not in slugs:
                        slugs.append(slug)
            return {"title": title, "summary": summary, "body": body, "date": date,
                    "year": when.year, "year_end": when.year_end, "terms": terms,
                    "countries": countries, "actors": actors, "sources": sources}

        return Incoming(row.line, external_id, build, self._column_names, warnings,
                        actors=len(actor_names), other_ids=other_ids,
                        fingerprint=fingerprint(cells))

    def _places(self, cell: Callable[[Column], str], warn) -> tuple[list[str], list[str]]:
        """The countries (ISO codes) and region terms of the countries cell."""
        m = self.mapping
        countries: list[str] = []
        regions: list[str] = []
        if not m.countries:
            return countries, regions
        column = self.label(m.countries)
        for value in split_list(cell(m.countries), m.countries_separator):
            places, unknown = read_places(value)
            for place in places:
                countries += [c for c in place.countries if c not in countries]
                regions += [r for r in place.regions if r not in regions]
                if place.area and not place.regions:
                    self.areas[value] += 1
            for part in unknown:
                warn(column, _("%(value)s is not a country or region name or ISO code; left out")
                     % {"value": shown(part)})
        return countries, regions

    def _actor_names(self, a: ActorColumn, cell: Callable[[Column], str], warn) -> list[str]:
        """The names in an actor cell. A column with its own separator splits on it alone;
        otherwise on the list separator and on commas ("OpenAI, You.com, xAI"), a legal form
        staying with its name ("OpenAI, Inc.")."""
        separators = [a.separator] if a.own_separator else [a.separator, ","]
        names = []
        for name in split_names(cell(a.column), separators):
            name = one_line(name)
            if len(name) > LIST_ITEM_LIMIT:
                warn(self.label(a.column), ngettext(
                    "a value of %(n)d character was left out",
                    "a value of %(n)d characters was left out", len(name)) % {"n": len(name)})
            elif name:
                names.append(name)
        return names

    def _warn_duplicates(self, name: str, actor, column: str, warn) -> None:
        """A name that matches two actors: they are probably one; say so once per import."""
        for other in self.actors.others(name, actor):
            pair = frozenset((actor.pk, other.pk))
            if pair in self._reported:
                continue
            self._reported.add(pair)
            warn(column, _("%(value)s matches two actors, %(first)s (%(first_slug)s) and "
                           "%(second)s (%(second_slug)s); the case names %(first)s. If they "
                           "are one, merge them in the back office")
                 % {"value": shown(name), "first": actor.name, "first_slug": actor.slug,
                    "second": other.name, "second_slug": other.slug})

    def _list(self, value: str, separator: str, column: str, warn) -> list[str]:
        items = []
        for item in split_list(value, separator):
            if len(item) > LIST_ITEM_LIMIT:
                warn(column, ngettext("a value of %(n)d character was left out",
                                      "a value of %(n)d characters was left out", len(item))
                     % {"n": len(item)})
            else:
                items.append(item)
        return items

    def _sources(self, cell: Callable[[Column], str], warn) -> list[dict[str, str]]:
        sources = []
        for s in self.mapping.sources:
            url_column = self.label(s.url_column)
            urls = (self._list(cell(s.url_column), s.separator, url_column, warn)
                    if s.separator else [one_line(cell(s.url_column))])
            title = one_line(cell(s.title_column)) or s.title
            publisher = one_line(cell(s.publisher_column)) or s.publisher
            authors = one_line(cell(s.authors_column))
            date = ""
            if s.date_column:
                try:
                    date = read_when(cell(s.date_column), self.mapping.date_formats).date
                except ValueError as exc:
                    warn(self.label(s.date_column),
                         str(exc) + "; " + _("the source is kept without a date"))
            archived = one_line(cell(s.archived_url_column))
            if archived and not web_address(archived):
                warn(self.label(s.archived_url_column), _("%(value)s is not a web address; left "
                                                          "out") % {"value": shown(archived)})
                archived = ""
            for url in urls or [""]:
                if url and not web_address(url):
                    warn(url_column, _("%(value)s is not a web address (http or https); the "
                                       "source is left out") % {"value": shown(url)})
                    continue
                if not (url or title):
                    continue
                sources.append({"url": url, "title": _cut(title or url, 500),
                                "publisher": _cut(publisher, 200), "authors": _cut(authors, 500),
                                "date": date, "archived_url": archived})
        return sources

    def closing_notes(self) -> list[str]:
        """What the end of the run says about the file as a whole."""
        if not self.areas:
            return []
        listed = ", ".join(f"{shown(value)} ({count})" for value, count in self.areas.most_common(10))
        return [ngettext(
            "%(n)d cell named an area wider than a country that is neither Global North nor "
            "Global South (%(values)s): it adds no country and no region",
            "%(n)d cells named areas wider than a country that are neither Global North nor "
            "Global South (%(values)s): they add no country and no region",
            sum(self.areas.values())) % {"n": sum(self.areas.values()), "values": listed}]

    def run(self, progress: Callable[[int], None] | None = None) -> ImportStats:
        return self.importer.run(
            self.items(), setup=self.setup, progress=progress,
            audit={"source": "csv", "name": self.mapping.name, "path": str(self.path),
                   "mapping": self.mapping.path, "encoding": self.table.encoding,
                   "notes": self.notes})


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
