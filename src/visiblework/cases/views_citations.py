"""Citation files: BibTeX (.bib) and RIS (.ris) for one case, or for the cases a browse page
lists (its filters and search, at most citations.MAX_CITED cases)."""

from __future__ import annotations

from itertools import islice

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import citations, services
from .rows import case_rows

CONTENT_TYPES = {"bib": "application/x-bibtex; charset=utf-8",
                 "ris": "application/x-research-info-systems; charset=utf-8"}
CHUNK = 500


def _file(request: HttpRequest, fmt: str, cases: list, name: str) -> HttpResponse:
    accessed = timezone.localdate()
    pairs = [(case, request.build_absolute_uri(case.get_absolute_url())) for case in cases]
    text = (citations.bibtex_file(pairs, accessed) if fmt == "bib"
            else citations.ris_file(pairs, accessed))
    response = HttpResponse(text, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_safe
def case_citation(request: HttpRequest, case_id: int, fmt: str) -> HttpResponse:
    """/cases/<id>/cite.bib, /cases/<id>/cite.ris: one published case."""
    case = services.get_case(case_id)
    if case is None or fmt not in CONTENT_TYPES:
        raise Http404(_("No such case."))
    return _file(request, fmt, [case], f"visiblework-case-{case.pk}")


@require_safe
def list_citation(request: HttpRequest, fmt: str) -> HttpResponse:
    """/cases/cite.bib?q=…: the cases the browse page lists for the same query, in its
    order, at most citations.MAX_CITED of them."""
    if fmt not in CONTENT_TYPES:
        raise Http404(_("No such format."))
    query = services.BrowseQuery.from_querydict(request.GET, services.facet_keys())
    ids = list(islice((i for chunk in services.matching_ids_in_chunks(query, CHUNK) for i in chunk),
                      citations.MAX_CITED))
    cases = [row for start in range(0, len(ids), CHUNK) for row in case_rows(ids[start:start + CHUNK])]
    return _file(request, fmt, cases, "visiblework-cases")
