"""The differential-privacy release engine (method ``vw-dp-1``).

Pure Python + Polars + OpenDP; no database and no settings. The method, with its maths in
plain words, is in ``docs/privacy-method.md``. In short:

1. Aggregate per worker (:mod:`.dp_prepare`): per dimension set, each worker keeps their
   ``max_contributions`` most frequent cells and gives one row per kept cell (their
   hours-weighted wage, unpaid share, any late pay, any harmful content, mean ratings).
2. Release with OpenDP (:mod:`.dp_mechanisms`): a fixed share of the budget per part (the
   totals, then each dimension set equally), split inside a part over the statistics by
   public weights; noisy counts and sums, and quantiles chosen from a public grid by the
   exponential mechanism, all over the public keys.
3. Post-process the noisy numbers only: suppress every cell whose noisy worker count is below
   the threshold (at least ``k``), turn noisy sums into shares and means, and compute the
   same-work gap (:mod:`.dp_gap`).

Public API: :class:`ReleaseParams`, :func:`default_params`, :func:`compute_release`
(or :func:`prepare_release` then :func:`compute_release`),
:class:`ReleaseResult`, :func:`same_work_gap`, :func:`result_from_cells`,
:func:`synthetic_frame`, :func:`synthetic_params`, :func:`default_wage_grid`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import polars as pl

from visiblework.refdata.regions import REGIONS

from . import dp_mechanisms as mech
from .dp_gap import gap_rows
from .dp_prepare import (
    DIMENSIONS,
    RATING_CENTRE,
    RATING_MAX,
    RATING_MIN,
    RATING_SCALE,
    SHARE_CENTRE,
    SHARE_SCALE,
    prepare,
    rating_col,
    worker_cells,
    worker_totals,
)
from .dp_synthetic import SYNTHETIC_RATING_COLUMNS, synthetic_frame, synthetic_keys

METHOD_VERSION = "vw-dp-1"


STANDARD_DIMENSION_SETS: tuple[tuple[str, ...], ...] = (
    ("task_type", "region"),
    ("platform", "region"),
    ("platform", "task_type"),
    ("client", "region"),
    ("country",),
    ("task_type",),
    ("region",),
    ("platform",),
    # platforms side by side for the same work in the same region (/compare/)
    ("platform", "task_type", "region"),
)

# Relative weights of the statistics inside one dimension set (public; recorded per release).
# "ratings" is shared equally by the 2 × R noisy sums behind R rating means.
DEFAULT_STAT_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("workers", 2.0),
    ("wage_workers", 1.0),
    ("p25_effective_hourly_usd", 1.0),
    ("median_effective_hourly_usd", 1.5),
    ("p75_effective_hourly_usd", 1.0),
    ("ppp_workers", 1.0),
    ("median_effective_hourly_ppp", 1.0),
    ("unpaid_share", 1.0),
    ("late_or_missing_share", 1.0),
    ("harmful_share", 1.0),
    ("ratings", 2.0),
)

WAGE_STATS = ("p25_effective_hourly_usd", "median_effective_hourly_usd",
              "p75_effective_hourly_usd")
SHARE_STATS = ("unpaid_share", "late_or_missing_share", "harmful_share")


def default_wage_grid(low: float = 0.05, high: float = 200.0, points: int = 200,
                      digits: int = 3) -> tuple[float, ...]:
    """A log-spaced public grid of candidate wages, rounded to ``digits`` significant
    digits (so that published values read well) and de-duplicated."""
    out: list[float] = []
    for value in np.geomspace(low, high, points):
        rounded = float(f"{value:.{digits}g}")
        if not out or rounded > out[-1]:
            out.append(rounded)
    return tuple(out)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value is None:
            continue
        value = str(value)
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)


@dataclass(frozen=True)
class ReleaseParams:
    """Everything public about a release. Keys are the public category lists: values outside
    them are dropped (for the dimension sets that use that dimension; a report outside the
    listed periods is outside the release window and dropped altogether)."""

    epsilon: float = 1.0
    delta: float = 0.0  # 0: pure ε-DP. > 0: ρ-zCDP with ρ converted to exactly (ε, δ)
    k: int = 5
    task_types: tuple[str, ...] = ()  # the caller's fixed public list (reports' TaskType)
    regions: tuple[str, ...] = REGIONS
    platforms: tuple[str, ...] = ()
    clients: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    dimension_sets: tuple[tuple[str, ...], ...] = STANDARD_DIMENSION_SETS
    rating_columns: tuple[str, ...] = ()
    # Public candidates for quantiles; the wages are also clamped to [grid[0], grid[-1]].
    wage_grid_usd: tuple[float, ...] = field(default_factory=lambda: default_wage_grid(0.05, 200))
    wage_grid_ppp: tuple[float, ...] = field(default_factory=lambda: default_wage_grid(0.05, 500))
    max_contributions: int = 1  # cells per worker per dimension set
    max_reports_per_worker: int = 50  # clip for the noisy total of reports
    max_length: int = 1_000_000  # public bound on the rows of a per-worker frame (OpenDP margin)
    stat_weights: tuple[tuple[str, float], ...] = DEFAULT_STAT_WEIGHTS
    set_weights: tuple[float, ...] | None = None  # None: equal per dimension set
    totals_share: float = 0.02  # share of the budget for the two release-wide totals
    # Largest chance that the release publishes any cell with fewer than k workers (a union
    # bound over its cells; it raises the count thresholds above k by a noise margin).
    # None: the threshold is exactly k.
    small_cell_rate: float | None = 0.01
    # A quantile is shown only where the noisy count makes it accurate: its rank is within
    # quantile_tolerance × n of the true one with probability ≥ 95% (approximately; see the
    # method). None: show every quantile of a published cell.
    quantile_tolerance: float | None = 0.25

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for name in ("task_types", "regions", "platforms", "clients", "countries", "periods",
                     "rating_columns"):
            set_(self, name, _unique(getattr(self, name)))
        set_(self, "dimension_sets", tuple(tuple(d) for d in self.dimension_sets))
        set_(self, "wage_grid_usd", tuple(float(x) for x in self.wage_grid_usd))
        set_(self, "wage_grid_ppp", tuple(float(x) for x in self.wage_grid_ppp))
        set_(self, "stat_weights", tuple((str(n), float(w)) for n, w in self.stat_weights))
        if self.set_weights is not None:
            set_(self, "set_weights", tuple(float(w) for w in self.set_weights))
        if not (math.isfinite(self.epsilon) and self.epsilon > 0):
            raise ValueError("epsilon must be a positive number")
        if not 0 <= self.delta < 1:
            raise ValueError("delta must be in [0, 1)")
        if self.k < 1 or self.max_contributions < 1 or self.max_reports_per_worker < 1:
            raise ValueError("k, max_contributions and max_reports_per_worker must be ≥ 1")
        if not 0 <= self.totals_share < 1:
            raise ValueError("totals_share must be in [0, 1)")
        if self.small_cell_rate is not None and not 0 < self.small_cell_rate < 1:
            raise ValueError("small_cell_rate must be in (0, 1) or None")
        if self.quantile_tolerance is not None and not 0 < self.quantile_tolerance <= 1:
            raise ValueError("quantile_tolerance must be in (0, 1] or None")
        for grid in (self.wage_grid_usd, self.wage_grid_ppp):
            if len(grid) < 2 or grid[0] <= 0 or any(b <= a for a, b in zip(grid, grid[1:],
                                                                            strict=False)):
                raise ValueError("a wage grid must be positive and strictly increasing")
        for dims in self.dimension_sets:
            if not dims or len(set(dims)) != len(dims) or not set(dims) <= set(DIMENSIONS):
                raise ValueError(f"bad dimension set {dims}: use {DIMENSIONS}")
        if self.set_weights is not None and (
                len(self.set_weights) != len(self.dimension_sets)
                or any(w <= 0 for w in self.set_weights)):
            raise ValueError("set_weights needs one positive weight per dimension set")
        weights = dict(self.stat_weights)
        unknown = set(weights) - {n for n, _w in DEFAULT_STAT_WEIGHTS}
        if unknown or any(w <= 0 for w in weights.values()) or "workers" not in weights:
            raise ValueError(f"bad stat_weights (unknown: {sorted(unknown)}; all must be > 0; "
                             "'workers' is required)")
        if (any(n in weights for n in WAGE_STATS) and "wage_workers" not in weights) or (
                "median_effective_hourly_ppp" in weights and "ppp_workers" not in weights):
            raise ValueError("wage quantiles need the count behind them in stat_weights "
                             "('wage_workers', 'ppp_workers')")

    @property
    def mode(self) -> str:
        return mech.ZCDP if self.delta > 0 else mech.PURE

    def keys(self) -> dict[str, tuple[str, ...]]:
        return {"task_type": self.task_types, "region": self.regions,
                "platform": self.platforms, "client": self.clients,
                "country": self.countries, "period": self.periods}

    def describe(self) -> dict[str, Any]:
        """The public parameters as JSON (key lists summarised by their length)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("task_types", "regions", "platforms", "clients", "countries",
                          "periods"):
                out[f.name] = len(value)
            elif f.name in ("wage_grid_usd", "wage_grid_ppp"):
                out[f.name] = {"min": value[0], "max": value[-1], "points": len(value),
                               "log_step": mech.grid_log_step(value)}
            elif f.name == "stat_weights":
                out[f.name] = dict(value)
            elif f.name == "dimension_sets":
                out[f.name] = [list(d) for d in value]
            else:
                out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


