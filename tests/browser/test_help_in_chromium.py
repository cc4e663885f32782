"""Who can help, in Chromium: the directory, an organisation's page, the suggestion form and
the sections on other pages have no serious accessibility violation (axe) and no sideways
scrolling on a 390 px phone, in English and in Arabic (right to left); the filters work
without JavaScript."""

from __future__ import annotations

import pytest

from .conftest import TIMEOUT_MS, seeded_site, shoot
from .test_accessibility import serious

PHONE = {"width": 390, "height": 844}
PAGES = ["/help/", "/help/?country=KE&task_type=content_moderation", "/help/?country=XX",
         "/help/foxglove/", "/help/suggest/", "/help/suggest/?organisation=fairwork",
         "/actors/sama/", "/actors/fairwork/", "/cases/?country=KE"]
SIDEWAYS = "document.scrollingElement.scrollWidth - window.innerWidth"


@pytest.fixture
def site(live_server, vocabularies, editor_user):
    return seeded_site(live_server.url, "help")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_help_pages_are_accessible_and_fit_a_phone(site, browser, lang):
    context = browser.new_context(viewport=PHONE, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems = {}
    for path in PAGES:
        page.goto(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
        found = serious(page)
        sideways = page.evaluate(SIDEWAYS)
        if sideways > 1:
            found.append(f"scrolls sideways by {sideways} px")
        if found:
            problems[path] = found
    if lang == "ar":
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.goto(f"{site}/help/?lang=ar")
        shoot(page, "60-help-ar-phone.png")
    context.close()
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_filters_work_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{site}/help/")
    page.select_option("#f-country", "KE")
    page.select_option("#f-task", "content_moderation")
    page.click("form.filters button[type=submit]")
    assert "country=KE" in page.url and "task_type=content_moderation" in page.url
    assert page.locator("a[href='/help/african-content-moderators-union/']").count() == 1
    assert page.locator("a[href='/help/worker-info-exchange/']").count() == 0
    shoot(page, "61-help-filtered.png")
    context.close()
