"""What the importers share: reading untrusted CSV files, reading partial dates, finding or
creating actors and terms, and writing rows as cases in batches.

Every row is written whole or not at all: it runs in its own savepoint inside its batch's
transaction, so a row that fails half-way (a refused value, a database error) leaves no
actor, term, revision or audit entry behind. Problems are reported per row with the line
number and the column, never as a traceback.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from visiblework.core.audit import record
from visiblework.core.formats import join, number
from visiblework.core.models import AuditAction

from ..editing import SOURCE_FIELDS, clean_case_data, save_case, snapshot
from ..indexing import deferred_indexing
from ..models import Actor, ActorAlias, Case, CaseStatus, Taxonomy, Term
from ..vocabularies import BUILT_IN

BATCH_SIZE = 200
# Django 5.2 on SQLite prefetches a foreign key as "id = 1 OR id = 2 OR ...", which fails past
# about 1,000 values; the search reindex at the end of a batch prefetches the batch's actors.
# So a batch also ends when its rows name this many actors.
MAX_ACTORS_PER_BATCH = 800
MAX_TERMS_PER_TAXONOMY = 500  # an import may not grow one vocabulary past this
CSV_FIELD_LIMIT = 256 * 1024 * 1024  # cells up to 256 MB are read (and then refused if too long)
SHOWN_VALUE = 60  # characters of a cell quoted in a message

BUILT_IN_TAXONOMIES = frozenset(key for key, *_rest in BUILT_IN)


# --- Problems ----------------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header, bad mapping...)."""


@dataclass(frozen=True)
class Problem:
    """Something wrong with one row: the row was skipped, or (a warning) one value was left out."""

    line: int | None
    column: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        where = []
        if self.line:
            where.append(_("line %(line)d") % {"line": self.line})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class RowSkip(Exception):
    """Raised while building a row to leave the whole row out."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def clean_text(value: str) -> str:
    """Normalise line ends and drop control characters (and bidirectional overrides, which
    can make text display as something else). HTML is kept as text: pages escape it."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def one_line(value: str) -> str:
    return _SPACES.sub(" ", clean_text(value)).strip()


def shown(value: str, limit: int = SHOWN_VALUE) -> str:
    """A cell value quoted in a message: one line, printable, cut short."""
    text = one_line(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def split_list(value: str, separator: str) -> list[str]:
    """The distinct non-empty items of a list cell, in order."""
    parts = value.split(separator) if separator else [value]
    return list(dict.fromkeys(p for p in (one_line(x) for x in parts) if p))


def make_slug(value: str, max_length: int = 100) -> str:
    slug = slugify(value)[:max_length].strip("-")
    if not slug:  # nothing Latin in it: a stable slug from a hash
        slug = "t-" + hashlib.sha256(value.encode()).hexdigest()[:12]
    return slug


# --- Reading CSV -------------------------------------------------------------------------------


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


def decode(raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Bytes to text. With no encoding given: UTF-16 if it has a byte-order mark, else UTF-8
    (with or without a BOM), else Windows-1252, else Latin-1 (which never fails)."""
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFileError(_("Unknown encoding: %(encoding)s") % {"encoding": encoding}) from None
        if codec == "utf-8":
            codec = "utf-8-sig"
        try:
            return raw.decode(codec), encoding
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("The file is not in %(encoding)s (byte %(position)d). Leave out the encoding to "
                  "let the importer guess, or name the right one.")
                % {"encoding": encoding, "position": exc.start}) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if raw.count(b"\x00") > max(8, len(raw) // 20):
        raise ImportFileError(_("This does not look like a text file (it is full of NUL bytes: "
                                "binary, or UTF-16 without a byte-order mark). Save it as CSV "
                                "in UTF-8."))
    for codec in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def read_table(path: str | Path, *, encoding: str | None = None, delimiter: str = ",",
               skip_rows: int = 0) -> CsvTable:
    """Read a whole CSV file. Malformed records become Problems in `rows`; the file only
    fails as a whole when it cannot be read or has no header row."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFileError(_("Cannot read %(path)s: %(error)s")
                              % {"path": path, "error": exc.strerror or exc}) from None
    text, used = decode(raw, encoding)
    return parse_table(text, encoding=used, delimiter=delimiter, skip_rows=skip_rows)


def parse_table(text: str, *, encoding: str = "utf-8", delimiter: str = ",",
                skip_rows: int = 0) -> CsvTable:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    total_lines = text.count("\n") + 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 0
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
            if not any(c.strip() for c in cells):
                continue  # blank lines above the header
            header = [one_line(c) for c in cells]
            header_line = start
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


# --- Dates -------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")], start=1)
    for name in names
}
_ISO = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}.*)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")