def default_params(*, epsilon: float = 1.0, delta: float = 0.0, k: int = 5,
                   keys: Mapping[str, Sequence[str]] | None = None,
                   rating_columns: Sequence[str] = (), **overrides: Any) -> ReleaseParams:
    """Parameters with the standard dimension sets, from a ``keys`` mapping
    ``{"task_type": [...], "region": [...], "platform": [...], "client": [...],
    "country": [...], "period": [...]}`` (missing entries: the fixed lists or nothing)."""
    keys = dict(keys or {})
    names = {"task_type": "task_types", "region": "regions", "platform": "platforms",
             "client": "clients", "country": "countries", "period": "periods"}
    unknown = set(keys) - set(names)
    if unknown:
        raise ValueError(f"unknown key dimensions {sorted(unknown)}")
    values = {names[dim]: tuple(v) for dim, v in keys.items()}
    return ReleaseParams(epsilon=epsilon, delta=delta, k=k,
                         rating_columns=tuple(rating_columns), **{**values, **overrides})


def synthetic_params(**overrides: Any) -> ReleaseParams:
    """Parameters whose public keys match :func:`synthetic_frame` (for benchmarks, tests and
    the demo)."""
    overrides.setdefault("rating_columns", SYNTHETIC_RATING_COLUMNS)
    return default_params(keys=synthetic_keys(), **overrides)


