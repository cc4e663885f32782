"""The privacy canary: plant unique values in raw reports, then crawl every public page,
feed, export and API response, as an anonymous visitor and as another worker. None of the
planted values may appear. Only moderated words may, on the actor page."""

import re
from collections import deque

import pytest

from visiblework.reports.models import Report, ReportStatus

CANARY_AMOUNT = "913577.13"
CANARY_FEES = "4242.17"
CANARY_HOURS = "37.77"
CANARY_PENDING_TEXT = "canary-pending-zx81q"
CANARY_HIDDEN_TEXT = "canary-hidden-zx82q"
CANARY_WITHDRAWN_TEXT = "canary-withdrawn-zx83q"
CANARY_PLATFORM = "CanaryNewPlatform zx84q"
PUBLISHED_TEXT = "canary-published-words-zx85q"
MAX_PAGES = 400
SKIP = ("/admin/", "/review/", "/static/", "/accounts/logout/", "/i18n/", "/api/v1/docs")
HREF = re.compile(r'href="(/[^"#]*)"')


def plant(client):
    base = {"platform": "Sama", "client": "OpenAI", "task_type": "content_moderation",
            "country": "KE", "year": 2023, "quarter": 2, "pay_amount": CANARY_AMOUNT,
            "currency": "KES", "pay_basis": "per_month", "paid_hours": CANARY_HOURS,
            "unpaid_hours": {"homework": "3.33"}, "fees": CANARY_FEES, "costs": "0"}
    for key, text in [("a", CANARY_PENDING_TEXT), ("b", CANARY_HIDDEN_TEXT),
                      ("c", CANARY_WITHDRAWN_TEXT), ("d", PUBLISHED_TEXT)]:
        response = client.post("/api/v1/reports", {**base, "free_text": text},
                               content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 201
    client.post("/api/v1/reports", {**base, "platform": CANARY_PLATFORM},
                content_type="application/json")
    Report.objects.filter(free_text=CANARY_HIDDEN_TEXT).update(status=ReportStatus.HIDDEN)
    Report.objects.filter(free_text=CANARY_WITHDRAWN_TEXT).update(status=ReportStatus.WITHDRAWN)
    Report.objects.filter(free_text=PUBLISHED_TEXT).update(status=ReportStatus.PUBLISHED)
    derived = Report.objects.filter(free_text=PUBLISHED_TEXT).get()
    return [CANARY_AMOUNT, CANARY_FEES, CANARY_HOURS, CANARY_PENDING_TEXT, CANARY_HIDDEN_TEXT,
            CANARY_WITHDRAWN_TEXT, CANARY_PLATFORM, "913577", "4242.17",
            f"{derived.effective_hourly:.2f}", f"{derived.nominal_hourly:.2f}"]


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def crawl(client, catalogue) -> dict[str, str]:
    start = ["/", "/cases/", "/contribute/", "/reports/new/", "/reports/receipt/",
             "/about/data-use/", "/feeds/cases.atom", "/export/cases.csv", "/export/cases.json",
             "/api/v1/cases", "/api/v1/actors?limit=100", "/api/v1/taxonomies",
             "/api/v1/openapi.json", "/accounts/login/", "/accounts/signup/",
             # voice: organisations, demands, consultations, the method's change log, rights
             "/help/", "/help/feed.atom", "/demands/", "/consultations/", "/insights/method/",
             "/rights/", "/rights/follow-up/"]
    for actor in catalogue.actors.values():
        start += [actor.get_absolute_url(), f"/feeds/actors/{actor.slug}.atom",
                  f"/api/v1/actors/{actor.slug}"]
    for case in catalogue.cases.values():
        start += [f"/api/v1/cases/{case.pk}"]
    start += ["/feeds/terms/region/global-south.atom", "/insights/", "/insights/worth/?captchas=50",
              "/api/v1/releases", "/releases/canary/", "/releases/canary/privacy.json",
              "/api/v1/releases/canary/gap", "/scorecards/", "/compare/?actor=sama&actor=openai",
              "/compare/?actor=sama&actor=amazon&work=all&region=all"]
    for dims in ("task_type,region", "platform,region", "platform", "client,region", "country",
                 "task_type", "platform,task_type", "platform,task_type,region"):
        start += [f"/api/v1/releases/canary/cells?dims={dims}",
                  f"/releases/canary/cells.csv?dims={dims}",
                  f"/releases/canary/cells.json?dims={dims}"]
    for actor in catalogue.actors.values():
        start += [f"/scorecards/{actor.slug}/", f"/disclosures/{actor.slug}/",
                  f"/disclosures/{actor.slug}.md", f"/disclosures/{actor.slug}.json"]
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        text = body(response)
        seen[url] = text
        for link in HREF.findall(text):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith(SKIP):
                queue.append(link)
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker"])
def test_no_raw_report_value_reaches_any_public_response(request, catalogue, anonymous_other,
                                                         persona, settings):
    settings.VISIBLEWORK_K = 100
    canaries = plant(anonymous_other)
    from visiblework.insights import releases

    release = releases.build_release("canary", epsilon=1.0, delta=1e-6, k=2)
    releases.publish(release)
    client = request.getfixturevalue(persona)
    pages = crawl(client, catalogue)
    assert len(pages) > 30
    assert any(PUBLISHED_TEXT in text for text in pages.values())  # the crawl reached reviews
    for url, text in pages.items():
        for canary in canaries:
            assert canary not in text, f"{canary!r} leaked at {url}"
        assert not SEQUENTIAL_LINK.search(text), f"a report's primary key in a link at {url}"


SEQUENTIAL_LINK = re.compile(r'/(?:reports|reviews)/\d+/')
