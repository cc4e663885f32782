"""The public case database, driven end to end in Debian's Chromium through Playwright.

A reader arrives on the home page, narrows the catalogue with two facets, searches within the
result, reads a case and follows an actor; the same pages work with JavaScript switched off,
and the browse page fits a 320 px wide screen."""

from __future__ import annotations

import re

import pytest

from .conftest import TIMEOUT_MS, shoot

pytestmark = pytest.mark.browser



@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def titles(page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(f"{selector} article.case-item h3 a").all_inner_texts()]


def listed_titles(page) -> list[str]:
    return titles(page, "section.results")


def listed_titles_on_actor_page(page) -> list[str]:
    return titles(page, "article.actor")


def facet_link(page, label: str):
    """The link for one value inside the facet lists (not the active-filter chips)."""
    return page.locator("aside.facets section.facet ul").get_by_role("link", name=label, exact=True)


def test_a_reader_filters_by_two_facets_searches_and_follows_an_actor_link(live_server, catalogue,
                                                                            page):
    cases = catalogue.cases

    # Home: the heading and the way into the catalogue.
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "AI is built by people you are not meant to see."
    way_in = page.locator("a.way", has_text="Browse cases")
    assert way_in.count() == 1
    assert "5 published cases" in way_in.inner_text()
    shoot(page, "01-home.png")

    # Through to the browse page: every published case, none of the draft or retracted ones.
    way_in.click()
    page.wait_for_url(re.compile(r"/cases/$"))
    assert page.locator("h1").inner_text() == "Cases"
    assert sorted(listed_titles(page)) == sorted(
        cases[k].title for k in ["kenya", "madagascar", "drivers", "recruiting", "midas"])
    shoot(page, "02-browse.png")

    # Two facets, one after the other.
    facet_link(page, "Economic Justice").click()
    page.wait_for_url(re.compile(r"justice_area=economic-justice"))
    assert len(listed_titles(page)) == 5
    shoot(page, "03-economic-justice.png")

    facet_link(page, "Global South").click()
    page.wait_for_url(re.compile(r"region=global-south"))
    assert "justice_area=economic-justice" in page.url
    assert "region=global-south" in page.url
    assert sorted(listed_titles(page)) == sorted([cases["kenya"].title, cases["madagascar"].title])
    assert page.locator("#results-title").inner_text().strip() == "2 cases"
    selected = page.locator("aside.facets a[aria-current='true']").all_inner_texts()
    assert sorted(s.replace("✓", "").strip() for s in selected) == ["Economic Justice",
                                                                   "Global South"]
    shoot(page, "04-economic-justice-global-south.png")

    # A search inside the filtered result keeps the filters and highlights the match.
    page.locator("form.search input[name='q']").fill("graphic")
    page.locator("form.search button[type='submit']").click()
    page.wait_for_url(re.compile(r"q=graphic"))
    assert "justice_area=economic-justice" in page.url
    assert "region=global-south" in page.url
    assert listed_titles(page) == [cases["kenya"].title]
    assert page.locator("#results-title").inner_text().strip() == "1 case matches"
    marks = page.locator("section.results article.case-item mark")
    assert marks.count() >= 1
    assert marks.first.inner_text().lower() == "graphic"
    shoot(page, "05-search-graphic.png")

    # The case page.
    page.locator("section.results article.case-item h3 a").first.click()
    page.wait_for_url(re.compile(rf"/cases/{cases['kenya'].pk}/kenya/$"))
    assert page.locator("h1").inner_text() == cases["kenya"].title
    assert page.locator("h2#sources").inner_text() == "Sources"
    assert page.locator("ol.sources li").count() == 1
    assert "TIME" in page.locator("ol.sources").inner_text()
    assert page.locator("h2#cite").inner_text() == "Cite this case"
    assert cases["kenya"].title in page.locator("p.citation").inner_text()
    json_ld = page.locator("script[type='application/ld+json']")
    assert json_ld.count() == 1
    assert cases["kenya"].title in json_ld.text_content()
    shoot(page, "06-case-kenya.png")

    # Follow the vendor to its actor page, which lists the Madagascar case as well.
    page.locator("ul.actors").get_by_role("link", name="Sama", exact=True).click()
    page.wait_for_url(re.compile(r"/actors/sama/$"))
    assert page.locator("h1").inner_text() == "Sama"
    assert sorted(listed_titles_on_actor_page(page)) == sorted(
        [cases["kenya"].title, cases["madagascar"].title])
    shoot(page, "07-actor-sama.png")


def test_every_page_a_reader_visits_works_with_javascript_disabled(live_server, catalogue,
                                                                   browser):
    kenya = catalogue.cases["kenya"]
    pages = [
        ("/", "AI is built by people you are not meant to see.", "08-nojs-home.png"),
        ("/cases/?justice_area=economic-justice", "Cases", "09-nojs-browse.png"),
        (f"/cases/{kenya.pk}/kenya/", kenya.title, "10-nojs-case.png"),
        ("/actors/sama/", "Sama", "11-nojs-actor.png"),
    ]
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        for path, heading, screenshot in pages:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            h1 = page.locator("h1")
            assert h1.count() == 1, path
            assert h1.is_visible(), path
            assert h1.inner_text() == heading, path
            shoot(page, screenshot)
        # The facet filter is a plain link and the search a plain GET form: both work without
        # script too.
        page.goto(live_server.url + "/cases/")
        facet_link(page, "Global South").click()
        page.wait_for_url(re.compile(r"region=global-south"))
        assert len(listed_titles(page)) == 2
        page.locator("form.search input[name='q']").fill("graphic")
        page.locator("form.search button[type='submit']").click()
        page.wait_for_url(re.compile(r"q=graphic"))
        assert listed_titles(page) == [kenya.title]
    finally:
        context.close()


def test_the_browse_page_has_no_horizontal_scroll_at_320_pixels(live_server, catalogue, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/cases/?justice_area=economic-justice")
        assert page.locator("h1").inner_text() == "Cases"
        shoot(page, "12-browse-320px.png")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 320 + 1, f"the page is {scroll_width} px wide at a 320 px viewport"
    finally:
        context.close()
