"""Import any spreadsheet of incidents (saved as CSV) through a mapping file (TOML) that says
which column is what. The format is documented in docs/importing.md; MAPPING_KEYS below is
its machine-readable outline and the mapping is checked against it before anything is read.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from ..models import ActorKind, CaseStatus, Role
from ..vocabularies import BUILT_IN
from .dates import parse_date, parse_year
from .indexes import ActorIndex, TermIndex
from .merge import Ownership
from .problems import ImportFileError, Problem, RowSkip, unexpected
from .reading import CsvTable, RawRow, read_table, rows_with_cells
from .text import clean_text, one_line, shown, split_list
from .writing import Importer, ImportStats, Incoming, fingerprint, rules_digest

LIST_ITEM_LIMIT = 1000  # longer list items (actor names, terms, URLs) are left out
BUILT_IN_TAXONOMIES = frozenset(key for key, *_rest in BUILT_IN)  # their terms are never created
RESERVED_NAMES = {"aiid", "seed"}
COUNTRY_ALIASES = {"uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
                   "northern ireland": "GB", "great britain": "GB", "usa": "US", "u.s.": "US",
                   "u.s.a.": "US", "us": "US", "united states": "US", "south korea": "KR",
                   "north korea": "KP", "russia": "RU", "iran": "IR", "syria": "SY",
                   "vietnam": "VN", "laos": "LA", "bolivia": "BO", "venezuela": "VE",
                   "tanzania": "TZ", "taiwan": "TW", "czech republic": "CZ", "turkey": "TR",
                   "moldova": "MD", "palestine": "PS", "the netherlands": "NL",
                   "ivory coast": "CI", "democratic republic of the congo": "CD", "drc": "CD"}

# table → key → (type, required). The outline of the mapping format.
STR = gettext_noop("text")
INT = gettext_noop("integer")
BOOL = gettext_noop("true or false")
STR_OR_LIST = gettext_noop("text or list of texts")
MAPPING_KEYS: dict[str, dict[str, tuple[str, bool]]] = {
    "source": {"name": (STR, True), "id_column": (STR, False), "skip_rows": (INT, False),
               "encoding": (STR, False), "delimiter": (STR, False), "status": (STR, False)},
    "fields": {"title": (STR, True), "summary": (STR, True), "body": (STR, False),
               "date": (STR, False), "date_format": (STR_OR_LIST, False), "year": (STR, False),
               "countries": (STR, False), "countries_separator": (STR, False)},
    "lists": {"separator": (STR, False)},
    "actors": {"column": (STR, True), "role": (STR, True), "separator": (STR, False),
               "kind": (STR, False)},
    "terms": {"column": (STR, True), "taxonomy": (STR, True), "taxonomy_name": (STR, False),
              "create": (BOOL, False), "separator": (STR, False), "facet": (BOOL, False)},
    "sources": {"url_column": (STR, False), "title_column": (STR, False), "title": (STR, False),
                "publisher": (STR, False), "publisher_column": (STR, False),
                "authors_column": (STR, False), "date_column": (STR, False),
                "archived_url_column": (STR, False), "separator": (STR, False)},
}
ARRAYS = {"actors", "terms", "sources"}  # written [[actors]]: any number of them


class MappingError(ImportFileError):
    pass


@dataclass
class ActorColumn:
    column: str
    role: str
    separator: str
    kind: str = ActorKind.COMPANY


@dataclass
class TermColumn:
    column: str
    taxonomy: str
    separator: str
    taxonomy_name: str = ""
    create: bool = False
    facet: bool = False


@dataclass
class SourceColumns:
    url_column: str = ""
    title_column: str = ""
    title: str = ""
    publisher: str = ""
    publisher_column: str = ""
    authors_column: str = ""
    date_column: str = ""
    archived_url_column: str = ""
    separator: str = ""


@dataclass
class Mapping:
    name: str
    title: str
    summary: str
    id_column: str = ""
    skip_rows: int = 0
    encoding: str | None = None
    delimiter: str = ","
    status: str = CaseStatus.PUBLISHED
    body: str = ""
    date: str = ""
    date_formats: list[str] = field(default_factory=list)
    year: str = ""
    countries: str = ""
    countries_separator: str = ";"
    separator: str = ";"
    actors: list[ActorColumn] = field(default_factory=list)
    terms: list[TermColumn] = field(default_factory=list)
    sources: list[SourceColumns] = field(default_factory=list)
    path: str = ""

    @property
    def label(self) -> str:
        return f"import csv {self.name}"[:150]

    def columns(self) -> list[tuple[str, str]]:
        """(where in the mapping, column name) for every column the mapping names."""
        out = [("source.id_column", self.id_column), ("fields.title", self.title),
               ("fields.summary", self.summary), ("fields.body", self.body),
               ("fields.date", self.date), ("fields.year", self.year),
               ("fields.countries", self.countries)]
        out += [(f"actors #{i}", a.column) for i, a in enumerate(self.actors, 1)]
        out += [(f"terms #{i}", t.column) for i, t in enumerate(self.terms, 1)]
        for i, s in enumerate(self.sources, 1):
            out += [(f"sources #{i}", getattr(s, k)) for k in (
                "url_column", "title_column", "publisher_column", "authors_column",
                "date_column", "archived_url_column")]
        return [(where, column) for where, column in out if column]


# --- Reading the mapping -----------------------------------------------------------------------


def _type_ok(kind: str, value: Any) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == BOOL:
        return isinstance(value, bool)
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
    return {k: v for k, v in table.items() if k in spec and _type_ok(spec[k][0], v)}


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file; MappingError lists everything wrong with it."""
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
    return parse_mapping(raw, str(path))