@dataclass
class ReleaseResult:
    """A computed release. ``cells``: one dict per public key combination of every
    dimension set, ``{"dims": {...}, "suppressed": bool, "workers": int | None, <stats>}``;
    a suppressed cell has every statistic (and ``workers``) None."""

    cells: list[dict[str, Any]]
    budget: dict[str, Any]
    workers_noisy: int
    reports_noisy: int
    epsilon: float
    delta: float
    k: int
    method_version: str = METHOD_VERSION


# --- Building a release --------------------------------------------------------------------


def _set_stats(params: ReleaseParams) -> list[mech.Stat]:
    weights = dict(params.stat_weights)
    r = len(params.rating_columns)
    stats: list[mech.Stat] = []

    def add(name: str, query: str, **kwargs: Any) -> None:
        if name in weights:
            stats.append(mech.Stat(name, query, weight=weights[name], **kwargs))

    add("workers", "all", kind="len")
    add("unpaid_share", "all", kind="sum", column="unpaid_c",
        bounds=(-SHARE_CENTRE, SHARE_SCALE - SHARE_CENTRE))
    add("late_or_missing_share", "all", kind="sum", column="late_c", bounds=(-1, 1))
    add("harmful_share", "all", kind="sum", column="harmful_c", bounds=(-1, 1))
    if r and "ratings" in weights:
        each = weights["ratings"] / (2 * r)
        low, high = (RATING_MIN * RATING_SCALE - RATING_CENTRE,
                     RATING_MAX * RATING_SCALE - RATING_CENTRE)
        for i in range(r):
            c = rating_col(i)
            stats.append(mech.Stat(f"_{c}_sum", "all", each, "sum", column=c, bounds=(low, high)))
            stats.append(mech.Stat(f"_{c}_raters", "all", each, "count", column=c))
    if any(name in weights for name in WAGE_STATS):
        add("wage_workers", "usd", kind="len")
    for name, alpha in zip(WAGE_STATS, (0.25, 0.5, 0.75), strict=True):
        add(name, "usd", kind="quantile", column="wage_usd", alpha=alpha, grid="usd")
    if "median_effective_hourly_ppp" in weights:
        add("ppp_workers", "ppp", kind="len")
        add("median_effective_hourly_ppp", "ppp", kind="quantile", column="wage_ppp",
            alpha=0.5, grid="ppp")
    return stats


