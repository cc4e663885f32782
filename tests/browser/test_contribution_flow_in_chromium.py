"""A contribution's whole life, driven end to end in Debian's Chromium through Playwright.

An anonymous reader suggests an update to a case and keeps the private tracking link; an editor
signs in (in a separate browser context), finds the suggestion in the review queue, reads the
side-by-side difference, claims it and accepts it; the case page, its public history and the
reader's tracking page all show the outcome. A second suggestion is rejected with a reason,
which the reader then reads on the tracking page."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD
from visiblework.accounts.services import create_editor

from .conftest import TIMEOUT_MS, shoot

pytestmark = pytest.mark.browser


ADDED_SENTENCE = "Nobody pays them for these extra hours."
SOURCE_URL = "https://example.org/drivers-camera-report"
SOURCE_TITLE = "Camera alerts send drivers to unpaid training"
REJECTION = "Not supported by the sources"


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def visitor(browser):
    """The anonymous contributor's page, in a browser context of its own."""
    context, page = _new_page(browser)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def editor_page(browser):
    """The editor's page, in another context: no cookies shared with the visitor."""
    context, page = _new_page(browser)
    try:
        yield page
    finally:
        context.close()


def classification(page) -> dict[str, str]:
    """The tracking page's <dl> as {term: definition}."""
    terms = [t.strip() for t in page.locator("dl.classification dt").all_inner_texts()]
    values = [v.strip() for v in page.locator("dl.classification dd").all_inner_texts()]
    return dict(zip(terms, values, strict=True))


def suggest_update(page, base_url: str, case, summary: str, *, source: tuple[str, str] | None,
                   shots: tuple[str, str, str] | None = None) -> str:
    """From the case page, through "Suggest an update", to the thank-you page; returns the
    tracking link it shows."""
    page.goto(base_url + case.get_absolute_url())
    assert page.locator("h1").inner_text() == case.title
    if shots:
        shoot(page, shots[0])
    page.locator("p.updated").get_by_role("link", name="Suggest an update", exact=True).click()
    page.wait_for_url(re.compile(rf"/contribute/\?case={case.pk}$"))
    assert page.locator("h1").inner_text() == "Suggest an update"
    # The form starts from the case as it is now.
    assert page.locator("#id_title").input_value() == case.title
    assert page.locator("#id_summary").input_value() == case.summary
    page.locator("#id_summary").fill(summary)
    if source:
        # The first source row that is still empty.
        rows = page.locator("fieldset.group").filter(has=page.locator("legend", has_text="Sources"))
        urls = rows.locator("input[name^='sources-'][name$='-url']")
        empty = next(i for i in range(urls.count()) if not urls.nth(i).input_value())
        prefix = urls.nth(empty).get_attribute("name").removesuffix("-url")
        page.locator(f"input[name='{prefix}-url']").fill(source[0])
        page.locator(f"input[name='{prefix}-title']").fill(source[1])
    if shots:
        shoot(page, shots[1])
    page.get_by_role("button", name="Send to the editors").click()
    page.wait_for_url(re.compile(r"/contribute/$"))
    assert page.locator("h1").inner_text() == "Thank you: your suggestion is with the editors"
    tracking_url = page.locator("#tracking").input_value()
    assert re.fullmatch(r"http://[^/]+/contribute/track/[\w-]+/", tracking_url), tracking_url
    assert page.get_by_role("link", name="Open it now").get_attribute("href") == tracking_url
    if shots:
        shoot(page, shots[2])
    return tracking_url


def sign_in_as_editor(page, base_url: str) -> None:
    """The review queue sends a stranger to the site's own sign-in page, and back."""
    page.goto(base_url + "/review/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/review/$"))
    page.locator("#id_username").fill("ed")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type='submit']").click()
    page.wait_for_url(re.compile(r"/review/$"))
    assert page.locator("h1").inner_text() == "Review queue"


def open_from_queue(page, case) -> int:
    """Open the one pending contribution for `case` from the queue; returns its number."""
    rows = page.locator("table.queue tbody tr").filter(has_text=f"case {case.pk}")
    assert rows.count() == 1
    assert "Waiting for review" in rows.inner_text()
    rows.get_by_role("link", name=case.title).click()
    page.wait_for_url(re.compile(r"/review/contributions/\d+/$"))
    number = int(re.search(r"/contributions/(\d+)/$", page.url).group(1))
    assert page.locator("h1").inner_text() == f"Contribution {number}: Update to a case"
    return number


