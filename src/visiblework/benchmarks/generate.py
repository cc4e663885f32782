"""Deterministic synthetic data for the benchmarks: cases, actors, worker accounts, reports.

`generate(cases=N, reports=M, seed=S)` writes into the configured database (SQLite or
PostgreSQL) with multi-row inserts on the raw connection, in large batches, so no model
signal runs per row. The search documents are then written in bulk from the generated text
and the catalogue version is bumped once, as `cases.indexing` would after a bulk write.

The shape is meant to be realistic, not pretty:
- actors follow a long tail (a few platforms and clients in many cases, most actors in one);
- each case has terms from every built-in facet taxonomy, one to three countries and one to
  five actors in roles; its text mixes English, French, Spanish, Swahili and Arabic words
  drawn with Zipf-like frequencies;
- wages are log-normal and differ by region, country, task and platform; many reports
  count unpaid time of several kinds, some pay fees; a share of reports belongs to worker
  accounts that hold several reports each.

Every report is marked `synthetic=True` and gets a unique receipt hash. The same sizes and
seed give the same rows (ids aside, when the database already holds rows).
"""

from __future__ import annotations

import base64
import multiprocessing
import os
import shutil
import sqlite3
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import islice, repeat
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from visiblework.accounts.models import User
from visiblework.cases.indexing import bump_catalogue_version, search_document
from visiblework.cases.models import (
    Actor,
    ActorKind,
    Case,
    CaseActor,
    CaseCountry,
    CaseStatus,
    SearchDocument,
    Source,
    Term,
)
from visiblework.refdata.services import get_rates
from visiblework.reports.models import Report

from . import vocabulary as vocab

Progress = Callable[[str, int, int], None]  # (phase label, done now, phase total)
BATCH = 20_000  # rows per executemany call
CHUNK = 100_000  # reports built in Python at a time
STAGED_ROWS = 400_000  # reports staged in one file, copied in one transaction (see _insert_staged)
STAGED_AHEAD = 2  # files staged on disk, at most, before the parent copies them
SENTENCES_PER_LANGUAGE = 4000


@dataclass
class GenerateStats:
    cases: int = 0
    actors: int = 0
    reports: int = 0
    accounts: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- Writing -----------------------------------------------------------------------------------


@dataclass
class _Shape:
    """The columns of an INSERT: quoted names, and for each either "%s" (a value per row, in
    `values`) or an SQL literal, the same in every row."""
    table: str
    names: list[str]
    slots: list[str]
    values: list[Iterable[Any]]

    def rows(self, n: int) -> Iterable[tuple]:
        return zip(*self.values, strict=False) if self.values else repeat((), n)

    def staged_columns(self) -> list[str]:
        """The columns of a staged file (`_stage_chunks`): one per value bound."""
        return [f"c{i}" for i in range(len(self.values))]

    def staged_select(self) -> list[str]:
        """What to select from a staged file for `names`: its columns, and the literals."""
        staged = iter(self.staged_columns())
        return [next(staged) if slot == "%s" else slot for slot in self.slots]


def _column_rows(model, columns: dict[str, Any], n: int) -> tuple[str, Iterable[tuple]]:
    """An INSERT statement for `model` and its rows (see `_shape`)."""
    shape = _shape(model, columns, n)
    # Identifiers come from the model's metadata, quoted; values are parameters, or literals
    # made by _literal from the generator's own constants.
    sql = (f"INSERT INTO {shape.table} ({', '.join(shape.names)}) "  # noqa: S608
           f"VALUES ({', '.join(shape.slots)})")
    return sql, shape.rows(n)


def _shape(model, columns: dict[str, Any], n: int) -> _Shape:
    """`columns` maps field names to lists of n values, or to one value for every row. Fields
    left out get their default or NULL, so a field added to the model later does not break
    the generator."""
    qn = connection.ops.quote_name
    names: list[str] = []
    values: list[Iterable[Any]] = []
    slots: list[str] = []
    for model_field in model._meta.concrete_fields:
        name = model_field.name
        if name in columns:
            value = columns[name]
        elif model_field.primary_key:
            continue  # let the database number the rows
        elif model_field.has_default():
            value = model_field.get_db_prep_save(model_field.get_default(), connection)
        elif model_field.null:
            value = None
        elif getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            value = connection.ops.adapt_datetimefield_value(datetime.now(UTC))
        elif getattr(model_field, "blank", False):
            value = ""
        else:
            raise ValueError(f"no value for {model.__name__}.{name}")
        names.append(qn(model_field.column))
        if isinstance(value, list):
            values.append(value)
            slots.append("%s")
        elif not _has_literal(value):  # a date or time: bound, the same in every row
            values.append(repeat(value, n))
            slots.append("%s")
        else:  # the same value in every row: written into the statement once
            slots.append(_literal(value))
    return _Shape(qn(model._meta.db_table), names, slots, values)