def _keys_frame(dims: Sequence[str], keys: dict[str, tuple[str, ...]]) -> pl.DataFrame:
    sizes = [len(keys[d]) for d in dims]
    total = math.prod(sizes)
    if total == 0:
        return pl.DataFrame(schema={d: pl.Int32 for d in dims})
    columns = {}
    repeat = total
    for dim, size in zip(dims, sizes, strict=True):
        repeat //= size
        codes = np.repeat(np.arange(size, dtype=np.int32), repeat)
        columns[dim] = np.tile(codes, total // (size * repeat))
    return pl.DataFrame(columns, schema={d: pl.Int32 for d in dims})


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def _cells_from_values(values: pl.DataFrame, dims: Sequence[str],
                       keys: dict[str, tuple[str, ...]], params: ReleaseParams,
                       thresholds: dict[str, int]) -> list[dict[str, Any]]:
    rating_names = params.rating_columns
    weights = dict(params.stat_weights)
    cells = []
    for row in values.iter_rows(named=True):
        cell: dict[str, Any] = {"dims": {d: keys[d][row[d]] for d in dims}}
        workers = row["workers"]
        suppressed = workers is None or workers < thresholds["workers"]
        stats: dict[str, Any] = {name: None for name in (
            "wage_workers", *WAGE_STATS, "ppp_workers", "median_effective_hourly_ppp",
            *SHARE_STATS, *[f"mean_{name}" for name in rating_names])}
        if not suppressed:
            if "unpaid_share" in weights:
                stats["unpaid_share"] = _round(min(1.0, max(0.0, (
                    SHARE_CENTRE + row["unpaid_share"] / workers) / SHARE_SCALE)), 3)
            for name in ("late_or_missing_share", "harmful_share"):
                if name in weights:  # sum of ±1 over n workers: share = (1 + sum/n) / 2
                    stats[name] = _round(min(1.0, max(0.0, (1 + row[name] / workers) / 2)), 3)
            if "ratings" in weights:
                for i, name in enumerate(rating_names):
                    c = rating_col(i)
                    raters = row[f"_{c}_raters"]
                    if raters is not None and raters >= thresholds["raters"]:
                        mean = (RATING_CENTRE + row[f"_{c}_sum"] / raters) / RATING_SCALE
                        stats[f"mean_{name}"] = _round(min(RATING_MAX, max(RATING_MIN, mean)), 2)
            wage_workers = row.get("wage_workers")
            if wage_workers is not None and wage_workers >= thresholds["wage_workers"]:
                stats["wage_workers"] = int(wage_workers)
                shown = [name for name in WAGE_STATS
                         if name in weights and wage_workers >= thresholds[name]]
                # the quantiles are chosen independently; sorting them (post-processing) keeps
                # p25 ≤ median ≤ p75 without touching the privacy guarantee
                for name, value in zip(shown, sorted(row[name] for name in shown), strict=True):
                    stats[name] = float(value)
            ppp_workers = row.get("ppp_workers")
            if ppp_workers is not None and ppp_workers >= thresholds["ppp_workers"]:
                stats["ppp_workers"] = int(ppp_workers)
                if ppp_workers >= thresholds["median_effective_hourly_ppp"]:
                    stats["median_effective_hourly_ppp"] = float(
                        row["median_effective_hourly_ppp"])
        cell["suppressed"] = suppressed
        cell["workers"] = None if suppressed else int(workers)
        cell.update(stats)
        cells.append(cell)
    return cells


def _split(params: ReleaseParams, total: float) -> tuple[float, list[float]]:
    totals = total * params.totals_share
    weights = list(params.set_weights or [1.0] * len(params.dimension_sets))
    rest = total - totals
    return totals, [rest * w / sum(weights) for w in weights]


@dataclass(frozen=True)
class PreparedReports:
    """Step 1 done (:func:`prepare_release`): the per-worker sums the release reads, in
    buckets of workers. Holds no report row."""

    parts: list[pl.DataFrame]


def prepare_release(frame: pl.DataFrame, params: ReleaseParams) -> PreparedReports:
    """Step 1 of :func:`compute_release` on its own, so that a caller holding the report
    frame can let it go before the rest runs (at 10,000,000 reports it was a quarter of the
    peak memory)."""
    used = [d for d in DIMENSIONS if any(d in dims for dims in params.dimension_sets)]
    return PreparedReports(prepare(frame, params.keys(), params.rating_columns, used))


def compute_release(frame: pl.DataFrame | PreparedReports, params: ReleaseParams,
                  progress: Callable[[int, int], None] | None = None) -> ReleaseResult:
    """Compute a release from one row per report (see the module docs for the columns), or
    from those rows already prepared by :func:`prepare_release` with the same ``params``.

    ``progress(step, total)`` is called after each step (preparation, totals, then one per
    dimension set)."""
    mode = params.mode
    loss_name = "epsilon" if mode == mech.PURE else "rho"
    total = params.epsilon if mode == mech.PURE else mech.rho_for(params.epsilon, params.delta)
    keys = params.keys()
    grids = {"usd": list(params.wage_grid_usd), "ppp": list(params.wage_grid_ppp)}
    usd_bounds = (params.wage_grid_usd[0], params.wage_grid_usd[-1])
    ppp_bounds = (params.wage_grid_ppp[0], params.wage_grid_ppp[-1])
    steps = 2 + len(params.dimension_sets)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, steps)

    if progress is not None:
        progress(0, steps)
    reports = (frame if isinstance(frame, PreparedReports)
               else prepare_release(frame, params)).parts
    del frame
    step()

    totals_loss, set_losses = _split(params, total)
    budget: dict[str, Any] = {
        "method_version": METHOD_VERSION,
        "privacy_unit": "one worker (all of their reports)",
        "definition": ("pure ε-differential privacy" if mode == mech.PURE else
                       "ρ-zero-concentrated differential privacy, converted by OpenDP to "
                       "(ε, δ)-differential privacy"),
        "mode": mode,
        "epsilon": params.epsilon,
        "delta": params.delta if mode == mech.ZCDP else 0.0,
        "composition": ("sequential: the parts' losses add up to the total"
                        + ("" if mode == mech.PURE else " (ρ adds up under zCDP)")),
        "params": params.describe(),
        "parts": [],
    }
    if mode == mech.ZCDP:
        budget["rho"] = total

    # Release-wide totals: distinct workers and reports (each worker's count clipped).
    totals_frame, centre = worker_totals(reports, params.max_reports_per_worker)
    out = mech.run_part(
        totals_frame, dims=(), keys=None, mode=mode, loss=totals_loss, max_contributions=1,
        max_length=params.max_length, grids=grids,
        stats=[mech.Stat("workers", "all", 1.0, "len"),
               mech.Stat("reports", "all", 1.0, "sum", column="n_c",
                         bounds=(1 - centre, params.max_reports_per_worker - centre))])
    workers_noisy = int(out.values["workers"][0])
    reports_noisy = int(out.values["reports"][0]) + centre * workers_noisy
    budget["parts"].append({"part": "totals", "dims": [], loss_name: totals_loss,
                            "statistics": out.stats})
    del totals_frame
    step()

    stats = _set_stats(params)
    cells: list[dict[str, Any]] = []
    n_cells = sum(math.prod(len(keys[d]) for d in dims) for dims in params.dimension_sets)
    cell_rate = (None if params.small_cell_rate is None
                 else params.small_cell_rate / max(n_cells, 1))
    budget["small_cell_rate_per_cell"] = cell_rate
    for dims, loss in zip(params.dimension_sets, set_losses, strict=True):
        key_frame = _keys_frame(dims, keys)
        part: dict[str, Any] = {"part": ",".join(sorted(dims)), "dims": list(dims),
                                "cells": key_frame.height, loss_name: loss}
        if key_frame.height == 0:
            part["statistics"] = []
            budget["parts"].append(part)
            step()
            continue
        # One bucket of workers at a time: each worker's cells come from their own rows
        # only, and run_part writes each bucket's cells away before the next is made.
        per_worker = (worker_cells(part, dims, max_contributions=params.max_contributions,
                                   rating_count=len(params.rating_columns),
                                   usd_bounds=usd_bounds, ppp_bounds=ppp_bounds,
                                   wide=params.max_length * SHARE_SCALE >= 2**31 - 1,
                                   dither=(mech.grid_log_step(params.wage_grid_usd),
                                           mech.grid_log_step(params.wage_grid_ppp)))
                      for part in reports)
        out = mech.run_part(per_worker, dims=dims, keys=key_frame, stats=stats, mode=mode,
                            loss=loss, max_contributions=params.max_contributions,
                            max_length=params.max_length, grids=grids)
        scale_of = {r["statistic"]: r["scale"] for r in out.stats}
        rating_scale = max((scale_of[f"_{rating_col(i)}_raters"]
                            for i in range(len(params.rating_columns))
                            if f"_{rating_col(i)}_raters" in scale_of), default=0.0)
        thresholds = {
            "workers": mech.publish_threshold(params.k, mode, scale_of["workers"],
                                              cell_rate),
            "wage_workers": mech.publish_threshold(params.k, mode,
                                                   scale_of.get("wage_workers", 0.0),
                                                   cell_rate),
            "ppp_workers": mech.publish_threshold(params.k, mode,
                                                  scale_of.get("ppp_workers", 0.0),
                                                  cell_rate),
            "raters": mech.publish_threshold(params.k, mode, rating_scale,
                                             cell_rate),
        }
        for record in out.stats:
            if record.get("rank_scale") is not None:
                thresholds[record["statistic"]] = mech.quantile_gate(
                    record["rank_scale"], len(grids[record["grid"]]), record["alpha"],
                    params.quantile_tolerance)
        part_cells = _cells_from_values(out.values.sort(list(dims)), dims, keys, params,
                                        thresholds)
        part["thresholds"] = thresholds
        part["published"] = sum(1 for c in part_cells if not c["suppressed"])
        part["statistics"] = out.stats
        budget["parts"].append(part)
        cells.extend(part_cells)
        step()
    spent = sum(p[loss_name] for p in budget["parts"])
    if spent > total * (1 + 1e-9):  # pragma: no cover - the split never exceeds the total
        raise RuntimeError(f"the parts spend {spent} > {total}")
    return ReleaseResult(cells=cells, budget=budget, workers_noisy=max(workers_noisy, 0),
                         reports_noisy=max(reports_noisy, 0), epsilon=params.epsilon,
                         delta=budget["delta"], k=params.k)


