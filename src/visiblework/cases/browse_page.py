"""The browse page's facet panels as readers see them: each facet value with its label (term
names in the reader's language, country names, actor names) and the link that adds or
removes it; the filters in force with links that remove them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from visiblework.core.countries import country_name
from visiblework.core.querylinks import QueryLinks

from . import rows
from .facets import ACTOR, COUNTRY, YEAR
from .services import BrowseQuery, BrowseResult


def facet_panels(query: BrowseQuery, result: BrowseResult,
                 links: QueryLinks) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(facets, active filters) for the browse template."""
    actor_names = rows.actor_names(
        [v.value for f in result.facets if f.key == ACTOR for v in f.values]
        + query.filters.get(ACTOR, []))
    facets = []
    for facet in result.facets:
        if facet.key == ACTOR:
            labels = {v.value: actor_names.get(v.value, v.value) for v in facet.values}
        else:
            labels = {v.value: facet_label(result, facet.key, v.value) for v in facet.values}
        facets.append({
            "key": facet.key,
            "name": facet_title(result, facet.key),
            "values": [{"value": v.value, "label": labels[v.value], "count": v.count,
                        "selected": v.selected, "href": links.toggle(facet.key, v.value)}
                       for v in facet.values],
            "truncated": facet.truncated,
            "expanded": query.expand == facet.key,
        })
    active = [
        {"key": key, "value": value, "facet": facet_title(result, key),
         "href": links.toggle(key, value),
         "label": actor_names.get(value, value) if key == ACTOR
         else facet_label(result, key, value)}
        for key, values in query.filters.items() for value in values
    ]
    return facets, active


def facet_label(result: BrowseResult, key: str, value: str) -> str:
    if key == COUNTRY:
        return country_name(value)
    if key == YEAR:
        return value
    name = result.term_names.get((key, value))
    return _(name) if name else value


def facet_title(result: BrowseResult, key: str) -> str:
    fixed = {COUNTRY: _("Country"), ACTOR: _("Actor"), YEAR: _("Year")}
    if key in fixed:
        return fixed[key]
    return _(result.facet_names.get(key, key))
