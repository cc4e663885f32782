"""No supporter is ever listed: a canary worker account proposes one demand and supports
others; no public page, feed, export or API answer, no editors' demand screen or audit log and
no admin page may name it. The crawl helpers are the privacy canary's (tests/
test_privacy_canary.py)."""

from __future__ import annotations

import re
from collections import deque

import pytest

from tests.test_privacy_canary import HREF, SKIP, body, crawl
from visiblework.accounts.models import Role, User
from visiblework.voice import demands
from visiblework.voice.models import DemandStatus

from .demand_helpers import CANARY_SUPPORTER, add_supports, make_demand, make_workers

MAX_PAGES = 300
# The admin's list of accounts names every account, by design (editors manage accounts), and
# its forms offer every account in a menu (a flag's or a reply's author); what must never
# appear is an account singled out beside a demand. Logging out would end the crawl.
ADMIN_SKIP = ("/admin/accounts/user/", "/admin/logout/")


def _singles_out(text: str, other: str) -> bool:
    """The canary is named, other than in a menu of every account (which also offers `other`,
    an editor's account: never a supporter, since only workers support)."""
    return CANARY_SUPPORTER in text and f">{other}</option>" not in text


def _walk(client, start: list[str], inside: str, skip: tuple[str, ...]) -> dict[str, str]:
    """Breadth-first over the links under `inside`, from `start`."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or not url.startswith(inside) or url.startswith(skip):
            continue
        response = client.get(url)
        text = body(response)
        seen[url] = text
        queue.extend(link.replace("&amp;", "&") for link in HREF.findall(text))
    return seen


@pytest.fixture
def planted(catalogue, editor_user):
    """The canary proposes a demand (approved), supports three (gathering, public past its
    threshold, answered) and has a pending proposal."""
    canary = User.objects.create_user(CANARY_SUPPORTER, role=Role.WORKER)
    sama, openai = catalogue.actors["sama"], catalogue.actors["openai"]
    proposed = demands.propose(canary, demands.clean_proposal("Canary's own", "Text.", sama))
    demands.approve(proposed, editor_user)
    demands.propose(canary, demands.clean_proposal("Canary pending", "Text.", openai))
    gathering = make_demand(sama, title="Gathering one")
    public = make_demand(openai, title="Public one", threshold=5)
    answered = make_demand(openai, title="Answered one", status=DemandStatus.ANSWERED)
    for demand in (proposed, gathering, public, answered):
        demands.support(demand, canary)
    add_supports(public, make_workers(40))
    demands.refresh_counts()
    public.refresh_from_db()
    assert public.published_count is not None  # 41 supporters, threshold 5: surely past it
    return [proposed, gathering, public, answered]


def _demand_urls(demand_list) -> list[str]:
    urls = ["/demands/", "/demands/?status=gathering", "/demands/?status=public",
            "/demands/?actor=sama", "/demands/?actor=openai"]
    for d in demand_list:
        urls += [f"/demands/{d.public_id}/", f"/demands/{d.public_id}/feed.atom"]
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_no_public_response_names_a_supporter(request, catalogue, planted, persona):
    client = request.getfixturevalue(persona)
    pages = _walk(client, _demand_urls(planted), "/", SKIP)  # first: before a ?lang= link
    assert re.search(r"About \d+ workers support", pages[f"/demands/{planted[2].public_id}/"])
    pages.update(crawl(client, catalogue))
    for url, text in pages.items():
        assert CANARY_SUPPORTER not in text, f"the supporter is named at {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "admin"])
def test_no_editors_screen_or_admin_page_names_a_supporter(request, catalogue, planted, persona,
                                                           editor_user):
    client = request.getfixturevalue(persona)
    start = [f"/review/demands/?status={s}" for s in DemandStatus.values] + [
        "/review/audit/", "/review/audit/?action=create", "/review/audit/?action=edit"]
    pages = _walk(client, start, "/review/", ("/review/logout/",))
    pages.update(_walk(client, ["/admin/"], "/admin/", ADMIN_SKIP))
    pages.update(_walk(client, _demand_urls(planted), "/demands/", SKIP))
    assert "Canary pending" in pages["/review/demands/?status=pending"]
    assert len([u for u in pages if u.startswith("/admin/")]) > 10
    for url, text in pages.items():
        if url.startswith("/admin/"):
            assert not _singles_out(text, editor_user.username), f"the supporter is named at {url}"
        else:
            assert CANARY_SUPPORTER not in text, f"the supporter is named at {url}"