def parse_mapping(raw: dict[str, Any], path: str = "mapping") -> Mapping:
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
    if source.get("skip_rows", 0) < 0:
        errors.append(_("[source] skip_rows cannot be negative"))
    delimiter = source.get("delimiter", ",")
    if len(delimiter) != 1 or delimiter in "\"\r\n":
        errors.append(_("[source] delimiter must be one character (\",\", \";\" or \"\\t\")"))
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
        if "column" in a and "role" in a:
            actors.append(ActorColumn(a["column"], a["role"], separator_of(where, a, separator),
                                      a.get("kind") or ActorKind.COMPANY))
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
        if "column" in t and key:
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
    if formats and not fields.get("date"):
        errors.append(_("[fields] date_format needs a date column"))
    for fmt in formats:
        if "%" not in fmt:
            errors.append(_("[fields] date_format %(format)s has no %%-directive (e.g. %%Y, %%m, "
                            "%%d)") % {"format": fmt})
    if errors:
        raise MappingError(_("The mapping %(path)s has problems:") % {"path": path} + "\n"
                           + "\n".join(f"  - {e}" for e in errors))
    return Mapping(
        name=name, title=fields["title"], summary=fields["summary"],
        id_column=source.get("id_column", ""), skip_rows=source.get("skip_rows", 0),
        encoding=source.get("encoding") or None, delimiter=delimiter, status=status,
        body=fields.get("body", ""), date=fields.get("date", ""), date_formats=formats,
        year=fields.get("year", ""), countries=fields.get("countries", ""),
        countries_separator=fields.get("countries_separator", separator), separator=separator,
        actors=actors, terms=terms, sources=sources, path=path)


# --- Cells -------------------------------------------------------------------------------------