def _partial(year: int, month: int = 0, day: int = 0) -> str:
    """A partial ISO date; a zero month or day means "not known" ("2019-03-00" → 2019-03)."""
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise ValueError
    if not day:
        return f"{year:04d}-{month:02d}"
    return Date(year, month, day).isoformat()  # raises ValueError for 2019-02-30


def _format_precision(fmt: str) -> int:
    if any(d in fmt for d in ("%d", "%j", "%c", "%x", "%-d")):
        return 3
    if any(d in fmt for d in ("%m", "%b", "%B", "%-m")):
        return 2
    return 1


def parse_date(value: str, formats: Iterable[str] = ()) -> str:
    """Read a date (see _parse_date) and check that its year is one a case may have."""
    result = _parse_date(value, formats)
    if result and not 1900 <= int(result[:4]) <= 2100:
        raise ValueError(_("the date %(value)s is not between 1900 and 2100")
                         % {"value": shown(value)})
    return result


def _parse_date(value: str, formats: Iterable[str] = ()) -> str:
    """Read a date as "YYYY", "YYYY-MM" or "YYYY-MM-DD". Tries the given strptime formats,
    then the usual shapes: 2019, 2019-03, 2019-03-07, 2019-03-00, 2019/03/07, Mar 2019,
    March 7, 2019, 7 March 2019, 07/03/2019 (only when unambiguous). Empty gives "".
    Raises ValueError with a message saying why."""
    text = one_line(value)
    if not text:
        return ""
    for fmt in formats:
        try:
            parsed = time.strptime(text, fmt)
        except ValueError:
            continue
        precision = _format_precision(fmt)
        return _partial(parsed.tm_year, parsed.tm_mon if precision > 1 else 0,
                        parsed.tm_mday if precision > 2 else 0)
    cannot = _("cannot read %(value)s as a date") % {"value": shown(text)}
    lowered = text.lower()
    try:
        if m := _ISO.fullmatch(text):
            return _partial(int(m[1]), int(m[2] or 0), int(m[3] or 0))
        if m := _NUMERIC.fullmatch(text):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a <= 12 and b <= 12 and a != b:
                raise _Ambiguous
            return _partial(year, b, a) if a > 12 else _partial(year, a, b)
        if (m := _MONTH_YEAR.fullmatch(lowered)) and m[1] in MONTHS:
            return _partial(int(m[2]), MONTHS[m[1]])
        if (m := _MONTH_DAY_YEAR.fullmatch(lowered)) and m[1] in MONTHS:
            return _partial(int(m[3]), MONTHS[m[1]], int(m[2]))
        if (m := _DAY_MONTH_YEAR.fullmatch(lowered)) and m[2] in MONTHS:
            return _partial(int(m[3]), MONTHS[m[2]], int(m[1]))
    except _Ambiguous:
        raise ValueError(_("%(value)s could be day/month or month/day: set date_format in the "
                           "mapping (e.g. \"%%d/%%m/%%Y\")") % {"value": shown(text)}) from None
    except ValueError:  # no such month or day
        pass
    raise ValueError(cannot)


class _Ambiguous(Exception):
    pass


def parse_year(value: str) -> int | None:
    text = one_line(value)
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})(?:\.0+)?", text)  # spreadsheets write 2019 as 2019.0
    if not m or not 1900 <= int(m[1]) <= 2100:
        raise ValueError(_("cannot read %(value)s as a year between 1900 and 2100")
                         % {"value": shown(text)})
    return int(m[1])


# --- Actors and terms --------------------------------------------------------------------------


