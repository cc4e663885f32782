"""A platform's or a client's page shows what workers report, from the latest published
release only: the true wage with its interval, shares, Fairwork ratings and the cohort's size
band, or the message that too few workers have reported yet."""

from decimal import Decimal

import pytest

from visiblework.cases.models import Actor
from visiblework.insights import releases
from visiblework.insights.models import Release, ReleaseCell
from visiblework.insights.platform_figures import actor_figures, size_band
from visiblework.reports.models import Report

TOO_FEW = "Too few workers have reported here yet"


def stats(median: float, **extra) -> dict:
    out = {"median_effective_hourly_usd": median, "p25_effective_hourly_usd": round(median * 0.5, 2),
           "p75_effective_hourly_usd": round(median * 1.5, 2),
           "median_effective_hourly_ppp": round(median * 3, 2), "unpaid_share": 0.31,
           "late_or_missing_share": 0.07, "harmful_share": 0.44,
           "mean_rating_fair_pay": 2.3, "mean_rating_fair_conditions": 3.6,
           "mean_rating_fair_contracts": None, "mean_rating_fair_management": 1.9,
           "mean_rating_fair_representation": 1.7}
    out.update(extra)
    return out


def platform_release(label="p1", published=True, cutoff="2026-09-30") -> Release:
    """Sama and Appen published as platforms (overall, by region, by work, by work and
    region); Remotasks suppressed everywhere; OpenAI a client with one published region."""
    release = Release.objects.create(
        label=label, cutoff=cutoff, epsilon=1.0, delta=1e-6, k=5, method_version="vw-dp-test",
        budget={}, workers_noisy=900, reports_noisy=1200)
    n, s = "global-north", "global-south"
    cells = [
        ({"platform": "sama"}, 130, stats(1.87)),
        ({"platform": "appen"}, 260, stats(4.25, late_or_missing_share=0.21)),
        ({"platform": "remotasks"}, None, {}),
        ({"platform": "sama", "region": s}, 110, stats(1.55)),
        ({"platform": "sama", "region": n}, None, {}),
        ({"platform": "appen", "region": s}, 60, stats(2.05)),
        ({"platform": "appen", "region": n}, 200, stats(9.35)),
        ({"platform": "remotasks", "region": s}, None, {}),
        ({"platform": "remotasks", "region": n}, None, {}),
        ({"platform": "sama", "task_type": "text_annotation"}, 90, stats(1.65)),
        ({"platform": "appen", "task_type": "text_annotation"}, 70, stats(3.15)),
        ({"platform": "appen", "task_type": "content_moderation"}, 150, stats(5.45)),
        ({"platform": "sama", "task_type": "text_annotation", "region": s}, 80, stats(1.45)),
        ({"platform": "appen", "task_type": "text_annotation", "region": s}, 40, stats(2.35)),
        ({"platform": "sama", "task_type": "content_moderation", "region": s}, None, {}),
        ({"platform": "appen", "task_type": "content_moderation", "region": s}, None, {}),
        ({"client": "openai", "region": s}, 45, stats(1.35)),
        ({"client": "openai", "region": n}, None, {}),
        ({"task_type": "text_annotation", "region": n}, 75, stats(7.75)),
        ({"task_type": "text_annotation", "region": s}, None, {}),
        ({"task_type": "text_annotation"}, 300, stats(2.5)),
        ({"region": s}, 700, stats(1.5)),
    ]
    for dims, workers, st in cells:
        ReleaseCell.objects.create(release=release, dims_key=",".join(sorted(dims)), dims=dims,
                                   suppressed=workers is None, workers=workers, stats=st)
    for slug, name, kind in (("appen", "Appen", "platform"),
                             ("remotasks", "Remotasks", "platform")):
        Actor.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    if published:
        releases.publish(release)
    return Release.objects.get(pk=release.pk)


def text(response) -> str:
    return response.content.decode()


def test_it_names_the_size_band_of_a_cohort():
    assert size_band(130) == "100 to 249 workers"
    assert size_band(7) == "fewer than 10 workers"
    assert size_band(12000) == "5,000 workers or more"


@pytest.mark.django_db
def test_a_platform_page_shows_the_true_wage_interval_shares_ratings_and_band_of_the_release(
        catalogue, anonymous):
    platform_release()
    page = text(anonymous.get("/actors/sama/"))
    assert "US$1.87" in page and "US$0.94 to US$2.81" in page  # median, middle half
    assert "5.61 international dollars" in page
    assert "31%" in page and "7%" in page and "44%" in page
    assert "100 to 249 workers" in page
    assert "Fair conditions (safety, health, hours)" in page and "3.6" in page
    assert "/api/v1/releases/p1/cells?dims=platform&amp;platform=sama" in page


@pytest.mark.django_db
def test_a_platform_page_shows_each_region_or_that_too_few_workers_reported_there(
        catalogue, anonymous):
    platform_release()
    page = text(anonymous.get("/actors/sama/"))
    south = page[page.index("Global South:"):]
    assert "US$1.55" in south[:200]
    north = page[page.index("Global North:"):]
    assert "too few workers have reported yet" in north[:200]


@pytest.mark.django_db
def test_a_platform_whose_cells_are_suppressed_says_too_few_workers_have_reported(
        catalogue, anonymous):
    platform_release()
    page = text(anonymous.get("/actors/remotasks/"))
    assert TOO_FEW in page
    assert "US$" not in page


@pytest.mark.django_db
def test_a_client_page_shows_its_figures_by_region(catalogue, anonymous):
    platform_release()
    page = text(anonymous.get("/actors/openai/"))
    assert "US$1.35" in page and TOO_FEW in page


@pytest.mark.django_db
def test_without_a_published_release_a_platform_page_says_none_is_published(catalogue,
                                                                           anonymous):
    platform_release(published=False)
    page = text(anonymous.get("/actors/sama/"))
    assert "No statistics are published yet" in page
    assert "US$1.87" not in page


@pytest.mark.django_db
def test_an_actor_that_is_neither_platform_nor_client_gets_no_figures(catalogue, anonymous):
    platform_release()
    assert actor_figures(Actor.objects.get(slug="amazon")) is None
    assert "What workers report" not in text(anonymous.get("/actors/amazon/"))


@pytest.mark.django_db
def test_the_figures_come_from_the_newest_release_never_from_report_rows(catalogue,
                                                                        anonymous):
    platform_release("old", cutoff="2026-06-30")
    platform_release("new")
    Release.objects.filter(label="new").update(published_on="2099-01-01")
    sama = Actor.objects.get(slug="sama")
    Report.objects.create(receipt_hash="x", platform=sama, task_type="text_annotation",
                          country="KE", region="global-south", year=2026, quarter=2,
                          received_month="2026-06-01", pay_amount=Decimal("4321.98"),
                          currency="USD", pay_basis="per_hour", paid_hours=Decimal(1),
                          unpaid_hours_total=Decimal(0),
                          effective_hourly_usd=Decimal("4321.98"), status="published")
    figures = actor_figures(sama)
    assert figures is not None and figures.release is not None
    assert figures.release.label == "new"
    page = text(anonymous.get("/actors/sama/"))
    assert "4,321.98" not in page and "4321.98" not in page
    assert "releases/new/" in page


@pytest.mark.django_db
def test_a_platform_page_links_to_the_comparison(catalogue, anonymous):
    platform_release()
    assert "/compare/?actor=sama" in text(anonymous.get("/actors/sama/"))
