"""The browse page as readers see it: sort and year range in the URL, the timeline, and what
a page that finds nothing offers."""

import pytest
from django.utils import translation


@pytest.mark.django_db
def test_sort_and_year_range_are_kept_in_the_url_and_shown_in_the_form(catalogue, anonymous):
    html = anonymous.get("/cases/", {"year_from": "2014", "year_to": "2021",
                                     "sort": "oldest"}).content.decode()
    assert 'name="year_from" type="number"' in html and 'value="2014"' in html
    assert '<option value="oldest" selected>' in html
    assert html.index("A recruiting tool") < html.index("Delivery drivers")
    assert "Smart cameras" not in html
    assert 'href="?sort=oldest">Years: 2014–2021' in html  # the filter, with a link off


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"year_from": "last year"}, {"year_to": "99999999999999"},
                                    {"year_from": "2023", "year_to": "2013"},
                                    {"sort": "<script>"}])
def test_a_bad_year_or_sort_gets_a_message_and_the_rest_of_the_page(catalogue, anonymous, params):
    response = anonymous.get("/cases/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "5 cases" in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_the_timeline_shows_matching_cases_per_year_as_a_chart_and_a_table(catalogue, anonymous):
    html = anonymous.get("/cases/", {"region": "global-north"}).content.decode()
    assert '<svg role="img" aria-labelledby="timeline-t timeline-d"' in html
    assert "3 cases from 2013 to 2021" in html
    assert '<th scope="row"><a href="?region=global-north&amp;year=2014">2014</a></th>' in html
    assert '<th scope="row"><a href="?region=global-north&amp;year=2023">' not in html


@pytest.mark.django_db
def test_the_timeline_is_mirrored_in_arabic(catalogue, anonymous):
    html = anonymous.get("/cases/", {"lang": "ar"}).content.decode()
    translation.activate("en")
    assert '<svg direction="rtl" role="img" aria-labelledby="timeline-t' in html


@pytest.mark.django_db
def test_a_page_with_no_match_offers_no_downloads_but_filters_to_drop_with_counts(
        catalogue, anonymous):
    html = anonymous.get("/cases/", {"q": "workers", "region": "global-north"}).content.decode()
    assert "0 cases match" in html
    assert "Download these cases" not in html
    assert '<a href="?region=global-north">Without the search “workers”</a>' in html
    assert '<a href="?q=workers">Without Region: Global North</a>' in html
    assert "(2 cases)" in html and "(3 cases)" in html
    assert "<svg" not in html  # no empty timeline


@pytest.mark.django_db
def test_a_misspelt_search_suggests_a_spelling_that_finds_cases(catalogue, anonymous):
    html = anonymous.get("/cases/", {"q": "moderashun"}).content.decode()
    assert 'Did you mean: <a href="?q=moderation">moderation</a>' in html
    assert "(1 case)" in html


@pytest.mark.django_db
def test_a_page_with_no_match_shows_no_filter_panel_but_keeps_its_suggestions(catalogue,
                                                                             anonymous):
    html = anonymous.get("/cases/", {"q": "workers", "region": "global-north"}).content.decode()
    assert 'id="facets-title"' not in html and 'href="#facets-title"' not in html
    assert 'class="browse without-facets"' in html
    assert '<a href="?q=workers">Without Region: Global North</a>' in html
    assert 'class="pager"' not in html  # no empty list of pages either


@pytest.mark.django_db
def test_a_page_with_matches_links_from_the_top_of_the_results_to_the_filters(catalogue,
                                                                             anonymous):
    html = anonymous.get("/cases/").content.decode()
    assert 'id="facets-title"' in html
    assert html.index('href="#facets-title"') < html.index(catalogue.cases["kenya"].title)
