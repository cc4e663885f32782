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