# --- Reading a release back ----------------------------------------------------------------


def result_from_cells(cells: Sequence[Mapping[str, Any]], *, epsilon: float, delta: float,
                      k: int, budget: Mapping[str, Any] | None = None,
                      workers_noisy: int = 0, reports_noisy: int = 0) -> ReleaseResult:
    """A :class:`ReleaseResult` from stored cells (e.g. to compute the gap of a stored
    release)."""
    budget = dict(budget or {})
    return ReleaseResult(cells=[dict(c) for c in cells], budget=budget,
                         workers_noisy=workers_noisy, reports_noisy=reports_noisy,
                         epsilon=epsilon, delta=delta, k=k,
                         method_version=budget.get("method_version", METHOD_VERSION))


def same_work_gap(result: ReleaseResult, min_workers: int | None = None, *,
                  level: float = 0.95, draws: int = 4000, seed: int = 0) -> list[dict[str, Any]]:
    """The same-work gap: for each task type (task_type × region cells) and each client
    (client × region cells) with both regions published, South median / North median with a
    ``level`` interval reflecting sampling and the added noise (see :mod:`.dp_gap`)."""
    return gap_rows(result.cells, result.budget,
                    result.k if min_workers is None else min_workers,
                    level=level, draws=draws, seed=seed)


__all__ = [
    "DEFAULT_STAT_WEIGHTS", "METHOD_VERSION", "REGIONS", "STANDARD_DIMENSION_SETS",
    "PreparedReports", "ReleaseParams", "ReleaseResult", "compute_release", "default_params",
    "default_wage_grid", "prepare_release", "result_from_cells", "same_work_gap",
    "synthetic_frame", "synthetic_params",
]
