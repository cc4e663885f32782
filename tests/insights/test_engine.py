"""The differential-privacy release engine (insights/engine.py): suppression, grid-only
quantiles, one count per worker, contribution bounds, the budget, and the same-work gap.

OpenDP draws its noise from the operating system's randomness and cannot be seeded, so every
test that looks at a noisy number either uses a budget large enough that the outcome is
certain for all practical purposes (the failure probability is stated next to it) or checks
an invariant that holds for every draw. No database is needed.
"""

from __future__ import annotations

import json
import math

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visiblework.insights import dp_mechanisms, engine

TASKS = ("text_annotation", "content_moderation")
SOUTH, NORTH = "global-south", "global-north"
PLANTED = 13.37137  # an unusual raw wage: it must never come out of the engine
STAT_KEYS = ("wage_workers", "p25_effective_hourly_usd", "median_effective_hourly_usd",
             "p75_effective_hourly_usd", "ppp_workers", "median_effective_hourly_ppp",
             "unpaid_share", "late_or_missing_share", "harmful_share")
RATINGS = ("rating_fair_pay", "rating_communication")


def report(worker, task="text_annotation", region=SOUTH, *, platform="platform-a", client="",
           country="KE", period="2024-Q1", usd=2.5, ppp=None, hours=5.0, unpaid=1.0,
           late=False, harmful=False, ratings=(3, 4)):
    row = {"worker": worker, "task_type": task, "region": region, "platform": platform,
           "client": client, "country": country, "period": period,
           "effective_hourly_usd": usd, "effective_hourly_ppp": usd * 2.5 if ppp is None else ppp,
           "net_pay_usd": None if usd is None else usd * hours, "hours": hours,
           "unpaid_hours": unpaid, "late_or_missing": late, "harmful": harmful}
    row.update(dict(zip(RATINGS, ratings, strict=True)))
    return row


def frame(rows):
    return pl.DataFrame(rows, schema_overrides={
        "effective_hourly_usd": pl.Float64, "effective_hourly_ppp": pl.Float64,
        "net_pay_usd": pl.Float64, "hours": pl.Float64, "unpaid_hours": pl.Float64,
        **{name: pl.Int64 for name in RATINGS}})


def params(**overrides):
    """Small public keys and, unless a test says otherwise, one dimension set, so that a large
    ε makes the noise negligible: at ε = 200 a count's noise scale is 1/31, so a noisy count
    differs from the true one with probability below 1e-6."""
    base = {"epsilon": 1.0, "k": 5, "task_types": TASKS, "platforms": ("platform-a", "platform-b"),
            "clients": ("client-a",), "countries": ("KE", "US"), "periods": ("2024-Q1",),
            "rating_columns": RATINGS, "dimension_sets": (("task_type", "region"),)}
    return engine.ReleaseParams(**{**base, **overrides})


def cells_of(result, dims):
    return {tuple(c["dims"][d] for d in dims): c for c in result.cells
            if tuple(sorted(c["dims"])) == tuple(sorted(dims))}


def assert_no_statistic(cell):
    assert cell["workers"] is None
    for key, value in cell.items():
        if key not in ("dims", "suppressed"):
            assert value is None, (key, cell)


def grid_values(p):
    return set(p.wage_grid_usd), set(p.wage_grid_ppp)


def crowd(n, task="text_annotation", region=SOUTH, prefix="w", **kwargs):
    return [report(f"{prefix}-{task}-{region}-{i}", task, region, **kwargs) for i in range(n)]


# --- Suppression -------------------------------------------------------------------------------


def test_a_cell_with_three_workers_is_suppressed_and_carries_no_statistic():
    rows = crowd(3, "content_moderation", NORTH, usd=40.0) + crowd(300, usd=2.0)
    # ε = 30 for the whole release, one dimension set: the count's ε is 4.7 (noise scale 0.21)
    # and the publication threshold 6; three workers clear it with probability below 1e-6.
    result = engine.compute_release(frame(rows), params(epsilon=30.0))
    assert result.budget["parts"][1]["thresholds"]["workers"] == 6
    small = cells_of(result, ("task_type", "region"))[("content_moderation", NORTH)]
    assert small["suppressed"] is True
    assert_no_statistic(small)
    big = cells_of(result, ("task_type", "region"))[("text_annotation", SOUTH)]
    assert big["suppressed"] is False
    assert abs(big["workers"] - 300) <= 3


