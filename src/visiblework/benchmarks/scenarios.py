"""The pages and queries measured, shared by the in-process timings and the HTTP load, and
their equivalents on Datasette."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

FLAT_TABLE = "bench_cases_flat"


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    urls: tuple[str, ...]  # variants, used in turn in-process; the first is used over HTTP
    datasette: str | None = None  # the same question asked of Datasette (path after /<db>)
    http: bool = True


def scenarios() -> list[Scenario]:
    return [
        Scenario("browse3", _("case browse, three facets"), (
            "/cases/?justice_area=economic-justice&region=global-south&layer=annotation",
            "/cases/?justice_area=human-rights&region=global-south&layer=content-moderation",
            "/cases/?justice_area=racial-justice&region=global-north&layer=data-generation",
        ), f"/{FLAT_TABLE}?_facet_array=justice_area&_facet_array=region&_facet_array=layer"
           "&justice_area__arraycontains=economic-justice&region__arraycontains=global-south"
           "&layer__arraycontains=annotation"),
        Scenario("browse2", _("case browse, two facets"), (
            "/cases/?impact=exploitation-of-workers&region=global-south",
            "/cases/?impact=surveillance&region=global-north",
            "/cases/?impact=wage-theft&layer=annotation",
        ), http=False),
        Scenario("search", _("search"), (
            "/cases/?q=workers", "/cases/?q=salaire", "/cases/?q=trabajadores",
            "/cases/?q=wafanyakazi", "/cases/?q=%D8%B9%D9%85%D8%A7%D9%84",  # عمال
            "/cases/?q=moderation+hidden",
        ), f"/{FLAT_TABLE}?_search=workers"),
        Scenario("case", _("case page"), (), http=False),  # urls filled from the data
        Scenario("api", _("JSON API list"), (
            "/api/v1/cases?limit=20", "/api/v1/cases?limit=20&region=global-south",
        ), f"/{FLAT_TABLE}.json?_size=20"),
    ]
