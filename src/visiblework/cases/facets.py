"""The facet engine: an in-memory index of published cases, kept in step with writes.

One GROUP BY per facet costs about 40 ms on SQLite at 100,000 cases, so instead each process
holds, per facet, the (case slot, value) pairs of every published case in NumPy arrays,
sorted by value (a CSR layout). Filtering is a boolean mask over case positions; counting a
facet under a filter is one `bincount`. Positions follow the browse order (newest year first,
then newest id), so a page is a slice of the mask's true positions. A case's slot is where
its pairs are (`Slots`): it stays while the case stays published, so a case that moves in
browse order (a new year), arrives or leaves renumbers two arrays of one entry a case, not
every facet's pairs.

The catalogue version row (bumped by cases.indexing on every write) is read once per request.
When it has moved, the index follows the change instead of being rebuilt: every write leaves a
CatalogueChange row naming the cases it touched, and the process reads those cases again and
puts in the pairs that differ (`_follow`: no sort of the whole, and no pass over a facet whose
values did not change). A case that leaves leaves its slot empty.
It rebuilds only when it cannot follow: a change to terms or taxonomies, more than
FOLLOW_CASES_MAX cases behind, change rows already pruned, or more empty slots than
EMPTY_SLOTS_MAX (a share) of the cases. A small change is followed on
the request path; a large one (or a rebuild) off it, by a background thread, while requests
go on with the index the process has (see "The index a process uses" below).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np
from django.conf import settings
from django.db import connection

from visiblework.core.versioned import VersionedCache, in_request, read_version, written_here

from .indexing import CATALOGUE_VERSION, CHANGES_KEPT, database_version, read_database_version
from .models import (
    Actor,
    Case,
    CaseActor,
    CaseCountry,
    CaseStatus,
    CatalogueChange,
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


# A change to at most this many entries of an array is spliced in one copy (`_spliced`); a
# larger one goes through NumPy's delete and insert (two passes, vectorised).
SPLICE_MAX = 64


def _spliced(array: np.ndarray, removed: np.ndarray, at: np.ndarray,
             values: np.ndarray) -> np.ndarray:
    """`np.insert(np.delete(array, removed), at, values)`: the entries at the positions
    `removed` cut out, and `values` put in before the positions `at` of what is left (equal
    places keep the order given). A few changes are one copy of `array` (the slices between
    them, joined); NumPy makes two, each with a mask over the whole array."""
    removed = np.unique(np.asarray(removed, dtype=np.int64))
    at = np.asarray(at, dtype=np.int64)
    values = np.asarray(values, dtype=array.dtype)
    if len(removed) + len(at) > SPLICE_MAX:
        return np.insert(np.delete(array, removed), at, values)
    # Each place in what is left, as a position in `array`: past the entries cut out before
    # it (the k-th cut has k - 1 cuts before it, so it was after r - k kept entries).
    before = at + np.searchsorted(removed - np.arange(len(removed)), at, side="right")
    cuts = sorted([(int(place), 0, i) for i, place in enumerate(before.tolist())]
                  + [(int(place), 1, -1) for place in removed.tolist()])
    pieces = []
    start = 0
    for place, kind, i in cuts:
        pieces.append(array[start:place])
        if kind == 0:
            pieces.append(values[i : i + 1])
            start = place
        else:
            start = place + 1
    pieces.append(array[start:])
    return np.concatenate(pieces)


@dataclass(frozen=True)
class Slots:
    """Where each case's pairs are kept. A case keeps its slot while it stays published, so a
    case that moves in browse order (a new year) or leaves changes two arrays of one entry a
    case, not every facet's pairs. A case that leaves leaves its slot empty (its pairs stay,
    unread); a new case takes a new slot at the end. Built anew, slots are positions.
    A case id is found by its slot (`sorted_ids`), so that a case that moves leaves that
    lookup as it is."""

    slot_of: np.ndarray  # the slot of each position
    position_of: np.ndarray  # the position of each slot; `size` for an empty slot
    size: int  # positions (published cases)
    # The case id of every slot, ascending, and the slot of each. A case that comes back
    # after it left has two slots: the empty old one, then its new one after it (the one
    # found: see CatalogueIndex.positions_of_ids).
    sorted_ids: np.ndarray
    slot_of_sorted: np.ndarray

    @classmethod
    def of(cls, ids: np.ndarray) -> Slots:
        """The slots of cases built anew, in this order: slot i is position i."""
        every = np.arange(len(ids), dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        return cls(every, every, len(ids), ids[order], order)

    @property
    def count(self) -> int:
        return len(self.position_of)

    @property
    def empty(self) -> int:
        return self.count - self.size

    def mask_by_slot(self, mask: np.ndarray) -> np.ndarray:
        """A mask over positions as a mask over slots (empty slots: False)."""
        if self.empty == 0 and self.count == len(mask) and self._identity:
            return mask
        return np.append(mask, False)[self.position_of]

    @property
    def _identity(self) -> bool:
        return self.slot_of is self.position_of


@dataclass
class Facet:
    key: str
    values: list[str]  # public keys: term slugs, ISO codes, actor slugs, years
    value_ids: dict[str, int]
    offsets: np.ndarray  # CSR: slots of value i are slots[offsets[i]:offsets[i+1]]
    slots: np.ndarray
    value_of_pair: np.ndarray  # the value index of each (slot, value) pair, same order
    totals: np.ndarray  # counts over all published cases
    # The same pairs by slot (CSR the other way): the values of slot s are
    # values_by_slot[slot_offsets[s]:slot_offsets[s+1]]. Counting a small result reads
    # only its own pairs.
    slot_offsets: np.ndarray
    values_by_slot: np.ndarray
    # Display order of each value when counts tie: by value (years: newest first).
    value_rank: np.ndarray
    where: Slots

    @classmethod
    def build(cls, key: str, values: list[str], pairs: list[tuple[int, int]],
              where: Slots) -> Facet:
        """From (slot, value index) pairs."""
        if pairs:
            arr = np.asarray(pairs, dtype=np.int64)
            pos, val = arr[:, 0], arr[:, 1]
        else:
            pos = val = np.zeros(0, dtype=np.int64)
        order = np.lexsort((pos, val))
        pos, val = pos[order].astype(np.int32), val[order].astype(np.int32)
        counts = np.bincount(val, minlength=len(values))
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        by_slot = np.lexsort((val, pos))
        slot_offsets = np.concatenate(
            [[0], np.cumsum(np.bincount(pos, minlength=where.count))]).astype(np.int64)
        return cls(key, values, {v: i for i, v in enumerate(values)}, offsets, pos, val,
                   counts, slot_offsets, val[by_slot], _value_rank(key, values), where)

    def _values_of_slot(self, slot: int) -> list[int]:
        if slot + 1 >= len(self.slot_offsets):
            return []  # a new slot
        start, end = self.slot_offsets[slot], self.slot_offsets[slot + 1]
        return self.values_by_slot[start:end].tolist()

    def values_at(self, position: int) -> list[str]:
        return [self.values[i] for i in self._values_of_slot(int(self.where.slot_of[position]))]

    def moved(self, where: Slots, emptied: list[int]) -> Facet:
        """This facet with its slots placed by `where` (more slots, maybe), the pairs of the
        `emptied` slots no longer counted (they stay in the arrays, never read again)."""
        slot_offsets = self.slot_offsets
        if where.count + 1 > len(slot_offsets):
            slot_offsets = np.concatenate([
                slot_offsets, np.full(where.count + 1 - len(slot_offsets), slot_offsets[-1])])
        totals = self.totals
        gone = [value for slot in emptied for value in self._values_of_slot(slot)]
        if gone:
            totals = totals - np.bincount(np.asarray(gone, dtype=np.int64),
                                          minlength=len(totals))
        return replace(self, slot_offsets=slot_offsets, totals=totals, where=where)

    def replace(self, new_values: dict[int, list[str]]) -> Facet:
        """This facet with the values of some slots replaced (slots do not move): those
        slots' pairs are cut out and the new ones put in, found by binary search in both
        layouts (a few passes over the arrays, however many slots change)."""
        values, value_ids = self.values, self.value_ids
        add_slot: list[int] = []
        add_val: list[int] = []
        for slot, wanted in new_values.items():
            for value in set(wanted):
                index = value_ids.get(value)
                if index is None:
                    if values is self.values:  # copy on the first new value only
                        values, value_ids = list(values), dict(value_ids)
                    index = value_ids[value] = len(values)
                    values.append(value)
                add_slot.append(slot)
                add_val.append(index)
        n_values = len(values)
        changed = np.asarray(sorted(new_values), dtype=np.int64)
        starts = self.slot_offsets[changed]
        lengths = self.slot_offsets[changed + 1] - starts
        # The by-slot indexes of the changed slots' pairs: run i is starts[i], ... for
        # lengths[i] steps.
        shift = starts - (np.cumsum(lengths) - lengths)
        cut = np.arange(int(lengths.sum())) + np.repeat(shift, lengths)
        removed_val = self.values_by_slot[cut].astype(np.int64)
        removed_slot = np.repeat(changed, lengths)
        new_slot = np.asarray(add_slot, dtype=np.int64)
        new_val = np.asarray(add_val, dtype=np.int64)

        # By value, then slot.
        remove_at = self._pair_places(removed_val, removed_slot)
        order = np.lexsort((new_slot, new_val))
        new_slot_v, new_val_v = new_slot[order], new_val[order]
        # Where each new pair goes among the pairs kept: its place among all the pairs, less
        # the removed pairs before that place (a removed pair equal to the new one is at that
        # place, not before it).
        at = self._pair_places(new_val_v, new_slot_v)
        at -= np.searchsorted(np.sort(remove_at), at)
        pos = _spliced(self.slots, remove_at, at, new_slot_v)
        val = _spliced(self.value_of_pair, remove_at, at, new_val_v)
        put_in = np.bincount(new_val, minlength=n_values) - np.bincount(removed_val,
                                                                         minlength=n_values)
        pairs_of_value = np.zeros(n_values, dtype=np.int64)
        pairs_of_value[: len(self.offsets) - 1] = np.diff(self.offsets)
        offsets = np.concatenate([[0], np.cumsum(pairs_of_value + put_in)])
        counts = np.zeros(n_values, dtype=np.int64)
        counts[: len(self.totals)] = self.totals
        counts += put_in

        # By slot, then value: cut the changed slots' slices, put their new values in.
        # Only the changed slots' lengths change: the offsets after each move by the sum of
        # those changes before it (none, often: a case that changes year keeps one year).
        grown = np.bincount(np.searchsorted(changed, new_slot), minlength=len(changed)) - lengths
        slot_offsets = self.slot_offsets
        if grown.any():
            shift = np.zeros(len(slot_offsets), dtype=np.int64)
            shift[changed + 1] = grown
            slot_offsets = slot_offsets + np.cumsum(shift)
        order = np.lexsort((new_val, new_slot))
        new_slot_s, new_val_s = new_slot[order], new_val[order]
        removed_before = np.concatenate([[0], np.cumsum(lengths)])[
            np.searchsorted(changed, new_slot_s)]
        into = self.slot_offsets[new_slot_s] - removed_before
        by_val = _spliced(self.values_by_slot, cut, into, new_val_s)
        value_rank = (self.value_rank if values is self.values
                      else _value_rank(self.key, values))
        return Facet(self.key, values, value_ids, offsets, pos, val, counts, slot_offsets,
                     by_val, value_rank, self.where)

    def _pair_places(self, values: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """Where each (value index, slot) pair is, or would go, among the pairs by value then
        slot. A few are found each in its value's run; many, by one key over all the pairs
        (three passes over them)."""
        if len(values) <= SPLICE_MAX:
            last = len(self.offsets) - 1  # values from that index on are new: after every pair
            places = []
            for value, slot in zip(values.tolist(), slots.tolist(), strict=True):
                if value >= last:
                    places.append(len(self.slots))
                    continue
                start, end = int(self.offsets[value]), int(self.offsets[value + 1])
                places.append(start + int(np.searchsorted(self.slots[start:end], slot)))
            return np.asarray(places, dtype=np.int64)
        width = len(self.slot_offsets)  # more than any slot
        key = self.value_of_pair.astype(np.int64)
        key *= width
        key += self.slots
        return np.searchsorted(key, values * width + slots)

    def positions_of(self, value: str) -> np.ndarray | None:
        """The positions of the cases with this value (not in browse order once cases have
        moved)."""
        index = self.value_ids.get(value)
        if index is None:
            return None
        slots = self.slots[self.offsets[index] : self.offsets[index + 1]]
        where = self.where
        if where._identity:
            return slots
        positions = where.position_of[slots]
        return positions[positions < where.size] if where.empty else positions

    def counts(self, mask: np.ndarray | None, selected: np.ndarray | None = None,
               by_slot: np.ndarray | None = None) -> np.ndarray:
        """Counts of each value among the masked positions. `selected` (the mask's true
        positions, when the caller has them) switches to reading only those positions'
        pairs when they are few; `by_slot` is the mask by slot, if the caller has it."""
        if mask is None:
            return self.totals
        if selected is not None and len(selected) * 8 < len(mask):
            slots = self.where.slot_of[selected]
            starts = self.slot_offsets[slots]
            lengths = self.slot_offsets[slots + 1] - starts
            # The pair indexes of every selected slot, without a Python loop:
            # run i is starts[i], starts[i] + 1, ... for lengths[i] steps.
            shift = starts - (np.cumsum(lengths) - lengths)
            pairs = np.arange(int(lengths.sum())) + np.repeat(shift, lengths)
            return np.bincount(self.values_by_slot[pairs], minlength=len(self.values))
        if by_slot is None:
            by_slot = self.where.mask_by_slot(mask)
        return np.bincount(self.value_of_pair[by_slot[self.slots]], minlength=len(self.values))


# Rebuild when more slots are empty than this share of the cases (and than EMPTY_SLOTS_MIN).
EMPTY_SLOTS_MAX = 0.25
EMPTY_SLOTS_MIN = 1000


@dataclass
class CatalogueIndex:
    version: int
    ids: np.ndarray  # case ids in browse order
    keys: np.ndarray  # browse_key of each position, descending
    facets: dict[str, Facet]
    facet_names: dict[str, str]  # taxonomy key -> taxonomy name
    term_names: dict[tuple[str, str], str]
    slots: Slots  # where each case's pairs are

    @property
    def size(self) -> int:
        return len(self.ids)

    def follow(self, version: int, changed: list[int], rows: list[tuple[int, int | None]],
               pairs: dict[str, list[tuple[int, str]]]) -> CatalogueIndex | None:
        """This index after the `changed` cases were written: `rows` are the (id, year) of
        those now published, `pairs` their (id, value) per facet. Positions keep browse
        order: the changed cases leave, and come back at their (new) place; their slots stay,
        so each facet only puts in the pairs that differ. None when too many slots are empty
        (rebuild)."""
        where = self.slots
        old_positions = np.sort(self.positions_of_ids(changed))
        old_ids = self.ids[old_positions].tolist()
        old_slot = dict(zip(old_ids, where.slot_of[old_positions].tolist(), strict=True))
        published = dict(rows)
        in_place = len(rows) == len(old_ids) and all(
            case_id in published and browse_key(published[case_id], case_id) == key
            for case_id, key in zip(old_ids, self.keys[old_positions].tolist(), strict=True))
        if in_place:
            ids, keys = self.ids, self.keys
            slot_of_case = old_slot
            emptied: list[int] = []
        else:
            new_ids = np.asarray(list(published), dtype=np.int64)
            new_keys = np.asarray([browse_key(year, case_id)
                                   for case_id, year in published.items()], dtype=np.int64)
            order = np.argsort(-new_keys, kind="stable")
            new_ids, new_keys = new_ids[order], new_keys[order]
            # Where each returning case goes among the kept ones (keys are descending): past
            # every key larger than its own, less the cases that leave from before that place.
            at = np.searchsorted(-self.keys, -new_keys)
            at -= np.searchsorted(old_positions, at)
            keys = _spliced(self.keys, old_positions, at, new_keys)
            ids = _spliced(self.ids, old_positions, at, new_ids)
            # A case that stays keeps its slot; a new one takes the next; one that left
            # leaves its slot empty.
            count = where.count
            slot_of_case = {}
            arrived: list[tuple[int, int]] = []
            for case_id in new_ids.tolist():
                slot = old_slot.get(case_id)
                if slot is None:
                    slot, count = count, count + 1
                    arrived.append((case_id, slot))
                slot_of_case[case_id] = slot
            emptied = [slot for case_id, slot in old_slot.items() if case_id not in published]
            slot_of = _spliced(where.slot_of, old_positions, at,
                               np.asarray([slot_of_case[c] for c in new_ids.tolist()],
                                          dtype=np.int64))
            if count == where.count and len(ids) == where.size and len(at):
                # Cases that only moved: the positions between the first and the last one
                # moved are renumbered; those before and after stay.
                placed = at + np.arange(len(at))  # where the returning cases are now
                low = min(int(old_positions[0]), int(placed[0]))
                high = max(int(old_positions[-1]), int(placed[-1])) + 1
                position_of = where.position_of.copy()
                position_of[slot_of[low:high]] = np.arange(low, high)
            else:
                position_of = np.full(count, len(ids), dtype=np.int64)
                position_of[slot_of] = np.arange(len(ids))
            sorted_ids, slot_of_sorted = where.sorted_ids, where.slot_of_sorted
            if arrived:
                arrived.sort()
                arrived_ids = np.asarray([case_id for case_id, _slot in arrived], dtype=np.int64)
                into = np.searchsorted(sorted_ids, arrived_ids, side="right")
                sorted_ids = np.insert(sorted_ids, into, arrived_ids)
                slot_of_sorted = np.insert(slot_of_sorted, into,
                                           [slot for _case_id, slot in arrived])
            where = Slots(slot_of, position_of, len(ids), sorted_ids, slot_of_sorted)
            if where.empty > max(EMPTY_SLOTS_MIN, EMPTY_SLOTS_MAX * where.size):
                return None
        facets = {}
        for key, facet in self.facets.items():
            if where is not facet.where:
                facet = facet.moved(where, emptied)
            wanted: dict[int, list[str]] = {slot: [] for slot in slot_of_case.values()}
            for case_id, value in pairs.get(key, []):
                wanted[slot_of_case[case_id]].append(value)
            differ = {slot: values for slot, values in wanted.items()
                      if sorted(set(values)) != sorted(facet.values[i]
                                                       for i in facet._values_of_slot(slot))}
            facets[key] = facet.replace(differ) if differ else facet
        return CatalogueIndex(version, ids, keys, facets, self.facet_names, self.term_names,
                              where)

    def positions_of_ids(self, case_ids: list[int] | np.ndarray) -> np.ndarray:
        """Positions of the given ids (ids not in the index are dropped), keeping their order.
        Of a case's slots, the last in `sorted_ids` is its newest (the one in use)."""
        if not len(case_ids) or not self.size:
            return np.zeros(0, dtype=np.int64)
        where = self.slots
        wanted = np.asarray(case_ids, dtype=np.int64)
        at = np.maximum(np.searchsorted(where.sorted_ids, wanted, side="right") - 1, 0)
        found = where.sorted_ids[at] == wanted
        positions = where.position_of[where.slot_of_sorted[at[found]]]
        return positions[positions < where.size]


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
    where = Slots.of(ids)
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
        facets[key] = Facet.build(key, values, pairs_by_tax[key], where)

    countries: dict[str, int] = {}
    country_pairs = []
    published_countries = CaseCountry.objects.filter(case__status=CaseStatus.PUBLISHED)
    for case_id, code in published_countries.values_list("case_id", "code").iterator(
        chunk_size=5000
    ):
        if case_id in position:
            country_pairs.append((position[case_id],
                                  countries.setdefault(code, len(countries))))
    facets[COUNTRY] = Facet.build(COUNTRY, list(countries), country_pairs, where)

    actors: dict[str, int] = {}
    actor_pairs = set()
    published_actors = CaseActor.objects.filter(case__status=CaseStatus.PUBLISHED)
    for case_id, slug in published_actors.values_list("case_id", "actor__slug").iterator(
        chunk_size=5000
    ):
        if case_id in position:
            actor_pairs.add((position[case_id], actors.setdefault(slug, len(actors))))
    facets[ACTOR] = Facet.build(ACTOR, list(actors), sorted(actor_pairs), where)

    years: dict[str, int] = {}
    year_pairs = []
    for case_id, year in rows:
        if year is not None:
            year_pairs.append((position[case_id], years.setdefault(str(year), len(years))))
    facets[YEAR] = Facet.build(YEAR, list(years), year_pairs, where)

    return CatalogueIndex(version, ids, keys, facets, facet_names, term_names, where)