def test_cells_whose_keys_have_no_data_still_go_through_the_mechanism_and_stay_silent():
    result = engine.compute_release(frame(crowd(300)), params(
        epsilon=200.0, dimension_sets=(("platform", "region"),)))
    by_key = cells_of(result, ("platform", "region"))
    # every public key combination is there, with or without data
    assert set(by_key) == {(p, r) for p in ("platform-a", "platform-b") for r in (NORTH, SOUTH)}
    for key in [("platform-b", NORTH), ("platform-b", SOUTH), ("platform-a", NORTH)]:
        assert by_key[key]["suppressed"] is True
        assert_no_statistic(by_key[key])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.integers(min_value=0, max_value=12), min_size=4, max_size=4),
       epsilon=st.sampled_from([0.5, 2.0, 10.0]), k=st.integers(min_value=2, max_value=8))
def test_no_cell_under_the_threshold_ever_carries_a_statistic(sizes, epsilon, k):
    rows = []
    for (task, region), n in zip([(t, r) for t in TASKS for r in (NORTH, SOUTH)], sizes,
                                 strict=True):
        rows += crowd(n, task, region, usd=3.0 + n)
    rows += crowd(1, prefix="always")  # never an empty frame
    p = params(epsilon=epsilon, k=k, dimension_sets=(("task_type", "region"), ("country",)))
    result = engine.compute_release(frame(rows), p)
    usd_grid, ppp_grid = grid_values(p)
    for cell in result.cells:
        if cell["suppressed"]:
            assert_no_statistic(cell)
        else:
            assert cell["workers"] >= k
            for name in ("p25_effective_hourly_usd", "median_effective_hourly_usd",
                         "p75_effective_hourly_usd"):
                assert cell[name] is None or cell[name] in usd_grid
            assert (cell["median_effective_hourly_ppp"] is None
                    or cell["median_effective_hourly_ppp"] in ppp_grid)


def test_an_empty_release_publishes_no_cell_of_an_empty_key():
    # 10,907 public cells (6,400 of them platform × work × region), no data at all. The
    # default small_cell_rate bounds the chance that any cell under k is published by 1%; an
    # empty cell needs k more noise than that, and at ε = 200 the chance that any empty cell
    # is published is below 1e-6 (computed below).
    p = engine.synthetic_params(epsilon=200.0)
    result = engine.compute_release(engine.synthetic_frame(100, seed=1).head(0), p)
    assert len(result.cells) == 10907
    chance = 0.0
    for part in result.budget["parts"][1:]:
        scale = next(s["scale"] for s in part["statistics"] if s["statistic"] == "workers")
        tail = dp_mechanisms.discrete_tail(dp_mechanisms.PURE, scale,
                                           part["thresholds"]["workers"])
        chance += part["cells"] * tail
    assert chance < 1e-6
    assert all(cell["suppressed"] for cell in result.cells)


def test_the_threshold_keeps_a_small_cell_from_being_published_by_noise():
    # discrete Laplace of scale 50: to publish a cell of k - 1 = 4 workers with probability at
    # most 1e-3 the threshold must sit about 50 × ln(1000 / 2) ≈ 311 above it
    threshold = dp_mechanisms.publish_threshold(5, dp_mechanisms.PURE, 50.0, 1e-3)
    assert dp_mechanisms.discrete_tail(dp_mechanisms.PURE, 50.0, threshold - 4) <= 1e-3
    assert dp_mechanisms.discrete_tail(dp_mechanisms.PURE, 50.0, threshold - 5) > 1e-3
    assert 300 < threshold < 320
    assert dp_mechanisms.publish_threshold(5, dp_mechanisms.PURE, 50.0, None) == 5
    assert dp_mechanisms.publish_threshold(5, dp_mechanisms.PURE, 0.01, 1e-3) == 5


# --- Quantiles come from the public grid ------------------------------------------------------------


