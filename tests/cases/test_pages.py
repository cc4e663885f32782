"""The public pages of the case database, as anonymous readers see them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from visiblework.cases.models import Case


@pytest.mark.django_db
def test_the_home_page_says_what_this_is_and_shows_recent_cases(catalogue, anonymous):
    response = anonymous.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "AI is built by people you are not meant to see." in html
    assert "Browse cases" in html
    assert catalogue.cases["kenya"].title in html
    assert catalogue.cases["draft"].title not in html


@pytest.mark.django_db
def test_the_browse_page_lists_facets_with_counts_and_keeps_state_in_the_url(catalogue,
                                                                             anonymous):
    response = anonymous.get("/cases/", {"justice_area": "economic-justice",
                                         "region": "global-south"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 cases" in html
    assert catalogue.cases["kenya"].title in html
    assert catalogue.cases["drivers"].title not in html
    # a facet link adds its value to the current state
    assert "?justice_area=economic-justice&amp;region=global-south&amp;country=MG" in html
    # and the active filter can be removed
    assert 'href="?justice_area=economic-justice"' in html


@pytest.mark.django_db
def test_the_browse_page_shows_translated_facet_names_and_country_names(catalogue, anonymous):
    html = anonymous.get("/cases/").content.decode()
    assert "Justice area" in html and "Economic Justice" in html
    assert "Madagascar" in html and "Kenya" in html


@pytest.mark.django_db
def test_an_altered_cursor_gets_a_clear_message(catalogue, anonymous):
    response = anonymous.get("/cases/", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert "expired or was altered" in response.content.decode()


@pytest.mark.django_db
def test_a_case_page_shows_everything_a_reader_needs_to_cite_it(catalogue, anonymous):
    case = catalogue.cases["kenya"]
    response = anonymous.get(f"/cases/{case.pk}/{case.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert case.title in html and case.summary in html
    assert "<strong>United States</strong>" in html  # Markdown body
    assert "Economic Justice" in html and "Content moderation" in html and "Global South" in html
    assert "Kenya" in html and "United States" in html
    assert 'href="/actors/openai/"' in html and "Client" in html
    assert "TIME" in html and "2023-01-18" in html
    assert "@misc{visiblework-case-" in html and "&quot;container-title&quot;" in html
    assert '<script type="application/ld+json">' in html
    assert "Related cases" in html and catalogue.cases["madagascar"].title in html


@pytest.mark.django_db
def test_a_case_body_is_sanitised(catalogue, anonymous):
    case = catalogue.cases["midas"]
    case.body = ('<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>'
                 '\n\n**bold**')
    case.title = "</script><script>alert(2)</script>"
    case.save()
    html = anonymous.get(case.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "<img" not in html
    assert "<strong>bold</strong>" in html


@pytest.mark.django_db
def test_a_wrong_slug_redirects_to_the_canonical_address(catalogue, anonymous):
    case = catalogue.cases["kenya"]
    assert anonymous.get(f"/cases/{case.pk}/old-title/").url == case.get_absolute_url()
    assert anonymous.get(f"/cases/{case.pk}/").url == case.get_absolute_url()


@pytest.mark.django_db
def test_drafts_are_not_found_and_retracted_cases_keep_a_notice(catalogue, anonymous):
    draft = catalogue.cases["draft"]
    assert anonymous.get(f"/cases/{draft.pk}/{draft.slug}/").status_code == 404
    retracted = catalogue.cases["retracted"]
    response = anonymous.get(f"/cases/{retracted.pk}/{retracted.slug}/")
    assert response.status_code == 200
    assert "This case has been retracted." in response.content.decode()


@pytest.mark.django_db
def test_an_actor_page_shows_aliases_links_and_all_its_cases(catalogue, anonymous):
    html = anonymous.get("/actors/openai/").content.decode()
    assert "Open AI" in html
    assert 'href="/actors/sama/"' in html and "vendor of" in html
    assert catalogue.cases["kenya"].title in html
    assert catalogue.cases["draft"].title not in html
    assert anonymous.get("/actors/nobody/").status_code == 404


@pytest.mark.django_db
def test_the_browse_and_case_pages_use_a_fixed_number_of_queries(catalogue, anonymous):
    anonymous.get("/cases/")  # build the facet index once
    with CaptureQueriesContext(connection) as few:
        anonymous.get("/cases/", {"limit": 2})
    with CaptureQueriesContext(connection) as many:
        anonymous.get("/cases/", {"limit": 50, "q": "the"})
    assert len(few) <= 12
    assert len(many) <= len(few) + 3  # search adds two search queries and the snippet texts
    case = catalogue.cases["kenya"]
    with CaptureQueriesContext(connection) as page:
        anonymous.get(case.get_absolute_url())
    assert len(page) <= 20


@pytest.mark.django_db
def test_a_case_page_shows_the_span_of_years_of_a_case_that_lasted_several(catalogue,
                                                                          anonymous):
    case = catalogue.cases["kenya"]
    Case.objects.filter(pk=case.pk).update(year=2019, year_end=2021)
    html = anonymous.get(f"/cases/{case.pk}/{case.slug}/").content.decode()
    assert "2019\u20132021" in html


@pytest.mark.django_db
def test_the_menu_leads_to_the_worth_calculator_and_to_sign_in(catalogue, anonymous):
    html = anonymous.get("/").content.decode()
    menu = html.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    assert '<a href="/insights/worth/">What is your work worth?</a>' in menu
    assert '<a href="/accounts/login/">Sign in</a>' in menu


@pytest.mark.django_db
def test_a_signed_in_worker_sees_no_sign_in_link(catalogue, worker):
    menu = worker.get("/").content.decode().split('<nav aria-label="Main">')[1].split("</nav>")[0]
    assert "/accounts/login/" not in menu and "/accounts/me/" in menu


@pytest.mark.django_db
def test_a_case_page_offers_to_copy_its_citations(catalogue, anonymous):
    html = anonymous.get(catalogue.cases["kenya"].get_absolute_url()).content.decode()
    assert html.count('data-copied="Copied"') == 4  # plain, BibTeX, RIS, CSL
    assert '<script src="/static/vw/enhance.js" defer></script>' in html


@pytest.mark.django_db
def test_each_copy_button_on_a_case_page_is_named_after_what_it_copies(catalogue, anonymous):
    html = anonymous.get(catalogue.cases["kenya"].get_absolute_url()).content.decode()
    labels = re.findall(r'data-copy-label="([^"]+)"', html)
    assert labels == ["Copy the citation", "Copy the citation in BibTeX",
                      "Copy the citation in RIS", "Copy the citation in CSL-JSON"]
