"""WCAG 2.2 AA checks with axe-core in Chromium on every kind of page, in English and in
Arabic (right to left), and keyboard-only use of the report form and the browse page."""


import re

import pytest

from .conftest import seeded_site, shoot


@pytest.fixture
def site(live_server, vocabularies, editor_user):
    return seeded_site(live_server.url, "a11y")


def running_build() -> None:
    import os

    from visiblework.core import jobs
    from visiblework.core.models import Job

    job = jobs.create("release-build", "q4 (ε = 1, δ = 1e-06, k = 5)", None)
    Job.objects.filter(pk=job.pk).update(state="running", done=3, total=8, pid=os.getpid(),
                                         host=jobs._host())


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_page_has_serious_or_critical_accessibility_violations(site, browser, lang):
    from visiblework.cases.models import Case
    from visiblework.reports.models import Report

    case = Case.published.order_by("id").first()
    Report.objects.filter(pk=Report.objects.order_by("id").first().pk).update(
        free_text="Long hours.", status="published")
    pages = ["/", "/cases/", "/cases/?q=workers&region=global-south", case.get_absolute_url(),
             f"/cases/{case.pk}/{case.slug}/history/", "/actors/", "/actors/?q=sa&kind=vendor",
             "/actors/sama/", "/contribute/",
             "/reports/new/", "/reports/receipt/", "/about/data-use/", "/about/data/", "/insights/",
             "/releases/a11y/", "/insights/worth/?captchas=10", "/scorecards/sama/",
             "/disclosures/sama/", "/accounts/signup/", "/accounts/login/", "/api/v1/docs"]
    context = browser.new_context()
    page = context.new_page()
    problems = {}
    for path in pages:
        page.goto(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
        found = serious(page)
        if found:
            problems[path] = found
    # the editors' queue, and the release screen with a build running
    running_build()
    page.goto(f"{site}/admin/login/?next=/review/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    for path in ("/review/", "/review/reports/", "/review/releases/", "/review/actors/duplicates/",
                 "/review/duplicates/"):
        page.goto(f"{site}{path}?lang={lang}")
        found = serious(page)
        if found:
            problems[path] = found
    if lang == "ar":
        page.goto(f"{site}/insights/?lang=ar")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        shoot(page, "40-insights-ar.png")
        page.goto(f"{site}/reports/new/?lang=ar")
        shoot(page, "41-report-form-ar.png")
    context.close()
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_report_form_works_from_the_keyboard_alone(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/reports/new/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    # The jump to #main is a same-page navigation that the browser finishes a moment later.
    page.wait_for_url(re.compile(r"#main$"), timeout=5_000)
    # Tab from the top of the main content reaches the first field of the form
    page.focus("#main")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_platform":
            break
    assert page.evaluate("document.activeElement.id") == "id_platform"
    page.keyboard.type("Sama")
    page.focus("#id_pay_amount")
    page.keyboard.type("-5")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form from a field
    # errors are announced and tied to their fields
    assert page.locator("[role=alert]").count() >= 1
    described = page.get_attribute("#id_pay_amount", "aria-describedby") or ""
    assert "id_pay_amount_error" in described
    assert page.locator("#id_pay_amount_error").inner_text().strip()
    assert page.input_value("#id_platform") == "Sama"  # what was typed is kept
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 321  # usable at 320 px
    page.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browse_page_works_from_the_keyboard_alone(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/cases/")
    page.focus("#q")
    page.keyboard.type("workers")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=workers**")
    # tab to a facet link and follow it with Enter
    for _ in range(60):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if "region=global-south" in href:
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**region=global-south**")
    assert "q=workers" in page.url
    page.close()
