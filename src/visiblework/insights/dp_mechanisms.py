"""Step 2 of a release: the OpenDP mechanisms.

Every noisy number comes from OpenDP's Polars plugin (``dp.len``, ``.dp.sum``,
``.dp.quantile``), run through a sequential compositor (OpenDP's adaptive composition in a
``dp.Context``) per part of the release with the public keys joined in with ``with_keys`` and
``Margin(max_length=...)`` declared. Nothing here samples noise itself.

Each part (the totals, then one per dimension set) gets a fixed share of the release's
budget; inside a part the compositor splits it over up to three queries (all workers; workers
with a USD wage; workers with a PPP wage), and inside a query each statistic gets its own
explicit noise scale, calibrated from OpenDP's own privacy map: we build the one-statistic
measurement at scale 1, read its privacy loss ``L1`` and set ``scale = L1 / target`` (pure DP,
loss ∝ 1/scale) or ``sqrt(L1 / target)`` (zCDP, loss ∝ 1/scale²), then let OpenDP check the
whole query against its slot before it runs. Calibrating at scale 1 on a one-key plan is fast;
OpenDP's generic binary search over a plan holding thousands of public keys is not.
"""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, cast

import polars as pl
from opendp import combinators, measurements
from opendp.context import Context, domain_of, unit_of
from opendp.context import loss_of as opendp_loss_of
from opendp.domains import atom_domain, with_margin
from opendp.extras.polars import Bound, Margin, dp_len
from opendp.metrics import absolute_distance
from opendp.mod import Measure, Measurement, Metric, binary_search, enable_features

enable_features("contrib")

SAFETY = 1e-6  # each statistic aims at (1 - SAFETY) of its share so that rounding never overdraws

PURE = "pure"
ZCDP = "zcdp"

QUERY_FILTERS = {
    "all": None,
    "usd": "wage_usd",
    "ppp": "wage_ppp",
}


@dataclass(frozen=True)
class Stat:
    """One released statistic of a part."""

    name: str
    query: str  # a key of QUERY_FILTERS
    weight: float
    kind: str  # "len" | "count" (non-null values) | "sum" (nulls as 0) | "quantile"
    column: str | None = None
    bounds: tuple[int, int] | None = None
    alpha: float | None = None
    grid: str | None = None  # "usd" | "ppp": which candidate grid

    def expr(self, scale: float, grids: dict[str, list[float]]) -> pl.Expr:
        # OpenDP's plugin registers the `.dp` namespace on Polars expressions at run time, so
        # Polars' types do not know it, and its functions return untyped values: hence the
        # ignores below.
        if self.kind == "len":
            return dp_len(scale=scale, signed=True).alias(self.name)  # type: ignore[no-any-return]
        if self.kind == "count":
            assert self.column is not None
            return pl.col(self.column).dp.count(  # type: ignore[attr-defined, no-any-return]
                scale=scale, signed=True).alias(self.name)
        if self.kind == "sum":
            assert self.column is not None and self.bounds is not None
            return (pl.col(self.column).fill_null(0)  # type: ignore[no-any-return]
                    .dp.sum(self.bounds, scale=scale)  # type: ignore[attr-defined]
                    .alias(self.name))
        if self.kind == "quantile":
            assert self.column is not None and self.alpha is not None and self.grid is not None
            candidates = grids[self.grid]
            return (pl.col(self.column).clip(candidates[0], candidates[-1])  # type: ignore[no-any-return]
                    .dp.quantile(self.alpha, candidates, scale=scale)  # type: ignore[attr-defined]
                    .alias(self.name))
        raise ValueError(self.kind)  # pragma: no cover

    def mechanism(self, mode: str) -> str:
        if self.kind == "quantile":
            return "exponential mechanism over the public grid (Gumbel report-noisy-min)"
        return "discrete Laplace" if mode == PURE else "discrete Gaussian"

    def rank_scale(self, scale: float) -> float | None:
        """For a quantile: the scale of the selection noise in units of ranks (OpenDP scores a
        candidate by ``|(1-α)·#below - α·#above|`` times α's denominator, so one rank moves the
        score by that denominator)."""
        if self.kind != "quantile" or self.alpha is None:
            return None
        return scale / Fraction(self.alpha).limit_denominator(1000).denominator


def loss_of(mode: str, amount: float) -> tuple[Measure, float | tuple[float, float]]:
    with warnings.catch_warnings():  # OpenDP warns about large budgets; the release records it
        warnings.simplefilter("ignore")
        return opendp_loss_of(epsilon=amount) if mode == PURE else opendp_loss_of(rho=amount)


