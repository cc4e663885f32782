"""Step 1 of a release: aggregate per worker and bound each worker's contribution.

Plain Polars, no noise. Everything here is a function of one worker's own reports, so adding
or removing one worker (with all of their reports) adds or removes at most
``max_contributions`` rows of each per-dimension-set frame and one row of the totals frame:
that is the stability the OpenDP part (:mod:`.dp_mechanisms`) relies on. See
``docs/privacy-method.md``.

Encodings (all bounded, all 32-bit integers where a noisy sum is taken, so that OpenDP can use exact
integer noise instead of floating-point sums whose sensitivity it must inflate):

* ``wage_usd`` / ``wage_ppp``: the worker's hours-weighted effective hourly wage in the cell,
  clamped to the public wage bounds; null when the worker gave no usable pay.
* ``unpaid_c``: ``round(1000 × unpaid share) − 500`` in [-500, 500].
* ``late_c`` / ``harmful_c``: ``+1`` if any report in the cell says so, else ``-1``.
* ``r<i>``: ``round(100 × mean rating) − 300`` in [-200, 200], null when the worker gave no
  such rating in the cell (the mechanisms sum it with nulls as 0 and count its non-nulls).

Centring halves the sensitivity of every sum (a worker moves it by at most half the range).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

DIMENSIONS = ("task_type", "region", "platform", "client", "country", "period")

SHARE_SCALE = 1000  # unpaid share in thousandths
SHARE_CENTRE = 500
RATING_SCALE = 100  # mean rating in hundredths
RATING_CENTRE = 300
RATING_MIN, RATING_MAX = 1, 5

# Seed of the deterministic tie-break between a worker's equally frequent cells. Any fixed
# per-worker rule keeps the stability argument intact; a hash avoids always favouring the
# alphabetically first platform.
TIE_BREAK_SEED = 20240611

DITHER_RESOLUTION = 1 << 20

WORKER = "_worker"
WORKER_HASH = "_worker_hash"
SINGLE = "_single"  # the worker's reports all fall in one pre-aggregated row


def rating_col(i: int) -> str:
    return f"r{i}"


def encode_reports(frame: pl.DataFrame, keys: Mapping[str, Sequence[str]],
                   rating_columns: Sequence[str]) -> pl.DataFrame:
    """One row per report: worker id, dimension codes (null outside the public keys) and the
    summable per-report quantities. Reports outside the public periods are dropped when a
    period list is given (the release window)."""
    missing = [c for c in ("worker", *DIMENSIONS, "effective_hourly_usd", "effective_hourly_ppp",
                           "hours", "unpaid_hours", "late_or_missing", "harmful",
                           *rating_columns) if c not in frame.columns]
    if missing:
        raise ValueError(f"the report frame lacks the columns {missing}")
    hours = pl.col("hours").cast(pl.Float64).fill_null(0.0).fill_nan(0.0).clip(lower_bound=0.0)
    usd_rate = pl.col("effective_hourly_usd").cast(pl.Float64).fill_nan(None)
    ppp_rate = pl.col("effective_hourly_ppp").cast(pl.Float64).fill_nan(None)
    if "net_pay_usd" in frame.columns:
        net_pay = pl.col("net_pay_usd").cast(pl.Float64).fill_nan(None)
        usd_pay = pl.when(net_pay.is_not_null()).then(net_pay).otherwise(usd_rate * hours)
    else:  # pragma: no cover - the engine's callers always pass it
        usd_pay = usd_rate * hours
    has_usd = usd_pay.is_not_null() & (hours > 0)
    has_ppp = ppp_rate.is_not_null() & (hours > 0)
    unpaid = (pl.col("unpaid_hours").cast(pl.Float64).fill_null(0.0).fill_nan(0.0)
              .clip(lower_bound=0.0))
    # WORKER (an exact id) groups the reports; WORKER_HASH (a hash of the worker's own key,
    # independent of who else is in the data) breaks ties between their cells. An integer
    # key (the release builder's) is used as it is; any other is made a string, and a
    # missing one a worker of its own.
    if frame.schema["worker"].is_integer() and frame.get_column("worker").null_count() == 0:
        worker = pl.col("worker").cast(pl.Int64)
        exprs: list[pl.Expr] = [worker.alias(WORKER), worker.hash(TIE_BREAK_SEED).alias(WORKER_HASH)]
    else:
        worker = pl.col("worker").cast(pl.String)
        worker = (pl.when(worker.is_null())
                  .then(pl.concat_str(pl.lit("\x00row:"),
                                      pl.int_range(pl.len()).cast(pl.String)))
                  .otherwise(worker))
        exprs = [worker.rank("dense").cast(pl.UInt32).alias(WORKER),
                 worker.hash(TIE_BREAK_SEED).alias(WORKER_HASH)]
    for dim in DIMENSIONS:
        exprs.append(pl.col(dim).cast(pl.String).cast(pl.Enum(list(keys[dim])), strict=False)
                     .to_physical().cast(pl.Int32).alias(dim))
    exprs += [
        pl.lit(1, dtype=pl.UInt32).alias("n"),
        pl.when(has_usd).then(usd_pay).otherwise(0.0).alias("usd_pay"),
        pl.when(has_usd).then(hours).otherwise(0.0).alias("usd_h"),
        pl.when(has_ppp).then(ppp_rate * hours).otherwise(0.0).alias("ppp_pay"),
        pl.when(has_ppp).then(hours).otherwise(0.0).alias("ppp_h"),
        pl.min_horizontal(unpaid, hours).alias("unpaid"),
        hours.alias("hours"),
        pl.col("late_or_missing").cast(pl.Boolean).fill_null(False).alias("late"),
        pl.col("harmful").cast(pl.Boolean).fill_null(False).alias("harmful"),
    ]
    for i, name in enumerate(rating_columns):
        rating = (pl.col(name).cast(pl.Float32).fill_nan(None)
                  .clip(RATING_MIN, RATING_MAX))
        exprs += [rating.fill_null(0.0).alias(f"r{i}_sum"),
                  rating.is_not_null().cast(pl.UInt8).alias(f"r{i}_cnt")]
    out = frame.lazy().select(exprs)
    if keys["period"]:
        out = out.filter(pl.col("period").is_not_null())
    return out.collect()


BUCKET_ROWS = 1_000_000  # reports encoded and summed at a time (see prepare)


def prepare(frame: pl.DataFrame, keys: Mapping[str, Sequence[str]],
            rating_columns: Sequence[str], dims: Sequence[str]) -> list[pl.DataFrame]:
    """:func:`encode_reports` then :func:`pre_aggregate`. With integer worker keys and more
    than BUCKET_ROWS reports, the workers are split into buckets by a hash of their key and
    each bucket is encoded and summed on its own: a worker's reports all fall in one bucket,
    so the result is the same, and the encoded table and the grouping's working memory are
    only ever held for one bucket (at 10,000,000 reports they were most of the peak). Returns
    the buckets' tables, which :func:`worker_cells` and :func:`worker_totals` take as they are."""
    buckets = -(-frame.height // BUCKET_ROWS)
    if buckets <= 1 or not frame.schema["worker"].is_integer():
        return [pre_aggregate(encode_reports(frame, keys, rating_columns), dims,
                              len(rating_columns))]
    bucket = pl.col("worker").hash(TIE_BREAK_SEED + 1) % buckets
    # Kept apart, one frame a bucket: filtering one table made of many chunks copied all of it.
    return [pre_aggregate(encode_reports(frame.filter(bucket == b), keys, rating_columns),
                          dims, len(rating_columns))
            for b in range(buckets)]


def _sums(rating_count: int) -> list[pl.Expr]:
    """Every per-cell quantity is a sum (or an "any"), so reports can be summed in stages."""
    return [
        pl.col("n").sum(),
        pl.col(WORKER_HASH).first(),
        pl.col("usd_pay").sum(), pl.col("usd_h").sum(),
        pl.col("ppp_pay").sum(), pl.col("ppp_h").sum(),
        pl.col("unpaid").sum(), pl.col("hours").sum(),
        pl.col("late").any(), pl.col("harmful").any(),
        *[pl.col(f"r{i}_sum").sum() for i in range(rating_count)],
        # counts of ratings (UInt8 per report) sum to Int64 unless cast: 32 bytes a row more
        # of the pre-aggregated table, which is most of a large release's memory
        *[pl.col(f"r{i}_cnt").sum().cast(pl.UInt32) for i in range(rating_count)],
    ]


def pre_aggregate(reports: pl.DataFrame, dims: Sequence[str],
                  rating_count: int) -> pl.DataFrame:
    """Sum each worker's reports over the dimensions used by the release (exact: everything
    downstream is a sum of these sums), which shrinks the table the dimension sets re-read."""
    return (reports.lazy().group_by([WORKER, *dims]).agg(_sums(rating_count))
            .with_columns((pl.len().over(WORKER) == 1).alias(SINGLE))
            .collect())


def worker_cells(reports: pl.DataFrame | Sequence[pl.DataFrame], dims: Sequence[str], *,
                 max_contributions: int,
                 rating_count: int, usd_bounds: tuple[float, float],
                 ppp_bounds: tuple[float, float], wide: bool = False,
                 dither: tuple[float, float] = (0.0, 0.0)) -> pl.DataFrame:
    """One row per (worker, cell) for the worker's ``max_contributions`` most frequent cells
    of this dimension set, with the worker's bounded statistics in that cell. Sums are over
    32-bit integers unless ``wide`` (OpenDP refuses a type that could overflow at the public
    ``max_length``).

    ``dither`` (log steps of the USD and PPP grids) spreads each worker's wage by a factor
    ``exp(step × (u - 1/2))`` with ``u`` in [0, 1) drawn from a hash of the worker's own key and
    the cell: the exponential mechanism scores candidates by how many wages lie strictly below
    and above them, so a cell where everybody reports exactly the same wage would otherwise
    score every candidate alike and answer at random."""
    if not isinstance(reports, pl.DataFrame):
        # Buckets of workers (from prepare): each worker's cells come from their own rows
        # only, so a bucket at a time gives the same rows with a bucket's working memory.
        return pl.concat([
            worker_cells(part, dims, max_contributions=max_contributions,
                         rating_count=rating_count, usd_bounds=usd_bounds,
                         ppp_bounds=ppp_bounds, wide=wide, dither=dither)
            for part in reports], rechunk=False)
    ints = pl.Int64 if wide else pl.Int32
    dims = list(dims)
    rows = reports.lazy().filter(pl.all_horizontal([pl.col(d).is_not_null() for d in dims]))
    columns = [WORKER, *dims, *[e.meta.output_name() for e in _sums(rating_count)]]
    tie_break = pl.struct([WORKER_HASH, *dims]).hash(TIE_BREAK_SEED).alias("_tb")
    # A worker whose reports are all in one row of the pre-aggregated table (from
    # pre_aggregate) has exactly that one cell: only the others are grouped and ranked.
    if SINGLE in reports.columns:
        single = rows.filter(pl.col(SINGLE)).select(columns)
        rows = rows.filter(~pl.col(SINGLE))
    else:
        single = None
    grouped = rows.group_by([WORKER, *dims]).agg(_sums(rating_count)).select(columns)
    # keep each worker's max_contributions cells with the most reports (ties: by the hash)
    grouped = grouped.with_columns(tie_break)
    if max_contributions == 1:
        grouped = (grouped.sort(["n", "_tb"], descending=[True, False])
                   .unique(subset=[WORKER], keep="first"))
    else:
        grouped = (grouped.sort([WORKER, "n", "_tb"], descending=[False, True, False])
                   .filter(pl.int_range(pl.len()).over(WORKER) < max_contributions))
    if single is not None:
        grouped = pl.concat([single.with_columns(tie_break), grouped], how="vertical_relaxed")

    u = (pl.col("_tb") % DITHER_RESOLUTION).cast(pl.Float64) / DITHER_RESOLUTION - 0.5

    def wage(pay: str, h: str, bounds: tuple[float, float], step: float) -> pl.Expr:
        raw = pl.when(pl.col(h) > 0).then(pl.col(pay) / pl.col(h)).otherwise(None)
        if step:
            raw = raw * (u * step).exp()
        return raw.clip(bounds[0], bounds[1])

    unpaid_share = (pl.when(pl.col("hours") > 0)
                    .then((pl.col("unpaid") / pl.col("hours")).clip(0.0, 1.0)).otherwise(0.0))
    stats = [
        *[pl.col(d).cast(pl.Int32) for d in dims],
        wage("usd_pay", "usd_h", usd_bounds, dither[0]).alias("wage_usd"),
        wage("ppp_pay", "ppp_h", ppp_bounds, dither[1]).alias("wage_ppp"),
        ((unpaid_share * SHARE_SCALE).round(0).cast(ints) - SHARE_CENTRE).alias("unpaid_c"),
        (pl.col("late").cast(ints) * 2 - 1).alias("late_c"),
        (pl.col("harmful").cast(ints) * 2 - 1).alias("harmful_c"),
    ]
    for i in range(rating_count):
        rated = pl.col(f"r{i}_cnt") > 0
        neutral = RATING_CENTRE / RATING_SCALE  # keeps the unused branch finite
        mean = (pl.when(rated).then(pl.col(f"r{i}_sum") / pl.col(f"r{i}_cnt"))
                .otherwise(neutral).clip(RATING_MIN, RATING_MAX))
        stats.append(pl.when(rated)
                     .then((mean * RATING_SCALE).round(0).cast(ints) - RATING_CENTRE)
                     .otherwise(None).alias(rating_col(i)))
    return grouped.select(stats).collect()


def worker_totals(reports: pl.DataFrame | Sequence[pl.DataFrame],
                  max_reports: int) -> tuple[pl.DataFrame, int]:
    """One row per worker: the number of their reports, clipped to ``max_reports`` and
    centred (returned with the centre to add back)."""
    centre = (max_reports + 1) // 2
    parts = [reports] if isinstance(reports, pl.DataFrame) else list(reports)
    totals = (pl.concat([part.lazy().select(WORKER, "n") for part in parts])
              .group_by(WORKER).agg(pl.col("n").sum())
              .select((pl.col("n").cast(pl.Int64).clip(1, max_reports) - centre).alias("n_c"))
              .collect())
    return totals, centre
