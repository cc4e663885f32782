"""Every public page on a 390 px phone, in English and in Arabic (right to left): nothing
scrolls sideways, no chart text is drawn smaller than 11 px, no table cell is narrower than
its longest word (words never break in the middle), and axe-core finds no violation.

The list of pages is built from the URL configuration: every public address without
parameters is visited, and every address with parameters has a sample below, so a new page
cannot be missed (see test_every_public_page_with_parameters_has_a_sample)."""

from __future__ import annotations

from pprint import pformat

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .conftest import TIMEOUT_MS, seeded_site, shoot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SMALLEST_CHART_TEXT_PX = 11

# Addresses that are not pages for the public: files, feeds, forms' targets, editors' and
# administrators' screens, and the redirects kept for old addresses.
NOT_PUBLIC_PAGES = {
    "cases:feed-cases", "cases:feed-term", "cases:feed-actor", "cases:export-cases-csv",
    "cases:export-cases-json", "cases:export-mapping", "cases:detail-short",
    "cases:case-citation", "cases:browse-citation",
    "insights:cells", "insights:privacy", "insights:disclosure-file", "insights:disclosure-edit",
    "reports:edit", "reports:withdraw", "reports:forget", "reports:flag", "reports:reply",
    "reports:mine", "accounts:logout", "accounts:me", "accounts:delete",
    "set_language", "favicon", "api-v1:openapi-json",
    "voice:help-feed", "voice:demand-feed", "voice:demand-support", "voice:demand-answer",
    "voice:consultation-vote",
}
NOT_PUBLIC_PREFIXES = ("admin", "review", "api-v1:")
API_REFERENCE = "api-reference"


