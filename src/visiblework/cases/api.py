"""The case database's JSON API: /api/v1/cases, /cases/{id}, /actors, /taxonomies."""

from __future__ import annotations

import json
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.decorators import decorate_view
from ninja.responses import Status

from visiblework.core.ratelimit import allow
from visiblework.core.versioned import VersionedCache

from . import contributions, services
from .exports import case_record
from .models import Actor, Taxonomy
from .pages import catalogue_page
from .rows import CaseRow, carried_to_current, case_rows
from .schemas import (
    ActorListOut,
    ActorOut,
    CaseDetailOut,
    CaseListOut,
    CaseOut,
    ContributionIn,
    ContributionOut,
    ErrorOut,
    TaxonomyOut,
    ValidationErrorOut,
)

router = Router(tags=["cases"])

# Each case's item of the list, as checked JSON, kept per process for one catalogue version
# (and carried to the next: rows.carried_to_current) and one base address (items hold
# absolute links): a list is then its ids, found in the facet index, and a join of items
# already made. Bounded in entries.
MAX_KEPT_ITEMS = 5_000
_items: VersionedCache[bytes] = VersionedCache("api-case-items", MAX_KEPT_ITEMS)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@router.get("/cases", response={200: CaseListOut, 400: ErrorOut})
@decorate_view(catalogue_page)
def list_cases(
    request: HttpRequest,
    q: str = Query("", description="Full-text search over title, summary, body, actor names "
                   "and aliases, sources, term names and country names (in every language of "
                   "the site) and ISO country codes; word forms and British or American "
                   "spellings match alike"),
    justice_area: list[str] = Query([], description="Justice area term slugs (all must match)"),
    impact: list[str] = Query([], description="AI impact term slugs"),
    layer: list[str] = Query([], description="Layer of invisible labour term slugs"),
    region: list[str] = Query([], description="global-north or global-south"),
    country: list[str] = Query([], description="ISO 3166 alpha-2 codes"),
    actor: list[str] = Query([], description="Actor slugs"),
    year: list[str] = Query([], description="Years (any of them)"),
    limit: int = Query(settings.VISIBLEWORK_PAGE_SIZE, ge=1,
                       le=settings.VISIBLEWORK_MAX_PAGE_SIZE),
    cursor: str | None = Query(None, description="The `next` value of the previous page"),
    sort: Literal["relevance", "newest", "oldest"] | None = Query(
        None, description="Best match first (the default with `q`), newest first (the "
        "default without), or oldest first; cases without a year come last"),
    year_from: int | None = Query(None, description="Only cases of this year or later"),
    year_to: int | None = Query(None, description="Only cases of this year or earlier"),
):
    """Published cases, filtered and searched as on the browse page; newest first, or best
    match first when searching. Other facet taxonomies can be filtered by their key too."""
    typed = {"justice_area": justice_area, "impact": impact, "layer": layer, "region": region,
             "country": country, "actor": actor, "year": year}
    # Facets of imported vocabularies have keys of their own, not known to the schema.
    keys = services.facet_keys()
    filters = {key: typed[key] if key in typed else request.GET.getlist(key) for key in keys}
    query = services.BrowseQuery.build(q=q, filters=filters, limit=limit, cursor=cursor,
                                       sort=sort, year_from=year_from, year_to=year_to)
    if query.errors:
        return Status(400, {"detail": " ".join(query.errors)})
    try:
        result = services.browse(query, facets=False, rows=False)
    except services.InvalidCursor:
        return Status(400, {"detail": _("The cursor is not valid; start again without one.")})
    items = b",".join(list_items(result.ids, _base_url(request)))
    # The answer CaseListOut describes, written out (each item was checked by CaseOut).
    return HttpResponse(b'{"count":%d,"items":[%s],"next":%s}'
                        % (result.count, items, json.dumps(result.next_cursor).encode()),
                        content_type="application/json; charset=utf-8")


def list_items(case_ids: list[int], base: str) -> list[bytes]:
    """The JSON item (CaseOut) of each published case of `case_ids`, in order: those kept for
    the current catalogue version as they are, the others read in one go, checked and kept."""
    keys = [(i, base) for i in case_ids]

    def read(missing: list[tuple[int, str]]) -> dict[tuple[int, str], bytes]:
        return {(case.id, base): CaseOut.model_validate(_case_out(case, base))
                .model_dump_json().encode()
                for case in case_rows([i for i, _base in missing], full=True)}

    found = _items.get_many(carried_to_current(_items), keys, read)
    return [found[key] for key in keys if key in found]