def rho_for(epsilon: float, delta: float) -> float:
    """The largest ρ whose zCDP guarantee OpenDP converts to (ε, δ)-DP."""
    space = atom_domain(T=float, nan=False), absolute_distance(T=float)

    def approx(scale: float) -> tuple[Measurement, Measurement]:
        gaussian = measurements.make_gaussian(*space, scale)
        approximate = combinators.make_zCDP_to_approxDP(gaussian)
        return gaussian, combinators.make_fix_delta(approximate, delta)

    scale = binary_search(lambda s: approx(s)[1].map(1.0)[0] <= epsilon, T=float)
    return float(approx(scale)[0].map(1.0))


def epsilon_for(rho: float, delta: float) -> float:
    """OpenDP's conversion of ρ-zCDP to ε at the given δ."""
    space = atom_domain(T=float, nan=False), absolute_distance(T=float)
    scale = binary_search(
        lambda s: measurements.make_gaussian(*space, s).map(1.0) <= rho, T=float)
    gaussian = measurements.make_gaussian(*space, scale)
    approximate = combinators.make_zCDP_to_approxDP(gaussian)
    return float(combinators.make_fix_delta(approximate, delta).map(1.0)[0])


def _unit(dims: Sequence[str], max_contributions: int) -> tuple[Metric, float | Sequence[Bound]]:
    if not dims:
        return unit_of(contributions=max_contributions)
    return unit_of(contributions=[Bound(by=list(dims), per_group=1),
                                  Bound(by=[], per_group=max_contributions)])


def _plan(query: Any, dims: Sequence[str], filter_column: str | None, exprs: list[pl.Expr],
          keys: pl.DataFrame | None) -> Any:
    """A query plan. ``query`` is OpenDP's LazyFrameQuery, which passes Polars' LazyFrame
    methods through at run time (so types cannot follow it: Any)."""
    if filter_column is not None:
        query = query.filter(pl.col(filter_column).is_not_null())
    if not dims:
        return query.select(*exprs)
    with warnings.catch_warnings():  # the key-set size warning: the keys are in memory anyway
        warnings.simplefilter("ignore")
        return query.group_by(*dims).agg(*exprs).with_keys(keys, on=list(dims))


def _measurement(context: Context, plan: Any) -> Measurement:
    accountant = context.accountant
    return measurements.make_private_lazyframe(accountant.input_domain, accountant.input_metric,
                                               accountant.output_measure, plan.polars_plan,
                                               global_scale=None)


_PROBES: dict[tuple[object, ...], float] = {}


def _loss_at_unit_scale(context: Context, mode: str, dims: Sequence[str],
                        max_contributions: int, stat: Stat, keys: pl.DataFrame | None,
                        grids: dict[str, list[float]], d_in: float | Sequence[Bound],
                        frame_key: tuple[object, ...]) -> float:
    """OpenDP's privacy loss of ``stat`` alone at noise scale 1 (cached: it depends only on
    public parameters). The probe keeps ``max_contributions`` of the public keys: OpenDP
    bounds the groups one worker can touch by the number of keys, so fewer would understate
    the loss, and more keys do not change it."""
    probe_keys = keys.head(max_contributions) if keys is not None else None
    cache_key = (mode, tuple(dims), max_contributions, stat.query, stat.kind, stat.bounds,
                 stat.alpha, len(grids[stat.grid]) if stat.grid else 0,
                 probe_keys.height if probe_keys is not None else 0, frame_key)
    if cache_key not in _PROBES:
        probe = _plan(context.query(), dims, QUERY_FILTERS[stat.query],
                      [stat.expr(1.0, grids)], probe_keys)
        _PROBES[cache_key] = float(_measurement(context, probe).map(d_in))
    return _PROBES[cache_key]


@dataclass
class PartOutput:
    values: pl.DataFrame  # dims codes (if any) + one column per statistic
    stats: list[dict[str, Any]]  # what was released and how