# How many changed cases a process follows; further behind, it rebuilds.
FOLLOW_CASES_MAX = 20_000
_CHUNK = 500  # ids per IN (...) list (four lists a statement)


def changed_cases(held: int, version: int) -> list[int] | None:
    """The cases changed from version `held` to `version`, or None when the index must be
    rebuilt: a change that names no cases, change rows pruned, or too many cases. One
    written-out query (through the ORM, compiling it cost more than running it): the change
    rows after `held`'s, up to `version`'s (none when either row is gone)."""
    table = CatalogueChange._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version, case_ids FROM {table} "  # noqa: S608 (a table name; values are parameters)
            f"WHERE id > (SELECT id FROM {table} WHERE version = %s LIMIT 1) "
            f"AND id <= (SELECT id FROM {table} WHERE version = %s LIMIT 1) ORDER BY id LIMIT %s",
            [held, version, CHANGES_KEPT + 1])
        rows = cursor.fetchall()
    if not rows or len(rows) > CHANGES_KEPT or rows[-1][0] != version:
        return None
    changed: set[int] = set()
    for _version, case_ids in rows:
        ids = json.loads(case_ids) if isinstance(case_ids, str) else case_ids
        if ids is None:
            return None
        changed.update(ids)
        if len(changed) > FOLLOW_CASES_MAX:
            return None
    return sorted(changed)


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + _CHUNK] for start in range(0, len(ids), _CHUNK)]