class _Journal:
    """A cache that can forget what one row added, when that row's savepoint rolls back."""

    def __init__(self):
        self._added: list[tuple[dict, str]] = []

    def _remember(self, mapping: dict, key: str, value: Any) -> None:
        if key not in mapping:
            mapping[key] = value
            self._added.append((mapping, key))

    def begin_row(self) -> None:
        self._added.clear()

    def discard_row(self) -> None:
        for mapping, key in reversed(self._added):
            mapping.pop(key, None)
        self._added.clear()

    def reset(self) -> None:
        self._added.clear()


class ActorIndex(_Journal):
    """Finds actors as editing.find_actor does (by name, slug or alias, aliases including
    merged actors), from memory: an import looks up thousands of names, and the queries of
    find_actor would be most of its time. New actors get their slug as
    editing.resolve_actor gives it (the source's slug, or the name, slugified)."""

    def __init__(self):
        super().__init__()
        self._loaded = False
        self._by_name: dict[str, Actor] = {}
        self._by_slug: dict[str, Actor] = {}
        self._slugs: dict[str, bool] = {}  # every actor slug in use

    def reset(self) -> None:
        super().reset()
        self._loaded = False
        self._by_name.clear()
        self._by_slug.clear()
        self._slugs.clear()

    def _load(self) -> None:
        if self._loaded:
            return
        by_id = {}
        for actor in Actor.objects.only("id", "slug", "name").order_by("id"):
            by_id[actor.pk] = actor
            self._by_slug[actor.slug] = actor
            self._slugs[actor.slug] = True
        for actor in by_id.values():
            self._by_name.setdefault(actor.name.casefold(), actor)
        for alias in ActorAlias.objects.only("actor_id", "name", "slug").order_by("id"):
            actor = by_id.get(alias.actor_id)
            if actor is None:
                continue
            self._by_name.setdefault(alias.name.casefold(), actor)
            if alias.slug:
                self._by_slug.setdefault(alias.slug, actor)
        self._loaded = True

    def find(self, *keys: str) -> Actor | None:
        self._load()
        for key in keys:
            key = key.strip()
            if not key:
                continue
            slug = slugify(key)
            actor = (self._by_name.get(key.casefold()) or self._by_slug.get(key)
                     or self._by_slug.get(slug) or self._by_slug.get(slug[:110]))
            if actor:
                return actor
        return None

    def get_or_create(self, name: str, *, slug: str = "", kind: str = "company") -> Actor:
        actor = self.find(*(k for k in (slug, name) if k))
        if actor is None:
            base = slugify(slug or name)[:110] or "actor"
            candidate, n = base, 2
            while candidate in self._slugs:
                candidate, n = f"{base}-{n}", n + 1
            actor = Actor.objects.create(name=name.strip()[:200], slug=candidate, kind=kind)
            self._remember(self._slugs, actor.slug, True)
            self._remember(self._by_slug, actor.slug, actor)
            self._remember(self._by_name, actor.name.casefold(), actor)
        return actor