def _names(resolver: URLResolver, namespace: str = "", prefix: str = ""):
    """(name, route, has parameters) for every named pattern under the root URLconf."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            route = prefix + str(entry.pattern)
            yield f"{namespace}{entry.name}", route, "<" in route


def public_page_names() -> list[tuple[str, str, bool]]:
    return [(name, route, params) for name, route, params in _names(get_resolver())
            if name not in NOT_PUBLIC_PAGES and not name.startswith(NOT_PUBLIC_PREFIXES)]


def samples(release_label: str) -> dict[str, str]:
    """An address for every public page with parameters (needs the demo data)."""
    from visiblework.cases.models import Actor, Case
    from visiblework.voice.models import Consultation, Demand, HelpProfile

    case = Case.published.order_by("id").first()
    actor = Actor.objects.get(slug="sama")
    return {
        "cases:detail": case.get_absolute_url(),
        "cases:history": f"{case.get_absolute_url()}history/",
        "cases:actor": actor.get_absolute_url(),
        "cases:track": "/contribute/track/NOSUCHCODE/",
        "insights:release": f"/releases/{release_label}/",
        "insights:scorecard": "/scorecards/sama/",
        "insights:disclosure": "/disclosures/sama/",
        "voice:help-organisation": _first(HelpProfile, "/help/{0.actor.slug}/"),
        "voice:demand": _first(Demand.objects.exclude(status="pending"), "/demands/{0.public_id}/"),
        "voice:consultation": _first(Consultation.objects.exclude(status="draft"),
                                     "/consultations/{0.slug}/"),
    }


def _first(rows, address: str) -> str:
    """The address of the first of `rows` (a model or a query set), or of a page that is not
    found when there is none (the demo seeds at least one of each)."""
    first = (rows.objects if hasattr(rows, "objects") else rows).order_by("id").first()
    return address.format(first) if first is not None else "/no-such-page/"


# Pages with parameters that may be added by other work and are visited when present.
KNOWN_SAMPLE_NAMES = {"cases:detail", "cases:history", "cases:actor", "cases:track",
                      "insights:release", "insights:scorecard", "insights:disclosure",
                      "voice:help-organisation", "voice:demand", "voice:consultation"}


def test_every_public_page_with_parameters_has_a_sample():
    missing = [name for name, _route, params in public_page_names()
               if params and name not in KNOWN_SAMPLE_NAMES]
    assert not missing, f"add a sample address to tests/browser/test_phone_layout.py: {missing}"


def page_addresses(release_label: str) -> list[str]:
    from django.urls import reverse

    found = samples(release_label)
    addresses = []
    for name, _route, params in public_page_names():
        if params:
            if name in found:
                addresses.append(found[name])
        else:
            addresses.append(reverse(name))
    addresses += ["/cases/?q=workers&region=global-south", "/insights/worth/?captchas=10",
                  "/no-such-page/"]
    return list(dict.fromkeys(addresses))


@pytest.fixture
def site(live_server, vocabularies, editor_user):
    return seeded_site(live_server.url, "phone")


SIDEWAYS = "document.scrollingElement.scrollWidth - window.innerWidth"

SMALL_CHART_TEXT = """(least) => {
  const out = [];
  for (const t of document.querySelectorAll('svg text')) {
    if (!t.textContent.trim() || !t.getClientRects().length) continue;
    const m = t.getScreenCTM();
    const scale = m ? Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)) : 1;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (px < least - 0.05) out.push(`${t.textContent.trim().slice(0, 30)}: ${px.toFixed(1)} px`);
  }
  return out.slice(0, 5);
}"""

# A cell's content box against the width of its longest word, each word measured with a Range
# (the sum of its boxes: a word broken over two lines has two).
NARROW_CELLS = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('th, td')) {
    if (!cell.getClientRects().length) continue;
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let widest = 0, word = '', broken = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      // A word ends at a space, or after a hyphen or a slash (where lines may break); a web
      // address is not a word and may break anywhere.
      const tokens = /\\S+/g;
      let t;
      while ((t = tokens.exec(text))) {
        if (t[0].includes('://') || t[0].startsWith('www.')) continue;
        const parts = /[^-/]+[-/]?/g;
        let m;
        while ((m = parts.exec(t[0]))) {
          const range = document.createRange();
          range.setStart(node, t.index + m.index);
          range.setEnd(node, t.index + m.index + m[0].length);
          const rects = [...range.getClientRects()].filter(r => r.width > 0.5);
          const width = rects.reduce((sum, r) => sum + r.width, 0);
          if (new Set(rects.map(r => Math.round(r.top))).size > 1) broken = true;
          if (width > widest) { widest = width; word = m[0]; }
        }
      }
    }
    if (broken || widest > room + 1) {
      out.push(`${cell.tagName} "${word}": ${widest.toFixed(0)} px word, ${room.toFixed(0)} px cell`);
    }
  }
  return out.slice(0, 5);
}"""


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
            for v in result.response["violations"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_public_page_fits_a_phone_and_passes_axe(site, browser, lang):
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: dict[str, dict[str, object]] = {}
    for path in page_addresses("phone"):
        page.goto(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
        found: dict[str, object] = {}
        sideways = page.evaluate(SIDEWAYS)
        if sideways > 0:
            found["scrolls sideways by px"] = sideways
        small = page.evaluate(SMALL_CHART_TEXT, SMALLEST_CHART_TEXT_PX)
        if small:
            found["chart text under 11 px"] = small
        narrow = page.evaluate(NARROW_CELLS)
        if narrow:
            found["cells narrower than a word"] = narrow
        violations = axe_violations(page)
        if violations:
            found["axe"] = violations
        if found:
            problems[path] = found
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("&", "-") or "home"
        shoot(page, f"phone-{lang}-{name[:60]}.png")
    context.close()
    assert not problems, pformat(problems, width=110)


KEY_PAGES = ["/", "/cases/", "case", "/actors/sama/", "/insights/", "/api/v1/docs"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_key_pages_fit_a_desktop_and_a_phone_and_are_photographed(site, browser, lang):
    """Screenshots to look at (test-output/screenshots/key-*), and no sideways scroll at
    either width."""
    from visiblework.cases.models import Case

    case = Case.published.order_by("id").first().get_absolute_url()
    sideways = {}
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for path in KEY_PAGES:
            address = case if path == "case" else path
            page.goto(f"{site}{address}?lang={lang}")
            if page.evaluate(SIDEWAYS) > 0:
                sideways[(width, address)] = page.evaluate(SIDEWAYS)
            name = address.strip("/").replace("/", "-")[:40] or "home"
            shoot(page, f"key-{width}-{lang}-{name}.png")
        context.close()
    assert not sideways
