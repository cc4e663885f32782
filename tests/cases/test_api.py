"""The JSON API: /api/v1/cases and friends, and the OpenAPI document."""

import pytest

from tests.conftest import cases_read_by
from visiblework.cases import api
from visiblework.cases.editing import save_case, snapshot
from visiblework.cases.models import Case, Taxonomy, Term
from visiblework.cases.schemas import CaseListOut
from visiblework.core.versioned import clear_all


@pytest.mark.django_db
def test_the_case_list_answers_count_items_and_next(catalogue, anonymous):
    body = anonymous.get("/api/v1/cases").json()
    assert set(body) == {"count", "items", "next"}
    assert body["count"] == 5 and len(body["items"]) == 5 and body["next"] is None
    item = body["items"][0]
    assert set(item) == {"id", "url", "external_ids", "title", "year", "year_end", "date",
                         "summary", "terms", "countries", "actors", "sources", "updated_at"}


@pytest.mark.django_db
def test_the_case_list_filters_like_the_browse_page(catalogue, anonymous):
    body = anonymous.get("/api/v1/cases", {"justice_area": "economic-justice",
                                           "region": "global-south"}).json()
    assert body["count"] == 2
    assert {i["title"] for i in body["items"]} == {catalogue.cases["kenya"].title,
                                                   catalogue.cases["madagascar"].title}
    assert anonymous.get("/api/v1/cases", {"actor": "amazon", "year": "2014"}).json()["count"] == 1
    assert anonymous.get("/api/v1/cases", {"country": "MG"}).json()["count"] == 1
    assert anonymous.get("/api/v1/cases", {"impact": "surveillance"}).json()["count"] == 1
    assert anonymous.get("/api/v1/cases", {"layer": "annotation"}).json()["count"] == 1
    searched = anonymous.get("/api/v1/cases", {"q": "toxic"}).json()
    assert [i["title"] for i in searched["items"]] == [catalogue.cases["kenya"].title]


@pytest.mark.django_db
def test_cursor_pagination_walks_every_case_once(catalogue, anonymous):
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = anonymous.get("/api/v1/cases", params).json()
        assert body["count"] == 5
        seen += [i["id"] for i in body["items"]]
        cursor = body["next"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.django_db
def test_search_results_paginate_too(catalogue, anonymous):
    first = anonymous.get("/api/v1/cases", {"q": "workers", "limit": 1}).json()
    assert first["count"] >= 2 and first["next"]
    second = anonymous.get("/api/v1/cases", {"q": "workers", "limit": 1,
                                             "cursor": first["next"]}).json()
    assert second["items"][0]["id"] != first["items"][0]["id"]


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1000}, {"limit": "many"}])
def test_an_out_of_range_limit_is_refused_with_a_message(catalogue, anonymous, params):
    response = anonymous.get("/api/v1/cases", params)
    assert response.status_code == 422
    assert "limit" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_cursor_is_refused_with_a_message(catalogue, anonymous):
    response = anonymous.get("/api/v1/cases", {"cursor": "%%%"})
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


@pytest.mark.django_db
def test_one_case_has_terms_actors_with_roles_and_sources(catalogue, anonymous):
    case = catalogue.cases["kenya"]
    body = anonymous.get(f"/api/v1/cases/{case.pk}").json()
    assert body["title"] == case.title
    assert body["terms"]["justice_area"] == ["economic-justice"]
    assert body["terms"]["region"] == ["global-south"]
    assert {"name": "OpenAI", "slug": "openai", "role": "client"} in body["actors"]
    assert body["sources"][0]["publisher"] == "TIME"
    assert body["countries"] == ["KE", "US"]
    assert "body" in body and "related" in body


@pytest.mark.django_db
def test_drafts_and_retracted_cases_are_not_in_the_api(catalogue, anonymous):
    for slug in ("draft", "retracted"):
        assert anonymous.get(f"/api/v1/cases/{catalogue.cases[slug].pk}").status_code == 404
    assert anonymous.get("/api/v1/cases/999999").status_code == 404


@pytest.mark.django_db
def test_actors_and_taxonomies_are_listed(catalogue, anonymous):
    actors = anonymous.get("/api/v1/actors", {"limit": 2}).json()
    assert actors["count"] == 4 and len(actors["items"]) == 2 and actors["next"]
    rest = anonymous.get("/api/v1/actors", {"limit": 2, "cursor": actors["next"]}).json()
    assert len(rest["items"]) == 2 and rest["next"] is None
    assert anonymous.get("/api/v1/actors", {"q": "open ai"}).json()["items"][0]["slug"] == "openai"
    sama = anonymous.get("/api/v1/actors/sama").json()
    assert sama["links"] == [{"relation": "vendor_of", "slug": "openai", "name": "OpenAI"}]
    taxonomies = {t["key"]: t for t in anonymous.get("/api/v1/taxonomies").json()}
    assert len(taxonomies["justice_area"]["terms"]) == 7
    assert {t["slug"] for t in taxonomies["region"]["terms"]} == {"global-north", "global-south"}


