"""The public index of actors. Thin: the query is parsed, cases.actor_index answers it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from visiblework.core.querylinks import QueryLinks

from . import actor_index
from .pages import catalogue_page


@require_safe
@catalogue_page
def index(request: HttpRequest) -> HttpResponse:
    query = actor_index.ActorQuery.from_querydict(request.GET)
    result = actor_index.actor_index(query)
    facets, active = actor_index.facet_panels(query, result, QueryLinks(request.GET))
    return render(request, "cases/actor_index.html", {
        "query": query,
        "result": result,
        "facets": facets,
        "has_facets": bool(result.count) and any(facet["values"] for facet in facets),
        "active": active,
        "sorts": actor_index.sort_links(request.GET),
    })
