"""Streamed CSV and JSON exports of published cases, filtered like the browse page.

Memory stays bounded: the matching ids come from the facet index, and the cases are read
and written in chunks.

The CSV round-trips through the spreadsheet importer (docs/importing.md, "Exporting and
importing again"): one column per taxonomy and per actor role, the external id each case is
matched by, and a fixed number of source columns. Cases come oldest first (cases without a
year first, then in the order they were added), the order in which an import into an empty
instance adds them again, so exporting that instance gives the same file. `?portable=1`
leaves out the three columns that belong to this instance (id, url, updated_at): then the
two files are the same bytes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from . import services
from .external_ids import instance_id
from .models import Role, Taxonomy
from .rows import CaseRow, case_rows
from .vocabularies import BUILT_IN

CHUNK = 500
LIST_SEPARATOR = "; "
MORE_SOURCES_SEPARATOR = " | "
SOURCE_COLUMNS = 5  # sources with columns of their own; the others' links share one column
SOURCE_PARTS = ("url", "title", "publisher", "authors", "date", "archived_url")
MAX_TAXONOMIES = 100  # as the API's list of taxonomies
BUILT_IN_KEYS = [key for key, *_rest in BUILT_IN]
INSTANCE_COLUMNS = ("id", "url", "updated_at")  # left out by ?portable=1


def case_record(case: CaseRow, base_url: str) -> dict:
    """The public fields of a case, as exported and served by the API."""
    terms: dict[str, list[str]] = {}
    for term in case.terms:
        terms.setdefault(term.taxonomy, []).append(term.slug)
    return {
        "id": case.id,
        "url": base_url + case.get_absolute_url(),
        "external_ids": case.external_ids,
        "title": case.title,
        "year": case.year,
        "date": case.date,
        "summary": case.summary,
        "body": case.body,
        "terms": terms,
        "countries": list(case.countries),
        "actors": [{"name": a.name, "slug": a.slug, "role": a.role} for a in case.actors],
        "sources": [{"url": s.url, "title": s.title, "publisher": s.publisher,
                     "authors": s.authors, "date": s.date, "archived_url": s.archived_url}
                    for s in case.sources],
        "updated_at": case.updated_at.isoformat(),
    }


def _matching_cases(request: HttpRequest) -> Iterator[CaseRow]:
    """Every published case matching the request's filters, chunk by chunk."""
    query = services.BrowseQuery.from_querydict(request.GET, services.facet_keys())
    for ids in services.matching_ids_in_chunks(query, CHUNK, oldest_first=True):
        yield from case_rows(ids, full=True)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_value(value) -> str:
    text = "" if value is None else str(value)
    # Keep spreadsheets from running a cell as a formula.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def _text(value: str) -> str:
    """Text as an import reads it back: line ends as \\n, no spaces at either end."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass(frozen=True)
class CsvLayout:
    """The columns of one CSV export: they depend on the taxonomies this instance has."""

    taxonomies: list[str]
    portable: bool

    @classmethod
    def current(cls, *, portable: bool = False) -> CsvLayout:
        keys = set(Taxonomy.objects.order_by("key").values_list("key", flat=True)[:MAX_TAXONOMIES])
        # Built-in vocabularies first, in their order; the others by key, the same on every
        # instance (their own order is set by whoever made them).
        ordered = [k for k in BUILT_IN_KEYS if k in keys] + sorted(keys - set(BUILT_IN_KEYS))
        return cls(ordered, portable)

    @property
    def columns(self) -> list[str]:
        columns = [
            "id", "url", "external_ids", "title", "year", "date",
            "summary", "body",
            *(f"terms_{key}" for key in self.taxonomies),
            "countries",
            *(f"actors_{role}" for role in Role.values),
            *(f"source_{n}_{part}" for n in range(1, SOURCE_COLUMNS + 1) for part in SOURCE_PARTS),
            "sources_more", "updated_at",
        ]
        if self.portable:
            columns = [c for c in columns if c not in INSTANCE_COLUMNS]
        return columns

    def row(self, case: CaseRow, base_url: str, host: str) -> list[str]:
        names: dict[str, list[str]] = {}
        for term in case.terms:
            names.setdefault(term.taxonomy, []).append(term.name)
        actors: dict[str, list[str]] = {}
        for actor in case.actors:
            actors.setdefault(actor.role, []).append(actor.name)
        sources = []
        for source in case.sources[:SOURCE_COLUMNS]:
            sources += [getattr(source, part) for part in SOURCE_PARTS]
        sources += [""] * (SOURCE_COLUMNS * len(SOURCE_PARTS) - len(sources))
        values: dict[str, object] = {
            "id": case.id,
            "url": base_url + case.get_absolute_url(),
            # The case's own id, then those of the duplicates merged into it. A case made
            # here has no id of its own: it gets this site's, so that an import elsewhere
            # (and an export there) keeps matching it.
            "external_ids": LIST_SEPARATOR.join(
                [case.external_id or instance_id(host, case.id), *case.merged_ids]),
            "title": case.title, "year": case.year, "date": case.date,
            "summary": _text(case.summary), "body": _text(case.body),
            "countries": LIST_SEPARATOR.join(sorted(case.countries)),
            "sources_more": MORE_SOURCES_SEPARATOR.join(
                s.url for s in case.sources[SOURCE_COLUMNS:] if s.url),
            "updated_at": case.updated_at.isoformat(),
        }
        row = []
        for column in self.columns:
            if column.startswith("terms_"):
                value: object = LIST_SEPARATOR.join(
                    sorted(names.get(column[6:], []), key=str.casefold))
            elif column.startswith("actors_"):
                value = LIST_SEPARATOR.join(actors.get(column[7:], []))
            elif column.startswith("source_"):
                n, part = column[7:].split("_", 1)
                value = sources[(int(n) - 1) * len(SOURCE_PARTS) + SOURCE_PARTS.index(part)]
            else:
                value = values[column]
            row.append(_csv_value(value))
        return row


ACTOR_KINDS = {Role.PLATFORM: "platform", Role.VENDOR: "vendor", Role.CLIENT: "client",
               Role.HARMED_PARTY: "group"}  # of the actors an import creates; else company
MAPPING_HEAD = """\
# The mapping of a Visible Work CSV export (/export/cases.csv): importing the export into an
# empty instance with it, then exporting that instance, gives the same file. Made by
# /export/mapping.toml, which adds a [[terms]] block for each taxonomy of its instance;
# see docs/importing.md, "Exporting and importing again".
"""


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def mapping_toml(layout: CsvLayout, taxonomies: dict[str, tuple[str, bool]]) -> str:
    """The import mapping of an export with this layout. `taxonomies`: the name and facet
    flag of each taxonomy that is not built in (an import creates it)."""
    lines = [MAPPING_HEAD, "[source]", 'name = "export"', 'id_column = "external_ids"',
             "keep_ids = true", "", "[fields]"]
    lines += [f"{field} = {_toml(field)}" for field in
              ("title", "summary", "body", "date", "year", "countries")]
    lines += ["", "[lists]", 'separator = ";"']
    for role in Role.values:
        lines += ["", "[[actors]]", f'column = "actors_{role}"', f"role = {_toml(role)}",
                  f"kind = {_toml(ACTOR_KINDS.get(role, 'company'))}"]
    for key in layout.taxonomies:
        lines += ["", "[[terms]]", f'column = "terms_{key}"', f"taxonomy = {_toml(key)}"]
        if key not in BUILT_IN_KEYS:
            name, facet = taxonomies.get(key, (key, False))
            lines += [f"taxonomy_name = {_toml(name)}", "create = true",
                      f"facet = {'true' if facet else 'false'}"]
    for n in range(1, SOURCE_COLUMNS + 1):
        lines += ["", "[[sources]]"]
        lines += [f'{part}_column = "source_{n}_{part}"' if part != "url"
                  else f'url_column = "source_{n}_url"' for part in SOURCE_PARTS]
    lines += ["", "[[sources]]", 'url_column = "sources_more"',
              f"separator = {_toml(MORE_SOURCES_SEPARATOR.strip())}"]
    return "\n".join(lines) + "\n"


@require_safe
def mapping(request: HttpRequest) -> HttpResponse:
    """The mapping that imports this instance's CSV export elsewhere."""
    layout = CsvLayout.current()
    taxonomies = {key: (name, facet) for key, name, facet in Taxonomy.objects.filter(
        key__in=layout.taxonomies).values_list("key", "name", "is_facet")}
    response = HttpResponse(mapping_toml(layout, taxonomies),
                            content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="visiblework-export.toml"'
    return response


def _csv_rows(request: HttpRequest) -> Iterator[str]:
    writer = csv.writer(_Echo())
    base_url = request.build_absolute_uri("/").rstrip("/")
    layout = CsvLayout.current(portable=request.GET.get("portable") == "1")
    yield "\ufeff" + writer.writerow(layout.columns)
    for case in _matching_cases(request):
        yield writer.writerow(layout.row(case, base_url, request.get_host()))


@require_safe
def cases_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_rows(request), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="visiblework-cases.csv"'
    return response


def _json_chunks(request: HttpRequest) -> Iterator[str]:
    base_url = request.build_absolute_uri("/").rstrip("/")
    yield '{"items": ['
    first = True
    for case in _matching_cases(request):
        yield ("" if first else ",\n") + json.dumps(case_record(case, base_url),
                                                    ensure_ascii=False)
        first = False
    yield "]}\n"


@require_safe
def cases_json(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_json_chunks(request),
                                     content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="visiblework-cases.json"'
    return response