def run_part(frame: pl.DataFrame | Iterable[pl.DataFrame], *, dims: Sequence[str],
             keys: pl.DataFrame | None, stats: Sequence[Stat], mode: str, loss: float,
             max_contributions: int, max_length: int,
             grids: dict[str, list[float]]) -> PartOutput:
    """Release ``stats`` over ``frame`` (one row per worker and cell, at most
    ``max_contributions`` rows per worker, at most one per cell) within ``loss`` (ε or ρ).
    ``frame`` may come in parts (the buckets of workers of :mod:`.dp_prepare`, which hold
    every row of their workers), taken one at a time: no part is kept once it is written."""
    queries = [q for q in QUERY_FILTERS if any(s.query == q for s in stats)]
    weights = [sum(s.weight for s in stats if s.query == q) for q in queries]
    total = sum(weights)
    privacy_unit = _unit(dims, max_contributions)
    margins = [Margin(by=[], max_length=max_length)]
    if dims:
        margins.append(Margin(by=list(dims), max_length=max_length))
    parts = [frame] if isinstance(frame, pl.DataFrame) else frame
    del frame
    with _scannable(parts) as (data, height, schema):
        if height > max_length:
            raise ValueError(f"more than max_length={max_length} rows: raise the public bound")
        return _run_queries(schema, data, dims=dims, keys=keys, stats=stats, mode=mode,
                            queries=queries, weights=weights, total=total,
                            privacy_unit=privacy_unit, margins=margins, loss=loss,
                            max_contributions=max_contributions, max_length=max_length,
                            grids=grids)


@contextmanager
def _scannable(parts: Iterable[pl.DataFrame]) -> Iterator[tuple[pl.LazyFrame, int, pl.Schema]]:
    """The parts as one LazyFrame that scans Arrow IPC copies of them, in a private temporary
    folder in memory (/dev/shm) where the system has one, removed when done; with the number
    of rows and the schema.

    OpenDP receives its data as a serialised LazyFrame: an in-memory frame is copied into a
    byte string and rebuilt on the other side for every part, which at millions of workers
    cost more time and memory than the mechanisms themselves. A scan of files is a few bytes
    to pass, and Polars maps the files instead of copying them. Each part is written as it
    comes and let go, so the rows are held once (in the files), not twice."""
    shm = "/dev/shm"  # noqa: S108 - a private folder made by mkdtemp (mode 0700)
    base = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="visiblework-release-", dir=base) as folder:
        paths: list[str] = []
        height = 0
        schema: pl.Schema | None = None
        for part in parts:
            path = os.path.join(folder, f"part-{len(paths)}.arrow")
            part.write_ipc(path, compression="uncompressed")
            paths.append(path)
            height += part.height
            if schema is None:
                schema = part.schema
            elif part.schema != schema:
                raise ValueError("the parts of a frame differ in their columns")
            del part
        if schema is None:
            raise ValueError("a frame needs at least one part (it may be empty)")
        yield pl.scan_ipc(paths, memory_map=True), height, schema


# Each query's slot is its share of the part's loss, less this fraction, so that the slots
# never add up to more than the loss when the shares' sum is rounded above 1.
SHARE_ROUNDING = 1e-9


def _compositor(data: pl.LazyFrame, privacy_unit: tuple[Metric, float | Sequence[Bound]],
                privacy_loss: tuple[Measure, Any], shares: Sequence[float],
                margins: Sequence[Margin]) -> Context:
    """A context whose queries get ``shares`` (summing to 1) of ``privacy_loss``, one each.

    OpenDP's ``Context.compositor(split_by_weights=...)`` finds the slots by a binary search
    that builds the compositor about 60 times: 0.13 s a part, most of a small release's time.
    The compositor is OpenDP's adaptive composition, whose loss is the sum of its queries'
    losses (its documentation: "basic" composition) under both measures this engine uses
    (ε and ρ), so the slots are the shares of the loss themselves. OpenDP's own privacy map
    of the compositor checks that they add up to no more than the loss; every query is then
    checked against its slot by the compositor as before."""
    metric, d_in = privacy_unit
    measure, loss = privacy_loss
    domain = domain_of(data, infer=True)
    for margin in margins:
        domain = with_margin(domain, margin)
    d_mids = [loss * share * (1 - SHARE_ROUNDING) for share in shares]
    accountant = combinators.make_adaptive_composition(
        input_domain=domain, input_metric=metric, output_measure=measure, d_in=d_in,
        d_mids=d_mids)
    spent = accountant.map(d_in)
    if spent > loss:  # pragma: no cover - the shares sum to 1 less the rounding margin
        raise RuntimeError(f"the compositor would spend {spent} > {loss}")
    return Context(accountant=accountant, queryable=accountant(data), d_in=d_in,
                   d_mids=d_mids, d_out=None)


