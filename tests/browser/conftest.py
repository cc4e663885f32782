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
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
