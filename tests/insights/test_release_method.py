"""A release's privacy accounting in words: the split of ε between the tables, what each
table holds and the method's parameters, from the budget the engine stores."""

import pytest

from visiblework.insights import release_method
from visiblework.insights.models import Release


def stat(name, rho, mechanism="discrete Gaussian"):
    return {"statistic": name, "mechanism": mechanism, "scale": 40.0, "rho": rho, "query": "all"}


ENGINE_BUDGET = {
    "method_version": "vw-dp-1", "privacy_unit": "one worker (all of their reports)",
    "mode": "zcdp", "epsilon": 1.0, "delta": 1e-6, "rho": 0.01,
    "params": {"epsilon": 1.0, "delta": 1e-6, "k": 5, "task_types": 10, "regions": 2,
               "platforms": 13, "clients": 1, "countries": 249, "periods": 12,
               "dimension_sets": [["task_type", "region"], ["platform"]],
               "rating_columns": ["rating_fair_pay", "rating_communication"],
               "wage_grid_usd": {"min": 0.05, "max": 200.0, "points": 200, "log_step": 0.05},
               "max_contributions": 1, "max_reports_per_worker": 50,
               "stat_weights": {"workers": 2.0, "median_effective_hourly_usd": 1.5},
               "totals_share": 0.02, "small_cell_rate": 0.01, "quantile_tolerance": 0.25},
    "parts": [
        {"part": "totals", "dims": [], "rho": 0.0002, "statistics": [stat("workers", 0.0002)]},
        {"part": "region,task_type", "dims": ["task_type", "region"], "rho": 0.0049,
         "statistics": [stat("workers", 0.002), stat("_r0_sum", 0.0005),
                        stat("_r0_raters", 0.0005),
                        stat("median_effective_hourly_usd", 0.0019,
                             "exponential mechanism over the public grid (Gumbel)")]},
        {"part": "platform", "dims": ["platform"], "rho": 0.0049,
         "statistics": [stat("workers", 0.0049)]},
    ],
}


def release_with(budget) -> Release:
    return Release(label="r", cutoff="2026-09-30", epsilon=1.0, delta=1e-6, k=5,
                   method_version="vw-dp-1", budget=budget)


def test_it_splits_the_privacy_loss_between_the_tables_by_their_share_of_rho():
    split = release_method.split(release_with(ENGINE_BUDGET))
    assert split.measure == "ρ"
    assert [(t.table, round(t.share, 2)) for t in split.tables] == [
        ("Totals: all workers and reports", 0.02), ("Kind of work × Region", 0.49),
        ("Platform", 0.49)]


def test_it_names_each_statistic_and_noise_in_words_not_in_code():
    split = release_method.split(release_with(ENGINE_BUDGET))
    assert split.statistics == ["workers (a count)", "ratings of the working conditions",
                                "true hourly wage, median (US dollars)"]
    assert split.mechanisms == ["discrete Gaussian noise",
                                "the exponential mechanism over a public grid of wages"]


def test_it_reads_an_older_budget_of_statistic_and_epsilon():
    split = release_method.split(release_with({"count": 0.25, "median": 0.75}))
    assert split.measure == "ε"
    assert [(t.table, t.share) for t in split.tables] == [("counts", 0.25), ("medians", 0.75)]


def test_it_writes_the_parameters_as_terms_and_definitions():
    terms = dict(release_method.parameters(release_with(ENGINE_BUDGET)))
    assert terms["Tables computed"] == "Kind of work × Region; Platform"
    assert terms["Categories, fixed and public before the data is read"].startswith(
        "10 kinds of work, 2 regions, 13 platforms, 1 client, 249 countries")
    assert terms["Reports counted per worker"].startswith("At most 50;")
    assert terms["Wages considered (US dollars)"].startswith("From US$0.05 to US$200.00")
    assert terms["Ratings"] == "2 questions, each from 1 to 5."
    assert "At most 1.0%" in terms["Chance that a cell of fewer than k workers is published"]
    assert not any("{" in d or "[" in d or "_" in d for d in terms.values())


@pytest.mark.parametrize("budget", [{}, None, {"parts": "broken", "params": []}])
def test_it_shows_nothing_rather_than_failing_on_a_budget_it_does_not_know(budget):
    release = release_with(budget)
    assert release_method.split(release).tables == []
    assert release_method.parameters(release) == []