@pytest.mark.django_db
def test_the_openapi_document_describes_the_case_endpoints(anonymous):
    schema = anonymous.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    params = {p["name"] for p in schema["paths"]["/api/v1/cases"]["get"]["parameters"]}
    assert {"q", "justice_area", "impact", "layer", "region", "country", "actor", "year",
            "limit", "cursor"} <= params
    assert "/api/v1/cases/{case_id}" in schema["paths"]
    assert "CaseListOut" in schema["components"]["schemas"]


@pytest.mark.django_db
def test_the_case_list_reads_its_typed_parameters_and_the_keys_of_other_vocabularies(
        catalogue, anonymous):
    extra = Taxonomy.objects.create(key="mit_domain", name="MIT risk domain", is_facet=True)
    term = Term.objects.create(taxonomy=extra, slug="labour", name="Labour")
    catalogue.cases["drivers"].terms.add(term)
    both = anonymous.get("/api/v1/cases?region=global-north&mit_domain=labour").json()
    assert [c["title"] for c in both["items"]] == [catalogue.cases["drivers"].title]
    assert anonymous.get("/api/v1/cases?limit=0").status_code == 422


@pytest.mark.django_db
def test_a_case_that_spans_several_years_gives_its_last_year(catalogue, anonymous):
    kenya = catalogue.cases["kenya"]
    Case.objects.filter(pk=kenya.pk).update(year=2021, year_end=2023)
    assert anonymous.get(f"/api/v1/cases/{kenya.pk}").json()["year_end"] == 2023


@pytest.mark.django_db
def test_the_case_list_sorts_and_keeps_a_year_range_like_the_browse_page(catalogue, anonymous):
    answer = anonymous.get("/api/v1/cases", {"sort": "oldest", "year_from": 2014,
                                             "year_to": 2023}).json()
    assert [item["year"] for item in answer["items"]] == [2014, 2021, 2023, 2023]
    answer = anonymous.get("/api/v1/cases", {"q": "workers", "sort": "newest"}).json()
    assert [item["year"] for item in answer["items"]] == [2023, 2023]


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "status"), [
    ({"year_from": 2023, "year_to": 2013}, 400), ({"year_from": 1066}, 400),
    ({"year_from": "soon"}, 422), ({"sort": "best"}, 422),
])
def test_a_bad_year_range_or_sort_is_refused_with_a_message(catalogue, anonymous, params, status):
    response = anonymous.get("/api/v1/cases", params)
    assert response.status_code == status
    assert response.json()["detail"]


def test_the_openapi_document_lists_the_sorts_and_the_year_range(anonymous):
    schema = anonymous.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/cases"]["get"]["parameters"]}
    assert {"sort", "year_from", "year_to"} <= set(params)
    assert "oldest" in str(params["sort"]["schema"])


@pytest.mark.django_db
def test_a_list_item_kept_from_an_earlier_list_follows_an_edit_of_its_case(catalogue, anonymous):
    case = catalogue.cases["kenya"]
    old = case.title
    assert old in [i["title"] for i in anonymous.get("/api/v1/cases").json()["items"]]
    save_case({**snapshot(case), "title": "Corrected by an editor"}, case=case, summary="edit")
    titles = [i["title"] for i in anonymous.get("/api/v1/cases").json()["items"]]
    assert "Corrected by an editor" in titles and old not in titles


@pytest.mark.django_db
def test_a_list_item_kept_for_one_host_is_not_given_to_another(catalogue, anonymous):
    first = anonymous.get("/api/v1/cases", HTTP_HOST="localhost").json()["items"][0]["url"]
    other = anonymous.get("/api/v1/cases", HTTP_HOST="127.0.0.1").json()["items"][0]["url"]
    assert first.startswith("http://localhost/") and other.startswith("http://127.0.0.1/")


@pytest.mark.django_db
def test_a_list_of_kept_items_equals_the_list_built_afresh(catalogue, anonymous):
    clear_all()
    afresh = anonymous.get("/api/v1/cases", {"limit": 3}).json()
    anonymous.get("/api/v1/cases")  # keeps every item
    # Another address (not the page kept for the first), the same answer, from kept items.
    kept = anonymous.get("/api/v1/cases", {"limit": 3, "sort": "newest"}).json()
    assert kept == afresh and CaseListOut.model_validate(kept).items


@pytest.mark.django_db
def test_list_items_of_cases_a_write_did_not_touch_are_carried_to_the_new_version(
        catalogue, anonymous, monkeypatch):
    anonymous.get("/api/v1/cases")  # keeps every item
    case = catalogue.cases["kenya"]
    save_case({**snapshot(case), "title": "Corrected by an editor"}, case=case, summary="edit")
    read = cases_read_by(monkeypatch, api)
    titles = [i["title"] for i in anonymous.get("/api/v1/cases").json()["items"]]
    assert "Corrected by an editor" in titles and read == [case.pk]