def _run_queries(schema: pl.Schema, data: pl.LazyFrame, *, dims: Sequence[str],
                 keys: pl.DataFrame | None, stats: Sequence[Stat], mode: str,
                 queries: list[str], weights: list[float], total: float,
                 privacy_unit: tuple[Metric, float | Sequence[Bound]], margins: list[Any],
                 loss: float, max_contributions: int, max_length: int,
                 grids: dict[str, list[float]]) -> PartOutput:
    context = _compositor(data, privacy_unit, loss_of(mode, loss), [w / total for w in weights],
                          margins)
    d_in = privacy_unit[1]
    frame_key = (max_length, tuple((name, str(dtype)) for name, dtype in schema.items()))
    # One loss a query; a number (ε or ρ) for both kinds of budget this engine uses.
    slots = cast("list[float]", list(context.d_mids or []))
    values: pl.DataFrame | None = None
    records: list[dict[str, Any]] = []
    for query_name, weight, slot in zip(queries, weights, slots, strict=True):
        exprs = []
        for stat in (s for s in stats if s.query == query_name):
            target = slot * stat.weight / weight * (1 - SAFETY)
            unit_loss = _loss_at_unit_scale(context, mode, dims, max_contributions, stat, keys,
                                            grids, d_in, frame_key)
            scale = unit_loss / target if mode == PURE else math.sqrt(unit_loss / target)
            exprs.append(stat.expr(scale, grids))
            record = {"statistic": stat.name, "mechanism": stat.mechanism(mode),
                      "scale": scale, "epsilon" if mode == PURE else "rho": target,
                      "query": query_name}
            if stat.kind == "quantile":
                record.update(rank_scale=stat.rank_scale(scale), alpha=stat.alpha,
                              grid=stat.grid)
            records.append(record)
        plan = _plan(context.query(), dims, QUERY_FILTERS[query_name], exprs, keys)
        measurement = _measurement(context, plan)
        spent = measurement.map(d_in)
        if spent > slot:  # pragma: no cover - calibration aims below the slot
            raise RuntimeError(f"query {query_name} would spend {spent} > {slot}")
        released = context(measurement).collect()
        if values is None:
            values = released
        elif dims:
            values = values.join(released, on=list(dims), how="left", nulls_equal=True)
        else:
            values = pl.concat([values, released], how="horizontal")
    assert values is not None
    return PartOutput(values=values, stats=records)


def discrete_tail(mode: str, scale: float, z: int) -> float:
    """An upper bound on Pr[noise ≥ z] (z ≥ 1) for OpenDP's integer noise at ``scale``:
    exact for the discrete Laplace (``q^z / (1 + q)``, ``q = e^{-1/scale}``), the sub-Gaussian
    bound ``e^{-z²/(2σ²)}`` for the discrete Gaussian."""
    if scale <= 0:
        return 0.0
    if mode == PURE:
        q = math.exp(-1.0 / scale)
        return q**z / (1.0 + q)
    return math.exp(-(z * z) / (2.0 * scale * scale))


def publish_threshold(k: int, mode: str, scale: float, rate: float | None) -> int:
    """The smallest noisy count that is published: at least ``k``, and high enough that a
    cell with fewer than ``k`` real workers clears it with probability at most ``rate``."""
    if rate is None:
        return k
    if mode == PURE:
        q = math.exp(-1.0 / scale) if scale > 0 else 0.0
        z = math.ceil(scale * math.log(1.0 / (rate * (1.0 + q)))) if scale > 0 else 1
    else:
        z = math.ceil(scale * math.sqrt(2.0 * math.log(1.0 / rate)))
    z = max(z, 1)
    while discrete_tail(mode, scale, z) > rate:  # guard against rounding
        z += 1
    return max(k, k - 1 + z)


QUANTILE_FAILURE = 0.05


def quantile_gate(rank_scale: float, candidates: int, alpha: float,
                  tolerance: float | None) -> int:
    """The smallest noisy count at which a quantile is shown. The exponential mechanism picks
    a candidate whose rank is ``r`` away from the target with probability at most
    ``exp(-r / rank_scale)`` relative to the best candidate; over ``candidates`` candidates,
    an error of ``tolerance × n`` ranks or more has probability at most
    ``candidates × exp(-tolerance × n / rank_scale)``, which is ≤ 5% once
    ``n ≥ rank_scale × ln(candidates / 0.05) / tolerance``. (Approximate: it ignores the rank
    gap between the true quantile and the nearest grid point.)"""
    if tolerance is None:
        return 0
    tolerance = min(tolerance, alpha, 1 - alpha) if 0 < alpha < 1 else tolerance
    return math.ceil(rank_scale * math.log(candidates / QUANTILE_FAILURE) / tolerance)


@lru_cache(maxsize=8)
def grid_log_step(grid: tuple[float, ...]) -> float:
    """The largest ratio between neighbouring candidates, as a log step."""
    return max(math.log(b / a) for a, b in zip(grid, grid[1:], strict=False))