class TermIndex(_Journal):
    """Finds terms of a taxonomy by slug or name; creates them when asked, up to a bound."""

    def __init__(self, max_terms: int | None = None):
        super().__init__()
        self.max_terms = MAX_TERMS_PER_TAXONOMY if max_terms is None else max_terms
        self._taxonomies: dict[str, Taxonomy | None] = {}
        self._terms: dict[str, dict[str, Term]] = {}
        self._counts: dict[str, int] = {}

    def reset(self) -> None:
        super().reset()
        self._taxonomies.clear()
        self._terms.clear()
        self._counts.clear()

    def discard_row(self) -> None:
        if self._added:  # the row created terms: reload lookups and counts (rare, always right)
            self._terms.clear()
            self._counts.clear()
        super().discard_row()

    def taxonomy(self, key: str) -> Taxonomy | None:
        if key not in self._taxonomies:
            self._taxonomies[key] = Taxonomy.objects.filter(key=key).first()
        return self._taxonomies[key]

    def known_taxonomies(self) -> list[str]:
        return list(Taxonomy.objects.order_by("order", "key").values_list("key", flat=True))

    def ensure_taxonomy(self, key: str, name: str, *, description: str = "", is_facet: bool = False,
                        order: int = 100) -> Taxonomy:
        """get_or_create: an editor's later changes to an existing taxonomy are kept."""
        taxonomy, _created = Taxonomy.objects.get_or_create(
            key=key, defaults={"name": name[:200], "description": description,
                               "is_facet": is_facet, "order": order})
        self._taxonomies[key] = taxonomy
        return taxonomy

    def _lookup(self, key: str) -> dict[str, Term]:
        if key not in self._terms:
            lookup: dict[str, Term] = {}
            terms = list(Term.objects.filter(taxonomy__key=key))
            for term in terms:
                lookup.setdefault(term.slug, term)
            for term in terms:
                lookup.setdefault(term.name.casefold(), term)
            self._terms[key] = lookup
            self._counts[key] = len(terms)
        return self._terms[key]

    def find(self, key: str, value: str) -> Term | None:
        lookup = self._lookup(key)
        return (lookup.get(value.casefold()) or lookup.get(value.strip())
                or lookup.get(make_slug(value)))

    def get_or_create(self, key: str, value: str) -> Term | None:
        """The term, created if needed; None when the taxonomy is full."""
        term = self.find(key, value)
        if term is not None:
            return term
        taxonomy = self.taxonomy(key)
        if taxonomy is None or self._counts.get(key, 0) >= self.max_terms:
            return None
        term = Term.objects.create(taxonomy=taxonomy, slug=make_slug(value), name=value[:200])
        lookup = self._terms[key]
        lookup[term.slug] = term
        lookup.setdefault(term.name.casefold(), term)
        self._counts[key] += 1
        self._added.append(({}, term.slug))  # the row wrote to this index
        return term


# --- Writing -----------------------------------------------------------------------------------


@dataclass
class Incoming:
    """One row, read and checked, ready to be written. `build` runs inside the row's
    savepoint (it may create actors and terms) and returns the row's case data: title,
    summary, and whichever of body, date, year, terms, countries, actors, sources it has."""

    line: int
    external_id: str
    build: Callable[[Callable[[str, str], None]], dict[str, Any]]
    columns: dict[str, str] = field(default_factory=dict)  # case-data field → column, for messages
    warnings: list[Problem] = field(default_factory=list)
    actors: int = 0  # how many actors the row names (see MAX_ACTORS_PER_BATCH)


@dataclass
class Ownership:
    """What an import owns on a case it updates; editors' other additions are kept."""

    taxonomies: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    countries: bool = False
    body: bool = False


@dataclass
class ImportStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.skipped

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
        if problem.skipped:
            self.skipped += 1
        else:
            self.warnings += 1

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": self.skipped, "warnings": self.warnings,
                "seconds": round(self.seconds, 2)}


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    """Case data in a canonical order, to tell whether an import would change anything."""
    return {
        "title": data["title"], "year": data["year"], "date": data["date"],
        "summary": data["summary"], "body": data["body"], "status": data["status"],
        "terms": {k: sorted(set(v)) for k, v in data["terms"].items() if v},
        "countries": sorted(set(data["countries"])),
        "actors": sorted({(a["slug"], a["role"], a["name"]) for a in data["actors"]}),
        "sources": [tuple(s.get(f) or "" for f in SOURCE_FIELDS) for s in data["sources"]],
    }


def merge(current: dict[str, Any], incoming: dict[str, Any], owns: Ownership) -> dict[str, Any]:
    """The case data after an update: the import's values for what it owns, the editors'
    for the rest. Empty cells never erase what is there."""
    data = dict(current)
    data["title"] = incoming["title"]
    data["summary"] = incoming["summary"]
    if incoming.get("date"):
        data["date"] = incoming["date"]
        data["year"] = int(incoming["date"][:4])
    elif incoming.get("year"):
        data["year"] = incoming["year"]
        if data.get("date") and not str(data["date"]).startswith(str(incoming["year"])):
            data["date"] = ""
    if owns.body and incoming.get("body"):
        data["body"] = incoming["body"]
    terms = {k: v for k, v in current["terms"].items() if k not in owns.taxonomies}
    terms.update({k: v for k, v in incoming.get("terms", {}).items() if v})
    data["terms"] = terms
    if owns.countries:
        data["countries"] = incoming.get("countries", [])
    kept = [a for a in current["actors"] if a["role"] not in owns.roles]
    data["actors"] = list(incoming.get("actors", [])) + kept
    new_sources = list(incoming.get("sources", []))
    urls = {s["url"] for s in new_sources if s.get("url")}
    titles = {s["title"] for s in new_sources if not s.get("url")}
    data["sources"] = new_sources + [
        s for s in current["sources"]
        if not (s["url"] in urls if s["url"] else s["title"] in titles)]
    return data


