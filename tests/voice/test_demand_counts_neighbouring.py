"""Neighbouring data sets for the demands' noisy counts (voice/demands.py): the set of a
demand's supporters with and without one worker. OpenDP's own privacy map must give at most
the stated ε for one supporter; and sampled counts must not tell the two sets apart by more
than ε allows, checked with the Clopper–Pearson bounds of the releases' neighbouring test
(tests/insights/test_neighbouring.py; false-failure rate ≤ 2 · checks · β there)."""

from __future__ import annotations

import pytest

from tests.insights.test_neighbouring import RUNS, violations
from visiblework.voice import demands

THRESHOLDS = (29, 30, 31, 32)  # fixed in advance: the sets hold 30 and 31 supporters


@pytest.mark.parametrize("epsilon", [0.1, 0.5, 1.0, 2.0])
def test_the_privacy_map_for_one_supporter_is_at_most_the_stated_epsilon(epsilon):
    measurement = demands.count_measurement(epsilon)
    assert measurement.map(1) <= epsilon
    assert measurement.map(1) >= epsilon * 0.999  # and not needlessly noisy


def test_the_stated_epsilon_is_what_opendp_says_the_count_spends():
    noisy, spent = demands.noisy_count(30, 0.5)
    assert spent == demands.count_measurement(0.5).map(1) <= 0.5
    assert isinstance(noisy, int) and noisy >= 0


def test_the_measurement_works_on_a_set_of_supporters_under_the_symmetric_distance():
    measurement = demands.count_measurement(0.5)
    assert "SymmetricDistance" in str(measurement.input_metric)
    assert "MaxDivergence" in str(measurement.output_measure)  # pure ε-DP


def test_counts_on_neighbouring_sets_of_supporters_differ_no_more_than_epsilon_allows():
    epsilon = 1.0
    without = [demands.noisy_count(30, epsilon)[0] for _ in range(RUNS)]
    with_one = [demands.noisy_count(31, epsilon)[0] for _ in range(RUNS)]
    assert len(set(without)) > 3  # noisy
    assert 29 < sum(without) / RUNS < 31 and 30 < sum(with_one) / RUNS < 32
    problems = []
    for t in THRESHOLDS:
        hits = sum(1 for c in without if c >= t)
        hits2 = sum(1 for c in with_one if c >= t)
        problems += [f"count ≥ {t}: {v}" for v in violations(hits, hits2, RUNS, epsilon, 0.0)]
    assert not problems, problems