def test_a_contribution_is_tracked_reviewed_accepted_and_shows_in_the_history(
        live_server, catalogue, visitor, editor_page):
    base = live_server.url
    drivers = catalogue.cases["drivers"]
    old_summary = drivers.summary
    new_summary = f"{old_summary} {ADDED_SENTENCE}"
    create_editor("ed", PASSWORD)

    # 1. An anonymous visitor suggests an update and follows it with the tracking link.
    tracking_url = suggest_update(
        visitor, base, drivers, new_summary, source=(SOURCE_URL, SOURCE_TITLE),
        shots=("20-case-drivers.png", "21-suggest-an-update.png", "22-thank-you.png"))
    visitor.goto(tracking_url)
    assert visitor.locator("h1").inner_text() == "Your suggestion"
    track = classification(visitor)
    assert track["Status"] == "Waiting for review"
    assert track["Title"] == drivers.title
    assert track["Kind"] == "Update to a case"
    assert "Published as" not in track
    shoot(visitor, "23-track-waiting.png")

    # 2. An editor signs in, finds it in the queue, compares, claims and accepts it.
    sign_in_as_editor(editor_page, base)
    shoot(editor_page, "24-review-queue.png")
    number = open_from_queue(editor_page, drivers)
    diff = editor_page.locator("table.diff")
    assert diff.count() == 1
    assert diff.locator("thead th").all_inner_texts() == ["Field", "Current", "Proposed"]
    summary_row = diff.locator("tbody tr", has=editor_page.locator("th", has_text="Summary"))
    assert summary_row.get_attribute("class") == "changed"
    assert summary_row.locator("td").nth(0).inner_text().strip() == old_summary
    assert ADDED_SENTENCE in summary_row.locator("td").nth(1).locator("ins").inner_text()
    sources_row = diff.locator("tbody tr", has=editor_page.locator("th", has_text="Sources"))
    assert SOURCE_TITLE in sources_row.locator("ins").inner_text()
    title_row = diff.locator("tbody tr", has=editor_page.locator("th", has_text="Title"))
    assert title_row.get_attribute("class") is None  # the title did not change
    assert "Claimed by —" in editor_page.locator("main").inner_text()
    shoot(editor_page, "25-review-diff.png")

    editor_page.get_by_role("button", name="Claim", exact=True).click()
    editor_page.wait_for_url(re.compile(rf"/review/contributions/{number}/$"))
    assert "You claimed this contribution." in editor_page.locator("ul.messages").inner_text()
    assert "Claimed by ed" in editor_page.locator("main").inner_text()
    assert editor_page.get_by_role("button", name="Claim", exact=True).count() == 0
    # The accept form starts from the proposal.
    assert editor_page.locator("#id_summary").input_value() == new_summary
    shoot(editor_page, "26-review-claimed.png")

    editor_page.get_by_role("button", name="Accept and publish").click()
    editor_page.wait_for_url(re.compile(rf"/cases/{drivers.pk}/drivers/$"))

    # 3. The case page shows the new summary and source; its history records the acceptance.
    assert editor_page.locator("h1").inner_text() == drivers.title
    assert editor_page.locator("p.summary").inner_text() == new_summary
    assert editor_page.locator("ol.sources li").count() == 1
    source_link = editor_page.locator("ol.sources li a").first
    assert source_link.inner_text() == SOURCE_TITLE
    assert source_link.get_attribute("href") == SOURCE_URL
    shoot(editor_page, "27-case-updated.png")

    editor_page.locator("p.updated").get_by_role("link", name="History", exact=True).click()
    editor_page.wait_for_url(re.compile(rf"/cases/{drivers.pk}/drivers/history/$"))
    assert editor_page.locator("h1").inner_text() == "History of this case"
    changes = editor_page.locator("form.compare tbody tr td:nth-child(6)").all_inner_texts()
    assert len(changes) >= 1
    assert f"Accepted contribution #{number}" in [c.strip() for c in changes]
    accepted_row = editor_page.locator("form.compare tbody tr").filter(
        has_text=f"Accepted contribution #{number}")
    assert accepted_row.locator("td:nth-child(5)").inner_text().strip() == "ed"
    shoot(editor_page, "28-history.png")

    editor_page.locator("form.compare").get_by_role("button", name="Compare").click()
    editor_page.wait_for_url(re.compile(r"/history/\?(.+&)?to=\d+"))
    compared = editor_page.locator("table.diff")
    assert compared.count() == 1
    assert compared.locator("thead th").all_inner_texts() == ["Field", "Before", "After"]
    summary_after = compared.locator("tbody tr", has=editor_page.locator("th", has_text="Summary"))
    assert ADDED_SENTENCE in summary_after.locator("td").nth(1).locator("ins").inner_text()
    shoot(editor_page, "29-history-compare.png")

    # The public sees the same history without the editors' tools.
    visitor.goto(editor_page.url)
    assert f"Accepted contribution #{number}" in visitor.locator("form.compare tbody").inner_text()
    assert visitor.get_by_role("button", name="Revert to this").count() == 0

    # 4. The visitor's tracking link now reads "Accepted" and links to the case.
    visitor.goto(tracking_url)
    track = classification(visitor)
    assert track["Status"] == "Accepted"
    assert track["Published as"] == drivers.title
    visitor.locator("dl.classification").get_by_role("link", name=drivers.title).click()
    visitor.wait_for_url(re.compile(rf"/cases/{drivers.pk}/drivers/$"))
    assert visitor.locator("p.summary").inner_text() == new_summary
    visitor.goto(tracking_url)
    shoot(visitor, "30-track-accepted.png")


def test_a_rejected_contribution_shows_the_editors_reason_on_the_tracking_page(
        live_server, catalogue, visitor, editor_page):
    base = live_server.url
    midas = catalogue.cases["midas"]
    create_editor("ed", PASSWORD)

    tracking_url = suggest_update(visitor, base, midas,
                                  "MiDAS was right about every claimant it flagged.", source=None)

    sign_in_as_editor(editor_page, base)
    open_from_queue(editor_page, midas)
    reject_form = editor_page.locator("form[action$='/reject/']")
    reject_form.locator("#reject-reason").fill(REJECTION)
    shoot(editor_page, "31-review-reject.png")
    reject_form.get_by_role("button", name="Reject").click()
    editor_page.wait_for_url(re.compile(r"/review/$"))
    assert "Rejected. The contributor can read your reason." in editor_page.locator(
        "ul.messages").inner_text()
    assert editor_page.locator("table.queue tbody").inner_text().strip() == "Nothing here."

    visitor.goto(tracking_url)
    track = classification(visitor)
    assert track["Status"] == "Rejected"
    assert track["The editors' reason"] == REJECTION
    assert "Published as" not in track
    shoot(visitor, "32-track-rejected.png")

    # The case itself is unchanged.
    visitor.goto(base + midas.get_absolute_url())
    assert visitor.locator("p.summary").inner_text() == midas.summary
