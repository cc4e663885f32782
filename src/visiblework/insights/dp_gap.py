"""The same-work gap, computed from published cells only (post-processing: no privacy cost).

For a task type (or a client) with both regions published, the gap is
``ratio = median(South) / median(North)``. Its interval comes from a parametric bootstrap of
the error of each published median on the log scale, three independent terms per side:

* sampling: a sample median of ``n`` workers has standard error ``sqrt(π/2) · s / sqrt(n)``
  on the log scale when log wages are roughly normal with spread ``s``; ``s`` is read from the
  published quartiles, ``s = ln(p75 / p25) / 1.349``; ``n`` is redrawn in every replicate as
  the published (noisy) count minus a fresh draw of that count's noise (Laplace or Gaussian at
  the recorded scale), so the uncertainty about ``n`` is in the interval too;
* the exponential mechanism: it picks a candidate whose rank is off by roughly a Laplace
  variable of the recorded ``rank_scale``; ``r`` ranks near the median move the log wage by
  about ``r · s · sqrt(2π) / n`` (one over the log-normal density at the median);
* the grid: rounding to the public candidate grid, uniform within ± half a grid step.

The interval is ``ratio · exp(-q_hi), ratio · exp(-q_lo)`` where ``q`` are the quantiles of the
simulated log error of the ratio (``e_south - e_north``). The errors are symmetric about zero,
so the interval contains the ratio. This is an approximation (normal sampling theory, a
Laplace approximation to the exponential mechanism in rank space, independence of the two
regions); it is documented in ``docs/privacy-method.md``. When a hand-made result carries no
budget, the noise terms are left out and only sampling (and the grid, if known) remain.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from visiblework.refdata.regions import NORTH, SOUTH

IQR_NORMAL = 1.349  # interquartile range of a standard normal
DEFAULT_LOG_SPREAD = 1.0  # used only when a cell carries no quartiles


def _part(budget: Mapping[str, Any], dims: set[str]) -> Mapping[str, Any] | None:
    parts: list[Mapping[str, Any]] = budget.get("parts", []) or []
    for part in parts:
        if set(part.get("dims", [])) == dims:
            return part
    return None


def _stat(part: Mapping[str, Any] | None, name: str) -> Mapping[str, Any] | None:
    if not part:
        return None
    records: list[Mapping[str, Any]] = part.get("statistics", []) or []
    for record in records:
        if record.get("statistic") == name:
            return record
    return None


def _grid_step(budget: Mapping[str, Any]) -> float:
    grid = (budget.get("params") or {}).get("wage_grid_usd") or {}
    return float(grid.get("log_step", 0.0) or 0.0)


def _count_noise(rng: np.random.Generator, record: Mapping[str, Any] | None, mode: str,
                 size: int) -> np.ndarray:
    if not record or not record.get("scale"):
        return np.zeros(size)
    scale = float(record["scale"])
    if mode == "zcdp":
        return rng.normal(0.0, scale, size)
    return rng.laplace(0.0, scale, size)


def _log_errors(rng: np.random.Generator, cell: Mapping[str, Any],
                part: Mapping[str, Any] | None, mode: str,
                grid_step: float, draws: int) -> np.ndarray:
    count_name = "wage_workers" if cell.get("wage_workers") is not None else "workers"
    n_published = float(cell.get(count_name) or cell.get("workers") or 1)
    n = np.maximum(n_published - _count_noise(rng, _stat(part, count_name), mode, draws), 2.0)
    p25, p75 = cell.get("p25_effective_hourly_usd"), cell.get("p75_effective_hourly_usd")
    spread = (math.log(p75 / p25) / IQR_NORMAL if p25 and p75 and p75 > p25
              else DEFAULT_LOG_SPREAD)
    spread = max(spread, grid_step)
    errors = rng.normal(0.0, 1.0, draws) * math.sqrt(math.pi / 2) * spread / np.sqrt(n)
    median_record = _stat(part, "median_effective_hourly_usd")
    if median_record and median_record.get("rank_scale"):
        ranks = rng.laplace(0.0, float(median_record["rank_scale"]), draws)
        errors += ranks * spread * math.sqrt(2 * math.pi) / n
    if grid_step:
        errors += rng.uniform(-grid_step / 2, grid_step / 2, draws)
    # a selection can never land further away than the whole grid
    limit = 2 * math.log(1e4)
    return np.clip(errors, -limit, limit)


def _usable(cell: Mapping[str, Any] | None, min_workers: int) -> bool:
    return bool(cell and not cell.get("suppressed") and cell.get("median_effective_hourly_usd")
                and (cell.get("workers") or 0) >= min_workers)


def gap_rows(cells: Sequence[Mapping[str, Any]], budget: Mapping[str, Any] | None,
             min_workers: int, *, level: float = 0.95, draws: int = 4000,
             seed: int = 0) -> list[dict[str, Any]]:
    budget = budget or {}
    mode = str(budget.get("mode", "pure"))
    grid_step = _grid_step(budget)
    rng = np.random.default_rng(seed)
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    rows: list[dict[str, Any]] = []
    for dim in ("task_type", "client"):
        part = _part(budget, {dim, "region"})
        by_key: dict[tuple[str, str], Mapping[str, Any]] = {}
        order: dict[str, None] = {}
        for cell in cells:
            dims = cell.get("dims") or {}
            if set(dims) == {dim, "region"}:
                by_key[(dims[dim], dims["region"])] = cell
                order[dims[dim]] = None
        for value in order:
            south, north = by_key.get((value, SOUTH)), by_key.get((value, NORTH))
            if not (_usable(south, min_workers) and _usable(north, min_workers)):
                continue
            assert south is not None and north is not None
            s_med = float(south["median_effective_hourly_usd"])
            n_med = float(north["median_effective_hourly_usd"])
            ratio = s_med / n_med
            error = (_log_errors(rng, south, part, mode, grid_step, draws)
                     - _log_errors(rng, north, part, mode, grid_step, draws))
            q_lo, q_hi = np.quantile(error, [lo_q, hi_q])
            low, high = ratio * math.exp(-q_hi), ratio * math.exp(-q_lo)
            rows.append({
                dim: value,
                "south_median": s_med,
                "north_median": n_med,
                "ratio": round(ratio, 4),
                "low": round(min(low, ratio), 4),
                "high": round(max(high, ratio), 4),
                "south_workers": south.get("workers"),
                "north_workers": north.get("workers"),
            })
    return rows
