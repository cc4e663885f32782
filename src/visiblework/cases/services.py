"""Reading the case database: browse with facets and search, a case with its related cases
(citations are in citations.py). Views and the API stay thin and call these."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from visiblework.core.search import parse_query
from visiblework.core.versioned import VersionedCache

from .facets import (
    YEAR,
    CatalogueIndex,
    FacetResult,
    facet_counts,
    filter_mask,
    get_index,
    oldest_first,
    year_range_mask,
)
from .models import Actor, ActorAlias, Case, CaseActor, CaseStatus, Source, Term
from .rows import CaseRow, kept_rows, rows_for_ids
from .search import get_backend
from .suggest import spelling

MAX_FILTER_VALUES = 20  # per facet, to bound the work one URL can ask for
RELEVANCE, NEWEST, OLDEST = "relevance", "newest", "oldest"
SORTS = (RELEVANCE, NEWEST, OLDEST)
YEAR_MIN, YEAR_MAX = 1900, 2100  # the years a case may have (Case.year)


class InvalidCursor(ValueError):
    pass


@dataclass
class BrowseQuery:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    limit: int = 20
    cursor: str | None = None
    expand: str | None = None  # a facet whose full list (bounded) is wanted
    sort: str = ""  # one of SORTS; "" is the default: relevance with a search, else newest
    year_from: int | None = None
    year_to: int | None = None
    errors: list[str] = field(default_factory=list)  # what was wrong with the input, dropped

    @property
    def order(self) -> str:
        """The order in force: relevance only means something when there is a search."""
        if self.sort in (NEWEST, OLDEST):
            return self.sort
        return RELEVANCE if self.q else NEWEST

    @classmethod
    def from_querydict(cls, params: QueryDict, facet_keys: list[str]) -> BrowseQuery:
        """The browse page's query: every facet key's values, the search, the sort, the
        year range, limit, cursor."""
        try:
            limit = int(params.get("limit", settings.VISIBLEWORK_PAGE_SIZE))
        except ValueError:
            limit = settings.VISIBLEWORK_PAGE_SIZE
        return cls.build(q=params.get("q", ""),
                         filters={key: params.getlist(key) for key in facet_keys},
                         limit=limit, cursor=params.get("cursor") or None,
                         expand=params.get("facet") or None, sort=params.get("sort"),
                         year_from=params.get("year_from"), year_to=params.get("year_to"))

    @classmethod
    def build(cls, *, q: str = "", filters: dict[str, list[str]], limit: int,
              cursor: str | None = None, expand: str | None = None, sort: str | None = None,
              year_from: str | int | None = None, year_to: str | int | None = None,
              ) -> BrowseQuery:
        """A query from values already read (by the browse page or the API's typed
        parameters): blank values dropped, each list de-duplicated and bounded, merged
        actors' slugs made current, the limit kept within the page sizes. A sort or a year
        that cannot be used is dropped and said in `errors` (the page shows them, the API
        answers 400 with them)."""
        clean: dict[str, list[str]] = {}
        for key, raw in filters.items():
            values = [v.strip() for v in raw if v and v.strip()]
            if values:
                clean[key] = list(dict.fromkeys(values))[:MAX_FILTER_VALUES]
        if "actor" in clean:
            clean["actor"] = canonical_actor_slugs(clean["actor"])
        errors: list[str] = []
        sort = (sort or "").strip()
        if sort and sort not in SORTS:
            errors.append(_("“%(sort)s” is not a way to sort: use relevance, newest or oldest.")
                          % {"sort": sort[:40]})
            sort = ""
        first = _year(year_from, _("From year"), errors)
        last = _year(year_to, _("To year"), errors)
        if first is not None and last is not None and first > last:
            errors.append(_("The range from %(first)s to %(last)s ends before it starts: give "
                            "the earlier year first.") % {"first": first, "last": last})
            first = last = None
        return cls(q=(q or "").strip(), filters=clean,
                   limit=max(1, min(limit, settings.VISIBLEWORK_MAX_PAGE_SIZE)),
                   cursor=cursor, expand=expand, sort=sort, year_from=first, year_to=last,
                   errors=errors)


def _year(value: str | int | None, name: str, errors: list[str]) -> int | None:
    """A year of the range, or None (blank, or wrong: then said in `errors`)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        errors.append(_("%(name)s: “%(value)s” is not a year; write it like 2023.")
                      % {"name": name, "value": str(value)[:40]})
        return None
    if not YEAR_MIN <= year <= YEAR_MAX:
        errors.append(_("%(name)s: %(year)s is outside %(min)s–%(max)s.")
                      % {"name": name, "year": year, "min": YEAR_MIN, "max": YEAR_MAX})
        return None
    return year


