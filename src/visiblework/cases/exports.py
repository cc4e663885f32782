"""Streamed CSV and JSON exports of published cases, filtered like the browse page.

Memory stays bounded: the matching ids come from the facet index, and the cases are read
and written in chunks.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_safe

from . import services
from .rows import CaseRow, case_rows

CHUNK = 500
CSV_COLUMNS = [
    "id", "url", "title", "year", "date", "summary", "justice_areas", "impacts", "layers",
    "regions", "countries", "actors", "sources", "updated_at",
]
LIST_SEPARATOR = "; "


def case_record(case: CaseRow, base_url: str) -> dict:
    """The public fields of a case, as exported and served by the API."""
    terms: dict[str, list[str]] = {}
    for term in case.terms:
        terms.setdefault(term.taxonomy, []).append(term.slug)
    return {
        "id": case.id,
        "url": base_url + case.get_absolute_url(),
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
    for ids in services.matching_ids_in_chunks(query, CHUNK):
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


def _csv_rows(request: HttpRequest) -> Iterator[str]:
    writer = csv.writer(_Echo())
    base_url = request.build_absolute_uri("/").rstrip("/")
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    for case in _matching_cases(request):
        record = case_record(case, base_url)
        terms = record["terms"]
        row = [
            record["id"], record["url"], record["title"], record["year"], record["date"],
            record["summary"],
            LIST_SEPARATOR.join(terms.get("justice_area", [])),
            LIST_SEPARATOR.join(terms.get("impact", [])),
            LIST_SEPARATOR.join(terms.get("layer", [])),
            LIST_SEPARATOR.join(terms.get("region", [])),
            LIST_SEPARATOR.join(record["countries"]),
            LIST_SEPARATOR.join(f"{a['name']} ({a['role']})" for a in record["actors"]),
            LIST_SEPARATOR.join(s["url"] or s["title"] for s in record["sources"]),
            record["updated_at"],
        ]
        yield writer.writerow([_csv_value(v) for v in row])


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
