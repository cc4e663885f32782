"""The editors' duplicate screens, the actor index, an actor page and a case page with ids in
other databases, in Chromium at 1280 and 390 px, in English and Arabic: nothing scrolls
sideways on a phone, long ids and addresses wrap, and on /cases/ the filters are reachable
from the first screen."""

from __future__ import annotations

import pytest

from tests.conftest import make_case

from .conftest import TIMEOUT_MS, shoot
from .test_accessibility import serious

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_ID = "tracker:" + "INCIDENT2024CONTENTMODERATIONOUTSOURCING" * 2 + "0001"
LONG_URL = ("https://example.org/averylongreportaddresswithoutanyplacetobreak"
            "contentmoderatorsoutsourcingnairobi2023investigationpartoneofthree")


@pytest.fixture
def site(live_server, catalogue, editor_user):
    from visiblework.cases.duplicates import find_duplicates
    from visiblework.cases.models import Actor, ActorAlias, CaseActor, CaseExternalId

    kenya = catalogue.cases["kenya"]
    kenya.external_id = "aiid:450"
    kenya.save()
    CaseExternalId.objects.create(case=kenya, external_id=LONG_ID)
    CaseExternalId.objects.create(case=kenya, external_id="aiaaic:AIAAIC0999")
    sama = catalogue.actors["sama"]
    ActorAlias.objects.create(actor=sama, name="Samasource Impact Sourcing Incorporated",
                              slug="samasource-impact-sourcing-incorporated-east-africa-office")
    other = make_case("kenya-again", title=f"{kenya.title} (again)", year=kenya.year,
                      summary="The same story, from another source.",
                      sources=[{"url": LONG_URL, "title": "A long address"}])
    CaseActor.objects.create(case=other, actor=sama, role="vendor")
    Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")
    Actor.objects.create(slug="sama-ltd", name="Sama Ltd — " + "Samasource" * 6)
    find_duplicates()
    return live_server.url, kenya


def log_in(page, url: str) -> None:
    page.goto(f"{url}/admin/login/?next=/review/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_url("**/review/")


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_pages_fit_the_screen_without_sideways_scrolling(site, browser, lang, viewport):
    url, kenya = site
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        log_in(page, url)
        pages = {"review-duplicates": "/review/duplicates/",
                 "review-actor-duplicates": "/review/actors/duplicates/",
                 "actors": "/actors/", "actor-sama": "/actors/sama/",
                 "case-external-ids": kenya.get_absolute_url()}
        wide, problems = {}, {}
        for name, path in pages.items():
            page.goto(f"{url}{path}?lang={lang}")
            shoot(page, f"60-{name}-{viewport['width']}-{lang}.png")
            overflow = sideways_overflow(page)
            if overflow > 0:
                wide[path] = overflow
            found = serious(page) if viewport is PHONE else []
            if found:
                problems[path] = found
        assert not wide, wide
        assert not problems, problems
        page.goto(f"{url}{kenya.get_absolute_url()}?lang={lang}")
        assert page.locator("ul.external-ids li").count() == 3
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_on_a_phone_the_filters_are_reachable_from_the_first_screen(site, browser, lang):
    url, _kenya = site
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{url}/cases/?lang={lang}")
        link = page.locator("p.to-filters a")
        assert link.is_visible()
        assert link.bounding_box()["y"] + link.bounding_box()["height"] <= PHONE["height"]
        shoot(page, f"61-cases-phone-{lang}.png")
        link.click()
        page.wait_for_url("**#facets-title")
        heading = page.locator("#facets-title").bounding_box()
        # The filters are now on the screen (the jump may leave the heading a fraction of a
        # pixel above its top).
        assert -1 <= heading["y"] < PHONE["height"]
        assert sideways_overflow(page) <= 0
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_on_a_wide_screen_the_filters_stay_beside_the_results_without_the_link(site, browser):
    url, _kenya = site
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{url}/cases/")
        assert not page.locator("p.to-filters a").is_visible()
        facets = page.locator("aside.facets").bounding_box()
        results = page.locator("section.results").bounding_box()
        assert facets["x"] + facets["width"] <= results["x"]  # side by side
        shoot(page, "62-cases-desktop-en.png")
    finally:
        context.close()