def new_case_data(incoming: dict[str, Any], status: str) -> dict[str, Any]:
    date = incoming.get("date") or ""
    return {
        "title": incoming["title"], "summary": incoming["summary"],
        "body": incoming.get("body") or "",
        "date": date, "year": int(date[:4]) if date else incoming.get("year"),
        "status": status, "terms": incoming.get("terms", {}),
        "countries": incoming.get("countries", []), "actors": incoming.get("actors", []),
        "sources": incoming.get("sources", []),
    }


class Importer:
    """Writes Incoming rows as cases, in batches of `batch_size`, each batch in a transaction
    with search indexing deferred to its end, each row in a savepoint."""

    def __init__(self, *, label: str, source: str, owns: Ownership,
                 status: str = CaseStatus.PUBLISHED, batch_size: int = BATCH_SIZE,
                 dry_run: bool = False, indexes: Iterable[_Journal] = ()):
        self.label = label  # who, in revisions and the audit log: "import aiid"
        self.source = source  # where from, in revision summaries
        self.owns = owns
        self.status = status
        self.batch_size = max(1, batch_size)
        self.dry_run = dry_run
        self.indexes = list(indexes)
        self.stats = ImportStats(dry_run=dry_run)
        self._seen: dict[str, int] = {}

    def run(self, items: Iterable[Incoming | Problem], *,
            setup: Callable[[], None] | None = None,
            progress: Callable[[int], None] | None = None,
            audit: dict[str, Any] | None = None) -> ImportStats:
        """Write every row; then (unless a dry run) one audit entry for the whole import.
        A dry run does all the work in a transaction and rolls it back."""
        started = time.monotonic()
        with transaction.atomic() if self.dry_run else nullcontext():
            if setup is not None:
                with transaction.atomic():
                    setup()
            for batch in _chunks(items, self.batch_size):
                self._run_batch(batch, progress or (lambda n: None))
            self.stats.seconds = time.monotonic() - started
            if self.dry_run:
                transaction.set_rollback(True)
            else:
                with transaction.atomic():
                    record(None, AuditAction.IMPORT, None, self._summary(),
                           {**(audit or {}), **self.stats.as_dict()}, label=self.label)
        return self.stats

    def _summary(self) -> str:
        """The audit entry's summary: "AIID: 3 created, 0 updated, 1 unchanged and 0 skipped"."""
        stats = self.stats
        counts = [
            npgettext("rows of an import", "%(n)s created", "%(n)s created", stats.created)
            % {"n": number(stats.created)},
            npgettext("rows of an import", "%(n)s updated", "%(n)s updated", stats.updated)
            % {"n": number(stats.updated)},
            npgettext("rows of an import", "%(n)s unchanged", "%(n)s unchanged", stats.unchanged)
            % {"n": number(stats.unchanged)},
            npgettext("rows of an import", "%(n)s skipped", "%(n)s skipped", stats.skipped)
            % {"n": number(stats.skipped)},
        ]
        return f"{self.source}: {join(counts)}"

    def _run_batch(self, batch: list[Incoming | Problem], progress: Callable[[int], None]) -> None:
        counts = ImportStats()
        try:
            with transaction.atomic(), deferred_indexing():
                ids = [i.external_id for i in batch if isinstance(i, Incoming) and i.external_id]
                existing = {c.external_id: c for c in cases_with_external_ids(ids)}
                for item in batch:
                    if isinstance(item, Problem):
                        counts.add(item)
                    else:
                        self._run_row(item, existing.get(item.external_id), counts)
                    progress(1)
        except DatabaseError as exc:
            for index in self.indexes:
                index.reset()
            for item in batch:
                self.stats.add(item if isinstance(item, Problem) else Problem(item.line, "", _(
                    "not saved: the database refused this batch of rows (%(error)s)")
                    % {"error": _first_line(exc)}))
            return
        self.stats.created += counts.created
        self.stats.updated += counts.updated
        self.stats.unchanged += counts.unchanged
        for problem in counts.problems:
            self.stats.add(problem)

    def _run_row(self, item: Incoming, case: Case | None, counts: ImportStats) -> None:
        if item.external_id:
            first = self._seen.get(item.external_id)
            if first is not None:
                counts.add(Problem(item.line, item.columns.get("id", ""), _(
                    "the id %(id)s already appeared on line %(first)d; this row was left out")
                    % {"id": shown(item.external_id.split(":", 1)[-1]), "first": first}))
                return
            self._seen[item.external_id] = item.line
        warnings = list(item.warnings)

        def warn(column: str, message: str) -> None:
            warnings.append(Problem(item.line, column, message, skipped=False))

        for index in self.indexes:
            index.begin_row()
        try:
            with transaction.atomic():
                outcome = self._write(item, case, warn)
        except Exception as exc:  # noqa: BLE001 - any failure leaves the row out, never half-written
            for index in self.indexes:
                index.discard_row()
            counts.add(self._problem(item, exc))
            return
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        for warning in warnings:
            counts.add(warning)

    def _problem(self, item: Incoming, exc: Exception) -> Problem:
        if isinstance(exc, RowSkip):
            return Problem(item.line, exc.column, exc.message)
        if isinstance(exc, ValidationError):
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            if len(errors) == 1:
                (name, messages), = errors.items()
                return Problem(item.line, item.columns.get(name, name), " ".join(messages))
            return Problem(item.line, "", "; ".join(
                f"{item.columns.get(name, name)}: {' '.join(messages)}"
                for name, messages in errors.items()))
        if isinstance(exc, DatabaseError):
            return Problem(item.line, "", _("the database refused this row (%(error)s)")
                           % {"error": _first_line(exc)})
        return unexpected(item.line, exc)

    def _write(self, item: Incoming, case: Case | None, warn) -> str:
        incoming = item.build(warn)
        if case is None:  # save_case checks the data before it writes anything
            save_case(new_case_data(incoming, self.status), user=None, label=self.label,
                      action=AuditAction.IMPORT, external_id=item.external_id,
                      summary=_("Imported from %(source)s") % {"source": self.source})
            return "created"
        current = snapshot(case)
        clean = clean_case_data(merge(current, incoming, self.owns))
        if _comparable(clean) == _comparable(current):
            return "unchanged"
        save_case(clean, case=case, user=None, label=self.label, action=AuditAction.IMPORT,
                  summary=_("Updated from %(source)s") % {"source": self.source})
        return "updated"


def cases_with_external_ids(ids: Iterable[str]) -> QuerySet[Case]:
    """The cases with these external ids. The condition "not empty" repeats the one of the
    unique index on external_id (a partial index: editors' cases have none): SQLite and
    PostgreSQL seek in that index only when the query says so, and read every case otherwise."""
    return Case.objects.filter(external_id__in=list(ids)).exclude(external_id="").order_by()


def unexpected(line: int, exc: Exception) -> Problem:
    """A row left out because of a fault in the importer itself."""
    return Problem(line, "", _("unexpected error, row left out (%(type)s: %(error)s); please "
                               "report it") % {"type": type(exc).__name__,
                                               "error": _first_line(exc)})


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    actors = 0
    for item in items:
        weight = getattr(item, "actors", 0)
        if batch and actors + weight > MAX_ACTORS_PER_BATCH:
            yield batch
            batch, actors = [], 0
        batch.append(item)
        actors += weight
        if len(batch) >= size:
            yield batch
            batch, actors = [], 0
    if batch:
        yield batch


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else exc.__class__.__name__