def _read_back_sql(n: int) -> str:
    """One UNION ALL of the `n` cases (their year, under the key "year" if published), and
    those ids' facet terms, countries and actors, each row (case id, facet key, value). The
    status is tested in the row, not in the WHERE clause: there, SQLite read it through the
    browse index, every published case (23 ms for 500 ids at 100,000 cases, against 4 ms)."""
    ids = ", ".join(["%s"] * n)
    through = Case.terms.through._meta.db_table
    # The facet keys are constants of this module, written in as SQL strings.
    assert all(key.isalpha() for key in FIXED_FACETS)
    return (
        f"SELECT id, CASE WHEN status = %s THEN '{YEAR}' ELSE '' END, CAST(year AS TEXT) "  # noqa: S608 (names; values are parameters)
        f"FROM {Case._meta.db_table} WHERE id IN ({ids}) "
        f"UNION ALL SELECT ct.case_id, x.{Taxonomy._meta.get_field('key').column}, t.slug "
        f"FROM {through} ct JOIN {Term._meta.db_table} t ON t.id = ct.term_id "
        f"JOIN {Taxonomy._meta.db_table} x ON x.id = t.taxonomy_id "
        f"WHERE x.is_facet = %s AND ct.case_id IN ({ids}) "
        f"UNION ALL SELECT case_id, '{COUNTRY}', code FROM {CaseCountry._meta.db_table} "
        f"WHERE case_id IN ({ids}) "
        f"UNION ALL SELECT ca.case_id, '{ACTOR}', a.slug FROM {CaseActor._meta.db_table} ca "
        f"JOIN {Actor._meta.db_table} a ON a.id = ca.actor_id WHERE ca.case_id IN ({ids})")