def test_medians_and_quartiles_come_from_the_public_grid_never_from_a_raw_value():
    # the planted value is the exact median of the cell: 200 workers at it, 100 below, 100
    # above; the mechanism can only answer with a grid point next to it
    rng = np.random.default_rng(7)
    wages = [PLANTED] * 200 + list(rng.uniform(5, 12, 100)) + list(rng.uniform(15, 30, 100))
    rows = [report(f"w{i}", usd=w, ppp=w) for i, w in enumerate(wages)]
    rows += [report(f"n{i}", "content_moderation", NORTH, usd=PLANTED, ppp=PLANTED)
             for i in range(300)]
    p = params(epsilon=50.0, quantile_tolerance=None,
               dimension_sets=(("task_type", "region"), ("region",)))
    result = engine.compute_release(frame(rows), p)
    usd_grid, ppp_grid = grid_values(p)
    published = [c for c in result.cells if not c["suppressed"]]
    assert published
    seen = 0
    for cell in published:
        for name in ("p25_effective_hourly_usd", "median_effective_hourly_usd",
                     "p75_effective_hourly_usd"):
            if cell[name] is not None:
                assert cell[name] in usd_grid
                seen += 1
        if cell["median_effective_hourly_ppp"] is not None:
            assert cell["median_effective_hourly_ppp"] in ppp_grid
    assert seen
    # the nearest grid point, not the raw value, is what a large budget converges to
    big = cells_of(result, ("task_type", "region"))[("text_annotation", SOUTH)]
    assert big["median_effective_hourly_usd"] != PLANTED
    assert abs(math.log(big["median_effective_hourly_usd"] / PLANTED)) < 0.06
    text = json.dumps({"cells": result.cells, "budget": result.budget,
                       "gap": engine.same_work_gap(result)})
    assert "13.37" not in text and str(PLANTED) not in text


def test_the_default_grid_is_log_spaced_and_rounded():
    grid = engine.default_wage_grid(0.05, 200.0, 200)
    assert grid[0] == 0.05 and grid[-1] == 200.0
    assert 150 < len(grid) <= 200
    assert all(b > a for a, b in zip(grid, grid[1:], strict=False))
    assert all(float(f"{g:.3g}") == g for g in grid)


# --- Each worker counts once ---------------------------------------------------------------------


def test_a_worker_with_fifty_reports_in_one_cell_counts_once():
    rows = crowd(10) + [report("prolific", usd=9.0) for _ in range(50)]
    # ε = 400 over two dimension sets: each count's noise scale is 1/31 (see params)
    p = params(epsilon=400.0, k=1, dimension_sets=(("task_type", "region"), ("region",)))
    result = engine.compute_release(frame(rows), p)
    assert cells_of(result, ("task_type", "region"))[("text_annotation", SOUTH)]["workers"] == 11
    assert cells_of(result, ("region",))[(SOUTH,)]["workers"] == 11


def test_a_worker_contributes_only_to_their_most_frequent_cell_of_each_dimension_set():
    rows = (crowd(10, platform="platform-a", prefix="a") + crowd(10, platform="platform-b",
                                                                   prefix="b")
            + [report("mover", platform="platform-a") for _ in range(5)]
            + [report("mover", platform="platform-b") for _ in range(2)])
    one = params(epsilon=200.0, k=1, dimension_sets=(("platform",),))
    by_platform = cells_of(engine.compute_release(frame(rows), one), ("platform",))
    assert by_platform[("platform-a",)]["workers"] == 11
    assert by_platform[("platform-b",)]["workers"] == 10
    # with two contributions allowed the mover counts in both platforms (and the noise
    # doubles: ε = 400 keeps the scale at 1/31)
    two = params(epsilon=400.0, k=1, dimension_sets=(("platform",),), max_contributions=2)
    by_platform = cells_of(engine.compute_release(frame(rows), two), ("platform",))
    assert by_platform[("platform-a",)]["workers"] == 11
    assert by_platform[("platform-b",)]["workers"] == 11


