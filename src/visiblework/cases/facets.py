"""The facet engine: an in-memory index of published cases, kept in step with writes.

One GROUP BY per facet costs about 40 ms on SQLite at 100,000 cases, so instead each process
holds, per facet, the (case position, value) pairs of every published case in NumPy arrays,
sorted by value (a CSR layout). Filtering is a boolean mask over case positions; counting a
facet under a filter is one `bincount`. Positions follow the browse order (newest year first,
then newest id), so a page is a slice of the mask's true positions.

The catalogue version row (bumped by cases.indexing on every write) is read once per request.
When it has moved, the index follows the change instead of being rebuilt: every write leaves a
CatalogueChange row naming the cases it touched, and the process reads those cases again and
splices them into its arrays (`_follow`: a few passes over the arrays, no sort of the whole).
It rebuilds only when it cannot follow: a change to terms or taxonomies, more than
FOLLOW_CASES_MAX cases behind, or change rows already pruned. A small change is followed on
the request path; a large one (or a rebuild) off it, by a background thread, while requests
go on with the index the process has (see "The index a process uses" below).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection

from visiblework.core.versioned import VersionedCache, in_request, read_version, written_here

from .indexing import CATALOGUE_KEY, CATALOGUE_VERSION, CHANGES_KEPT
from .models import (
    Case,
    CaseActor,
    CaseCountry,
    CaseStatus,
    CatalogueChange,
    CatalogueVersion,
    Taxonomy,
    Term,
)

logger = logging.getLogger(__name__)

# Facets that are not taxonomies, after the taxonomy facets, in this order.
COUNTRY = "country"
ACTOR = "actor"
YEAR = "year"
FIXED_FACETS = (COUNTRY, ACTOR, YEAR)


def browse_key(year: int | None, case_id: int) -> int:
    """One integer that sorts cases in browse order (descending) and serves as a cursor."""
    return ((year or 0) << 40) | case_id


def _value_rank(key: str, values: list[str]) -> np.ndarray:
    """Display order of each value when counts tie: by value (years: newest first)."""
    if key == YEAR:
        display = sorted(range(len(values)), key=lambda i: -int(values[i]))
    else:
        display = sorted(range(len(values)), key=lambda i: values[i])
    value_rank = np.empty(len(values), dtype=np.int64)
    value_rank[display] = np.arange(len(values))
    return value_rank


@dataclass(frozen=True)
class Move:
    """How positions move when some cases leave the index and some come back: `kept` the
    old positions that stay, `left` those that go, `old_to_new` the new position of each old
    one (-1: gone), `at` where each returning case is inserted among the kept ones (as for
    np.insert), `size` the new number of positions."""

    kept: np.ndarray
    left: np.ndarray
    old_to_new: np.ndarray
    at: np.ndarray
    size: int


@dataclass
class Facet:
    key: str
    values: list[str]  # public keys: term slugs, ISO codes, actor slugs, years
    value_ids: dict[str, int]
    offsets: np.ndarray  # CSR: positions of value i are positions[offsets[i]:offsets[i+1]]
    positions: np.ndarray
    value_of_pair: np.ndarray  # the value index of each (position, value) pair, same order
    position_of_pair: np.ndarray
    totals: np.ndarray  # counts over all published cases
    # The same pairs by position (CSR the other way): the values of position p are
    # values_by_position[position_offsets[p]:position_offsets[p+1]]. Counting a small
    # result reads only its own pairs.
    position_offsets: np.ndarray
    values_by_position: np.ndarray
    # Display order of each value when counts tie: by value (years: newest first).
    value_rank: np.ndarray

    @classmethod
    def build(cls, key: str, values: list[str], pairs: list[tuple[int, int]], n: int) -> Facet:
        if pairs:
            arr = np.asarray(pairs, dtype=np.int64)
            pos, val = arr[:, 0], arr[:, 1]
        else:
            pos = val = np.zeros(0, dtype=np.int64)
        order = np.lexsort((pos, val))
        pos, val = pos[order].astype(np.int32), val[order].astype(np.int32)
        counts = np.bincount(val, minlength=len(values))
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        by_position = np.lexsort((val, pos))
        position_offsets = np.concatenate(
            [[0], np.cumsum(np.bincount(pos, minlength=n))]).astype(np.int64)
        return cls(key, values, {v: i for i, v in enumerate(values)}, offsets, pos, val, pos,
                   counts, position_offsets, val[by_position], _value_rank(key, values))

    def follow(self, move: Move, added: list[tuple[int, str]]) -> Facet:
        """This facet after a change (`move`: which old positions stay and where they go),
        with the (new position, value) pairs of the changed cases added. Positions keep
        their order under the move, so both sorted layouts stay sorted: the pairs of the
        cases that left are cut out, the added ones put in by binary search, and nothing is
        sorted again."""
        values, value_ids = self.values, self.value_ids
        add_position: list[int] = []
        add_value: list[int] = []
        for position, value in added:
            index = value_ids.get(value)
            if index is None:
                if values is self.values:  # copy on the first new value only
                    values, value_ids = list(values), dict(value_ids)
                index = value_ids[value] = len(values)
                values.append(value)
            add_position.append(position)
            add_value.append(index)
        new_pos = np.asarray(add_position, dtype=np.int64)
        new_val = np.asarray(add_value, dtype=np.int64)
        n_values = len(values)

        # By value, then position: every position moves (one gather); the pairs of the
        # cases that left are dropped; the added ones go into their value's run.
        pos = move.old_to_new[self.positions]
        kept = pos >= 0
        pos, val = pos[kept], self.value_of_pair[kept]
        counts = np.bincount(val, minlength=n_values)
        if len(new_pos):
            order = np.lexsort((new_pos, new_val))
            new_pos, new_val = new_pos[order], new_val[order]
            run_starts = np.concatenate([[0], np.cumsum(counts)])
            at = np.empty(len(new_pos), dtype=np.int64)
            bounds = np.flatnonzero(np.diff(new_val)) + 1
            for chunk_start, chunk_end in zip(np.concatenate([[0], bounds]),
                                              np.concatenate([bounds, [len(new_val)]]),
                                              strict=True):
                value = int(new_val[chunk_start])
                run = pos[run_starts[value] : run_starts[value + 1]]
                at[chunk_start:chunk_end] = run_starts[value] + np.searchsorted(
                    run, new_pos[chunk_start:chunk_end])
            pos = np.insert(pos, at, new_pos.astype(np.int32))
            val = np.insert(val, at, new_val.astype(np.int32))
            counts += np.bincount(new_val, minlength=n_values)
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

        # By position, then value: cut the slices of the positions that left, and put the
        # slices of the new positions where they now start.
        lengths = np.diff(self.position_offsets)
        left = move.left
        starts = self.position_offsets[left]
        gone = lengths[left]
        shift = starts - (np.cumsum(gone) - gone)
        cut = np.arange(int(gone.sum())) + np.repeat(shift, gone)
        by_val = np.delete(self.values_by_position, cut)
        new_lengths = np.bincount(new_pos, minlength=move.size)
        lengths = np.insert(lengths[move.kept], move.at, 0)
        lengths += new_lengths
        position_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        if len(new_pos):
            order = np.lexsort((new_val, new_pos))
            new_pos, new_val = new_pos[order], new_val[order]
            # Where each new pair goes in the cut array: its position's start, less the new
            # pairs before it (they are not in the cut array yet).
            before = np.arange(len(new_pos)) - np.searchsorted(new_pos, new_pos, side="left")
            into = position_offsets[new_pos] - np.arange(len(new_pos)) + before
            by_val = np.insert(by_val, into, new_val.astype(np.int32))

        value_rank = (self.value_rank if values is self.values
                      else _value_rank(self.key, values))
        return Facet(self.key, values, value_ids, offsets, pos, val, pos, counts,
                     position_offsets, by_val, value_rank)

    def values_at(self, position: int) -> list[str]:
        start, end = self.position_offsets[position], self.position_offsets[position + 1]
        return [self.values[i] for i in self.values_by_position[start:end].tolist()]

    def replace(self, new_values: dict[int, list[str]]) -> Facet:
        """This facet with the values of some positions replaced (positions do not move):
        only those pairs are cut out and put in, and the offsets shifted."""
        values, value_ids = self.values, self.value_ids
        remove_at: list[int] = []  # indexes in the by-value layout
        add: list[tuple[int, int]] = []  # (value, position)
        removed_by_position: list[int] = []
        for position, wanted in new_values.items():
            start = int(self.position_offsets[position])
            end = int(self.position_offsets[position + 1])
            for value in self.values_by_position[start:end].tolist():
                run = self.positions[self.offsets[value] : self.offsets[value + 1]]
                remove_at.append(int(self.offsets[value]) + int(np.searchsorted(run, position)))
            removed_by_position.extend(range(start, end))
            for value in wanted:
                index = value_ids.get(value)
                if index is None:
                    if values is self.values:
                        values, value_ids = list(values), dict(value_ids)
                    index = value_ids[value] = len(values)
                    values.append(value)
                add.append((index, position))
        counts = np.bincount(np.asarray([v for v, _p in add], dtype=np.int64),
                             minlength=len(values))
        counts[: len(self.totals)] += self.totals
        counts[: len(self.totals)] -= np.bincount(self.value_of_pair[remove_at],
                                                  minlength=len(self.totals))
        # By value: cut, then put each added pair into its value's run.
        pos = np.delete(self.positions, remove_at)
        val = np.delete(self.value_of_pair, remove_at)
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        if add:
            add.sort()
            # Offsets after the cut, before the additions: of each added value's run.
            before = offsets[:-1].copy()
            added_per_value = np.bincount([v for v, _p in add], minlength=len(values))
            before -= np.concatenate([[0], np.cumsum(added_per_value)[:-1]])
            at = []
            for value, position in add:
                run_start = int(before[value])
                run = pos[run_start : run_start + int(counts[value] - added_per_value[value])]
                at.append(run_start + int(np.searchsorted(run, position)))
            pos = np.insert(pos, at, [p for _v, p in add]).astype(np.int32)
            val = np.insert(val, at, [v for v, _p in add]).astype(np.int32)
        # By position: cut each position's slice, put its sorted new values in.
        by_val = np.delete(self.values_by_position, removed_by_position)
        lengths = np.diff(self.position_offsets)
        put_at: list[int] = []
        put: list[int] = []
        shift = 0
        for position in sorted(new_values):
            wanted_ids = sorted({value_ids[v] for v in new_values[position]})
            start = int(self.position_offsets[position]) - shift
            shift += int(lengths[position])
            put_at.extend([start] * len(wanted_ids))
            put.extend(wanted_ids)
            lengths[position] = len(wanted_ids)
        by_val = np.insert(by_val, put_at, put).astype(np.int32)
        position_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        value_rank = (self.value_rank if values is self.values
                      else _value_rank(self.key, values))
        return Facet(self.key, values, value_ids, offsets, pos, val, pos, counts,
                     position_offsets, by_val, value_rank)

    def positions_of(self, value: str) -> np.ndarray | None:
        index = self.value_ids.get(value)
        if index is None:
            return None
        return self.positions[self.offsets[index] : self.offsets[index + 1]]

    def counts(self, mask: np.ndarray | None, selected: np.ndarray | None = None) -> np.ndarray:
        """Counts of each value among the masked positions. `selected` (the mask's true
        positions, when the caller has them) switches to reading only those positions'
        pairs when they are few."""
        if mask is None:
            return self.totals
        if selected is not None and len(selected) * 8 < len(mask):
            starts = self.position_offsets[selected]
            lengths = self.position_offsets[selected + 1] - starts
            # The pair indexes of every selected position, without a Python loop:
            # run i is starts[i], starts[i] + 1, ... for lengths[i] steps.
            shift = starts - (np.cumsum(lengths) - lengths)
            pairs = np.arange(int(lengths.sum())) + np.repeat(shift, lengths)
            return np.bincount(self.values_by_position[pairs], minlength=len(self.values))
        return np.bincount(self.value_of_pair[mask[self.position_of_pair]],
                           minlength=len(self.values))


@dataclass
class CatalogueIndex:
    version: int
    ids: np.ndarray  # case ids in browse order
    keys: np.ndarray  # browse_key of each position, descending
    id_order: np.ndarray  # argsort of ids, to map ids to positions
    facets: dict[str, Facet]
    facet_names: dict[str, str]  # taxonomy key -> taxonomy name
    term_names: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def follow(self, version: int, changed: list[int], rows: list[tuple[int, int | None]],
               pairs: dict[str, list[tuple[int, str]]]) -> CatalogueIndex:
        """This index after the `changed` cases were written: `rows` are the (id, year) of
        those now published, `pairs` their (id, value) per facet. Positions keep browse
        order: the changed cases leave, and come back at their (new) place."""
        size = self.size
        in_place = self._follow_in_place(version, changed, rows, pairs)
        if in_place is not None:
            return in_place
        kept = np.ones(size, dtype=bool)
        kept[self.positions_of_ids(changed)] = False
        kept_old = np.flatnonzero(kept)
        new_ids = np.asarray([case_id for case_id, _year in rows], dtype=np.int64)
        new_keys = np.asarray([browse_key(year, case_id) for case_id, year in rows],
                              dtype=np.int64)
        order = np.argsort(-new_keys, kind="stable")
        new_ids, new_keys = new_ids[order], new_keys[order]
        kept_keys = self.keys[kept_old]
        # Where each returning case goes among the kept ones (keys are descending).
        at = np.searchsorted(-kept_keys, -new_keys)
        keys = np.insert(kept_keys, at, new_keys)
        ids = np.insert(self.ids[kept_old], at, new_ids)
        old_to_new = np.full(size, -1, dtype=np.int32)
        old_to_new[kept_old] = (np.arange(len(kept_old))
                                + np.searchsorted(at, np.arange(len(kept_old)), side="right"))
        move = Move(kept_old, np.flatnonzero(~kept), old_to_new, at, len(ids))
        position_of_new = at + np.arange(len(at))
        new_position = dict(zip(new_ids.tolist(), position_of_new.tolist(), strict=True))

        id_order = old_to_new[self.id_order]
        id_order = id_order[id_order >= 0]
        by_id = np.argsort(new_ids, kind="stable")
        id_order = np.insert(id_order, np.searchsorted(ids[id_order], new_ids[by_id]),
                             position_of_new[by_id])

        facets = {key: facet.follow(move, [(new_position[case_id], value)
                                     for case_id, value in pairs.get(key, [])])
                  for key, facet in self.facets.items()}
        return CatalogueIndex(version, ids, keys, id_order, facets, self.facet_names,
                              self.term_names)

    def _follow_in_place(self, version: int, changed: list[int],
                         rows: list[tuple[int, int | None]],
                         pairs: dict[str, list[tuple[int, str]]]) -> CatalogueIndex | None:
        """The common change, an edit that keeps every changed case published in the same
        year: no position moves, and only facets whose values changed are touched. None when
        some case came, went or changed year."""
        positions = self.positions_of_ids(changed)
        if len(positions) != len(changed) or len(rows) != len(changed):
            return None
        position_of = dict(zip(self.ids[positions].tolist(), positions.tolist(), strict=True))
        for case_id, year in rows:
            if browse_key(year, case_id) != int(self.keys[position_of[case_id]]):
                return None
        facets = dict(self.facets)
        for key, facet in self.facets.items():
            wanted: dict[int, list[str]] = {position: [] for position in positions.tolist()}
            for case_id, value in pairs.get(key, []):
                wanted[position_of[case_id]].append(value)
            differ = {position: values for position, values in wanted.items()
                      if sorted(set(values)) != sorted(facet.values_at(position))}
            if differ:
                facets[key] = facet.replace(differ)
        return CatalogueIndex(version, self.ids, self.keys, self.id_order, facets,
                              self.facet_names, self.term_names)

    def positions_of_ids(self, case_ids: list[int] | np.ndarray) -> np.ndarray:
        """Positions of the given ids (ids not in the index are dropped), keeping their order."""
        if not len(case_ids) or not self.size:
            return np.zeros(0, dtype=np.int64)
        wanted = np.asarray(case_ids, dtype=np.int64)
        sorted_ids = self.ids[self.id_order]
        where = np.searchsorted(sorted_ids, wanted)
        where = np.clip(where, 0, self.size - 1)
        found = sorted_ids[where] == wanted
        return self.id_order[where[found]]


def _build(version: int) -> CatalogueIndex:
    """The index at `version` (read before this is called), from scratch. Its queries are not
    one snapshot: a case published while they run may have parts without a row, which are
    left out (that write moved the version after `version`, so the next follow reads it)."""
    rows = list(Case.published.values_list("id", "year"))
    # Browse order: newest year first (cases without a year last), then newest id.
    rows.sort(key=lambda r: browse_key(r[1], r[0]), reverse=True)
    ids = np.asarray([r[0] for r in rows], dtype=np.int64)
    keys = np.asarray([browse_key(r[1], r[0]) for r in rows], dtype=np.int64)
    position = {case_id: i for i, case_id in enumerate(ids.tolist())}
    n = len(ids)
    facets: dict[str, Facet] = {}

    taxonomies = list(Taxonomy.objects.filter(is_facet=True).order_by("order", "key"))
    facet_names = {t.key: t.name for t in taxonomies}
    terms = list(Term.objects.filter(taxonomy__in=taxonomies).select_related("taxonomy"))
    term_value: dict[int, tuple[str, int]] = {}
    values_by_tax: dict[str, list[str]] = {t.key: [] for t in taxonomies}
    term_names: dict[tuple[str, str], str] = {}
    for term in terms:
        key = term.taxonomy.key
        term_value[term.pk] = (key, len(values_by_tax[key]))
        values_by_tax[key].append(term.slug)
        term_names[(key, term.slug)] = term.name
    pairs_by_tax: dict[str, list[tuple[int, int]]] = {key: [] for key in values_by_tax}
    through = Case.terms.through.objects.filter(case__status=CaseStatus.PUBLISHED)
    for case_id, term_id in through.values_list("case_id", "term_id").iterator(chunk_size=5000):
        if term_id in term_value and case_id in position:
            key, value_index = term_value[term_id]
            pairs_by_tax[key].append((position[case_id], value_index))
    for key, values in values_by_tax.items():
        facets[key] = Facet.build(key, values, pairs_by_tax[key], n)

    countries: dict[str, int] = {}
    country_pairs = []
    published_countries = CaseCountry.objects.filter(case__status=CaseStatus.PUBLISHED)
    for case_id, code in published_countries.values_list("case_id", "code").iterator(
        chunk_size=5000
    ):
        if case_id in position:
            country_pairs.append((position[case_id],
                                  countries.setdefault(code, len(countries))))
    facets[COUNTRY] = Facet.build(COUNTRY, list(countries), country_pairs, n)

    actors: dict[str, int] = {}
    actor_pairs = set()
    published_actors = CaseActor.objects.filter(case__status=CaseStatus.PUBLISHED)
    for case_id, slug in published_actors.values_list("case_id", "actor__slug").iterator(
        chunk_size=5000
    ):
        if case_id in position:
            actor_pairs.add((position[case_id], actors.setdefault(slug, len(actors))))
    facets[ACTOR] = Facet.build(ACTOR, list(actors), sorted(actor_pairs), n)

    years: dict[str, int] = {}
    year_pairs = []
    for case_id, year in rows:
        if year is not None:
            year_pairs.append((position[case_id], years.setdefault(str(year), len(years))))
    facets[YEAR] = Facet.build(YEAR, list(years), year_pairs, n)

    return CatalogueIndex(version, ids, keys, np.argsort(ids, kind="stable"), facets,
                          facet_names, term_names)


# How many changed cases a process follows; further behind, it rebuilds.
FOLLOW_CASES_MAX = 20_000
_CHUNK = 2000  # ids per IN (...) list


def _changed_since(held: int, version: int) -> list[int] | None:
    """The cases changed from version `held` to `version`, or None when the index must be
    rebuilt: a change that names no cases, change rows pruned, or too many cases."""
    rows = dict(CatalogueChange.objects.filter(version__in=[held, version])
                .values_list("version", "id"))
    if held not in rows or version not in rows or rows[version] < rows[held]:
        return None
    if rows[version] - rows[held] > CHANGES_KEPT:
        return None
    changed: set[int] = set()
    for case_ids in (CatalogueChange.objects.filter(id__gt=rows[held], id__lte=rows[version])
                     .values_list("case_ids", flat=True)):
        if case_ids is None:
            return None
        changed.update(case_ids)
        if len(changed) > FOLLOW_CASES_MAX:
            return None
    return sorted(changed)


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + _CHUNK] for start in range(0, len(ids), _CHUNK)]


def _follow(index: CatalogueIndex, version: int,
            changed: list[int] | None = None) -> CatalogueIndex | None:
    """The index at `version`, from `index` and the cases changed since its version (read
    here unless given)."""
    if changed is None:
        changed = _changed_since(index.version, version)
    if changed is None:
        return None
    rows: list[tuple[int, int | None]] = []
    pairs: dict[str, list[tuple[int, str]]] = {key: [] for key in index.facets}
    for chunk in _chunks(changed):
        rows += Case.published.filter(id__in=chunk).values_list("id", "year")
    published = [case_id for case_id, _year in rows]
    for chunk in _chunks(published):
        for case_id, taxonomy, slug in (
                Case.terms.through.objects.filter(case_id__in=chunk,
                                                  term__taxonomy__is_facet=True)
                .values_list("case_id", "term__taxonomy__key", "term__slug")):
            if taxonomy not in pairs:
                return None  # a facet this index does not have: rebuild
            pairs[taxonomy].append((case_id, slug))
        pairs[COUNTRY] += CaseCountry.objects.filter(case_id__in=chunk).values_list(
            "case_id", "code")
        pairs[ACTOR] += set(CaseActor.objects.filter(case_id__in=chunk).values_list(
            "case_id", "actor__slug"))
    pairs[YEAR] = [(case_id, str(year)) for case_id, year in rows if year is not None]
    for key, facet in index.facets.items():
        if key not in FIXED_FACETS and any(slug not in facet.value_ids
                                           for _case, slug in pairs[key]):
            return None  # a term this index has not seen (terms are added with a rebuild)
    return index.follow(version, changed, rows, pairs)


# --- The index a process uses ------------------------------------------------------------------
#
# A request reads the catalogue's version once. When the index this process holds is behind:
# - by at most FOLLOW_INLINE_CASES changed cases, or by a write made in this process (a writer
#   sees its own write), the request follows the change at once (a few milliseconds);
# - further behind (an import's batch, a change that names no cases), the request goes on with
#   the index it has, and a background thread (`catch_up`) follows or rebuilds, then swaps the
#   new index in; until then the process shows the catalogue as it was.
# `current_version()` is the version of the index in use, so that pages kept by version
# (core/pagecache.py) never keep a page built from an index behind its version.
# Outside a request (commands, tests) the index is always brought up to date at once.

FOLLOW_INLINE_CASES = 20
_KEY = "index"
_index: VersionedCache[CatalogueIndex] = VersionedCache("facets", 1, freeze=True)
_following = threading.Lock()  # one inline follow at a time (others wait: it is short)
_catching_up = threading.Lock()  # held while the background catch-up runs


def _database_version() -> int:
    table = CatalogueVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE key = %s", [CATALOGUE_KEY])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def _version_in_use() -> int:
    version = _database_version()
    held = _index.latest(_KEY)
    if held is None or held[0] == version:
        return version
    return _advance(held[1], version).version


def current_version() -> int:
    """The version of the catalogue this process shows, the version of its facet index (see
    above), read once per request (core/versioned.py) with one written-out statement (through
    the ORM it cost a third of a millisecond a call)."""
    return int(read_version(CATALOGUE_VERSION, _version_in_use))


def get_index() -> CatalogueIndex:
    """The index in use: the one this process holds, brought up to date as above (built on
    the first call)."""
    version = current_version()
    held = _index.latest(_KEY)
    if held is None:
        return _index.get(version, _KEY, lambda: _build(version))
    if held[0] == version:
        return held[1]
    if version == written_here(CATALOGUE_VERSION) or not in_request():
        return _advance(held[1], version)
    return held[1]  # swapped in by the catch-up since this request read its version: newer


def _advance(held: CatalogueIndex, version: int) -> CatalogueIndex:
    """The index to use when the database is at `version` and this process holds `held`."""
    if version != written_here(CATALOGUE_VERSION) and in_request():
        if _catching_up.locked():
            return held
        changed = _changed_since(held.version, version)
        if changed is None or len(changed) > FOLLOW_INLINE_CASES:
            _start_catch_up()
            return held
        return _follow_inline(held, version, changed)
    return _follow_inline(held, version, None)


def _follow_inline(base: CatalogueIndex, version: int,
                   changed: list[int] | None) -> CatalogueIndex:
    """Follow the change from `base` to `version` now (`changed`: its cases, if read)."""
    with _following:
        held = _index.latest(_KEY)
        if held is not None and held[0] == version:
            return held[1]
        if held is None or held[1] is not base:
            changed = None  # another index was stored meanwhile: read its change
        index = _follow(held[1], version, changed) if held is not None else None
        if index is None:
            index = _build(version)
        _index.advance(version, _KEY, index, replaces=held[1] if held else None)
        return index


def catch_up(rounds: int = 3) -> CatalogueIndex | None:
    """Bring the held index up to the database's version without holding up requests:
    follow the change (or rebuild) outside every lock, then swap the result in unless an
    inline follow stored another index meanwhile (then try again, at most `rounds` times).
    The index stored, or None."""
    for _round in range(rounds):
        version = _database_version()
        held = _index.latest(_KEY)
        if held is not None and held[0] == version:
            return held[1]
        index = _follow(held[1], version) if held is not None else None
        if index is None:
            index = _build(version)
        if _index.advance(version, _KEY, index, replaces=held[1] if held else None):
            return index
    return None


def _catch_up_in_background() -> None:
    try:
        catch_up()
    except Exception:
        logger.exception("the facet index could not catch up; the next request tries again")
    finally:
        connection.close()  # this thread's own connection
        _catching_up.release()


def _start_catch_up() -> None:
    """Start the background catch-up, unless one is running."""
    if not _catching_up.acquire(blocking=False):
        return
    try:
        threading.Thread(target=_catch_up_in_background, name="facet-index-catch-up",
                         daemon=True).start()
    except BaseException:
        _catching_up.release()
        raise


# --- Querying ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetResult:
    key: str
    values: list[FacetValue]
    truncated: bool  # more values exist than are listed


def filter_mask(index: CatalogueIndex, filters: dict[str, list[str]]) -> np.ndarray | None:
    """AND across facets and across values of one facet; years combine with OR (a case has
    one year). None means "no filter": every published case."""
    mask: np.ndarray | None = None
    for key, values in filters.items():
        facet = index.facets.get(key)
        if facet is None or not values:
            continue
        if key == YEAR:
            facet_mask = np.zeros(index.size, dtype=bool)
            for value in values:
                positions = facet.positions_of(value)
                if positions is not None:
                    facet_mask[positions] = True
            mask = facet_mask if mask is None else mask & facet_mask
            continue
        for value in values:
            value_mask = np.zeros(index.size, dtype=bool)
            positions = facet.positions_of(value)
            if positions is not None:
                value_mask[positions] = True
            mask = value_mask if mask is None else mask & value_mask
    return mask


def _years(index: CatalogueIndex) -> np.ndarray:
    """The year of each position (0: none), which never grows along positions."""
    return index.keys >> 40


def year_range_mask(index: CatalogueIndex, year_from: int | None,
                    year_to: int | None) -> np.ndarray:
    """The cases dated from `year_from` to `year_to` (both included; None: open). Positions
    follow browse order, newest year first, so the range is one slice found by bisection;
    cases without a year are outside every range."""
    descending = -_years(index)
    start = 0 if year_to is None else int(np.searchsorted(descending, -year_to, side="left"))
    end = int(np.searchsorted(descending, -(year_from or 1), side="right"))
    mask = np.zeros(index.size, dtype=bool)
    mask[start:end] = True
    return mask


def oldest_first(index: CatalogueIndex, positions: np.ndarray) -> np.ndarray:
    """Positions given in browse order, turned round: the oldest year first (the oldest id
    first within a year), cases without a year last."""
    turned = positions[::-1]
    dated = _years(index)[turned] > 0
    return np.concatenate([turned[dated], turned[~dated]])


def facet_counts(index: CatalogueIndex, mask: np.ndarray | None, filters: dict[str, list[str]],
                 expand: str | None = None, positions: np.ndarray | None = None,
                 ) -> list[FacetResult]:
    """Counts for every facet under the mask, the largest first (years newest first), each
    list bounded; selected values are always listed. `positions`: the mask's true
    positions, if known."""
    results = []
    for key, facet in index.facets.items():
        counts = facet.counts(mask, positions)
        selected = set(filters.get(key, []))
        limit = (settings.VISIBLEWORK_FACET_VALUES_MAX if key == expand
                 else settings.VISIBLEWORK_FACET_VALUES)
        nonzero = np.flatnonzero(counts)
        truncated = len(nonzero) > limit
        if key == YEAR:
            order = nonzero[np.argsort(facet.value_rank[nonzero], kind="stable")]
        else:
            if truncated:
                # Only the values that can be shown are sorted: those counted at least as
                # often as the limit-th largest count (thousands of actors otherwise).
                kth = np.partition(counts[nonzero], len(nonzero) - limit)[len(nonzero) - limit]
                nonzero = nonzero[counts[nonzero] >= kth]
            order = nonzero[np.lexsort((facet.value_rank[nonzero], -counts[nonzero]))]
        shown = order[:limit].tolist()
        shown_values = {facet.values[i] for i in shown}
        for value in selected - shown_values:  # keep a selected value visible, even at 0
            if value in facet.value_ids:
                shown.append(facet.value_ids[value])
        results.append(FacetResult(
            key,
            [FacetValue(facet.values[i], int(counts[i]), facet.values[i] in selected)
             for i in shown],
            truncated=truncated,
        ))
    return results
