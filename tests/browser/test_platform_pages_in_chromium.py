"""The platform figures, /compare/, scorecards and the report result in Chromium, at desktop
and phone widths, in English and Arabic: no sideways scroll, no serious axe violation, and a
screenshot of each to look at."""

import pytest

from .conftest import shoot
from .test_accessibility import serious

WIDTHS = {"desktop": 1280, "phone": 390}
PAGES = {
    "actor-sama": "/actors/sama/",
    "actor-remotasks": "/actors/remotasks/",
    "compare": "/compare/?actor=sama&actor=appen&actor=remotasks",
    "compare-bad": "/compare/?actor=sama&actor=nobody",
    "scorecards": "/scorecards/",
    "scorecard-sama": "/scorecards/sama/",
}


@pytest.fixture
def site(live_server, catalogue):
    from tests.insights.test_platform_figures import platform_release
    from visiblework.cases.models import Actor
    from visiblework.insights import scorecards

    release = platform_release()
    for slug in ("sama", "appen"):
        scorecards.fill_from_release(Actor.objects.get(slug=slug), release)
    return live_server.url


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_platform_pages_fit_the_screen_and_pass_axe(site, browser, lang, width):
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    page = context.new_page()
    problems = {}
    for name, path in PAGES.items():
        page.goto(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert sideways(page) <= 0, (name, width, lang)
        found = serious(page)
        if found:
            problems[name] = found
        shoot(page, f"platform-{name}-{width}-{lang}.png")
    context.close()
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_report_result_shows_the_same_work_in_both_regions_on_a_phone(site, browser, lang):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(f"{site}/reports/new/?lang={lang}")
    for name, value in (("platform", "Sama"), ("task_type", "text_annotation"),
                        ("country", "KE"), ("year", "2026"), ("quarter", "2"),
                        ("pay_amount", "10"), ("currency", "USD"), ("pay_basis", "per_hour"),
                        ("paid_hours", "3")):
        field = page.locator(f"[name={name}]").first
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        page.locator("[name=paid_hours]").first.press("Enter")  # the form posts; wait for its answer
    section = page.locator(".vw-same-work")
    assert section.count() == 1
    assert "US$" in section.inner_text() or "US$" in section.inner_html()
    assert sideways(page) <= 0
    assert not serious(page)
    shoot(page, f"platform-report-done-phone-{lang}.png")
    context.close()