def country_code(value: str) -> str | None:
    """An ISO 3166 alpha-2 code for a code or a name: exact matches only, no guessing."""
    text = one_line(value)
    if not text:
        return None
    alias = COUNTRY_ALIASES.get(text.casefold())
    if alias:
        return alias
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


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
                 encoding: str | None = None, batch_size: int = 200):
        self.path = Path(path)
        self.mapping = mapping
        self.actors = ActorIndex()
        self.terms = TermIndex()
        self.notes: list[str] = []
        m = mapping
        self.table: CsvTable = read_table(path, encoding=encoding or m.encoding,
                                          delimiter=m.delimiter, skip_rows=m.skip_rows)
        self.index = self._check_columns()
        self._check_taxonomies()
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

    def _check_columns(self) -> dict[str, int]:
        header = self.table.header
        index = self.table.index()
        by_fold: dict[str, list[str]] = {}
        for name in header:
            by_fold.setdefault(name.casefold(), []).append(name)
        errors = []
        resolved: dict[str, int] = {}
        for where, column in self.mapping.columns():
            name = column.strip()
            if name not in index and len(by_fold.get(name.casefold(), [])) == 1:
                name = by_fold[name.casefold()][0]  # "headline" for "Headline"
            if name not in index:
                close = difflib.get_close_matches(name, header, n=1)
                hint = (" " + _("(did you mean %(column)s?)") % {"column": close[0]}) if close else ""
                errors.append(_("%(where)s: the file has no column %(column)s%(hint)s")
                              % {"where": where, "column": shown(column), "hint": hint})
            elif header.count(name) > 1:
                errors.append(ngettext("%(where)s: the column %(column)s appears %(n)d time in the "
                                       "header", "%(where)s: the column %(column)s appears %(n)d "
                                       "times in the header", header.count(name))
                              % {"where": where, "column": shown(column), "n": header.count(name)})
            else:
                resolved[column] = index[name]
        if errors:
            raise MappingError(
                _("The mapping %(mapping)s does not fit %(file)s (header on line %(line)d):")
                % {"mapping": self.mapping.path, "file": self.path.name,
                   "line": self.table.header_line} + "\n"
                + "\n".join(f"  - {e}" for e in errors) + "\n"
                + _("The columns are: %(columns)s") % {"columns": ", ".join(header)})
        return resolved

    def _check_taxonomies(self) -> None:
        errors = [
            _("There is no taxonomy %(key)s: use an existing one (%(keys)s) or add create = true "
              "and taxonomy_name to its [[terms]].")
            % {"key": t.taxonomy, "keys": ", ".join(self.terms.known_taxonomies())}
            for t in self.mapping.terms
            if not t.create and self.terms.taxonomy(t.taxonomy) is None]
        if errors:
            raise MappingError("\n".join(dict.fromkeys(errors)))

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
                yield self._incoming(row, cells)
            except RowSkip as exc:
                yield Problem(row.line, exc.column, exc.message)
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the import half-way
                yield unexpected(row.line, exc)

    def _incoming(self, row: RawRow, cells: list[str]) -> Incoming:
        m = self.mapping

        def cell(column: str) -> str:
            return cells[self.index[column]] if column else ""

        warnings: list[Problem] = []

        def warn(column: str, message: str) -> None:
            warnings.append(Problem(row.line, column, message, skipped=False))

        external_id = ""
        if m.id_column:
            value = one_line(cell(m.id_column))
            if not value:
                raise RowSkip(m.id_column, _("the id is empty"))
            external_id = f"{m.name}:{value}"
            if len(external_id) > 120:
                most = 119 - len(m.name)
                raise RowSkip(m.id_column, ngettext(
                    "the id %(value)s is too long (at most %(n)d character)",
                    "the id %(value)s is too long (at most %(n)d characters)", most)
                    % {"value": shown(value), "n": most})
        title = one_line(cell(m.title))
        summary = clean_text(cell(m.summary)).strip()
        body = clean_text(cell(m.body)).strip() if m.body else ""
        try:
            date = parse_date(cell(m.date), m.date_formats) if m.date else ""
        except ValueError as exc:
            raise RowSkip(m.date, str(exc)) from None
        try:
            year = parse_year(cell(m.year)) if m.year else None
        except ValueError as exc:
            raise RowSkip(m.year, str(exc)) from None
        countries = []
        if m.countries:
            for value in split_list(cell(m.countries), m.countries_separator):
                code = country_code(value)
                if code:
                    countries.append(code)
                else:
                    warn(m.countries, _("%(value)s is not a country name or ISO code; left out")
                         % {"value": shown(value)})
        actor_names = [(a, name) for a in m.actors
                       for name in self._list(cell(a.column), a.separator, a.column, warn)]
        term_values = [(t, value) for t in m.terms
                       for value in self._list(cell(t.column), t.separator, t.column, warn)]
        sources = self._sources(cell, warn)

        def build(warn_later: Callable[[str, str], None]) -> dict[str, Any]:
            actors = []
            for a, name in actor_names:
                if len(name) > 200:
                    warn_later(a.column, _("the name %(value)s is too long for an actor (200 "
                                           "characters); left out") % {"value": shown(name)})
                    continue
                actor = self.actors.get_or_create(name, kind=a.kind)
                actors.append({"name": actor.name, "slug": actor.slug, "role": a.role})
            terms: dict[str, list[str]] = {}
            for t, value in term_values:
                term = self.terms.find(t.taxonomy, value)
                if term is None and t.create:
                    if len(value) > 200:
                        warn_later(t.column, _("%(value)s is too long for a term (200 "
                                               "characters); left out") % {"value": shown(value)})
                        continue
                    term = self.terms.get_or_create(t.taxonomy, value)
                    if term is None:
                        warn_later(t.column, ngettext(
                            "taxonomy %(key)s already has %(n)d term; %(value)s left out",
                            "taxonomy %(key)s already has %(n)d terms; %(value)s left out",
                            self.terms.max_terms) % {"key": t.taxonomy, "n": self.terms.max_terms,
                                                     "value": shown(value)})
                        continue
                if term is None:
                    warn_later(t.column, _("%(value)s is not a term of %(key)s; left out")
                               % {"value": shown(value), "key": t.taxonomy})
                    continue
                slugs = terms.setdefault(t.taxonomy, [])
                if term.slug not in slugs:
                    slugs.append(term.slug)
            return {"title": title, "summary": summary, "body": body, "date": date,
                    "year": year, "terms": terms, "countries": countries, "actors": actors,
                    "sources": sources}

        columns = {"id": m.id_column, "title": m.title, "summary": m.summary, "body": m.body,
                   "date": m.date, "year": m.year or m.date, "countries": m.countries,
                   "actors": "; ".join(dict.fromkeys(a.column for a in m.actors)),
                   "sources": "; ".join(dict.fromkeys(
                       c for s in m.sources for c in (s.url_column, s.title_column) if c))}
        for t in m.terms:
            columns.setdefault(t.taxonomy, t.column)
        return Incoming(row.line, external_id, build, columns, warnings, actors=len(actor_names),
                        fingerprint=fingerprint(cells))

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

    def _sources(self, cell: Callable[[str], str], warn) -> list[dict[str, str]]:
        sources = []
        for s in self.mapping.sources:
            urls = (self._list(cell(s.url_column), s.separator, s.url_column, warn)
                    if s.separator else [one_line(cell(s.url_column))])
            title = one_line(cell(s.title_column)) or s.title
            publisher = one_line(cell(s.publisher_column)) or s.publisher
            authors = one_line(cell(s.authors_column))
            date = ""
            if s.date_column:
                try:
                    date = parse_date(cell(s.date_column), self.mapping.date_formats)
                except ValueError as exc:
                    warn(s.date_column, str(exc) + "; " + _("the source is kept without a date"))
            archived = one_line(cell(s.archived_url_column))
            if archived and not web_address(archived):
                warn(s.archived_url_column, _("%(value)s is not a web address; left out")
                     % {"value": shown(archived)})
                archived = ""
            for url in urls or [""]:
                if url and not web_address(url):
                    warn(s.url_column, _("%(value)s is not a web address (http or https); the "
                                         "source is left out") % {"value": shown(url)})
                    continue
                if not (url or title):
                    continue
                sources.append({"url": url, "title": _cut(title or url, 500),
                                "publisher": _cut(publisher, 200), "authors": _cut(authors, 500),
                                "date": date, "archived_url": archived})
        return sources

    def run(self, progress: Callable[[int], None] | None = None) -> ImportStats:
        return self.importer.run(
            self.items(), setup=self.setup, progress=progress,
            audit={"source": "csv", "name": self.mapping.name, "path": str(self.path),
                   "mapping": self.mapping.path, "encoding": self.table.encoding,
                   "notes": self.notes})


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