def _read_back(changed: list[int]) -> tuple[list[tuple[int, int | None]],
                                            dict[str, list[tuple[int, str]]]]:
    """The (id, year) of the `changed` cases now published, and their (id, value) pairs per
    facet key: one written-out query a chunk of ids (see _read_back_sql; the pairs of a case
    that is not published are dropped here)."""
    found: set[tuple[int, str, str | None]] = set()
    with connection.cursor() as cursor:
        for chunk in _chunks(changed):
            cursor.execute(_read_back_sql(len(chunk)),
                           [CaseStatus.PUBLISHED.value, *chunk, True, *chunk, *chunk, *chunk])
            found.update(cursor.fetchall())
    rows = sorted((case_id, None if value is None else int(value))
                  for case_id, key, value in found if key == YEAR)
    published = {case_id for case_id, _year in rows}
    pairs: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for case_id, key, value in found:  # in no order: a facet's follow sorts what it takes
        if key != YEAR and case_id in published and value is not None:
            pairs[key].append((case_id, value))
    pairs[YEAR] = [(case_id, str(year)) for case_id, year in rows if year is not None]
    return rows, pairs


def _follow(index: CatalogueIndex, version: int,
            changed: list[int] | None = None) -> CatalogueIndex | None:
    """The index at `version`, from `index` and the cases changed since its version (read
    here unless given)."""
    if changed is None:
        changed = changed_cases(index.version, version)
    if changed is None:
        return None
    rows, pairs = _read_back(changed)
    for key, values in pairs.items():
        facet = index.facets.get(key)
        if facet is None:
            return None  # a facet this index does not have: rebuild
        if key not in FIXED_FACETS and any(slug not in facet.value_ids for _case, slug in values):
            return None  # a term this index has not seen (terms are added with a rebuild)
    return index.follow(version, changed, rows, pairs)