def test_shares_and_ratings_are_per_worker_means_bounded_to_their_ranges():
    # 100 workers: half report late pay once out of many reports, all rate 5 and 1
    rows = []
    for i in range(100):
        rows.append(report(f"w{i}", late=i % 2 == 0, harmful=True, hours=10.0, unpaid=2.5,
                           ratings=(5, 1)))
        rows += [report(f"w{i}", hours=10.0, unpaid=2.5, ratings=(5, None)) for _ in range(3)]
    result = engine.compute_release(frame(rows), params(epsilon=200.0, k=1))
    cell = cells_of(result, ("task_type", "region"))[("text_annotation", SOUTH)]
    assert cell["workers"] == 100
    assert cell["late_or_missing_share"] == pytest.approx(0.5, abs=0.02)
    assert cell["harmful_share"] == pytest.approx(1.0, abs=0.02)
    assert cell["unpaid_share"] == pytest.approx(0.25, abs=0.02)
    assert cell["mean_rating_fair_pay"] == pytest.approx(5.0, abs=0.05)
    assert cell["mean_rating_communication"] == pytest.approx(1.0, abs=0.05)
    assert 0.0 <= cell["harmful_share"] <= 1.0
    assert 1.0 <= cell["mean_rating_fair_pay"] <= 5.0


def test_a_release_computed_from_prepared_sums_matches_one_computed_from_the_frame():
    # ε = 200, k = 1: every count is exact with probability above 1 - 1e-6
    rows = crowd(40, usd=2.0) + crowd(25, "content_moderation", NORTH, usd=30.0)
    p = params(epsilon=200.0, k=1)
    direct = cells_of(engine.compute_release(frame(rows), p), ("task_type", "region"))
    prepared = engine.prepare_release(frame(rows), p)
    assert isinstance(prepared, engine.PreparedReports)
    from_sums = cells_of(engine.compute_release(prepared, p), ("task_type", "region"))
    assert {key: cell["workers"] for key, cell in from_sums.items()} == {
        key: cell["workers"] for key, cell in direct.items()}


def test_the_hours_weighted_wage_of_a_worker_is_total_pay_over_total_hours():
    # worker i: 1 hour at $1 and 9 hours at x_i, so that (1 + 9 x_i) / 10 = w_i, the w_i
    # spread around $10 (log-uniform ±0.5); the mean of the two report wages is about $6
    rows = []
    for i, w in enumerate(10.0 * np.exp(np.linspace(-0.5, 0.5, 301))):
        x = (10 * w - 1) / 9
        rows += [report(f"w{i}", usd=1.0, hours=1.0), report(f"w{i}", usd=x, hours=9.0)]
    result = engine.compute_release(frame(rows), params(epsilon=200.0, k=1))
    median = cells_of(result, ("task_type", "region"))[("text_annotation", SOUTH)][
        "median_effective_hourly_usd"]
    assert abs(math.log(median / 10.0)) < 0.05


# --- Public keys ---------------------------------------------------------------------------------


def test_values_outside_the_public_keys_are_dropped():
    rows = crowd(50, platform="secret-platform", country="ZZ") + crowd(50, prefix="x")
    p = params(epsilon=400.0, dimension_sets=(("region",), ("platform", "region")))
    result = engine.compute_release(frame(rows), p)
    platforms = {c["dims"]["platform"] for c in result.cells if "platform" in c["dims"]}
    assert platforms == {"platform-a", "platform-b"}
    assert "secret-platform" not in json.dumps(result.cells)
    # the reports still count where their other dimensions are public
    assert cells_of(result, ("region",))[(SOUTH,)]["workers"] == 100
    assert cells_of(result, ("platform", "region"))[("platform-a", SOUTH)]["workers"] == 50


def test_reports_outside_the_public_periods_are_outside_the_release_window():
    rows = crowd(60, period="2019-Q1") + crowd(40, prefix="recent")
    result = engine.compute_release(frame(rows), params(epsilon=200.0,
                                                      dimension_sets=(("region",),)))
    assert cells_of(result, ("region",))[(SOUTH,)]["workers"] == 40


# --- Budget, output shape, progress --------------------------------------------------------------


