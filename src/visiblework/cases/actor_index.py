"""The public index of actors (/actors/): search by name and alias, facets (kind, country,
role in cases) with counts, each actor's number of published cases, sorted by name or by
number of cases, a page at a time.

Like the case facets (cases/facets.py), each process keeps the actors in NumPy arrays,
rebuilt when the catalogue version moves (every write to an actor, an alias or a case bumps
it): four statements build the table whatever the number of actors, and a request then
costs no statement beyond the version read. Filtering is a boolean mask, a facet's counts
one `bincount`, a page a slice. Only published cases count: an actor's number of cases and
its roles come from published cases alone.

Search needs no SQL: the folded text (cases.actornames.fold) of an actor's name and aliases
contains the folded query, or the comparison keys (actornames.name_keys) of its names
contain the query's key ("openai inc" finds "Open AI"). `%` and `_` are plain characters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.utils.translation import gettext as _

from visiblework.core.countries import country_name
from visiblework.core.querylinks import QueryLinks
from visiblework.core.versioned import VersionedCache

from .actornames import fold, name_key
from .facets import FacetResult, FacetValue, current_version
from .models import Actor, ActorAlias, ActorKind, ActorNameKey, CaseStatus, Role

KIND = "kind"
COUNTRY = "country"
ROLE = "role"
FACETS = (KIND, COUNTRY, ROLE)
SORTS = ("name", "cases")
PAGE_SIZE = 50
MAX_QUERY = 200  # characters of search text
MAX_FILTER_VALUES = 20  # per facet
ALIASES_SHOWN = 3
SORT_IGNORED = "\"'“”‘’«»()[]¿¡.-_ "
KINDS = list(ActorKind.values)
ROLES = list(Role.values)  # bit i of an actor's role mask: it has role ROLES[i] in a case


@dataclass
class ActorTable:
    """Every actor, in name order (position = rank by folded name)."""

    ids: np.ndarray
    slugs: list[str]
    names: list[str]
    kinds: np.ndarray  # index into KINDS
    countries: np.ndarray  # index into country_values; 0 is "no country"
    country_values: list[str]
    cases: np.ndarray  # published cases naming the actor
    roles: np.ndarray  # bit mask over ROLES, from published cases
    aliases: dict[int, list[str]]  # position -> alias names
    texts: list[str]  # folded name and aliases of each position, one per line
    keys: list[str]  # comparison keys of each position's names, one per line

    @property
    def size(self) -> int:
        return len(self.ids)


def _published_roles(position: dict[int, int], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(published cases, role mask) of each position, from one pass over the actors of
    published cases (one statement: two GROUP BYs over the same join cost twice as much)."""
    role_bit = {role: 1 << i for i, role in enumerate(ROLES)}
    actors: list[int] = []
    cases: list[int] = []
    bits: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT ca.actor_id, ca.case_id, ca.role FROM cases_caseactor ca"
                       " JOIN cases_case c ON c.id = ca.case_id WHERE c.status = %s",
                       [CaseStatus.PUBLISHED])
        while chunk := cursor.fetchmany(5000):
            for actor_id, case_id, role in chunk:
                found = position.get(actor_id)
                if found is not None:  # not an actor created since the actors were read
                    actors.append(found)
                    cases.append(case_id)
                    bits.append(role_bit.get(role, 0))
    at = np.asarray(actors, dtype=np.int64)
    roles = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(roles, at, np.asarray(bits, dtype=np.int64))
    # An actor with two roles in one case counts that case once.
    case_ids = np.asarray(cases, dtype=np.int64)
    stride = int(case_ids.max(initial=0)) + 1
    pairs = np.unique(at * stride + case_ids)
    return np.bincount(pairs // stride, minlength=n), roles


def _build() -> ActorTable:
    rows = [(fold(row[2]), row) for row in Actor.objects.values_list(
        "id", "slug", "name", "kind", "country").iterator(chunk_size=5000)]
    # Leading quotes and punctuation do not count: '"AI" start-ups' sorts under A.
    rows.sort(key=lambda r: (r[0].lstrip(SORT_IGNORED), r[0], r[1][0]))
    actors = [row for _folded, row in rows]
    texts = [folded for folded, _row in rows]
    position = {row[0]: i for i, row in enumerate(actors)}
    n = len(actors)
    country_values = [""] + sorted({row[4] for row in actors if row[4]})
    country_index = {code: i for i, code in enumerate(country_values)}
    kind_index = {kind: i for i, kind in enumerate(KINDS)}
    aliases: dict[int, list[str]] = {}
    for actor_id, alias in ActorAlias.objects.order_by("name").values_list(
            "actor_id", "name").iterator(chunk_size=5000):
        at = position.get(actor_id)
        if at is not None and alias.casefold() != actors[at][2].casefold():  # not a slug's
            aliases.setdefault(at, []).append(alias)                          # record only
            texts[at] += "\n" + fold(alias)
    keys = [""] * n
    for actor_id, key in ActorNameKey.objects.values_list("actor_id", "key").iterator(
            chunk_size=5000):
        at = position.get(actor_id)
        if at is not None:
            keys[at] += key + "\n"
    cases, roles = _published_roles(position, n)
    return ActorTable(
        ids=np.asarray([row[0] for row in actors], dtype=np.int64),
        slugs=[row[1] for row in actors],
        names=[row[2] for row in actors],
        kinds=np.asarray([kind_index.get(row[3], 0) for row in actors], dtype=np.int64),
        countries=np.asarray([country_index[row[4]] if row[4] else 0 for row in actors],
                             dtype=np.int64),
        country_values=country_values, cases=cases, roles=roles, aliases=aliases,
        texts=texts, keys=keys)


_table: VersionedCache[ActorTable] = VersionedCache("actor index", 1, freeze=True)


def get_table() -> ActorTable:
    """The actor table for the catalogue as it is now, rebuilt if a write has happened since."""
    version = current_version()
    return _table.get(version, "table", _build)


# --- Querying ----------------------------------------------------------------------------------


@dataclass
class ActorQuery:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "name"
    page: int = 1
    expand: str | None = None  # a facet whose longer list is wanted

    @classmethod
    def from_querydict(cls, params: QueryDict) -> ActorQuery:
        """The index's query from a request's parameters. Unknown kinds, roles and sorts and
        malformed countries are dropped; a page that is not a number is the first."""
        known = {KIND: set(KINDS), ROLE: set(ROLES)}
        filters: dict[str, list[str]] = {}
        for key in FACETS:
            values = [v.strip() for v in params.getlist(key) if v and v.strip()]
            if key == COUNTRY:
                values = [v.upper() for v in values if len(v) == 2 and v.isascii() and v.isalpha()]
            else:
                values = [v for v in values if v in known[key]]
            if values:
                filters[key] = list(dict.fromkeys(values))[:MAX_FILTER_VALUES]
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        sort = params.get("sort", "name")
        expand = params.get("facet")
        return cls(q=" ".join(params.get("q", "").split())[:MAX_QUERY], filters=filters,
                   sort=sort if sort in SORTS else "name", page=page,
                   expand=expand if expand in FACETS else None)


@dataclass(frozen=True)
class ActorRow:
    slug: str
    name: str
    kind: str  # its label in the reader's language
    country: str
    aliases: list[str]
    cases: int


@dataclass
class ActorIndexResult:
    count: int
    rows: list[ActorRow]
    page: int
    pages: int
    facets: list[FacetResult]
    searched: bool


def _matching(table: ActorTable, q: str) -> np.ndarray:
    """A mask of the actors whose names or aliases contain the query (folded), or whose
    comparison keys contain the query's key."""
    needle = fold(q)
    key = name_key(q)
    mask = np.zeros(table.size, dtype=bool)
    hits = [i for i, text in enumerate(table.texts) if needle in text]
    if key:
        hits += [i for i, keys in enumerate(table.keys) if key in keys]
    mask[hits] = True
    return mask


def _filter_mask(table: ActorTable, query: ActorQuery) -> np.ndarray:
    mask = np.ones(table.size, dtype=bool)
    if query.q:
        mask &= _matching(table, query.q)
    kinds = [KINDS.index(k) for k in query.filters.get(KIND, [])]
    if kinds:  # an actor has one kind: the chosen kinds combine with OR
        mask &= np.isin(table.kinds, kinds)
    if COUNTRY in query.filters:  # one country too: OR
        codes = [table.country_values.index(c) for c in query.filters[COUNTRY]
                 if c in table.country_values]
        mask &= np.isin(table.countries, codes)
    for role in query.filters.get(ROLE, []):  # several roles: AND, as facets of cases
        mask &= (table.roles & (1 << ROLES.index(role))) != 0
    return mask


def _facet(key: str, values: list[str], counts: np.ndarray, selected: list[str],
           limit: int | None) -> FacetResult:
    """Values with a count, the largest first (ties by value), at most `limit`; the selected
    values always listed."""
    order = sorted((i for i in np.flatnonzero(counts).tolist() if values[i]),
                   key=lambda i: (-int(counts[i]), values[i]))
    truncated = limit is not None and len(order) > limit
    shown = order[:limit] if limit is not None else order
    for value in selected:
        if value in values and values.index(value) not in shown:
            shown.append(values.index(value))
    return FacetResult(key, [FacetValue(values[i], int(counts[i]), values[i] in selected)
                             for i in shown], truncated=truncated)


def actor_index(query: ActorQuery) -> ActorIndexResult:
    """The actors matching the query, one page of them in the chosen order, and the facet
    counts of all that match."""
    table = get_table()
    mask = _filter_mask(table, query)
    positions = np.flatnonzero(mask)  # name order
    if query.sort == "cases":  # the most cases first; ties stay in name order
        positions = positions[np.argsort(-table.cases[positions], kind="stable")]
    count = len(positions)
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(query.page, pages)
    shown = positions[(page - 1) * PAGE_SIZE : page * PAGE_SIZE].tolist()
    rows = [ActorRow(table.slugs[p], table.names[p], value_label(KIND, KINDS[int(table.kinds[p])]),
                     table.country_values[int(table.countries[p])],
                     table.aliases.get(p, [])[:ALIASES_SHOWN], int(table.cases[p]))
            for p in shown]
    limit = (settings.VISIBLEWORK_FACET_VALUES_MAX if query.expand == COUNTRY
             else settings.VISIBLEWORK_FACET_VALUES)
    role_counts = np.asarray([np.count_nonzero(table.roles[mask] & (1 << i))
                              for i in range(len(ROLES))], dtype=np.int64)
    facets = [
        _facet(KIND, KINDS, np.bincount(table.kinds[mask], minlength=len(KINDS)),
               query.filters.get(KIND, []), None),
        _facet(COUNTRY, table.country_values,
               np.bincount(table.countries[mask], minlength=len(table.country_values)),
               query.filters.get(COUNTRY, []), limit),
        _facet(ROLE, ROLES, role_counts, query.filters.get(ROLE, []), None),
    ]
    return ActorIndexResult(count=count, rows=rows, page=page, pages=pages, facets=facets,
                            searched=bool(query.q))


# --- The page's panels -------------------------------------------------------------------------


def value_label(key: str, value: str) -> str:
    if key == KIND:
        return str(ActorKind(value).label)
    if key == ROLE:
        return str(Role(value).label)
    return country_name(value)


def facet_title(key: str) -> str:
    return {KIND: _("Kind"), COUNTRY: _("Country"), ROLE: _("Role in cases")}[key]


def facet_panels(query: ActorQuery, result: ActorIndexResult,
                 links: QueryLinks) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(facets, active filters) for the template, in the shape of the case browse page's
    (cases/browse_page.py), so the same `facet_values` tag draws them."""
    facets = [{
        "key": facet.key, "name": facet_title(facet.key),
        "values": [{"value": v.value, "label": value_label(facet.key, v.value), "count": v.count,
                    "selected": v.selected, "href": links.toggle(facet.key, v.value)}
                   for v in facet.values],
        "truncated": facet.truncated, "expanded": query.expand == facet.key,
    } for facet in result.facets]
    active = [{"facet": facet_title(key), "label": value_label(key, value),
               "href": links.toggle(key, value)}
              for key, values in query.filters.items() for value in values]
    return facets, active


def sort_links(params: QueryDict) -> list[dict[str, Any]]:
    """Links to each order, keeping the search and filters, back on the first page."""
    current = params.get("sort") if params.get("sort") in SORTS else "name"
    labels = {"name": _("Name"), "cases": _("Number of cases")}
    links = []
    for sort in SORTS:
        changed = params.copy()
        changed.pop("page", None)
        changed["sort"] = sort
        links.append({"label": labels[sort], "href": "?" + changed.urlencode(),
                      "current": sort == current})
    return links
