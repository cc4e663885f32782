"""Public pages of the case database. Thin: each view parses the request, calls a service
and renders a template."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from visiblework.core.countries import is_country_code
from visiblework.core.querylinks import QueryLinks
from visiblework.core.sections import sections

from . import actor_refs, citations, services
from .browse_page import facet_panels, sort_choices, timeline, zero_result_help
from .duplicates import redirect_target
from .external_ids import case_links
from .facets import COUNTRY
from .models import Actor, ActorAlias, CaseStatus, Taxonomy
from .pages import catalogue_page


@require_safe
@catalogue_page
def home(request: HttpRequest) -> HttpResponse:
    index = services.get_index()
    taxonomies = Taxonomy.objects.filter(key__in=["justice_area", "layer"]).prefetch_related(
        "terms"
    )
    return render(request, "cases/home.html", {
        "recent": services.recent_cases(6),
        "case_count": index.size,
        "taxonomies": taxonomies,
    })


@require_safe
@catalogue_page
def browse(request: HttpRequest) -> HttpResponse:
    query = services.BrowseQuery.from_querydict(request.GET, services.facet_keys())
    try:
        result = services.browse(query)
    except services.InvalidCursor:
        return render(request, "cases/browse_error.html", {
            "message": _("This page link has expired or was altered. Start again from the first page."),
        }, status=400)
    links = QueryLinks(request.GET)
    facets, active = facet_panels(query, result, links)
    countries = query.filters.get(COUNTRY, [])
    help_ = None
    if not result.count:
        help_ = zero_result_help(query, result, links, services.suggest_spelling(query))
    return render(request, "cases/browse.html", {
        "query": query,
        "result": result,
        "facets": facets,
        # nothing to narrow when nothing matches: the filters in force and the ones to
        # drop are listed with the results
        "has_facets": bool(result.count) and any(facet["values"] for facet in facets),
        "active": active,
        "timeline": timeline(result),
        "zero_help": help_,
        "sorts": sort_choices(query),
        "export_query": request.GET.urlencode(),
        # a country's page: what higher floors add for exactly one country (kept with the
        # page: a section may depend on the catalogue's version, never on the reader)
        "sections": (sections("cases_country", request, countries[0].upper())
                     if len(countries) == 1 and is_country_code(countries[0]) else []),
    })


@require_safe
def case_redirect(request: HttpRequest, case_id: int) -> HttpResponse:
    case = services.get_case(case_id)
    if case is None:
        raise Http404(_("No such case."))
    return redirect(case.get_absolute_url(), permanent=True)


@require_safe
@catalogue_page
def case_detail(request: HttpRequest, case_id: int, slug: str) -> HttpResponse:
    case = services.get_case(case_id)
    if case is None:
        raise Http404(_("No such case."))
    merged_into = redirect_target(case)
    if merged_into is not None:  # a duplicate merged into another case (not permanent:
        return redirect(merged_into.get_absolute_url())  # reverting a merge is possible)
    if slug != case.slug:
        return redirect(case.get_absolute_url(), permanent=True)
    url = request.build_absolute_uri(case.get_absolute_url())
    terms_by_taxonomy: dict[str, list] = {}
    for term in case.terms.all():
        terms_by_taxonomy.setdefault(term.taxonomy.key, []).append(term)
    taxonomies = [
        {"key": key, "name": terms[0].taxonomy.name, "terms": terms}
        for key, terms in terms_by_taxonomy.items()
    ]
    retracted = case.status == CaseStatus.RETRACTED
    return render(request, "cases/case.html", {
        "case": case,
        "taxonomies": taxonomies,
        "related": [] if retracted else services.related_cases(case),
        "citations": citations.all_formats(case, url, timezone.localdate()),
        "json_ld": services.json_ld(case, url),
        "retracted": retracted,
        "canonical_url": url,
        "og_type": "article",
        "external_links": case_links(case),
        # what the floors above add (the right of reply): the same for every reader, since
        # anonymous case pages are cached
        "sections": sections("case", request, case),
    })


@require_safe
def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = (Actor.objects.prefetch_related("aliases", "links_out__target", "links_in__source")
             .filter(slug=slug).first())
    if actor is None:  # a merged actor's old address
        alias = get_object_or_404(ActorAlias.objects.select_related("actor"), slug=slug)
        return redirect(alias.actor.get_absolute_url(), permanent=True)
    return render(request, "cases/actor.html", {
        "actor": actor,
        # an alias that only records a former or external slug may repeat the name
        "aliases": [alias.name for alias in actor.aliases.all()
                    if alias.name.casefold() != actor.name.casefold()],
        "external_ids": actor_refs.external_ids(actor),
        "sections": sections("actor", request, actor),
        "cases": services.cases_of_actor(actor.pk),
        "browse_url": f"{reverse('cases:browse')}?actor={actor.slug}",
    })
