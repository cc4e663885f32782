"""The browse page as readers see it: the facet panels, each facet value with its label (term
names in the reader's language, country names, actor names) and the link that adds or
removes it; the filters in force (the year range among them) with links that remove them;
the timeline of matching cases per year; and, when nothing matches, a spelling to try and
the filters to drop, each with the count it would give."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from visiblework.core import formats
from visiblework.core.charts import column_chart
from visiblework.core.countries import country_name
from visiblework.core.querylinks import QueryLinks

from . import rows
from .facets import ACTOR, COUNTRY, YEAR
from .services import NEWEST, OLDEST, RELEVANCE, BrowseQuery, BrowseResult

YEAR_RANGE = ("year_from", "year_to")


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
    if query.year_from is not None or query.year_to is not None:
        active.append({"key": "years", "value": "", "facet": _("Years"),
                       "label": year_range_label(query.year_from, query.year_to),
                       "href": links.without(*YEAR_RANGE)})
    return facets, active


def year_range_label(year_from: int | None, year_to: int | None) -> str:
    if year_from is not None and year_to is not None:
        return f"{year_from}–{year_to}" if year_from != year_to else str(year_from)
    if year_from is not None:
        return _("from %(year)s") % {"year": year_from}
    return _("until %(year)s") % {"year": year_to}


def timeline(result: BrowseResult) -> dict[str, Any] | None:
    """The matching cases per year: a column chart and the same numbers as a table."""
    if not result.timeline:
        return None
    total = sum(count for _year, count in result.timeline)
    first, last = result.timeline[0][0], result.timeline[-1][0]
    peak_year, peak = max(result.timeline, key=lambda item: (item[1], item[0]))
    description = _("%(total)s cases from %(first)s to %(last)s; the most, %(peak)s, in "
                    "%(year)s.") % {"total": formats.number(total), "first": first,
                                    "last": last, "peak": formats.number(peak),
                                    "year": peak_year}
    svg: SafeString = column_chart(
        [(str(year), count) for year, count in result.timeline],
        title=_("Matching cases per year"), description=description, chart_id="timeline")
    return {"svg": svg, "description": description,
            "rows": [(year, count) for year, count in result.timeline if count]}


def zero_result_help(query: BrowseQuery, result: BrowseResult, links: QueryLinks,
                     spelling: tuple[str, int] | None) -> dict[str, Any]:
    """What to try when nothing matches: another spelling of the search, and each filter in
    force with a link that drops it and the count that would give."""
    actor_names = rows.actor_names([r.value for r in result.relaxations if r.key == ACTOR])
    drops = []
    for relaxation in result.relaxations:
        if relaxation.key == "q":
            label = _("the search “%(q)s”") % {"q": relaxation.value}
            href = links.without("q", "sort")
        elif relaxation.key == "years":
            label = _("Years: %(range)s") % {
                "range": year_range_label(query.year_from, query.year_to)}
            href = links.without(*YEAR_RANGE)
        else:
            value = (actor_names.get(relaxation.value, relaxation.value)
                     if relaxation.key == ACTOR
                     else facet_label(result, relaxation.key, relaxation.value))
            label = f"{facet_title(result, relaxation.key)}: {value}"
            href = links.toggle(relaxation.key, relaxation.value)
        drops.append({"label": label, "href": href, "count": relaxation.count})
    suggestion = None
    if spelling:
        suggestion = {"q": spelling[0], "count": spelling[1],
                      "href": links.replace("q", spelling[0])}
    return {"spelling": suggestion, "drops": [d for d in drops if d["count"]]}


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


def sort_choices(query: BrowseQuery) -> list[dict[str, Any]]:
    """The sort menu: the order in force is selected (best match only means something with
    a search: without one the list is newest first)."""
    choices = [(RELEVANCE, _("Best match")), (NEWEST, _("Newest first")),
               (OLDEST, _("Oldest first"))]
    return [{"value": value, "label": label, "selected": value == query.order}
            for value, label in choices]
