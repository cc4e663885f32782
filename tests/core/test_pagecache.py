"""Whole-page caching of catalogue pages for anonymous visitors, invalidated by writes."""

import pytest


@pytest.mark.django_db
def test_a_cached_page_follows_every_write_to_the_catalogue(catalogue, anonymous):
    first = anonymous.get("/cases/").content.decode()
    assert catalogue.cases["midas"].title in first
    case = catalogue.cases["midas"]
    case.title = "A new title after an edit"
    case.save()
    second = anonymous.get("/cases/").content.decode()
    assert "A new title after an edit" in second


@pytest.mark.django_db
def test_signed_in_people_and_other_languages_never_get_someone_elses_page(catalogue,
                                                                          anonymous, editor):
    anonymous.get(catalogue.cases["kenya"].get_absolute_url())
    html = editor.get(catalogue.cases["kenya"].get_absolute_url()).content.decode()
    assert "Retract this case" in html  # the editor's own page, not the cached one
    french = anonymous.get(catalogue.cases["kenya"].get_absolute_url(), {"lang": "fr"})
    assert '<html lang="fr"' in french.content.decode()
    from django.test import Client

    again = Client().get(catalogue.cases["kenya"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en"' in again.content.decode()


@pytest.mark.django_db
def test_api_answers_are_cached_until_the_catalogue_changes_and_keep_their_host(catalogue,
                                                                                anonymous):
    from visiblework.core import pagecache

    first = anonymous.get("/api/v1/cases", {"limit": 2}).json()
    assert len(first["items"]) == 2
    assert first["items"][0]["url"].startswith("http://testserver/")
    assert len(pagecache._pages) == 1
    assert anonymous.get("/api/v1/cases", {"limit": 2}).json() == first
    other_host = anonymous.get("/api/v1/cases", {"limit": 2}, HTTP_HOST="127.0.0.1").json()
    assert other_host["items"][0]["url"].startswith("http://127.0.0.1/")
    case = catalogue.cases["midas"]
    case.title = "A title changed after the answer was cached"
    case.save()
    titles = [c["title"] for c in anonymous.get("/api/v1/cases", {"limit": 20}).json()["items"]]
    assert "A title changed after the answer was cached" in titles


@pytest.mark.django_db
def test_requests_with_credentials_are_never_answered_from_the_cache(catalogue, anonymous):
    from visiblework.core import pagecache

    anonymous.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer something")
    assert not pagecache._pages


@pytest.mark.django_db
def test_a_cached_page_carries_a_tag_and_may_be_kept_by_a_shared_cache(catalogue, anonymous):
    response = anonymous.get("/cases/")
    assert response["ETag"].startswith('W/"')
    assert "public" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_a_request_with_the_current_tag_gets_not_modified(catalogue, anonymous):
    etag = anonymous.get("/api/v1/cases", {"limit": 2})["ETag"]
    again = anonymous.get("/api/v1/cases", {"limit": 2}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content and again["ETag"] == etag


@pytest.mark.django_db
def test_the_tag_changes_when_the_catalogue_changes(catalogue, anonymous):
    etag = anonymous.get("/cases/")["ETag"]
    case = catalogue.cases["midas"]
    case.title = "Changed"
    case.save()
    response = anonymous.get("/cases/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


@pytest.mark.django_db
def test_the_tag_differs_by_language(catalogue):
    from django.test import Client

    english = Client().get("/cases/", HTTP_ACCEPT_LANGUAGE="en")["ETag"]
    assert Client().get("/cases/", HTTP_ACCEPT_LANGUAGE="fr")["ETag"] != english


@pytest.mark.django_db
def test_signed_in_pages_carry_no_shared_tag(catalogue, editor):
    response = editor.get("/cases/")
    assert not response.has_header("ETag")
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_shared_cache_lifetime_adds_s_maxage(catalogue, anonymous, settings):
    settings.VISIBLEWORK_SHARED_CACHE_SECONDS = 30
    assert "s-maxage=30" in anonymous.get("/cases/")["Cache-Control"]