@router.get("/cases/{case_id}", response={200: CaseDetailOut, 404: ErrorOut})
@decorate_view(catalogue_page)
def get_case(request: HttpRequest, case_id: int):
    case = services.get_case(case_id)
    if case is None or case.status != "published":
        return Status(404, {"detail": _("No such case.")})
    record = _case_out(case_rows([case.pk], full=True)[0], _base_url(request))
    record["related"] = [c.pk for c in services.related_cases(case)]
    return record


def _case_out(case: CaseRow, base: str) -> dict:
    # The last year of a case that spans several: added here until the exports carry it.
    return {**case_record(case, base), "year_end": case.year_end}


def _actor_record(actor: Actor) -> dict:
    links = [{"relation": link.kind, "slug": link.target.slug, "name": link.target.name}
             for link in actor.links_out.all()]
    return {
        "slug": actor.slug, "name": actor.name, "kind": actor.kind, "country": actor.country,
        "url": actor.url, "description": actor.description,
        "aliases": [alias.name for alias in actor.aliases.all()], "links": links,
    }


@router.get("/actors", response={200: ActorListOut, 400: ErrorOut})
def list_actors(
    request: HttpRequest,
    q: str = Query("", description="Part of the name or an alias"),
    limit: int = Query(50, ge=1, le=settings.VISIBLEWORK_MAX_PAGE_SIZE),
    cursor: str | None = Query(None),
):
    """Actors by name. The cursor is the last slug of the previous page."""
    actors = Actor.objects.order_by("slug").prefetch_related("aliases", "links_out__target")
    if q:
        actors = actors.filter(Q(name__icontains=q) | Q(aliases__name__icontains=q)).distinct()
    count = actors.count()
    if cursor:
        actors = actors.filter(slug__gt=cursor)
    page = list(actors[: limit + 1])
    next_cursor = page[limit - 1].slug if len(page) > limit else None
    return {"count": count, "items": [_actor_record(a) for a in page[:limit]],
            "next": next_cursor}


@router.get("/actors/{slug}", response={200: ActorOut, 404: ErrorOut})
def get_actor(request: HttpRequest, slug: str):
    actor = (Actor.objects.prefetch_related("aliases", "links_out__target")
             .filter(slug=slug).first())
    if actor is None:
        return Status(404, {"detail": _("No such actor.")})
    return _actor_record(actor)


@router.get("/taxonomies", response=list[TaxonomyOut])
def list_taxonomies(request: HttpRequest):
    """Every vocabulary and its terms (bounded: vocabularies are small by design)."""
    taxonomies = Taxonomy.objects.prefetch_related("terms")[:100]
    return [
        {"key": t.key, "name": t.name, "description": t.description, "is_facet": t.is_facet,
         "terms": [{"slug": term.slug, "name": term.name, "description": term.description}
                   for term in t.terms.all()[:1000]]}
        for t in taxonomies
    ]


@router.post("/contributions", response={201: ContributionOut, 422: ValidationErrorOut,
                                         429: ErrorOut})
def create_contribution(request: HttpRequest, payload: ContributionIn):
    """Propose a new case (`kind: "new_case"`) or an update (`kind: "update"`, with
    `case_id`). No account needed; editors review every proposal. The answer's tracking code
    is shown once: keep it to follow the decision."""
    if not allow(request, "contribute", 20):
        return Status(429, {"detail": _("Too many suggestions from here in the last hour.")})
    proposal = payload.dict()
    try:
        submitted = contributions.submit(proposal, kind=payload.kind, case_id=payload.case_id,
                                         note=payload.note)
    except ValidationError as exc:
        return Status(422, {"detail": [{"loc": ["body", field], "msg": message}
                                       for field, messages in exc.message_dict.items()
                                       for message in messages]})
    url = request.build_absolute_uri(reverse("cases:track", args=[submitted.tracking_code]))
    return Status(201, {"tracking_code": submitted.tracking_code, "tracking_url": url,
                        "status": submitted.contribution.status})
