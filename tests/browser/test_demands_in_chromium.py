"""The demands' pages in Chromium: no serious accessibility problem (axe) in English and in
Arabic; on a 390 px phone without JavaScript, a worker supports a demand and withdraws, and
no page is wider than the screen."""

from __future__ import annotations

import pytest

from visiblework.accounts.models import Role, User
from visiblework.voice import demo_demands
from visiblework.voice.models import Demand, DemandSupport

from ..conftest import PASSWORD
from ..voice.demand_helpers import make_demand, verify
from .conftest import shoot
from .test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, catalogue, editor_user, representative_user):
    demo_demands.seed()
    demand = Demand.objects.get(title=demo_demands.PAST[1])
    verify(representative_user, demand.addressed)
    make_demand(catalogue.actors["sama"], status="pending", title="A pending one")
    User.objects.create_user("amber-river-101", password=PASSWORD, role=Role.WORKER)
    return live_server.url


def _sign_in(page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_demand_pages_have_no_serious_accessibility_problem(site, browser, lang):
    past = Demand.objects.get(title=demo_demands.PAST[1])
    below = Demand.objects.get(title=demo_demands.BELOW[1])
    pages = {"anonymous": ["/demands/", "/demands/?status=public&actor=sama",
                           f"/demands/{past.public_id}/", f"/demands/{below.public_id}/"],
             "amber-river-101": [f"/demands/{past.public_id}/", "/demands/new/"],
             "rep-acme": [f"/demands/{past.public_id}/answer/"],
             "ed": ["/review/demands/", "/review/demands/?status=public"]}
    problems = {}
    for who, paths in pages.items():
        context = browser.new_context()
        page = context.new_page()
        if who != "anonymous":
            _sign_in(page, site, who)
        for path in paths:
            page.goto(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
            found = serious(page)
            if found:
                problems[f"{who} {path}"] = found
        context.close()
    assert not problems, problems


def test_a_worker_supports_and_withdraws_on_a_phone_without_javascript(site, browser):
    below = Demand.objects.get(title=demo_demands.BELOW[1])
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, site, "amber-river-101")
    page.goto(f"{site}/demands/{below.public_id}/")
    with page.expect_navigation():
        page.click("button:has-text('Support this demand')")
    assert page.is_visible("text=You support this demand")
    assert DemandSupport.objects.filter(worker__username="amber-river-101").count() == 1
    for path in ("/demands/", f"/demands/{below.public_id}/", "/demands/new/"):
        for lang in ("en", "ar"):
            page.goto(f"{site}{path}?lang={lang}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} ({lang}) is {width} px wide"
    page.goto(f"{site}/demands/{below.public_id}/?lang=ar")
    shoot(page, "60-demand-phone-ar.png")
    page.goto(f"{site}/demands/{below.public_id}/?lang=en")
    with page.expect_navigation():
        page.click("button:has-text('Withdraw my support')")
    assert not DemandSupport.objects.filter(worker__username="amber-river-101").exists()
    context.close()
