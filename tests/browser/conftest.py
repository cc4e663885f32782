"""What every browser test shares: Debian's Chromium driven by Playwright, with the flags
this machine needs, and a folder for screenshots."""

import os
from pathlib import Path

import pytest

from tests.conftest import chromium_or_fail

# Playwright's sync API runs an event loop in this thread; Django's ORM (used by the fixtures
# that build the catalogue) refuses to run while one is active unless told it is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_or_fail()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def shoot(page, name: str) -> None:
    """A full-page screenshot, for people to look at (tests assert on the page itself).
    Chromium sometimes answers "Unable to capture screenshot" when no frame is ready yet (on
    a busy machine): one more try after a short wait, then the error stands."""
    from playwright.sync_api import Error

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    except Error as error:
        if "Unable to capture screenshot" not in str(error):
            raise
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def seeded_site(url: str, release_label: str) -> str:
    """The seed cases, 2,000 demo reports, a published release named `release_label` and the
    demo's voice content (organisations, demands, a consultation):
    what the tests that visit every kind of page need. Returns the site's address."""
    from visiblework.cases.seed import load_seed
    from visiblework.insights import releases
    from visiblework.reports.demo import make_demo_reports
    from visiblework.voice.demo import seed_voice

    load_seed()
    make_demo_reports(n=2000, seed=5)
    releases.publish(releases.build_release(release_label, epsilon=2.0, delta=1e-6, k=5))
    seed_voice()
    return url