# --- The index a process uses ------------------------------------------------------------------
#
# A request reads the catalogue's version once. When the index this process holds is behind:
# - by at most FOLLOW_INLINE_CASES changed cases, or by a write made in this process (a writer
#   sees its own write), the request follows the change at once (a few milliseconds);
# - further behind (an import's batch, a change that names no cases), or when the change
#   cannot be followed (a new term, too many empty slots), the request goes on with the index
#   it has, and a background thread (`catch_up`) follows or rebuilds, then swaps the new index
#   in; until then the process shows the catalogue as it was. A catch-up starts at most once
#   every CATCH_UP_EVERY seconds: while an import writes a batch every fraction of a second,
#   each process follows several batches at once instead of each one (a follow costs a few
#   passes over the arrays whatever the number of cases).
# `current_version()` is the version of the index in use, so that pages kept by version
# (core/pagecache.py) never keep a page built from an index behind its version;
# `database_version()` (cases.indexing) is the version of the database.
# Outside a request (commands, tests) the index is always brought up to date at once.

FOLLOW_INLINE_CASES = 20
CATCH_UP_EVERY = 1.0  # seconds
_last_catch_up = -CATCH_UP_EVERY  # time.monotonic() when the last catch-up started
_KEY = "index"
_index: VersionedCache[CatalogueIndex] = VersionedCache("facets", 1, freeze=True)
_following = threading.Lock()  # one inline follow at a time (others wait: it is short)
_catching_up = threading.Lock()  # held while the background catch-up runs


