"""A deterministic synthetic report frame for benchmarks, tests and the demo.

About 3.3 reports per worker (one in five workers has no account and so exactly one report),
log-normal wages that differ by region, task and platform, a long tail of platforms and
clients (Zipf), and the columns :func:`visiblework.insights.engine.compute_release` expects.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from visiblework.refdata.regions import NORTH, REGIONS, SOUTH

SYNTHETIC_TASK_TYPES = (
    "image_video_annotation", "text_annotation", "audio_transcription", "content_moderation",
    "data_generation", "search_ads_rating", "response_ranking", "posing_as_ai",
    "monitoring_feeds", "other",
)
SYNTHETIC_RATING_COLUMNS = (
    "rating_fair_pay", "rating_fair_conditions", "rating_fair_contracts",
    "rating_fair_management", "rating_fair_representation", "rating_communication",
    "rating_payment_promptness", "rating_rejection_fairness",
)
NORTH_COUNTRIES = ("US", "GB", "DE", "CA", "FR", "NL", "AU", "ES", "IT", "SE", "IE", "PL")
SOUTH_COUNTRIES = ("KE", "VE", "MG", "PH", "IN", "NG", "UG", "PK", "BR", "CO", "EG", "BD",
                   "ID", "MX", "AR", "GH", "ZA", "VN", "LK", "NP")
# Log-wage shift of each task type (same order as SYNTHETIC_TASK_TYPES).
TASK_EFFECT = (0.0, 0.1, -0.1, -0.15, -0.05, 0.05, 0.35, 0.2, -0.2, 0.0)
TASK_WEIGHTS = (0.22, 0.18, 0.08, 0.12, 0.06, 0.1, 0.12, 0.03, 0.04, 0.05)
HARM_RATE = (0.15, 0.2, 0.1, 0.7, 0.1, 0.1, 0.25, 0.3, 0.35, 0.1)
PERIODS = tuple(f"{year}-Q{q}" for year in (2023, 2024) for q in (1, 2, 3, 4))
N_PLATFORMS = 300
N_CLIENTS = 120
UNUSED_KEYS = 20  # public keys with no reports at all (their cells must stay suppressed)


def synthetic_keys() -> dict[str, list[str]]:
    return {
        "task_type": list(SYNTHETIC_TASK_TYPES),
        "region": list(REGIONS),
        "platform": [f"platform-{i:03d}" for i in range(N_PLATFORMS + UNUSED_KEYS)],
        "client": [f"client-{i:03d}" for i in range(N_CLIENTS + UNUSED_KEYS)],
        "country": sorted(NORTH_COUNTRIES + SOUTH_COUNTRIES + ("JP", "NZ", "CL")),
        "period": list(PERIODS),
    }


def _zipf_choice(rng: np.random.Generator, n: int, size: int, power: float = 1.1) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** power
    return rng.choice(n, size=size, p=weights / weights.sum())


def _strings(codes: np.ndarray, names: list[str] | tuple[str, ...]) -> pl.Series:
    return pl.Series(codes.astype(np.uint32)).cast(pl.Enum(list(names))).cast(pl.String)


def synthetic_frame(n_reports: int, seed: int = 0) -> pl.DataFrame:
    """``n_reports`` report rows (deterministic for a given seed), ≈ n_reports / 3.3 workers."""
    rng = np.random.default_rng(seed)
    # Workers and their number of reports.
    n_workers_guess = n_reports // 3 + 10
    anonymous = rng.random(n_workers_guess) < 0.2
    per_worker = np.where(anonymous, 1, 1 + rng.poisson(2.9, n_workers_guess))
    cumulative = np.cumsum(per_worker)
    n_workers = int(np.searchsorted(cumulative, n_reports) + 1)
    while n_workers > n_workers_guess:  # pragma: no cover - the guess is generous
        extra = 1 + rng.poisson(2.9, n_workers_guess)
        per_worker = np.concatenate([per_worker, extra])
        anonymous = np.concatenate([anonymous, np.zeros(n_workers_guess, bool)])
        n_workers_guess *= 2
        cumulative = np.cumsum(per_worker)
        n_workers = int(np.searchsorted(cumulative, n_reports) + 1)
    per_worker = per_worker[:n_workers].copy()
    per_worker[-1] -= int(per_worker.sum() - n_reports)
    anonymous = anonymous[:n_workers]
    owner = np.repeat(np.arange(n_workers), per_worker)

    # Worker-level attributes.
    south = rng.random(n_workers) < 0.7
    country_south = _zipf_choice(rng, len(SOUTH_COUNTRIES), n_workers, 0.9)
    country_north = _zipf_choice(rng, len(NORTH_COUNTRIES), n_workers, 0.9)
    countries = list(NORTH_COUNTRIES + SOUTH_COUNTRIES)
    country = np.where(south, country_south + len(NORTH_COUNTRIES), country_north)
    task = rng.choice(len(SYNTHETIC_TASK_TYPES), n_workers, p=np.array(TASK_WEIGHTS))
    platform = _zipf_choice(rng, N_PLATFORMS, n_workers)
    client = _zipf_choice(rng, N_CLIENTS + 1, n_workers)  # N_CLIENTS means "no client"
    worker_effect = rng.normal(0.0, 0.5, n_workers)
    ppp_factor = np.where(south, rng.uniform(2.0, 3.5, len(countries))[country], 1.0)

    # Report-level: mostly the worker's usual task, platform and client.
    def usual_or_other(usual: np.ndarray, draw: np.ndarray, p_usual: float) -> np.ndarray:
        return np.where(rng.random(n_reports) < p_usual, usual[owner], draw)

    r_task = usual_or_other(task, rng.choice(len(SYNTHETIC_TASK_TYPES), n_reports,
                                             p=np.array(TASK_WEIGHTS)), 0.85)
    r_platform = usual_or_other(platform, _zipf_choice(rng, N_PLATFORMS, n_reports), 0.85)
    r_client = usual_or_other(client, _zipf_choice(rng, N_CLIENTS + 1, n_reports), 0.85)
    r_south = south[owner]
    platform_effect = rng.normal(0.0, 0.25, N_PLATFORMS)
    log_wage = (np.where(r_south, np.log(2.4), np.log(14.0))
                + np.array(TASK_EFFECT)[r_task] + platform_effect[r_platform]
                + worker_effect[owner] + rng.normal(0.0, 0.3, n_reports))
    usd = np.exp(log_wage)
    no_pay = rng.random(n_reports) < 0.03
    hours = rng.gamma(2.0, 5.0, n_reports) + 0.25
    unpaid = hours * rng.beta(2.0, 5.0, n_reports)
    late = rng.random(n_reports) < np.where(r_south, 0.25, 0.1)
    harmful = rng.random(n_reports) < np.array(HARM_RATE)[r_task]

    worker_names = [f"r{i}" if anonymous[i] else f"u{i}" for i in range(n_workers)]
    client_names = [f"client-{i:03d}" for i in range(N_CLIENTS)] + [""]
    data: dict[str, pl.Series] = {
        "worker": _strings(owner, worker_names),
        "task_type": _strings(r_task, SYNTHETIC_TASK_TYPES),
        "region": pl.Series(np.where(r_south, SOUTH, NORTH)),
        "platform": _strings(r_platform, [f"platform-{i:03d}" for i in range(N_PLATFORMS)]),
        "client": _strings(r_client, client_names),
        "country": _strings(country[owner], countries),
        "period": _strings(rng.integers(0, len(PERIODS), n_reports), PERIODS),
        "effective_hourly_usd": pl.Series(np.where(no_pay, np.nan, usd)).fill_nan(None),
        "effective_hourly_ppp": pl.Series(np.where(no_pay, np.nan, usd * ppp_factor[owner])
                                          ).fill_nan(None),
        "net_pay_usd": pl.Series(np.where(no_pay, np.nan, usd * hours)).fill_nan(None),
        "hours": pl.Series(hours),
        "unpaid_hours": pl.Series(unpaid),
        "late_or_missing": pl.Series(late),
        "harmful": pl.Series(harmful),
    }
    mood = rng.normal(0.0, 0.8, n_workers)[owner]
    for j, name in enumerate(SYNTHETIC_RATING_COLUMNS):
        base = 3.0 - 0.4 * r_south + mood - 0.1 * j
        value = np.clip(np.rint(base + rng.normal(0.0, 0.7, n_reports)), 1, 5)
        missing = rng.random(n_reports) < 0.35
        data[name] = pl.Series(np.where(missing, np.nan, value)).fill_nan(None).cast(pl.Int64)
    return pl.DataFrame({name: series.alias(name) for name, series in data.items()})