def test_the_budget_is_split_and_recorded_and_adds_up_to_epsilon():
    p = params(epsilon=1.0, dimension_sets=engine.STANDARD_DIMENSION_SETS)
    result = engine.compute_release(frame(crowd(30)), p)
    budget = result.budget
    assert budget["method_version"] == engine.METHOD_VERSION == result.method_version
    assert budget["mode"] == "pure" and result.delta == 0.0
    parts = budget["parts"]
    assert [part["part"] for part in parts] == ["totals"] + [
        ",".join(sorted(d)) for d in engine.STANDARD_DIMENSION_SETS]
    assert sum(part["epsilon"] for part in parts) == pytest.approx(1.0)
    set_parts = parts[1:]
    assert len({round(part["epsilon"], 12) for part in set_parts}) == 1  # equal per set
    for part in set_parts:
        spent = sum(s["epsilon"] for s in part["statistics"])
        assert spent <= part["epsilon"]
        assert spent == pytest.approx(part["epsilon"], rel=1e-5)
        weights = dict(p.stat_weights)
        by_name = {s["statistic"]: s for s in part["statistics"]}
        assert by_name["median_effective_hourly_usd"]["epsilon"] == pytest.approx(
            by_name["workers"]["epsilon"] * weights["median_effective_hourly_usd"]
            / weights["workers"])
    json.dumps(budget)  # stored as JSON


def test_a_positive_delta_uses_zcdp_converted_by_opendp_to_the_stated_epsilon_and_delta():
    result = engine.compute_release(frame(crowd(30)), params(epsilon=1.0, delta=1e-6))
    budget = result.budget
    assert budget["mode"] == "zcdp" and result.delta == 1e-6
    rho = sum(part["rho"] for part in budget["parts"])
    assert rho == pytest.approx(budget["rho"])
    assert dp_mechanisms.epsilon_for(rho, 1e-6) <= 1.0 + 1e-9
    assert dp_mechanisms.epsilon_for(rho * 1.01, 1e-6) > 1.0  # and not wastefully below it


def test_every_cell_has_the_documented_shape():
    p = params(epsilon=5.0, dimension_sets=engine.STANDARD_DIMENSION_SETS)
    result = engine.compute_release(frame(crowd(200) + crowd(200, region=NORTH, usd=12.0)), p)
    expected = {"dims", "suppressed", "workers", *STAT_KEYS,
                *[f"mean_{name}" for name in RATINGS]}
    n_cells = sum(math.prod(len(p.keys()[d]) for d in dims) for dims in p.dimension_sets)
    assert len(result.cells) == n_cells
    for cell in result.cells:
        assert set(cell) == expected
        assert isinstance(cell["suppressed"], bool)
        assert cell["workers"] is None or isinstance(cell["workers"], int)
    assert isinstance(result.workers_noisy, int) and isinstance(result.reports_noisy, int)
    assert (result.epsilon, result.k) == (5.0, 5)


def test_the_progress_callback_sees_every_step():
    calls = []
    p = params(dimension_sets=(("region",), ("country",), ("platform", "region")))
    engine.compute_release(frame(crowd(20)), p, progress=lambda s, t: calls.append((s, t)))
    total = 2 + 3
    assert calls == [(i, total) for i in range(total + 1)]


def test_default_params_take_the_keys_mapping_of_the_release_builder():
    p = engine.default_params(epsilon=0.5, delta=1e-6, k=7, keys={
        "task_type": list(TASKS), "region": [NORTH, SOUTH], "platform": ["a", "a", ""],
        "client": [], "country": ["KE"], "period": ["2024-Q1"]}, rating_columns=RATINGS)
    assert p.platforms == ("a",) and p.clients == () and p.k == 7
    assert p.dimension_sets == engine.STANDARD_DIMENSION_SETS
    with pytest.raises(ValueError):
        engine.default_params(keys={"planet": ["mars"]})
    with pytest.raises(ValueError):
        engine.ReleaseParams(epsilon=0)
    with pytest.raises(ValueError):
        engine.ReleaseParams(dimension_sets=(("colour",),))
    with pytest.raises(ValueError):
        engine.ReleaseParams(wage_grid_usd=(3.0, 2.0))
    with pytest.raises(ValueError):
        engine.ReleaseParams(stat_weights=(("workers", 1.0), ("median_effective_hourly_usd", 1.0)))


def test_a_dimension_without_public_keys_gives_no_cells_and_no_error():
    p = params(clients=(), dimension_sets=(("client", "region"), ("region",)))
    result = engine.compute_release(frame(crowd(20, client="client-a")), p)
    assert [c["dims"] for c in result.cells] == [{"region": NORTH}, {"region": SOUTH}]
    assert result.budget["parts"][1]["cells"] == 0