def _version_in_use() -> int:
    version = database_version()
    held = _index.latest(_KEY)
    if held is None or held[0] == version:
        return version
    return _up_to(held[1], version).version


def current_version() -> int:
    """The version of the catalogue this process shows, the version of its facet index (see
    above), read once per request (core/versioned.py)."""
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
    if version != written_here(CATALOGUE_VERSION) and in_request():
        # current_version() followed or chose to lag: this one was swapped in since (newer).
        return held[1]
    return _up_to(held[1], version)


def _up_to(held: CatalogueIndex, version: int) -> CatalogueIndex:
    """The index to use when the database (or this request's write) is at `version` and this
    process holds `held`: `held` brought up to `version` now, or `held` as it is while the
    background catch-up runs (see above)."""
    must = version == written_here(CATALOGUE_VERSION) or not in_request()
    changed = None
    if not must:
        if _catching_up.locked():
            return held
        changed = changed_cases(held.version, version)
        if changed is None or len(changed) > FOLLOW_INLINE_CASES:
            _start_catch_up()
            return held
    with _following:
        latest = _index.latest(_KEY)
        if latest is None:  # emptied meanwhile (clear_all)
            return _index.get(version, _KEY, lambda: _build(version))
        if latest[0] == version:
            return latest[1]
        if latest[1] is not held:
            # Stored meanwhile (a catch-up or another request): at least as new as `held`.
            if not must or _is_newer(latest[0], version):
                return latest[1]
            changed = None  # read its change
        index = _follow(latest[1], version, changed)
        if index is None:
            if not must:
                _start_catch_up()
                return latest[1]
            index = _build(version)
        _index.advance(version, _KEY, index, replaces=latest[1])
        return index


def _is_newer(version: int, than: int) -> bool:
    """Whether catalogue version `version` was written after `than` (their change rows; a
    version whose row is pruned is older than any kept)."""
    table = CatalogueChange._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, id FROM {table} WHERE version IN (%s, %s)",  # noqa: S608
                       [version, than])
        ids = dict(cursor.fetchall())
    return ids.get(version, 0) > ids.get(than, 0)


def catch_up(rounds: int = 3) -> CatalogueIndex | None:
    """Bring the held index up to the database's version without holding up requests:
    follow the change (or rebuild) outside every lock, then swap the result in unless an
    inline follow stored another index meanwhile (then try again, at most `rounds` times).
    The index stored, or None."""
    for _round in range(rounds):
        version = read_database_version()
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
    global _last_catch_up
    try:
        wait = _last_catch_up + CATCH_UP_EVERY - time.monotonic()
        if wait > 0:
            time.sleep(wait)  # requests go on with the index they have meanwhile
        _last_catch_up = time.monotonic()
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
    by_slot = None if mask is None else index.slots.mask_by_slot(mask)
    for key, facet in index.facets.items():
        counts = facet.counts(mask, positions, by_slot)
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
