"""The facet engine: an in-memory index of published cases, kept in step with writes.

One GROUP BY per facet costs about 40 ms on SQLite at 100,000 cases, so instead each process
holds, per facet, the (case position, value) pairs of every published case in NumPy arrays,
sorted by value (a CSR layout). Filtering is a boolean mask over case positions; counting a
facet under a filter is one `bincount`. Positions follow the browse order (newest year first,
then newest id), so a page is a slice of the mask's true positions.

The index is rebuilt when the catalogue version row (bumped by cases.indexing on every write)
differs from the one it was built at: one primary-key read per request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection

from visiblework.core.versioned import VersionedCache, read_version

from .indexing import CATALOGUE_KEY, CATALOGUE_VERSION
from .models import Case, CaseActor, CaseCountry, CaseStatus, CatalogueVersion, Taxonomy, Term

# Facets that are not taxonomies, after the taxonomy facets, in this order.
COUNTRY = "country"
ACTOR = "actor"
YEAR = "year"
FIXED_FACETS = (COUNTRY, ACTOR, YEAR)


def browse_key(year: int | None, case_id: int) -> int:
    """One integer that sorts cases in browse order (descending) and serves as a cursor."""
    return ((year or 0) << 40) | case_id


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
        if key == YEAR:
            display = sorted(range(len(values)), key=lambda i: -int(values[i]))
        else:
            display = sorted(range(len(values)), key=lambda i: values[i])
        value_rank = np.empty(len(values), dtype=np.int64)
        value_rank[display] = np.arange(len(values))
        return cls(key, values, {v: i for i, v in enumerate(values)}, offsets, pos, val, pos,
                   counts, position_offsets, val[by_position], value_rank)

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
        if term_id in term_value:
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
        country_pairs.append((position[case_id], countries.setdefault(code, len(countries))))
    facets[COUNTRY] = Facet.build(COUNTRY, list(countries), country_pairs, n)

    actors: dict[str, int] = {}
    actor_pairs = set()
    published_actors = CaseActor.objects.filter(case__status=CaseStatus.PUBLISHED)
    for case_id, slug in published_actors.values_list("case_id", "actor__slug").iterator(
        chunk_size=5000
    ):
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


_index: VersionedCache[CatalogueIndex] = VersionedCache("facets", 1, freeze=True)


def _read_version() -> int:
    table = CatalogueVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE key = %s", [CATALOGUE_KEY])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def current_version() -> int:
    """The catalogue's version, read once per request (core/versioned.py) with one written-out
    statement (through the ORM it cost a third of a millisecond a call)."""
    return int(read_version(CATALOGUE_VERSION, _read_version))


def get_index() -> CatalogueIndex:
    """The index for the catalogue as it is now, rebuilt if a write has happened since."""
    version = current_version()
    return _index.get(version, "index", lambda: _build(version))


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