def test_the_synthetic_frame_is_deterministic_and_shaped_like_real_reports():
    a, b = engine.synthetic_frame(5000, seed=3), engine.synthetic_frame(5000, seed=3)
    assert a.equals(b)
    assert not a.equals(engine.synthetic_frame(5000, seed=4))
    assert a.height == 5000
    assert 2.8 < a.height / a["worker"].n_unique() < 3.8
    south = a.filter(pl.col("region") == SOUTH)["effective_hourly_usd"].median()
    north = a.filter(pl.col("region") == NORTH)["effective_hourly_usd"].median()
    assert south < north / 3
    assert a["platform"].n_unique() > 50  # a long tail
    keys = engine.synthetic_params().keys()
    assert set(a["platform"].unique()) <= set(keys["platform"])


def test_a_synthetic_release_publishes_the_large_cells():
    p = engine.synthetic_params(epsilon=1.0, delta=1e-6)
    result = engine.compute_release(engine.synthetic_frame(60_000, seed=5), p)
    by_region = cells_of(result, ("region",))
    assert not by_region[(SOUTH,)]["suppressed"]
    assert by_region[(SOUTH,)]["median_effective_hourly_usd"] < by_region[(NORTH,)][
        "median_effective_hourly_usd"]
    assert abs(result.workers_noisy - 18_000) < 1500
    gaps = engine.same_work_gap(result)
    assert gaps and all(row["low"] <= row["ratio"] <= row["high"] for row in gaps)
    assert all(0.05 < row["ratio"] < 0.6 for row in gaps)


# --- The same-work gap ---------------------------------------------------------------------------


def gap_cell(dims, median, workers, p25, p75, suppressed=False):
    cell = {"dims": dims, "suppressed": suppressed,
            "workers": None if suppressed else workers}
    cell.update({name: None for name in STAT_KEYS})
    if not suppressed:
        cell.update(median_effective_hourly_usd=median, p25_effective_hourly_usd=p25,
                    p75_effective_hourly_usd=p75, wage_workers=workers)
    return cell


def hand_result(budget=None):
    cells = [
        gap_cell({"task_type": "text_annotation", "region": SOUTH}, 3.0, 400, 2.0, 4.5),
        gap_cell({"task_type": "text_annotation", "region": NORTH}, 15.0, 100, 10.0, 22.5),
        gap_cell({"task_type": "content_moderation", "region": SOUTH}, 2.0, 300, 1.0, 3.0),
        gap_cell({"task_type": "content_moderation", "region": NORTH}, None, None, None, None,
                 suppressed=True),
        gap_cell({"task_type": "posing_as_ai", "region": SOUTH}, 2.0, 300, 1.0, 3.0),
        gap_cell({"client": "client-a", "region": SOUTH}, 4.0, 64, 3.0, 6.0),
        gap_cell({"client": "client-a", "region": NORTH}, 16.0, 64, 12.0, 24.0),
        gap_cell({"client": "client-b", "region": SOUTH}, 4.0, 4, 3.0, 6.0),
        gap_cell({"client": "client-b", "region": NORTH}, 16.0, 64, 12.0, 24.0),
        gap_cell({"platform": "platform-a", "region": SOUTH}, 1.0, 500, 0.5, 2.0),
    ]
    return engine.result_from_cells(cells, epsilon=1.0, delta=0.0, k=5, budget=budget)


def sampling_interval(south, north):
    """The hand-worked 95% interval with sampling error only: on the log scale a median of n
    log-normal wages with spread s = ln(p75/p25)/1.349 has standard error sqrt(π/2)·s/√n."""
    se = math.sqrt(sum((math.pi / 2) * (math.log(p75 / p25) / 1.349) ** 2 / n
                       for n, p25, p75 in (south, north)))
    ratio = 0.2
    return ratio * math.exp(-1.959964 * se), ratio * math.exp(1.959964 * se)


