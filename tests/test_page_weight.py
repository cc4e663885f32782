"""Every public page works without JavaScript and weighs at most 60 KB transferred
(HTML + CSS + JS, gzip-compressed), with the seed content loaded."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

from visiblework.cases.models import Actor, Case
from visiblework.cases.seed import load_seed

LIMIT = 60 * 1024
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')
# Scripts but structured data and the optional enhancement (vw/enhance.js: copy buttons, focus
# on an error summary), which pages work without; the browser tests check them without it.
SCRIPT = re.compile(r"<script(?![^>]*application/ld\+json)(?![^>]*src=\"/static/vw/enhance\.js\")"
                    r"[^>]*>")


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """Pages asked for with ?lang= leave that language active in this thread: switch back after
    each test, so that later tests (which read English messages) are not run in Arabic."""
    yield
    translation.deactivate()


@pytest.fixture
def seeded(vocabularies):
    from visiblework.insights import releases
    from visiblework.reports.demo import make_demo_reports

    load_seed()
    make_demo_reports(n=2000, seed=9)
    releases.publish(releases.build_release("pw", epsilon=2.0, delta=1e-6, k=5))


def public_pages() -> list[str]:
    case = Case.published.order_by("id").first()
    actor = Actor.objects.filter(case_roles__isnull=False).order_by("id").first()
    return [
        "/",
        "/cases/",
        "/cases/?justice_area=economic-justice&region=global-south&layer=annotation",
        "/cases/?q=workers",
        "/cases/?facet=actor",
        case.get_absolute_url(),
        "/actors/",
        "/actors/?sort=cases&kind=company",
        actor.get_absolute_url(),
        "/no-such-page/",
        "/contribute/",
        "/reports/new/",
        "/reports/receipt/",
        "/about/data-use/",
        "/about/data/",
        "/accounts/signup/",
        "/accounts/login/",
        "/insights/",
        "/insights/worth/?captchas=10",
        "/releases/pw/",
        "/scorecards/sama/",
        "/disclosures/sama/",
    ]


def weight(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    assert response.status_code in (200, 404), url
    html = response.content.decode()
    total = len(gzip.compress(response.content))
    for asset in ASSET.findall(html):
        path = finders.find(asset.removeprefix("/static/"))
        assert path, asset
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    return total, html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "fr", "es", "sw", "ar"])
def test_every_public_page_weighs_at_most_60_kb_in_every_language(seeded, anonymous, lang):
    for url in public_pages():
        total, _ = weight(anonymous, f"{url}{'&' if '?' in url else '?'}lang={lang}")
        assert total <= LIMIT, f"{url} in {lang} weighs {total} bytes"


@pytest.mark.django_db
def test_no_public_page_needs_javascript(seeded, anonymous):
    for url in public_pages():
        _, html = weight(anonymous, url)
        assert not SCRIPT.search(html), f"{url} loads a script"
        assert "<h1" in html, url
