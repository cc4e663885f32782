"""The right of reply in Chromium: a representative asks, an editor approves, the reply shows
on the actor page and a case page; every page of it passes axe (WCAG 2.2 AA, serious or
critical) in English and in Arabic, and fits a 390 px phone without sideways scrolling."""

import pytest

from tests.conftest import PASSWORD

from .test_accessibility import serious

SIDEWAYS = "document.scrollingElement.scrollWidth - window.innerWidth"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_representative_asks_an_editor_approves_and_the_reply_is_shown(
        live_server, browser, catalogue, editor_user):
    site = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems: dict[str, list[str]] = {}

    def check(path: str) -> None:
        for lang in ("ar", "en"):  # English last: the language chosen is remembered
            page.goto(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
            found = serious(page)
            if page.evaluate(SIDEWAYS) > 0:
                found.append("scrolls sideways at 390 px")
            if found:
                problems[f"{path} ({lang})"] = found

    check("/replies/sama/")  # not signed in: how to get a company account
    page.goto(f"{site}/accounts/signup/company/?next=/replies/sama/")
    check("/accounts/signup/company/?next=/replies/sama/")
    page.fill("#username", "amina.sama")
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    page.click("form:has(#username) button[type=submit]")
    page.click("text=Continue: ask for the right of reply")
    page.click("form[aria-labelledby=ask] button[type=submit]")  # empty: the error summary
    assert page.locator("#error-summary").is_visible()
    check("/replies/sama/")
    page.fill("#id_full_name", "Amina Otieno")
    page.fill("#id_job_title", "Head of communications")
    page.fill("#id_work_email", "amina@sama.example")
    page.click("form[aria-labelledby=ask] button[type=submit]")
    assert "waiting for an editor" in page.content()
    check("/replies/sama/")

    editor = browser.new_context(viewport={"width": 390, "height": 844})
    editor_page = editor.new_page()
    editor_page.goto(f"{site}/admin/login/?next=/review/representatives/")
    editor_page.fill("#id_username", "ed")
    editor_page.fill("#id_password", PASSWORD)
    editor_page.click("input[type=submit]")
    assert "Amina Otieno" in editor_page.content()
    for lang in ("ar", "en"):
        editor_page.goto(f"{site}/review/representatives/?lang={lang}")
        found = serious(editor_page)
        if found:
            problems[f"/review/representatives/ ({lang})"] = found
    editor_page.goto(f"{site}/review/representatives/")
    editor_page.click("button[value=approve]")
    editor.close()

    page.goto(f"{site}/replies/sama/")
    page.fill("#id_text", "Sama reads every report. مرحبا")
    page.click("form:has(#id_text) button[type=submit]")
    assert page.url.endswith("/actors/sama/")
    assert "Sama reads every report." in page.content()
    check("/replies/sama/")
    check("/actors/sama/")
    case = catalogue.cases["kenya"]
    check(case.get_absolute_url())
    reader = browser.new_context().new_page()
    reader.goto(f"{site}{case.get_absolute_url()}")
    assert "Sama reads every report." in reader.content()
    reader.context.close()
    context.close()
    assert not problems, problems