def test_the_gap_against_a_hand_worked_example():
    rows = engine.same_work_gap(hand_result(), min_workers=5, draws=40_000)
    assert [row.get("task_type") or row.get("client") for row in rows] == [
        "text_annotation", "client-a"]  # suppressed, one-sided and too-small pairs are skipped
    text, client = rows
    assert text["ratio"] == 0.2 and client["ratio"] == 0.25
    assert (text["south_median"], text["north_median"]) == (3.0, 15.0)
    assert (text["south_workers"], text["north_workers"]) == (400, 100)
    low, high = sampling_interval((400, 2.0, 4.5), (100, 10.0, 22.5))
    # s = ln(2.25)/1.349 = 0.601 on both sides; se = sqrt(π/2 · 0.361 · (1/400 + 1/100))
    # = 0.0842; the interval is 0.2 × exp(∓1.96 × 0.0842) = [0.1696, 0.2359]
    assert (round(low, 4), round(high, 4)) == (0.1696, 0.2359)
    assert text["low"] == pytest.approx(low, rel=0.01)
    assert text["high"] == pytest.approx(high, rel=0.01)
    assert text["low"] < text["ratio"] < text["high"]


def test_the_gap_interval_widens_with_the_noise_recorded_in_the_budget():
    budget = {"mode": "pure", "params": {"wage_grid_usd": {"log_step": 0.04}},
              "parts": [{"dims": ["task_type", "region"], "statistics": [
                  {"statistic": "wage_workers", "scale": 20.0},
                  {"statistic": "median_effective_hourly_usd", "scale": 40.0,
                   "rank_scale": 20.0}]}]}
    plain = engine.same_work_gap(hand_result(), min_workers=5)[0]
    noisy = engine.same_work_gap(hand_result(budget), min_workers=5)[0]
    assert noisy["ratio"] == plain["ratio"] == 0.2
    assert noisy["low"] < plain["low"] < 0.2 < plain["high"] < noisy["high"]
    # the same seed gives the same published interval
    assert engine.same_work_gap(hand_result(budget), min_workers=5)[0] == noisy


def test_the_gap_of_a_stored_release_reads_its_cells_and_budget_back():
    p = params(epsilon=20.0, dimension_sets=(("task_type", "region"), ("client", "region")))
    rows = (crowd(300, usd=2.0) + crowd(300, region=NORTH, usd=10.0)
            + crowd(300, client="client-a", prefix="c", usd=3.0)
            + crowd(300, region=NORTH, client="client-a", prefix="c", usd=12.0))
    result = engine.compute_release(frame(rows), p)
    stored = json.loads(json.dumps({"cells": result.cells, "budget": result.budget}))
    again = engine.result_from_cells(stored["cells"], epsilon=result.epsilon,
                                     delta=result.delta, k=result.k, budget=stored["budget"])
    assert engine.same_work_gap(again) == engine.same_work_gap(result)
    rows = engine.same_work_gap(result)
    text = next(r for r in rows if r.get("task_type") == "text_annotation")
    client = next(r for r in rows if r.get("client") == "client-a")
    assert text["ratio"] == pytest.approx(
        text["south_median"] / text["north_median"], abs=1e-4)
    assert 0.15 < text["ratio"] < 0.4 and 0.15 < client["ratio"] < 0.4
    assert np.isfinite([text["low"], text["high"]]).all()


def test_a_worker_keyed_by_an_integer_counts_once_like_a_worker_keyed_by_a_string():
    rows = crowd(10) + [report("prolific", usd=9.0) for _ in range(50)]
    data = frame(rows)
    by_int = data.with_columns(pl.col("worker").rank("dense").cast(pl.Int64))
    p = params(epsilon=400.0, k=1, dimension_sets=(("task_type", "region"), ("region",)))
    result = engine.compute_release(by_int, p)
    assert cells_of(result, ("task_type", "region"))[("text_annotation", SOUTH)]["workers"] == 11
    assert cells_of(result, ("region",))[(SOUTH,)]["workers"] == 11


def test_raising_the_public_bound_on_rows_changes_no_noise_scale():
    data = engine.synthetic_frame(300, seed=2)

    def scales(max_length):
        p = engine.synthetic_params(epsilon=1.0, delta=1e-6, max_length=max_length)
        budget = engine.compute_release(data, p).budget
        return [(s["statistic"], s["scale"]) for part in budget["parts"]
                for s in part["statistics"]]

    assert scales(1_000_000) == pytest.approx(scales(10_000_000))
