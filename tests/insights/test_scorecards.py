"""Scorecards: the points a release gives evidence for, each linked to its cell; editors'
points stand; the public list of scorecards."""

import pytest

from visiblework.cases.models import Actor, Source
from visiblework.core.models import AuditEntry
from visiblework.insights import scorecards
from visiblework.insights.models import Release, Scorecard, ScorecardPoint

from .test_platform_figures import platform_release


@pytest.mark.django_db
def test_a_release_awards_paid_on_time_and_not_the_wage_point_below_the_reference(catalogue):
    release = platform_release()
    card = scorecards.fill_from_release(Actor.objects.get(slug="sama"), release)
    assert card is not None and card.year == 2026
    on_time = card.points.get(principle="pay", level=1)
    wage = card.points.get(principle="pay", level=2)
    assert on_time.awarded and "7%" in on_time.reasoning  # 7% late ≤ 10%
    assert not wage.awarded and "US$1.87" in wage.reasoning and "US$7.25" in wage.reasoning
    cell = on_time.release_cells.get()
    assert cell.release == release and cell.dims == {"platform": "sama"}


@pytest.mark.django_db
def test_a_release_withholds_paid_on_time_when_too_many_were_paid_late(catalogue):
    release = platform_release()
    card = scorecards.fill_from_release(Actor.objects.get(slug="appen"), release)
    assert not card.points.get(principle="pay", level=1).awarded  # 21% late


@pytest.mark.django_db
def test_the_wage_point_counts_only_with_paid_on_time(catalogue, settings):
    settings.VISIBLEWORK_REFERENCE_WAGE_USD = "1.00"
    release = platform_release()
    card = scorecards.fill_from_release(Actor.objects.get(slug="appen"), release)
    assert not card.points.get(principle="pay", level=2).awarded


@pytest.mark.django_db
def test_filling_from_a_release_leaves_an_editors_point_with_sources_as_it_is(catalogue):
    release = platform_release()
    sama = Actor.objects.get(slug="sama")
    card = Scorecard.objects.create(actor=sama, year=2026)
    point = ScorecardPoint.objects.create(scorecard=card, principle="pay", level=1,
                                          awarded=False, reasoning="Editors' finding")
    point.sources.add(Source.objects.first())
    scorecards.fill_from_release(sama, release)
    point.refresh_from_db()
    assert point.reasoning == "Editors' finding" and not point.awarded
    assert AuditEntry.objects.filter(summary__contains="points from release p1").exists()


@pytest.mark.django_db
def test_no_scorecard_is_made_for_an_actor_the_release_has_no_figures_for(catalogue):
    release = platform_release()
    assert scorecards.fill_from_release(Actor.objects.get(slug="remotasks"), release) is None
    assert not Scorecard.objects.exists()


@pytest.mark.django_db
def test_the_scorecard_page_shows_the_release_evidence_with_a_link_to_its_cell(catalogue,
                                                                              anonymous):
    platform_release()
    page = anonymous.get("/scorecards/sama/").content.decode()
    assert "Evidence from release p1" in page
    assert "Paid on time: 7% of workers were paid late or not at all" in page
    assert "/api/v1/releases/p1/cells?dims=platform&amp;platform=sama" in page


@pytest.mark.django_db
def test_a_filled_scorecard_shows_its_points_and_links_each_to_the_release_cell(catalogue,
                                                                               anonymous):
    release = platform_release()
    scorecards.fill_from_release(Actor.objects.get(slug="sama"), release)
    page = anonymous.get("/scorecards/sama/").content.decode()
    assert "2026: 1/10" in page
    assert "Release p1, cell sama" in page
    assert "{&#x27;platform&#x27;" not in page and "{'platform'" not in page


@pytest.mark.django_db
def test_the_list_of_scorecards_shows_each_actor_with_its_score(catalogue, anonymous):
    release = platform_release()
    for slug in ("sama", "appen"):
        scorecards.fill_from_release(Actor.objects.get(slug=slug), release)
    page = anonymous.get("/scorecards/").content.decode()
    assert "/scorecards/sama/" in page and "/scorecards/appen/" in page
    assert "1/10" in page and "0/10" in page
    assert Release.objects.count() == 1
