"""Editors curate cases, actors, terms and sources in /admin/."""

import pytest

from visiblework.cases.models import Actor, Case, Term
from visiblework.cases.services import BrowseQuery, browse

from ..conftest import PASSWORD


def inline(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


@pytest.mark.django_db
def test_an_editor_signs_in_with_a_password(editor_user, anonymous):
    response = anonymous.post("/admin/login/?next=/admin/",
                              {"username": "ed", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert "Back office" in response.content.decode()


@pytest.mark.django_db
def test_an_editor_creates_a_case_with_actors_countries_and_sources(catalogue, editor):
    term = Term.objects.get(taxonomy__key="layer", slug="data-generation")
    justice = Term.objects.get(taxonomy__key="justice_area", slug="economic-justice")
    data = {
        "title": "Workers recorded their own voices for a speech model",
        "slug": "voices", "status": "published", "year": "2022", "date": "2022-05",
        "summary": "Workers read passages aloud for a few cents each.",
        "body": "They were not told what the recordings would train.",
        "terms": [term.pk, justice.pk],
        **inline("case_actors", [{"actor": catalogue.actors["sama"].pk, "role": "vendor"}]),
        **inline("countries", [{"code": "VE"}]),
        **inline("sources", [{"order": "1", "title": "The Data-Production Dispositif",
                              "publisher": "PACM HCI", "date": "2022", "url": "",
                              "authors": "", "archived_url": ""}]),
    }
    response = editor.post("/admin/cases/case/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(slug="voices")
    assert case.sources.get().title == "The Data-Production Dispositif"
    assert [c.id for c in browse(BrowseQuery(filters={"country": ["VE"]})).cases] == [case.pk]
    assert [c.slug for c in browse(BrowseQuery(q="recordings")).cases] == ["voices"]


@pytest.mark.django_db
def test_an_editor_edits_an_actor_and_search_follows_the_new_alias(catalogue, editor):
    amazon = catalogue.actors["amazon"]
    data = {"name": "Amazon", "slug": "amazon", "kind": "company", "country": "US", "url": "",
            "description": "Retailer.",
            **inline("aliases", [{"name": "Amazon.com Inc"}]),
            **inline("links_out", [])}
    response = editor.post(f"/admin/cases/actor/{amazon.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Actor.objects.get(pk=amazon.pk).aliases.get().name == "Amazon.com Inc"
    assert {c.slug for c in browse(BrowseQuery(q="amazon.com")).cases} == {"drivers",
                                                                          "recruiting"}


@pytest.mark.django_db
def test_an_invalid_date_or_country_is_refused_with_a_message(catalogue, editor):
    data = {"title": "Bad", "slug": "bad", "status": "draft", "year": "", "date": "March 2019",
            "summary": "x", "body": "",
            **inline("case_actors", []), **inline("countries", [{"code": "XX"}]),
            **inline("sources", [])}
    response = editor.post("/admin/cases/case/add/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Use a date like 2023" in html
    assert "XX is not an ISO 3166 country code" in html
    assert not Case.objects.filter(slug="bad").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_only_editors_reach_the_back_office(request, persona, catalogue):
    client = request.getfixturevalue(persona)
    response = client.get("/admin/cases/case/")
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "admin"])
def test_editors_and_admins_see_the_case_list(request, persona, catalogue):
    client = request.getfixturevalue(persona)
    assert client.get("/admin/cases/case/").status_code == 200
    assert client.get("/admin/cases/term/add/").status_code == 200
