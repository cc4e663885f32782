"""The report form and the copy buttons on a phone (390 px) in Chromium, with and without
JavaScript, in English and Arabic; screenshots of each page at 390 and 1280 px."""

from __future__ import annotations

import pytest

from .conftest import TIMEOUT_MS, shoot
from .test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _page(browser, viewport=PHONE, *, javascript: bool = True, origin: str = ""):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    if javascript and origin:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def _send_a_report(page, base: str) -> None:
    page.goto(f"{base}/reports/new/")
    page.fill("#id_platform", "Sama")
    page.select_option("#id_task_type", "text_annotation")
    page.select_option("#id_country", "KE")
    page.fill("#id_year", "2023")
    page.select_option("#id_quarter", "3")
    page.fill("#id_pay_amount", "1,234.50")
    page.fill("#id_currency", "usd")
    page.select_option("#id_pay_basis", "per_month")
    page.fill("#id_paid_hours", "160")
    page.locator("form.report-form button[type=submit]").click()
    page.wait_for_selector("#receipt")


@pytest.mark.parametrize("javascript", [True, False])
def test_the_report_form_on_a_phone_marks_what_is_required_and_focuses_the_problems(
        live_server, catalogue, browser, javascript):
    context, page = _page(browser, javascript=javascript)
    try:
        page.goto(f"{live_server.url}/reports/new/")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 3200, height  # 5,450 px before the optional sections were folded
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        marks = page.locator("form.report-form label .required")
        assert marks.count() == 9 and all(marks.nth(i).is_visible() for i in range(9))
        assert page.locator("#id_pay_amount").get_attribute("inputmode") == "decimal"
        assert page.locator("#id_paid_hours").get_attribute("inputmode") == "decimal"
        assert page.locator("#id_platform").get_attribute("required") is not None
        assert not page.locator("#id_fees").is_visible()  # in a closed optional section
        if javascript:
            shoot(page, "report-form-390-en.png")
        page.fill("#id_year", "2023")
        page.fill("#id_pay_amount", "12,50")
        page.locator("form.report-form button[type=submit]").click()
        page.wait_for_selector("#error-summary")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert page.locator("#error-summary a[href='#id_platform']").is_visible()
        assert page.locator("#id_year").input_value() == "2023"
        assert page.locator("#id_pay_amount").input_value() == "12,50"
        if javascript:
            shoot(page, "report-form-errors-390-en.png")
    finally:
        context.close()


def test_the_receipt_copy_button_copies_and_the_page_works_without_it(live_server, catalogue,
                                                                      browser):
    context, page = _page(browser, origin=live_server.url)
    try:
        _send_a_report(page, live_server.url)
        receipt = page.locator("#receipt").input_value()
        button = page.locator("button.copy")
        assert button.inner_text() == "Copy"
        button.click()
        page.locator("button.copy", has_text="Copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == receipt
        shoot(page, "receipt-390-en.png")
    finally:
        context.close()
    context, page = _page(browser, javascript=False)
    try:
        page.goto(f"{live_server.url}/reports/receipt/")
        page.fill("#receipt", receipt.replace("-", " ").lower())  # typed, not pasted
        page.locator("main button[type=submit]").click()
        page.wait_for_selector("#withdraw-confirm")
        assert page.locator("h1").inner_text() == "Your report"
        page.goto(f"{live_server.url}/reports/new/")
        _send_a_report(page, live_server.url)
        assert page.locator("button.copy").count() == 0
        assert page.locator("#receipt").is_visible()
        assert page.locator("#receipt").get_attribute("readonly") is not None
    finally:
        context.close()



def test_the_copy_buttons_of_a_case_page_have_names_of_their_own(live_server, catalogue, browser):
    context, page = _page(browser, origin=live_server.url)
    try:
        page.goto(f"{live_server.url}{catalogue.cases['kenya'].get_absolute_url()}")
        for summary in page.locator("section[aria-labelledby=cite] summary").all():
            summary.click()  # the three formats are folded: open them to reach their buttons
        buttons = page.get_by_role("button", name="Copy the citation")
        assert buttons.count() == 4  # the plain text and its three formats, each named apart
        names = [buttons.nth(i).get_attribute("aria-label") for i in range(4)]
        assert len(set(names)) == 4 and all(n.startswith("Copy") for n in names)
    finally:
        context.close()

@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_screenshots_of_the_pages_this_work_changed(live_server, catalogue, browser, lang,
                                                   viewport):
    width = viewport["width"]
    context, page = _page(browser, viewport, origin=live_server.url)
    base = live_server.url
    try:
        page.goto(f"{base}/?lang={lang}")  # the language stays for the session
        page.goto(f"{base}/reports/new/")
        shoot(page, f"report-form-{width}-{lang}.png")
        page.locator("form.report-form button[type=submit]").click()
        page.wait_for_selector("#error-summary")
        shoot(page, f"report-form-errors-{width}-{lang}.png")
        problems = {"form with errors": serious(page)}
        _send_a_report(page, base)
        page.locator("button.copy").click()
        shoot(page, f"report-done-{width}-{lang}.png")
        problems["receipt"] = serious(page)
        mine = page.locator("main p a").first.get_attribute("href")
        page.goto(f"{base}{mine}")
        shoot(page, f"report-mine-{width}-{lang}.png")
        page.locator("main form.withdraw button").click()  # not confirmed: the browser stops it
        assert page.locator("#withdraw-confirm").evaluate("box => !box.validity.valid")
        assert page.url == f"{base}{mine}"
        problems["report page"] = serious(page)
        page.goto(f"{base}/reports/receipt/")
        shoot(page, f"receipt-form-{width}-{lang}.png")
        page.goto(f"{base}/contribute/")
        shoot(page, f"contribute-{width}-{lang}.png")
        page.goto(f"{base}{catalogue.cases['kenya'].get_absolute_url()}")
        page.locator("#cite ~ details summary").first.click()
        shoot(page, f"case-cite-{width}-{lang}.png")
        page.goto(f"{base}/review/")
        page.wait_for_selector("#id_username")
        shoot(page, f"sign-in-for-review-{width}-{lang}.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not any(problems.values()), problems
    finally:
        context.close()