def canonical_actor_slugs(slugs: list[str]) -> list[str]:
    """Slugs of merged actors (kept as aliases) become the surviving actor's slug."""
    known = set(Actor.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    missing = [s for s in slugs if s not in known]
    moved = dict(ActorAlias.objects.filter(slug__in=missing).values_list("slug", "actor__slug"))
    return list(dict.fromkeys(moved.get(s, s) for s in slugs))


@dataclass
class BrowseResult:
    count: int
    cases: list[CaseRow]
    snippets: dict[int, str]
    facets: list[FacetResult]
    next_cursor: str | None
    searched: bool
    search_truncated: bool
    facet_names: dict[str, str]
    term_names: dict[tuple[str, str], str]
    # Matching cases per year, oldest first, the years between without a case at 0
    # (only with `facets`).
    timeline: list[tuple[int, int]] = field(default_factory=list)
    # When nothing matches (only with `facets`): what each filter in force would give if it
    # were dropped.
    relaxations: list[Relaxation] = field(default_factory=list)
    # The ids of the page's cases, in order (also when `rows` is off and `cases` is empty).
    ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Relaxation:
    """A filter in force, and how many cases match without it. `key` is a facet key, "q"
    for the search text or "years" for the year range."""

    key: str
    value: str
    count: int


def encode_cursor(kind: str, value: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}{value}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = raw[0], int(raw[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError, IndexError):
        raise InvalidCursor(cursor) from None
    if kind not in ("k", "o") or value < 0:
        raise InvalidCursor(cursor)
    return kind, value


def facet_keys() -> list[str]:
    return list(get_index().facets)


def _with_parts(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Everything a list or page shows about a case, in a fixed number of queries."""
    return cases.prefetch_related(
        Prefetch("terms", queryset=Term.objects.select_related("taxonomy")),
        Prefetch("case_actors", queryset=CaseActor.objects.select_related("actor")),
        "countries",
        Prefetch("sources", queryset=Source.objects.order_by("order", "id")),
    )


@dataclass
class _Matches:
    positions: np.ndarray  # matching positions in result order (rank, or browse order)
    mask: np.ndarray | None  # the same set as a mask, for facet counts (None: everything)
    searched: bool
    truncated: bool


# The matches of recent searches, kept per process for one catalogue version: a search's
# facet clicks, next pages, sorts and languages ask the full-text index once. Each entry is
# at most VISIBLEWORK_MAX_SEARCH_HITS positions (80 KB at 10,000), so the whole is bounded.
MAX_KEPT_SEARCHES = 128
_searches: VersionedCache[tuple[np.ndarray, bool]] = VersionedCache("searches",
                                                                     MAX_KEPT_SEARCHES)


def _search(index: CatalogueIndex, q: str) -> tuple[np.ndarray, bool]:
    """Positions of the cases the search text matches, best first; and whether the search
    was cut at VISIBLEWORK_MAX_SEARCH_HITS. Kept for the catalogue version (`_searches`)."""
    limit = settings.VISIBLEWORK_MAX_SEARCH_HITS
    window = settings.VISIBLEWORK_SEARCH_RANK_WINDOW

    def run() -> tuple[np.ndarray, bool]:
        ranked_ids = get_backend().search(parse_query(q), limit, window)
        positions = index.positions_of_ids(ranked_ids)
        positions.flags.writeable = False  # shared by every request that asks again
        return positions, len(ranked_ids) >= limit

    return _searches.get(index.version, (q, limit, window), run)


def _filter(index: CatalogueIndex, filters: dict[str, list[str]], year_from: int | None,
            year_to: int | None) -> np.ndarray | None:
    mask = filter_mask(index, filters)
    if year_from is None and year_to is None:
        return mask
    years = year_range_mask(index, year_from, year_to)
    return years if mask is None else mask & years


def _matches(index: CatalogueIndex, query: BrowseQuery,
             searched: tuple[np.ndarray, bool] | None = None) -> _Matches:
    mask = _filter(index, query.filters, query.year_from, query.year_to)
    if not query.q:
        positions = np.arange(index.size) if mask is None else np.flatnonzero(mask)
        if query.order == OLDEST:
            positions = oldest_first(index, positions)
        return _Matches(positions, mask, searched=False, truncated=False)
    ranked, truncated = searched if searched is not None else _search(index, query.q)
    if mask is not None:
        ranked = ranked[mask[ranked]]
    search_mask = np.zeros(index.size, dtype=bool)
    search_mask[ranked] = True
    if query.order == NEWEST:
        ranked = np.sort(ranked)  # positions follow browse order
    elif query.order == OLDEST:
        ranked = oldest_first(index, np.sort(ranked))
    return _Matches(ranked, search_mask, searched=True, truncated=truncated)


def matching_ids_in_chunks(query: BrowseQuery, size: int, *,
                           oldest_first: bool = False) -> Iterator[list[int]]:
    """The ids of every match, in result order, `size` at a time (for streamed exports).
    `oldest_first` turns the browse order around when there is no search text."""
    index = get_index()
    matches = _matches(index, query)
    positions = matches.positions
    if oldest_first and not matches.searched:
        positions = positions[::-1]
    for start in range(0, len(positions), size):
        yield index.ids[positions[start : start + size]].tolist()


def browse(query: BrowseQuery, *, facets: bool = True, rows: bool = True) -> BrowseResult:
    """Published cases matching the filters, the year range and the search text, in the
    order asked, one page of them, and (with `facets`) the facet counts and the timeline of
    the whole result, and when nothing matches, what dropping each filter would give. Without
    `rows` only the page's ids are given (the API builds its items from records it keeps)."""
    index = get_index()
    searched = _search(index, query.q) if query.q else None
    matches = _matches(index, query, searched)
    selected = matches.positions
    count = len(selected)
    if matches.searched or query.order != NEWEST:
        offset = 0
        if query.cursor:
            kind, offset = decode_cursor(query.cursor)
            if kind != "o":
                raise InvalidCursor(query.cursor)
        page = selected[offset : offset + query.limit]
        has_more = offset + query.limit < count
        next_cursor = encode_cursor("o", offset + query.limit) if has_more else None
    else:
        if query.cursor:
            kind, key = decode_cursor(query.cursor)
            if kind != "k":
                raise InvalidCursor(query.cursor)
            # keys descend along positions: skip those at or above the cursor's key
            start = int(np.searchsorted(-index.keys[selected], -key, side="right"))
            selected = selected[start:]
        page = selected[: query.limit]
        has_more = len(selected) > query.limit
        next_cursor = encode_cursor("k", int(index.keys[page[-1]])) if has_more else None

    page_ids = index.ids[page].tolist()
    snippets = get_backend().snippets(parse_query(query.q), page_ids) if matches.searched else {}
    return BrowseResult(
        count=count,
        cases=kept_rows(page_ids) if rows else [],
        snippets=snippets,
        facets=facet_counts(index, matches.mask, query.filters, query.expand, matches.positions)
        if facets else [],
        next_cursor=next_cursor,
        searched=matches.searched,
        search_truncated=matches.truncated,
        facet_names=index.facet_names,
        term_names=index.term_names,
        timeline=_timeline(index, matches) if facets else [],
        relaxations=_relaxations(index, query, searched) if facets and not count else [],
        ids=page_ids,
    )


def _timeline(index: CatalogueIndex, matches: _Matches) -> list[tuple[int, int]]:
    """Matching cases per year, from the first year with a case to the last (at most
    YEAR_MAX - YEAR_MIN + 1 entries)."""
    facet = index.facets[YEAR]
    counts = facet.counts(matches.mask, matches.positions)
    by_year = {int(facet.values[i]): int(counts[i]) for i in np.flatnonzero(counts)}
    if not by_year:
        return []
    return [(year, by_year.get(year, 0)) for year in range(min(by_year), max(by_year) + 1)]


MAX_RELAXATIONS = 12


def _relaxations(index: CatalogueIndex, query: BrowseQuery,
                 searched: tuple[np.ndarray, bool] | None) -> list[Relaxation]:
    """For each filter in force (each facet value, the year range, the search text), how
    many cases match with only that one dropped. The search runs once: each count is a
    mask over its result. Bounded: the first MAX_RELAXATIONS filters."""
    ranked = searched[0] if searched is not None else None

    def count(filters: dict[str, list[str]], year_from: int | None, year_to: int | None,
              with_search: bool = True) -> int:
        mask = _filter(index, filters, year_from, year_to)
        if with_search and ranked is not None:
            return len(ranked) if mask is None else int(mask[ranked].sum())
        return index.size if mask is None else int(mask.sum())

    found: list[Relaxation] = []
    if query.q:
        found.append(Relaxation("q", query.q,
                                count(query.filters, query.year_from, query.year_to, False)))
    if query.year_from is not None or query.year_to is not None:
        span = f"{query.year_from or ''}–{query.year_to or ''}"
        found.append(Relaxation("years", span, count(query.filters, None, None)))
    for key, values in query.filters.items():
        for value in values:
            fewer = {k: [v for v in vs if not (k == key and v == value)]
                     for k, vs in query.filters.items()}
            found.append(Relaxation(key, value, count(fewer, query.year_from, query.year_to)))
            if len(found) >= MAX_RELAXATIONS:
                return found
    return found


def suggest_spelling(query: BrowseQuery) -> tuple[str, int] | None:
    """For a search that finds nothing: another spelling of it (suggest.py) and how many
    cases it finds with the same filters, or None if none finds any."""
    if not query.q:
        return None
    index = get_index()
    other = spelling(index, query.q)
    if not other:
        return None
    count = len(_matches(index, replace(query, q=other, cursor=None)).positions)
    return (other, count) if count else None


def recent_cases(limit: int = 6) -> list[CaseRow]:
    ids = list(
        Case.published.order_by("-published_at", "-id").values_list("pk", flat=True)[:limit]
    )
    return kept_rows(ids)


def get_case(case_id: int) -> Case | None:
    """A case as the public sees it: published, or retracted (shown with a notice)."""
    public = Case.objects.filter(status__in=[CaseStatus.PUBLISHED, CaseStatus.RETRACTED])
    return _with_parts(public).filter(pk=case_id).first()


RELATED_CANDIDATES = 100
_WORD = re.compile(r"[^\W_]{4,}")


def _text_words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def related_cases(case: Case, limit: int = 5) -> list[CaseRow]:
    """Cases sharing the most terms and actors with this one; among the best of those (and
    among every case in a small catalogue), the ones whose title and summary share words
    with its own rank higher.

    Bounded work whatever the catalogue's size: one mask sum per term and actor over the
    facet index, then the title and summary of at most RELATED_CANDIDATES cases. (Ranking
    the whole catalogue by full-text likeness cost 150 ms a page at 100,000 cases.)"""
    index = get_index()
    if not index.size:
        return []
    term_keys = [(t.taxonomy.key, t.slug) for t in case.terms.all()]
    actor_slugs = [ca.actor.slug for ca in case.case_actors.all()]
    shared = [np.zeros(0, dtype=np.int32)]
    for key, value in [*term_keys, *(("actor", slug) for slug in actor_slugs)]:
        facet = index.facets.get(key)
        positions = facet.positions_of(value) if facet else None
        if positions is not None:
            shared.append(positions)
    # One point per shared term or actor, counted in one pass.
    scores = np.bincount(np.concatenate(shared), minlength=index.size).astype(np.float64)
    scores[index.positions_of_ids([case.pk])] = -1.0  # never itself
    if index.size > RELATED_CANDIDATES:
        candidates = np.argpartition(-scores, RELATED_CANDIDATES - 1)[:RELATED_CANDIDATES]
    else:
        candidates = np.arange(index.size)
    candidates = candidates[scores[candidates] >= 0]
    own_words = _text_words(f"{case.title} {case.summary}")
    if own_words and len(candidates):
        texts = _titles_and_summaries(index.ids[candidates].tolist())
        for position in candidates.tolist():
            words = _text_words(texts.get(int(index.ids[position]), ""))
            common = len(own_words & words)
            if common:
                scores[position] += 3.0 * common / math.sqrt(len(own_words) * len(words))
    # Best score first; ties in browse order (positions follow it).
    ranked = sorted((p for p in candidates.tolist() if scores[p] > 0),
                    key=lambda p: (-scores[p], p))[:limit]
    return kept_rows(index.ids[ranked].tolist())


def _titles_and_summaries(case_ids: list[int]) -> dict[int, str]:
    found = rows_for_ids("SELECT id, title, summary FROM cases_case WHERE id IN ({ids})", case_ids)
    return {case_id: f"{title} {summary}" for case_id, title, summary in found}


def cases_of_actor(actor_id: int, limit: int = 100) -> list[CaseRow]:
    ids = list(
        Case.published.filter(case_actors__actor_id=actor_id)
        .order_by("-year", "-id")
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )
    return kept_rows(ids)


def json_ld(case: Case, url: str) -> str:
    """schema.org metadata for the case page, safe to embed in a <script> data block."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": url,
        "url": url,
        "headline": case.title,
        "description": case.summary,
        "dateModified": case.updated_at.isoformat() if case.updated_at else None,
        "datePublished": case.published_at.isoformat() if case.published_at else None,
        "temporalCoverage": case.date or (str(case.year) if case.year else None),
        "keywords": [t.name for t in case.terms.all()],
        "about": [{"@type": "Organization", "name": ca.actor.name} for ca in case.case_actors.all()],
        "spatialCoverage": [{"@type": "Country", "name": c.code} for c in case.countries.all()],
        "citation": [
            {"@type": "CreativeWork", "name": s.title, "url": s.url or None,
             "publisher": s.publisher or None, "datePublished": s.date or None}
            for s in case.sources.all()
        ],
        "publisher": {"@type": "Organization", "name": settings.VISIBLEWORK_SITE_NAME},
    }
    text = json.dumps(data, ensure_ascii=False)
    # Never let user text close the script element.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
