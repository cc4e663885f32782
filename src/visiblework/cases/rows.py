"""Cases as lists, the API and exports show them: plain rows read with a fixed number of
value queries (one per part), without model instances or prefetch machinery.

A page of 20 cases costs five short queries and a few hundred tuples; building the same page
from model instances with four prefetches cost about 30 ms at 100,000 cases. The case page
itself still uses the models (it shows everything, once).

The statements are a second shape of a case, kept in step with the models by hand:
tests/cases/test_rows.py fails when a field of Case or Source is added, renamed or removed
without CaseRow (or its list of fields left out) knowing, and when a row differs from the
same case read through the ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from django.db import connection
from django.urls import reverse

from visiblework.core.versioned import VersionedCache

from .facets import changed_cases, current_version
from .models import CaseStatus

PUBLIC_STATUSES = (CaseStatus.PUBLISHED,)
MAX_ROWS = 1_000  # a page, a chunk of an export: never more in one statement


@dataclass(frozen=True, slots=True)
class TermRef:
    taxonomy: str
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class ActorRef:
    slug: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class SourceRef:
    url: str
    title: str
    publisher: str
    authors: str
    date: str
    archived_url: str


@dataclass(slots=True)
class CaseRow:
    id: int
    slug: str
    title: str
    year: int | None
    year_end: int | None
    date: str
    summary: str
    updated_at: datetime
    body: str = ""
    external_id: str = ""
    merged_ids: list[str] = field(default_factory=list)  # of duplicates merged into this case
    terms: list[TermRef] = field(default_factory=list)
    actors: list[ActorRef] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def external_ids(self) -> list[str]:
        """The case's own external id first, then the merged duplicates' ids."""
        return [e for e in (self.external_id, *self.merged_ids) if e]

    def get_absolute_url(self) -> str:
        return _case_url_pattern().format(id=self.id, slug=self.slug)


@cache
def _case_url_pattern() -> str:
    """The case address with placeholders, from one reverse() (20 reverses cost ~3 ms)."""
    return reverse("cases:detail", args=[999999999, "slug-placeholder"]).replace(
        "999999999", "{id}").replace("slug-placeholder", "{slug}")


def rows_for_ids(sql: str, ids: list[int]) -> list[tuple]:
    """Run `sql` with its `{ids}` replaced by one placeholder per id (ids are parameters)."""
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=placeholders), ids)
        return cursor.fetchall()


def actor_names(slugs: list[str]) -> dict[str, str]:
    """Actor names by slug, for facet labels (unknown slugs are left out)."""
    slugs = list(dict.fromkeys(slugs))[:MAX_ROWS]
    if not slugs:
        return {}
    return dict(rows_for_ids("SELECT slug, name FROM cases_actor WHERE slug IN ({ids})", slugs))


def case_rows(case_ids: list[int], *, full: bool = False) -> list[CaseRow]:
    """Published cases in the order of `case_ids` (unknown or unpublished ids are dropped).
    `full` adds the body, the sources and the merged external ids (the API and exports);
    lists do without.

    The statements are written out: compiling five ORM queries cost more than running them.
    Only constants and placeholders are formatted into them; the ids are parameters."""
    case_ids = [int(i) for i in case_ids[:MAX_ROWS]]
    if not case_ids:
        return []
    # The status is checked here, not in SQL: with it in the WHERE clause SQLite walks the
    # status index over every published case instead of looking up 20 primary keys.
    body = ", body" if full else ""
    by_id: dict[int, CaseRow] = {}
    for status, external_id, *values in rows_for_ids(
            "SELECT status, external_id, id, slug, title, year, year_end, date, summary, updated_at"  # noqa: S608
            + body + " FROM cases_case WHERE id IN ({ids})", case_ids):
        if status in PUBLIC_STATUSES:
            values[7] = _datetime(values[7])
            by_id[values[0]] = CaseRow(*values, external_id=external_id)
    if not by_id:
        return []
    ids = list(by_id)
    for case_id, taxonomy, slug, name in rows_for_ids(
            "SELECT ct.case_id, x.key, t.slug, t.name FROM cases_case_terms ct"
            " JOIN cases_term t ON t.id = ct.term_id JOIN cases_taxonomy x ON x.id = t.taxonomy_id"
            " WHERE ct.case_id IN ({ids}) ORDER BY x.\"order\", t.\"order\", t.name, t.id", ids):
        by_id[case_id].terms.append(TermRef(taxonomy, slug, name))
    for case_id, slug, name, role in rows_for_ids(
            "SELECT ca.case_id, a.slug, a.name, ca.role FROM cases_caseactor ca"
            " JOIN cases_actor a ON a.id = ca.actor_id WHERE ca.case_id IN ({ids})"
            " ORDER BY ca.id", ids):
        by_id[case_id].actors.append(ActorRef(slug, name, role))
    for case_id, code in rows_for_ids(
            "SELECT case_id, code FROM cases_casecountry WHERE case_id IN ({ids}) ORDER BY id",
            ids):
        by_id[case_id].countries.append(code)
    if full:
        for case_id, *values in rows_for_ids(
                "SELECT case_id, url, title, publisher, authors, date, archived_url"
                " FROM cases_source WHERE case_id IN ({ids}) ORDER BY \"order\", id", ids):
            by_id[case_id].sources.append(SourceRef(*values))
        for case_id, external_id in rows_for_ids(
                "SELECT case_id, external_id FROM cases_caseexternalid WHERE case_id IN ({ids})"
                " ORDER BY id", ids):
            by_id[case_id].merged_ids.append(external_id)
    return [by_id[i] for i in case_ids if i in by_id]


def carried_to_current(cache: VersionedCache) -> int:
    """The current catalogue version, to which `cache` (values of one case each, keyed by
    its id or by a tuple that starts with it) is carried from the version it holds: the
    values of the cases the change rows do not name stay (a change that names none, as a
    renamed term, drops them all)."""
    version = current_version()
    held = cache.held_version()
    if isinstance(held, int) and held != version:
        changed = changed_cases(held, version)
        if changed is not None:
            touched = set(changed)
            cache.carry(held, version,
                        lambda key: (key[0] if isinstance(key, tuple) else key) not in touched)
    return version


# Rows of the cases lists have shown, kept per process for one catalogue version (and carried
# to the next: `carried_to_current`): a list page then reads only the rows it has not shown
# before. Rows are shared: nothing that receives them may change them. Bounded in entries.
MAX_KEPT_ROWS = 10_000
_kept: VersionedCache[CaseRow] = VersionedCache("case-rows", MAX_KEPT_ROWS)


def kept_rows(case_ids: list[int]) -> list[CaseRow]:
    """`case_rows` for a page of a list, from the rows kept for the current catalogue version
    where it can (for long reads, exports, use `case_rows`: they would push the pages out)."""
    case_ids = case_ids[:MAX_ROWS]
    found = _kept.get_many(carried_to_current(_kept), case_ids,
                           lambda missing: {row.id: row for row in case_rows(missing)})
    return [found[i] for i in case_ids if i in found]


def _datetime(value) -> datetime:
    """An aware datetime, as the ORM gives it. SQLite gives timestamps as naive datetimes in
    UTC (Django's converter for "datetime" columns; as text without it); PostgreSQL as aware
    datetimes."""
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