def _has_literal(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def _literal(value: Any) -> str:
    """A constant of the generator (or a model default) as an SQL literal: binding the same
    value to millions of rows was a fifth of the insert's time."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''").replace("%", "%%") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def _insert(model, columns: dict[str, Any], n: int, progress: Progress | None = None,
            label: str = "") -> None:
    if n == 0:
        return
    sql, rows = _column_rows(model, columns, n)
    with connection.cursor() as cursor:
        for start in range(0, n, BATCH):
            size = min(BATCH, n - start)
            cursor.executemany(sql, islice(rows, size))  # rows made as they are written
            if progress:
                progress(label, size, 0)


def _insert_chunks(model, prepare: Callable[[], Callable[[int, int], dict[str, Any]]], n: int,
                   progress: Progress | None = None, label: str = "",
                   meanwhile: Callable[[], None] | None = None) -> None:
    """The rows 0..n of `model`: `prepare()` returns `build`, and `build(a, b)` the columns
    of rows a..b. `meanwhile()`, if given, writes other rows before these. On SQLite,
    outside a transaction, with more than one chunk, the rows are prepared and staged by a
    second process while this one runs `meanwhile` and then copies them
    (`_insert_staged`); otherwise all is done here, the rows in one transaction."""
    if (n > CHUNK and connection.vendor == "sqlite" and not connection.in_atomic_block
            and "fork" in multiprocessing.get_all_start_methods()):
        # The first file is one chunk, so that the copying starts early.
        staged = [(0, CHUNK), *_bounds(n, STAGED_ROWS, CHUNK)]
        _insert_staged(model, prepare, staged, progress, label, meanwhile)
        return
    if meanwhile:
        meanwhile()
    build = prepare()
    with transaction.atomic():
        for a, b in _bounds(n, CHUNK):
            _insert(model, build(a, b), b - a, progress, label)


def _bounds(n: int, size: int, start: int = 0) -> list[tuple[int, int]]:
    return [(a, min(n, a + size)) for a in range(start, n, size)]


def _insert_staged(model, prepare: Callable[[], Callable[[int, int], dict[str, Any]]],
                   bounds: Sequence[tuple[int, int]], progress: Progress | None = None,
                   label: str = "", meanwhile: Callable[[], None] | None = None) -> None:
    """Two cores at work on one SQLite database: a forked process builds the rows of each of
    `bounds` (CHUNK rows at a time) and writes them, with no index, constraint or journal,
    into a file of its own (binding each row's values was a third of the time; building them
    a fifth); this process copies each staged file into the table with one INSERT ... SELECT
    (the indexes' work, in SQLite's own code) and commits it, while the other process stages
    the next one. At most STAGED_AHEAD files wait on disk. Each file is one transaction here:
    an interrupted run keeps the rows copied so far, as the generator's data is throw-away
    (see `_fast_sqlite`)."""
    context = multiprocessing.get_context("fork")
    folder = Path(tempfile.mkdtemp(prefix="visiblework-generate-"))
    here, there = context.Pipe()
    room = context.Semaphore(STAGED_AHEAD)
    stager = context.Process(target=_stage_chunks,
                             args=(model, prepare, bounds, folder, there, room, os.getpid()),
                             daemon=True)
    stager.start()
    there.close()
    try:
        if meanwhile:
            meanwhile()
        for a, b in bounds:
            try:
                kind, text, names, selected = here.recv()
            except EOFError:
                raise RuntimeError(_("The process that builds the synthetic rows stopped.")) from None
            if kind == "failed":
                raise RuntimeError(text)
            with connection.cursor() as cursor:
                cursor.execute("ATTACH DATABASE %s AS staged", [text])
                try:
                    with transaction.atomic():
                        # Names from the model's metadata; literals from _literal.
                        cursor.execute(f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "  # noqa: S608
                                       f"({', '.join(names)}) SELECT {', '.join(selected)} "
                                       f"FROM staged.rows ORDER BY rowid", ())
                finally:
                    cursor.execute("DETACH DATABASE staged")
            Path(text).unlink()
            room.release()
            if progress:
                progress(label, b - a, 0)
    finally:
        here.close()
        if stager.is_alive():
            stager.terminate()
        stager.join()
        shutil.rmtree(folder, ignore_errors=True)


def _stage_chunks(model, prepare: Callable[[], Callable[[int, int], dict[str, Any]]],
                  bounds: Sequence[tuple[int, int]], folder: Path, parent, room,
                  parent_pid: int) -> None:
    """In the forked process: each chunk's rows into a new SQLite file, then its path and
    the statement's shape to the parent. The parent's database connection is never used
    here. If the parent is gone (killed), this process stops instead of waiting for it."""
    try:
        build = prepare()
        for index, (first, last) in enumerate(bounds):
            while not room.acquire(timeout=1.0):
                if os.getppid() != parent_pid:
                    return
            path = folder / f"staged-{index}.sqlite3"
            staged = sqlite3.connect(path, isolation_level=None)
            try:
                staged.execute("PRAGMA journal_mode=OFF")
                staged.execute("PRAGMA synchronous=OFF")
                staged.execute("BEGIN")
                for a, b in _bounds(last, CHUNK, first):
                    shape = _shape(model, build(a, b), b - a)
                    if a == first:
                        staged.execute(f"CREATE TABLE rows ({', '.join(shape.staged_columns())})")
                    slots = ", ".join("?" * len(shape.values))  # one per value bound
                    staged.executemany(f"INSERT INTO rows VALUES ({slots})", shape.rows(b - a))  # noqa: S608
                staged.execute("COMMIT")
            finally:
                staged.close()
            parent.send(("staged", str(path), shape.names, shape.staged_select()))
    except Exception:  # noqa: BLE001 - the parent raises it, with the traceback
        parent.send(("failed", traceback.format_exc(), [], []))
    finally:
        parent.close()


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _reset_sequences(models: Sequence) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@contextmanager
def _fast_sqlite(throwaway: bool = False) -> Iterator[None]:
    """Bulk-load settings for this connection only, restored afterwards: no fsync, a large
    page cache (up to 3 GiB, taken as the tables grow: the unique indexes of random hashes
    stay in it), the rollback journal in memory instead of the write-ahead log (which wrote
    every page twice), and no foreign-key lookups per row (the generator makes its own keys).
    A crash mid-generation may lose or spoil the synthetic database, which is fine for
    throw-away data. With `throwaway` (a database that holds no real data) there is no
    rollback journal at all: keeping the original of every index page a transaction changes
    was a tenth of the copying at 10,000,000 reports, and an error mid-way may then spoil
    the database (SQLite cannot roll back without a journal)."""
    if connection.vendor != "sqlite":
        yield
        return
    # Inside a transaction (a test's) neither the journal nor foreign keys can change.
    outside = not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = str(cursor.fetchone()[0])
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-3145728")  # 3 GiB: the unique indexes stay cached
        cursor.execute("PRAGMA temp_store=MEMORY")
        if outside:
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute(f"PRAGMA journal_mode={'OFF' if throwaway else 'MEMORY'}")
    try:
        yield
    finally:
        if outside:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute(f"PRAGMA journal_mode={journal}")  # read from SQLite itself


def _dt(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _d(value: date) -> Any:
    return connection.ops.adapt_datefield_value(value)


# --- Text --------------------------------------------------------------------------------------


def _zipf(n: int, exponent: float = 1.0) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return weights / weights.sum()


class TextPool:
    """Sentences per language, built once, drawn by index."""

    def __init__(self, rng: np.random.Generator):
        self.sentences: dict[str, list[str]] = {}
        self.titles: dict[str, list[str]] = {}
        for language, words in vocab.LANGUAGES.items():
            p = _zipf(len(words), 0.9)
            lengths = rng.integers(8, 21, SENTENCES_PER_LANGUAGE)
            picks = rng.choice(len(words), size=int(lengths.sum()), p=p)
            out, start = [], 0
            for length in lengths.tolist():
                chosen = [words[i] for i in picks[start : start + length].tolist()]
                start += length
                out.append(" ".join(chosen).capitalize() + ".")
            self.sentences[language] = out
            title_lengths = rng.integers(3, 8, SENTENCES_PER_LANGUAGE)
            picks = rng.choice(len(words), size=int(title_lengths.sum()), p=p)
            titles, start = [], 0
            for length in title_lengths.tolist():
                titles.append(" ".join(words[i] for i in picks[start : start + length].tolist()))
                start += length
            self.titles[language] = titles


# --- Actors ------------------------------------------------------------------------------------


@dataclass
class ActorPools:
    ids: dict[str, list[int]]  # pool -> actor ids, most used first
    names: dict[int, str]


def _actor_name(rng: np.random.Generator, syllable_p: np.ndarray) -> str:
    parts = rng.choice(len(vocab.SYLLABLES), size=int(rng.integers(2, 4)), p=syllable_p)
    stem = "".join(vocab.SYLLABLES[i] for i in parts.tolist()).capitalize()
    return f"{stem} {vocab.SUFFIXES[int(rng.integers(len(vocab.SUFFIXES)))]}"


def make_actors(rng: np.random.Generator, n: int, now: datetime) -> ActorPools:
    """At least `n` new actors in three pools (companies and clients, platforms and vendors,
    groups of people), plus the well-known platforms and clients if they are missing."""

    existing = dict(Actor.objects.values_list("slug", "id"))
    taken_names = {name.lower() for name in Actor.objects.values_list("name", flat=True)}
    next_id = _next_id(Actor)
    rows: dict[str, list] = {k: [] for k in ("id", "slug", "name", "kind", "country")}
    pools: dict[str, list[int]] = {"company": [], "platform": [], "group": [], "client": []}
    names: dict[int, str] = dict(Actor.objects.values_list("id", "name"))

    def add(name: str, kind: str, pool: str, country: str = "") -> None:
        nonlocal next_id
        slug = slugify(name)[:110] or "actor"
        if slug in existing:
            pools[pool].append(existing[slug])
            return
        base, k = slug, 2
        while slug in existing or name.lower() in taken_names:
            slug, name = f"{base}-{k}", f"{name.rsplit(' #', 1)[0]} #{k}"
            k += 1
        existing[slug] = next_id
        taken_names.add(name.lower())
        for key, value in (("id", next_id), ("slug", slug), ("name", name), ("kind", kind),
                           ("country", country)):
            rows[key].append(value)
        pools[pool].append(next_id)
        names[next_id] = name
        next_id += 1

    for name in vocab.WELL_KNOWN_PLATFORMS:
        add(name, ActorKind.PLATFORM, "platform")
    for name in vocab.WELL_KNOWN_CLIENTS:
        add(name, ActorKind.CLIENT, "client")
    for name in vocab.GROUPS:
        add(name, ActorKind.GROUP, "group")
    syllable_p = _zipf(len(vocab.SYLLABLES), 0.6)
    country_codes = [c for c, _w in vocab.CASE_COUNTRIES]
    kinds = [(ActorKind.COMPANY, "company", 0.38), (ActorKind.PRODUCT, "company", 0.08),
             (ActorKind.GOVERNMENT, "company", 0.04), (ActorKind.CLIENT, "client", 0.15),
             (ActorKind.PLATFORM, "platform", 0.12), (ActorKind.VENDOR, "platform", 0.13),
             (ActorKind.ORGANISATION, "group", 0.05), (ActorKind.GROUP, "group", 0.05)]
    kind_p = np.array([w for _k, _p, w in kinds])
    kind_draws = rng.choice(len(kinds), size=n, p=kind_p / kind_p.sum())
    countries = rng.choice(len(country_codes) + 1, size=n)
    for i in range(n):
        kind, pool, _w = kinds[int(kind_draws[i])]
        c = int(countries[i])
        add(_actor_name(rng, syllable_p), kind, pool, country_codes[c] if c < len(country_codes) else "")
    count = len(rows["id"])
    stamp = _dt(now)
    _insert(Actor, {"id": rows["id"], "slug": rows["slug"], "name": rows["name"],
                    "kind": rows["kind"], "country": rows["country"], "url": "",
                    "description": "", "created_at": stamp, "updated_at": stamp}, count)
    return ActorPools(pools, names)


# --- Cases -------------------------------------------------------------------------------------

ROLE_PLAN = [  # (role, pool, probability a case has an actor in it)
    ("deployer", "company", 0.7), ("developer", "company", 0.45), ("platform", "platform", 0.35),
    ("vendor", "platform", 0.15), ("client", "client", 0.3), ("harmed_party", "group", 0.55),
]
TERM_COUNTS = {"justice_area": (1, 2), "impact": (1, 3), "layer": (1, 2)}


def make_cases(n: int, seed: int, progress: Progress | None = None) -> tuple[int, int]:
    """`n` cases with terms, countries, actors, sources and search documents. Returns
    (cases, actors created)."""

    rng = np.random.default_rng([seed, 1])
    now = datetime.now(UTC).replace(microsecond=0)
    actors_before = Actor.objects.count()
    pools = make_actors(rng, max(20, n // 4), now)
    actors_made = Actor.objects.count() - actors_before
    if progress:
        progress(_("actors"), actors_made, actors_made)
    text = TextPool(rng)

    terms: dict[str, list[tuple[int, str]]] = {}
    term_names: dict[int, str] = {}
    for term_id, key, slug, name in Term.objects.values_list("id", "taxonomy__key", "slug",
                                                             "name"):
        terms.setdefault(key, []).append((term_id, slug))
        term_names[term_id] = name
    region_terms = dict((slug, term_id) for term_id, slug in terms.get("region", []))

    first = _next_id(Case)
    ids = list(range(first, first + n))
    year_span = np.arange(2000, now.year + 1)
    year_p = np.exp((year_span - now.year) / 4.0)
    years = rng.choice(year_span, size=n, p=year_p / year_p.sum())
    months = rng.integers(1, 13, n)
    days = rng.integers(1, 29, n)
    precision = rng.choice(3, size=n, p=[0.15, 0.25, 0.6])
    statuses = rng.choice([CaseStatus.PUBLISHED, CaseStatus.DRAFT, CaseStatus.RETRACTED], size=n,
                          p=[0.97, 0.02, 0.01])
    languages = list(vocab.LANGUAGE_WEIGHTS)
    lang_p = np.array(list(vocab.LANGUAGE_WEIGHTS.values()))
    case_lang = rng.choice(len(languages), size=n, p=lang_p / lang_p.sum())
    codes = [c for c, _w in vocab.CASE_COUNTRIES]
    code_p = np.array([w for _c, w in vocab.CASE_COUNTRIES])
    code_p = code_p / code_p.sum()
    pool_p = {name: _zipf(len(ids_), 1.1) for name, ids_ in pools.ids.items() if ids_}
    stamps = [_dt(now - timedelta(days=int(d))) for d in rng.integers(0, 3650, 2000)]
    stamp_pick = rng.integers(0, len(stamps), n)

    # Draw everything up front: one call per column is much faster than calls per case.
    n_codes = rng.integers(1, 4, n).tolist()
    code_draws = rng.choice(len(codes), size=(n, 3), p=code_p).tolist()
    role_present = (rng.random((n, len(ROLE_PLAN)))
                    < np.array([p for _r, _pool, p in ROLE_PLAN])).tolist()
    role_actor = {pool: rng.choice(len(pools.ids[pool]), size=(n, 2), p=pool_p[pool]).tolist()
                  for pool in pool_p}
    term_draws = {}
    for key, (low, high) in TERM_COUNTS.items():
        available = terms.get(key, [])
        if available:
            term_draws[key] = (rng.integers(low, high + 1, n).tolist(),
                               rng.choice(len(available), size=(n, high),
                                          p=_zipf(len(available), 0.7)).tolist())
    picks_all = rng.integers(0, SENTENCES_PER_LANGUAGE, (n, 8)).tolist()
    paragraphs_all = rng.integers(1, 4, n).tolist()
    n_sources = rng.integers(1, 4, n).tolist()
    outlet_draws = rng.integers(0, len(vocab.OUTLETS), (n, 3)).tolist()
    source_title_draws = rng.integers(0, SENTENCES_PER_LANGUAGE, (n, 3)).tolist()
    years_l, months_l, days_l = years.tolist(), months.tolist(), days.tolist()
    precision_l, statuses_l = precision.tolist(), [str(s) for s in statuses.tolist()]
    case_lang_l, stamp_pick_l = case_lang.tolist(), stamp_pick.tolist()
    outlet_slugs = [slugify(o) for o in vocab.OUTLETS]

    case_cols: dict[str, list] = {k: [] for k in ("id", "slug", "title", "year", "date", "summary",
                                                   "body", "status", "external_id", "created_at",
                                                   "updated_at", "published_at")}
    term_rows: tuple[list, list] = ([], [])
    country_rows: tuple[list, list] = ([], [])
    actor_rows: tuple[list, list, list] = ([], [], [])
    source_cols: dict[str, list] = {k: [] for k in ("case", "order", "url", "title", "publisher",
                                                     "authors", "date", "archived_url")}
    doc_cols: dict[str, list] = {k: [] for k in (
        "case", "title", "summary", "body", "actors", "sources", "labels", "title_stems",
        "summary_stems", "labels_stems", "actors_stems", "sources_stems", "body_stems")}
    published = str(CaseStatus.PUBLISHED)
    draft = str(CaseStatus.DRAFT)
    for i, case_id in enumerate(ids):
        language = languages[case_lang_l[i]]
        sentences = text.sentences[language]
        # Countries first: the region terms follow from them.
        case_codes = list(dict.fromkeys(codes[j] for j in code_draws[i][: n_codes[i]]))
        for code in case_codes:
            country_rows[0].append(case_id)
            country_rows[1].append(code)
        # Actors in roles (one actor at most in each role here).
        case_actor_names: list[str] = []
        for r, (role, pool, _p) in enumerate(ROLE_PLAN):
            if not role_present[i][r] or pool not in role_actor:
                continue
            actor_id = pools.ids[pool][role_actor[pool][i][r % 2]]
            actor_rows[0].append(case_id)
            actor_rows[1].append(actor_id)
            actor_rows[2].append(role)
            case_actor_names.append(pools.names[actor_id])
        lead = case_actor_names[0] if case_actor_names else vocab.GROUPS[i % len(vocab.GROUPS)]
        # Terms.
        first_term = len(term_rows[1])
        for key, (counts, draws) in term_draws.items():
            available = terms[key]
            for j in dict.fromkeys(draws[i][: counts[i]]):
                term_rows[0].append(case_id)
                term_rows[1].append(available[j][0])
        for region in sorted({"global-north" if c in vocab.NORTH else "global-south" for c in case_codes}):
            if region in region_terms:
                term_rows[0].append(case_id)
                term_rows[1].append(region_terms[region])
        # Text.
        picks = picks_all[i]
        title = f"{lead}: {text.titles[language][picks[0]]}"[:300]
        summary = f"{sentences[picks[1]]} {sentences[picks[2]]}"
        body = "\n\n".join(f"{sentences[picks[3 + p]]} {sentences[picks[4 + p]]}"
                           for p in range(paragraphs_all[i]))
        year = years_l[i]
        kind = precision_l[i]
        case_date = (str(year) if kind == 0 else f"{year}-{months_l[i]:02d}" if kind == 1
                     else f"{year}-{months_l[i]:02d}-{days_l[i]:02d}")
        status = statuses_l[i]
        stamp = stamps[stamp_pick_l[i]]
        case_cols["id"].append(case_id)
        case_cols["slug"].append(slugify(title)[:120] or "case")
        case_cols["title"].append(title)
        case_cols["year"].append(year)
        case_cols["date"].append(case_date)
        case_cols["summary"].append(summary)
        case_cols["body"].append(body)
        case_cols["status"].append(status)
        case_cols["external_id"].append(f"bench:{seed}:{case_id}")
        case_cols["created_at"].append(stamp)
        case_cols["updated_at"].append(stamp)
        case_cols["published_at"].append(stamp if status != draft else None)
        # Sources.
        source_texts = []
        for order in range(n_sources[i]):
            outlet = vocab.OUTLETS[outlet_draws[i][order]]
            source_title = text.titles[language][source_title_draws[i][order]].capitalize()
            source_cols["case"].append(case_id)
            source_cols["order"].append(order)
            source_cols["url"].append(
                f"https://example.org/{outlet_slugs[outlet_draws[i][order]]}/{case_id}-{order}")
            source_cols["title"].append(source_title)
            source_cols["publisher"].append(outlet)
            source_cols["authors"].append("")
            source_cols["date"].append(case_date)
            source_cols["archived_url"].append("")
            source_texts.append(f"{source_title} {outlet}")
        if status == published:
            doc_cols["case"].append(case_id)
            document = search_document(
                title=title, summary=summary, body=body, actor_names=case_actor_names,
                sources=source_texts, country_codes=case_codes,
                term_names=[term_names[t] for t in term_rows[1][first_term:]])
            for key, value in document.items():
                doc_cols[key].append(value)
        if progress and (i + 1) % 5000 == 0:
            progress(_("cases"), 5000, n)
    if progress and n % 5000:
        progress(_("cases"), n % 5000, n)

    with transaction.atomic():
        _insert(Case, case_cols, n)
        _insert(Case.terms.through, {"case": term_rows[0], "term": term_rows[1]}, len(term_rows[0]))
        _insert(CaseCountry, {"case": country_rows[0], "code": country_rows[1]}, len(country_rows[0]))
        _insert(CaseActor, {"case": actor_rows[0], "actor": actor_rows[1], "role": actor_rows[2]},
                len(actor_rows[0]))
        _insert(Source, source_cols, len(source_cols["case"]))
        _reset_sequences([Case, Actor])
    with transaction.atomic():
        write_search_documents(SearchDocument, doc_cols, progress)
        bump_catalogue_version()
    return n, actors_made


def write_search_documents(model, doc_cols: dict[str, list], progress: Progress | None) -> None:
    """Insert the search documents in bulk. On SQLite the FTS5 insert trigger is set aside
    for the load and the full-text index rebuilt once from its content table, which is
    several times faster than one trigger call per row; the trigger is restored as it was."""
    n = len(doc_cols["case"])
    trigger_sql = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type='trigger' "
                           "AND name='cases_fts_insert'")
            found = cursor.fetchone()
            if found:
                trigger_sql = found[0]
                cursor.execute("DROP TRIGGER cases_fts_insert")
    try:
        _insert(model, doc_cols, n, progress, _("search index"))
    finally:
        if trigger_sql:
            with connection.cursor() as cursor:
                cursor.execute(trigger_sql)
                cursor.execute("INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')")


# --- Worker accounts and reports ---------------------------------------------------------------

TASK_WEIGHTS = {
    "image_video_annotation": 0.22, "text_annotation": 0.16, "audio_transcription": 0.08,
    "content_moderation": 0.14, "data_generation": 0.07, "search_ads_rating": 0.1,
    "response_ranking": 0.12, "posing_as_ai": 0.02, "monitoring_feeds": 0.04, "other": 0.05,
}
TASK_EFFECT = {"content_moderation": 0.1, "response_ranking": 0.35, "data_generation": -0.25,
               "audio_transcription": -0.1, "posing_as_ai": 0.05, "monitoring_feeds": -0.15}
HUB_WEIGHTS = {"KE": 8, "PH": 8, "IN": 8, "VE": 6, "NG": 5, "MG": 3, "UG": 4, "US": 6,
               "GB": 3, "DE": 2, "BR": 3, "PK": 3, "BD": 3, "CO": 3, "EG": 2, "SY": 1}
UNPAID = [("training", 0.5, 0.06), ("qualification", 0.3, 0.04), ("waiting", 0.65, 0.12),
          ("rejected", 0.35, 0.05), ("returned", 0.2, 0.03), ("payments", 0.15, 0.01),
          ("homework", 0.08, 0.05)]  # kind, share of reports with it, mean share of paid hours
HARM_SETS = ["[]", '["violence"]', '["violence", "sexual"]', '["hate"]',
             '["violence", "self_harm", "sexual"]', '["other"]']
SUPPORT_SETS = ["[]", "[]", '["breaks"]', '["counselling"]', '["counselling", "rotation"]',
                '["training"]']


def _quarters(today: date, n: int = 12) -> list[tuple[int, int]]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _i in range(n):
        out.append((year, quarter))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return out[::-1]


@dataclass
class _Country:
    code: str
    region: str
    currency: str
    weight: float
    effect: float
    gen_usd: float  # US$ per unit of the local currency, for making up amounts (latest known)
    usd: dict[int, float]  # US$ per local unit by year: the conversion the app would use
    ppp: dict[int, float]  # local units per international $ by year


def _report_countries(rng: np.random.Generator, years: list[int]) -> list[_Country]:

    rates = get_rates()
    out = []
    for code in sorted(rates.countries):
        local = rates.local_currency(code, max(years))
        if not local:
            continue
        usd: dict[int, float] = {}
        ppp: dict[int, float] = {}
        for year in range(min(years) - 3, max(years) + 1):
            currency = rates.local_currency(code, year)
            rate = rates.usd_per_unit(currency, year) if currency else None
            if rate is not None and currency == local:
                usd[year] = float(rate)
            factor = rates.ppp_lcu_per_intl(code, year)
            if factor is not None and currency == local:
                ppp[year] = float(factor)
        if not usd:
            continue
        region = rates.region_of(code) or ("global-north" if code in vocab.NORTH else "global-south")
        north = region == "global-north"
        out.append(_Country(code, region, local, HUB_WEIGHTS.get(code, 0.3),
                            float(rng.normal(0, 0.25)) + (np.log(13.0) if north else np.log(2.2)),
                            usd[max(usd)], usd, ppp))
    if not out:
        raise RuntimeError(_("No country has an exchange rate: load reference data first."))
    return out


def plan_accounts(n_reports: int, rng: np.random.Generator) -> tuple[list[int], np.ndarray]:
    """Worker accounts holding about 45% of the reports, 1 to 30 each (most hold a few).
    Returns (user ids, reports per user); `write_accounts` writes them."""

    target = int(n_reports * 0.45)
    counts = np.minimum(1 + rng.geometric(0.22, size=max(1, target // 3 + 10)), 30)
    cumulative = np.cumsum(counts)
    k = int(np.searchsorted(cumulative, target)) + 1
    counts = counts[:k]
    if counts.sum() > target:
        counts[-1] -= counts.sum() - target
    counts = counts[counts > 0]
    first = _next_id(User)
    return list(range(first, first + len(counts))), counts


def write_accounts(ids: list[int]) -> None:
    now = _dt(datetime.now(UTC).replace(microsecond=0))
    with transaction.atomic():
        _insert(User, {"id": ids, "password": "!synthetic", "last_login": None,
                       "is_superuser": False, "username": [f"synthetic-worker-{i}" for i in ids],
                       "first_name": "", "last_name": "", "email": "", "is_staff": False,
                       "is_active": True, "date_joined": now, "role": "worker"}, len(ids))
        _reset_sequences([User])


def _platform_and_client_ids() -> tuple[list[int], list[int]]:

    def ordered(kinds: list[str], preferred: list[str]) -> list[int]:
        rows = dict(Actor.objects.filter(kind__in=kinds).order_by("id").values_list("name", "id"))
        first = [rows.pop(name) for name in preferred if name in rows]
        return first + list(rows.values())[:400]

    platforms = ordered([ActorKind.PLATFORM, ActorKind.VENDOR], vocab.WELL_KNOWN_PLATFORMS)
    clients = ordered([ActorKind.CLIENT], vocab.WELL_KNOWN_CLIENTS)
    return platforms, clients


def make_reports(n: int, seed: int, progress: Progress | None = None) -> tuple[int, int]:
    """`n` synthetic reports. Returns (reports, accounts created)."""

    if n <= 0:
        return 0, 0
    rng = np.random.default_rng([seed, 2])
    today = datetime.now(UTC).date()
    quarters = _quarters(today)
    years_used = sorted({y for y, _q in quarters})
    countries = _report_countries(rng, years_used)
    platforms, clients = _platform_and_client_ids()
    if not platforms:
        make_actors(rng, 0, datetime.now(UTC))
        platforms, clients = _platform_and_client_ids()
    platform_effect = rng.normal(0, 0.15, len(platforms))
    user_ids, per_user = plan_accounts(n, rng)
    n_users = len(user_ids)
    first = _next_id(Report)

    def prepare() -> Callable[[int, int], dict[str, Any]]:
        """The rows' values as arrays, and the function that makes a chunk's columns from
        them: run where the rows are built (the staging process, on SQLite), while this
        process writes the accounts. It draws from `rng` after the accounts, as before."""
        # Who wrote each report: accounts first (their reports share country and platform), then
        # anonymous reports; shuffled so that ids do not follow accounts.
        country_p = np.array([c.weight for c in countries], dtype=float)
        country_p /= country_p.sum()
        platform_p = _zipf(len(platforms), 1.2)
        client_p = _zipf(max(1, len(clients)), 1.1)
        task_names = list(TASK_WEIGHTS)
        task_p = np.array(list(TASK_WEIGHTS.values()))
        task_p /= task_p.sum()
        user_country = rng.choice(len(countries), size=n_users, p=country_p)
        user_platform = rng.choice(len(platforms), size=n_users, p=platform_p)
        user_task = rng.choice(len(task_names), size=n_users, p=task_p)
        owner = np.full(n, -1, dtype=np.int64)
        owned = int(per_user.sum())
        owner[:owned] = np.repeat(np.arange(n_users), per_user)
        rng.shuffle(owner)
        has_owner = owner >= 0
        own = np.where(has_owner, owner, 0)
        country = np.where(has_owner & (rng.random(n) < 0.95), user_country[own],
                           rng.choice(len(countries), size=n, p=country_p))
        platform = np.where(has_owner & (rng.random(n) < 0.8), user_platform[own],
                            rng.choice(len(platforms), size=n, p=platform_p))
        task = np.where(has_owner & (rng.random(n) < 0.7), user_task[own],
                        rng.choice(len(task_names), size=n, p=task_p))
        client = np.where(rng.random(n) < 0.7, rng.choice(max(1, len(clients)), size=n, p=client_p), -1)
        if not clients:
            client[:] = -1

        # When: the last 12 quarters, recent ones more often, none in the future.
        quarter_p = np.linspace(1.0, 2.0, len(quarters))
        quarter_pick = rng.choice(len(quarters), size=n, p=quarter_p / quarter_p.sum())
        year = np.array([q[0] for q in quarters])[quarter_pick]
        quarter = np.array([q[1] for q in quarters])[quarter_pick]
        lag = rng.integers(0, 7, n)  # months between the quarter's end and the report
        end_month = (year * 12 + quarter * 3 - 1) + lag
        end_month = np.minimum(end_month, today.year * 12 + today.month - 1)
        months = sorted(set(end_month.tolist()))
        month_value = {m: _d(date(m // 12, m % 12 + 1, 1)) for m in months}

        # Pay: a log-normal nominal hourly wage in US$ by country, task and platform.
        country_effect = np.array([c.effect for c in countries])[country]
        task_effect = np.array([TASK_EFFECT.get(t, 0.0) for t in task_names])[task]
        nominal_usd = np.exp(country_effect + task_effect + platform_effect[platform]
                             + rng.normal(0, 0.45, n))
        basis_names = ["per_task", "per_hour", "per_day", "per_week", "per_month", "per_project"]
        basis = rng.choice(len(basis_names), size=n, p=[0.34, 0.3, 0.04, 0.16, 0.1, 0.06])
        paid = np.select(
            [basis == 0, basis == 1, basis == 2, basis == 3, basis == 4],
            [rng.uniform(5, 250, n), rng.uniform(5, 300, n), rng.uniform(4, 12, n),
             rng.uniform(10, 50, n), rng.uniform(40, 180, n)],
            rng.uniform(5, 120, n))
        paid = np.round(paid * 4) / 4  # quarter hours
        unpaid_cols = {}
        unpaid_total = np.zeros(n)
        for kind, share, mean in UNPAID:
            hours = np.where(rng.random(n) < share, rng.exponential(mean, n) * paid, 0.0)
            hours = np.round(hours * 2) / 2
            unpaid_cols[kind] = hours
            unpaid_total += hours
        # Keep paid + unpaid within what one report can describe (a day, week or month).
        cap = np.select([basis == 2, basis == 3, basis == 4], [24.0, 168.0, 744.0], 2184.0)
        over = (paid + unpaid_total) > cap
        if over.any():
            scale = np.where(over, np.maximum(cap - paid, 0) / np.maximum(unpaid_total, 1e-9), 1.0)
            unpaid_total = np.zeros(n)
            for kind in unpaid_cols:
                unpaid_cols[kind] = np.floor(unpaid_cols[kind] * scale * 2) / 2
                unpaid_total += unpaid_cols[kind]
        paid_in_usd = rng.random(n) < 0.25
        gen_usd = np.array([c.gen_usd for c in countries])[country]
        usd_per_unit_gen = np.where(paid_in_usd, 1.0, gen_usd)
        total_pay = nominal_usd * paid / usd_per_unit_gen  # in the pay currency
        units = np.where(basis == 0, np.maximum(1, np.round(paid * rng.uniform(5, 60, n))),
                         0).astype(np.int64)
        amount = np.select([basis == 0, basis == 1], [total_pay / np.maximum(units, 1), total_pay / paid],
                           total_pay)
        amount = np.round(amount, 4)
        total_pay = np.select([basis == 0, basis == 1], [amount * units, amount * paid], amount)
        fees = np.where(rng.random(n) < 0.1, np.round(total_pay * rng.uniform(0.02, 0.1, n), 2), 0.0)
        costs = np.where(rng.random(n) < 0.15, np.round(total_pay * rng.uniform(0.01, 0.08, n), 2), 0.0)
        hours_all = paid + unpaid_total
        effective = (total_pay - fees - costs) / hours_all
        nominal = total_pay / paid
        unpaid_share = unpaid_total / hours_all
        # Conversions exactly as the app: the report year's rate, or nothing.
        n_countries = len(countries)
        year_index = {y: i for i, y in enumerate(years_used)}
        usd_table = np.full((n_countries, len(years_used)), np.nan)
        ppp_table = np.full((n_countries, len(years_used)), np.nan)
        for ci, c in enumerate(countries):
            for y, slot in year_index.items():
                usd_table[ci, slot] = c.usd.get(y, np.nan)
                ppp_table[ci, slot] = c.ppp.get(y, np.nan)
        yi = np.array([year_index[int(y)] for y in years_used])[np.searchsorted(years_used, year)]
        local_usd = usd_table[country, yi]
        usd_rate = np.where(paid_in_usd, 1.0, local_usd)
        effective_usd = effective * usd_rate
        effective_local = np.where(paid_in_usd, effective / local_usd, effective)
        effective_ppp = effective_local / ppp_table[country, yi]

        harm = np.where(task_names.index("content_moderation") == task,
                        rng.choice(len(HARM_SETS) - 1, size=n) + 1,
                        np.where(rng.random(n) < 0.05, rng.choice(len(HARM_SETS), size=n), 0))
        harm_hours = np.where(harm > 0, np.round(rng.uniform(2, 40, n), 1), np.nan)
        ratings: dict[str, np.ndarray] = {}
        fair_pay_shift = np.array([0.0 if c.region == "global-north" else -0.7 for c in countries])[country]
        for name in ("rating_fair_pay", "rating_fair_conditions", "rating_fair_contracts",
                     "rating_fair_management", "rating_fair_representation", "rating_communication",
                     "rating_payment_promptness", "rating_rejection_fairness"):
            shift = fair_pay_shift if name == "rating_fair_pay" else 0.0
            value = np.clip(np.round(rng.normal(2.8 + shift, 1.1, n)), 1, 5)
            ratings[name] = np.where(rng.random(n) < 0.2, np.nan, value)  # NaN: not rated
        languages_by_country = [vocab.COUNTRY_LANGUAGE.get(c.code, "en") for c in countries]
        text = TextPool(np.random.default_rng([seed, 3]))
        text_pick = rng.integers(0, SENTENCES_PER_LANGUAGE, n)
        with_text = rng.random(n) < 0.25
        payment_problems = rng.choice(5, size=n, p=[0.6, 0.2, 0.1, 0.05, 0.05])
        rejected = np.where(rng.random(n) < 0.5, np.nan, np.round(rng.beta(1.2, 8, n) * 100, 2))
        support = rng.integers(0, len(SUPPORT_SETS), n)
        contract = rng.choice(7, size=n, p=[0.08, 0.1, 0.45, 0.15, 0.12, 0.05, 0.05])
        yes_no = rng.integers(0, 5, (3, n))
        recommend = rng.integers(0, 3, n)
        status = rng.choice(4, size=n, p=[0.15, 0.75, 0.05, 0.05])
        currencies = np.array([c.currency for c in countries])
        codes = [c.code for c in countries]
        regions = [c.region for c in countries]
        yes_no_values = ["yes", "partly", "no", "unsure", ""]

        def columns(a: int, b: int) -> dict[str, Any]:
            """The rows a..b as columns of Python values (built a chunk at a time to keep the
            memory of a million-row run small)."""
            ids = list(range(first + a, first + b))
            return {
                "id": ids,
                **_unique_keys(seed, first + a, b - a),
                "idempotency_hash": None,
                "worker": [user_ids[o] if o >= 0 else None for o in owner[a:b].tolist()],
                "platform": pick(platforms, platform[a:b]),
                "platform_name": "",
                "client": [clients[c] if c >= 0 else None for c in client[a:b].tolist()],
                "client_name": "",
                "task_type": pick(task_names, task[a:b]),
                "country": pick(codes, country[a:b]),
                "region": pick(regions, country[a:b]),
                "year": year[a:b].tolist(),
                "quarter": quarter[a:b].tolist(),
                "received_month": [month_value[m] for m in end_month[a:b].tolist()],
                "pay_amount": amount[a:b].tolist(),
                "currency": np.where(paid_in_usd[a:b], "USD", currencies[country[a:b]]).tolist(),
                "pay_basis": pick(basis_names, basis[a:b]),
                "units": [u if k == 0 else None for u, k in zip(units[a:b].tolist(), basis[a:b].tolist(),
                                                                 strict=True)],
                "paid_hours": paid[a:b].tolist(),
                "unpaid_hours": _unpaid_json({kind: values[a:b] for kind, values in unpaid_cols.items()}),
                "unpaid_hours_total": unpaid_total[a:b].tolist(),
                "fees": fees[a:b].tolist(),
                "costs": costs[a:b].tolist(),
                "payment_problems": pick(["none", "late", "missing", "both", ""], payment_problems[a:b]),
                "rejected_percent": nullable(rejected[a:b]),
                "harmful_content": pick(HARM_SETS, harm[a:b]),
                "harmful_hours_per_week": nullable(harm_hours[a:b]),
                "support_offered": pick(SUPPORT_SETS, support[a:b]),
                "contract_type": pick(["employee", "fixed_term", "freelance", "agency", "none", "unsure", ""],
                                      contract[a:b]),
                "nda": pick(yes_no_values, yes_no[0, a:b]),
                "told_purpose": pick(yes_no_values, yes_no[1, a:b]),
                "could_opt_out": pick(yes_no_values, yes_no[2, a:b]),
                **{name: nullable(values[a:b], integer=True) for name, values in ratings.items()},
                "would_recommend": pick([None, True, False], recommend[a:b]),
                "free_text": [text.sentences[languages_by_country[c]][p] if w else "" for c, p, w in
                              zip(country[a:b].tolist(), text_pick[a:b].tolist(), with_text[a:b].tolist(),
                                  strict=True)],
                "synthetic": True,
                "status": pick(["pending", "published", "hidden", "withdrawn"], status[a:b]),
                "effective_hourly": nullable(effective[a:b]),
                "nominal_hourly": nullable(nominal[a:b]),
                "unpaid_share": nullable(unpaid_share[a:b]),
                "effective_hourly_usd": nullable(effective_usd[a:b]),
                "effective_hourly_ppp": nullable(effective_ppp[a:b]),
            }
        return columns

    # The indexes stay in place: at 10,000,000 reports, dropping the plain ones and building
    # them again afterwards (seven scans of a 5 GB table) took longer than keeping them up
    # to date, as most of them add each row at the end of a few runs of equal keys.
    _insert_chunks(Report, prepare, n, progress, _("reports"),
                   meanwhile=lambda: write_accounts(user_ids))
    with transaction.atomic():
        _reset_sequences([Report])
    return n, n_users


def _unique_keys(seed: int, first: int, n: int) -> dict[str, list[str]]:
    """Receipt hashes and public ids for the rows first..first+n, the same for the same seed.

    A receipt hash is 64 hex digits that start with the row's id: it stands for the hash of
    a receipt code nobody holds, so it need not look random, and rows written in id order
    then add to the end of its unique index instead of all over it (at 10,000,000 reports the
    scattered inserts were most of the generator's time). A public id stays 96 random bits,
    as the app makes them: public ids must not place reports in time (DESIGN.md, rule 7)."""
    rng = np.random.default_rng([seed, 4, first])
    tail = rng.integers(0, 256, (n, 24), dtype=np.uint8)
    head = np.arange(first, first + n, dtype=">u8").view(np.uint8).reshape(n, 8)
    digits = np.hstack([head, tail]).tobytes().hex()
    raw = base64.urlsafe_b64encode(rng.integers(0, 256, n * 12, dtype=np.uint8).tobytes()).decode()
    return {"receipt_hash": [digits[i:i + 64] for i in range(0, 64 * n, 64)],
            "public_id": [raw[i:i + 16] for i in range(0, 16 * n, 16)]}


def _unpaid_json(columns: dict[str, np.ndarray]) -> list[str]:
    """Each row's unpaid hours by kind as the JSON object the app stores (kinds with none left
    out), written directly: json.dumps per row was a tenth of the generator's time."""
    shown: dict[float, str] = {}

    def hours(value: float) -> str:
        if value not in shown:
            shown[value] = f'"{value:g}"'
        return shown[value]

    parts = [[f'"{kind}": {hours(v)}' if v else "" for v in values.tolist()]
             for kind, values in columns.items()]
    return ["{" + ", ".join([p for p in row if p]) + "}" for row in zip(*parts, strict=True)]


def nullable(values: np.ndarray, integer: bool = False) -> list:
    """Money rounded to 4 places (or whole numbers); NaN becomes NULL."""
    rounded = np.round(values, 0 if integer else 4).tolist()
    if integer:
        return [None if v != v else int(v) for v in rounded]
    return [None if v != v else v for v in rounded]


def pick(values: Sequence, index: np.ndarray) -> list:
    return [values[i] for i in index.tolist()]


# --- Entry point -------------------------------------------------------------------------------


def generate(*, cases: int, reports: int, seed: int, progress: Progress | None = None,
             throwaway: bool = False) -> GenerateStats:
    """Write `cases` cases and `reports` reports into the configured database; `throwaway`
    when it holds no real data (see `_fast_sqlite`)."""
    stats = GenerateStats()
    with _fast_sqlite(throwaway):
        started = time.perf_counter()
        if cases > 0:
            stats.cases, stats.actors = make_cases(cases, seed, progress)
            stats.seconds["cases"] = round(time.perf_counter() - started, 2)
        if reports > 0:
            started_reports = time.perf_counter()
            stats.reports, stats.accounts = make_reports(reports, seed, progress)
            stats.seconds["reports"] = round(time.perf_counter() - started_reports, 2)
        stats.seconds["total"] = round(time.perf_counter() - started, 2)
    return stats
