"""A release's privacy accounting in words a reader can cite: how ε was split between the
tables, what each table holds, and the public parameters of the method, read from the
`budget` stored with the release (engine.py writes it; docs/privacy-method.md explains it).
Every key is optional: an older or hand-made budget (statistic → ε) is shown as it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from visiblework.core import formats

from .models import Release

DIMENSION_LABELS = {"region": gettext_lazy("Region"), "task_type": gettext_lazy("Kind of work"),
                    "platform": gettext_lazy("Platform"), "client": gettext_lazy("Client"),
                    "country": gettext_lazy("Country"), "period": gettext_lazy("Period")}
STATISTIC_LABELS = {
    "workers": gettext_lazy("workers (a count)"),
    "reports": gettext_lazy("reports (a count)"),
    "wage_workers": gettext_lazy("workers with a wage in US dollars"),
    "ppp_workers": gettext_lazy("workers with a wage in PPP dollars"),
    "p25_effective_hourly_usd": gettext_lazy("true hourly wage, 25th percentile (US dollars)"),
    "median_effective_hourly_usd": gettext_lazy("true hourly wage, median (US dollars)"),
    "p75_effective_hourly_usd": gettext_lazy("true hourly wage, 75th percentile (US dollars)"),
    "median_effective_hourly_ppp": gettext_lazy("true hourly wage, median (PPP dollars)"),
    "unpaid_share": gettext_lazy("unpaid share of working time"),
    "late_or_missing_share": gettext_lazy("share of workers paid late or not at all"),
    "harmful_share": gettext_lazy("share of workers exposed to harmful content"),
    "ratings": gettext_lazy("ratings of the working conditions"),
    "count": gettext_lazy("counts"),
    "median": gettext_lazy("medians"),
}
PLURALS = {
    "task_types": lambda n: ngettext("%(n)s kind of work", "%(n)s kinds of work", n),
    "regions": lambda n: ngettext("%(n)s region", "%(n)s regions", n),
    "platforms": lambda n: ngettext("%(n)s platform", "%(n)s platforms", n),
    "clients": lambda n: ngettext("%(n)s client", "%(n)s clients", n),
    "countries": lambda n: ngettext("%(n)s country", "%(n)s countries", n),
    "periods": lambda n: ngettext("%(n)s period", "%(n)s periods", n),
}
MECHANISM_LABELS = {
    "discrete Gaussian": gettext_lazy("discrete Gaussian noise"),
    "discrete Laplace": gettext_lazy("discrete Laplace noise"),
    "exponential mechanism": gettext_lazy("the exponential mechanism over a public grid of wages"),
}


@dataclass(frozen=True)
class TableShare:
    """One table's part of the release's privacy loss."""
    table: str
    share: float  # of the whole release, 0–1
    cost: float  # in the release's own measure (ρ under zCDP, else ε)


@dataclass(frozen=True)
class Split:
    measure: str  # "ρ" or "ε"
    tables: list[TableShare]
    statistics: list[str]  # what each table holds, as readers name them
    mechanisms: list[str]


def table_name(dims: list[str]) -> str:
    """"Kind of work × Region"; the release's totals have no dimension."""
    if not dims:
        return _("Totals: all workers and reports")
    return " × ".join(str(DIMENSION_LABELS.get(d, d)) for d in dims)


def statistic_name(key: str) -> str:
    if key.startswith("_r") or key.startswith("mean_rating"):
        return str(STATISTIC_LABELS["ratings"])
    return str(STATISTIC_LABELS.get(key, key.replace("_", " ")))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def split(release: Release) -> Split:
    """How the release's privacy loss was split between its tables."""
    budget = release.budget if isinstance(release.budget, dict) else {}
    parts = budget.get("parts")
    if isinstance(parts, list) and parts:
        measure = "ρ" if budget.get("mode") == "zcdp" else "ε"
        costs = [_number(p.get("rho") if measure == "ρ" else p.get("epsilon")) or 0.0
                 for p in parts if isinstance(p, dict)]
        total = sum(costs) or 1.0
        tables, statistics, mechanisms = [], [], []
        for part, cost in zip([p for p in parts if isinstance(p, dict)], costs, strict=True):
            tables.append(TableShare(table_name(list(part.get("dims") or [])), cost / total,
                                     cost))
            for stat in part.get("statistics") or []:
                name = statistic_name(str(stat.get("statistic", "")))
                if name not in statistics:
                    statistics.append(name)
                mechanism = _mechanism(str(stat.get("mechanism", "")))
                if mechanism and mechanism not in mechanisms:
                    mechanisms.append(mechanism)
        return Split(measure, tables, statistics, mechanisms)
    numeric = {str(k): v for k, v in budget.items() if _number(v) is not None}
    total = sum(numeric.values()) or 1.0
    return Split("ε", [TableShare(statistic_name(k), v / total, v) for k, v in numeric.items()],
                 [], [])


def _mechanism(text: str) -> str:
    for key, label in MECHANISM_LABELS.items():
        if text.startswith(key):
            return str(label)
    return text


def parameters(release: Release) -> list[tuple[str, str]]:
    """The method's public parameters as (term, definition), in the reader's language."""
    budget = release.budget if isinstance(release.budget, dict) else {}
    params = budget.get("params") if isinstance(budget.get("params"), dict) else {}
    out: list[tuple[str, str]] = []
    if budget.get("privacy_unit"):
        out.append((_("What is protected"), _("Each worker, with all of their reports: the "
                                              "release changes little whether or not any one "
                                              "worker took part.")))
    if budget.get("mode") == "zcdp":
        out.append((_("Definition"), _("Zero-concentrated differential privacy (ρ = %(rho)s), "
                                       "converted by OpenDP to (ε, δ)-differential privacy.")
                    % {"rho": formats.number(_number(budget.get("rho")) or 0, 5)}))
    elif budget.get("mode"):
        out.append((_("Definition"), _("Pure differential privacy (ε).")))
    sets = params.get("dimension_sets")
    if isinstance(sets, list) and sets:
        out.append((_("Tables computed"), "; ".join(table_name(list(s)) for s in sets)))
    keys = [PLURALS[key](n) % {"n": formats.number(n)}
            for key in PLURALS if isinstance(n := params.get(key), int)]
    if keys:
        out.append((_("Categories, fixed and public before the data is read"),
                    formats.join(keys)))
    per_worker = params.get("max_reports_per_worker")
    if isinstance(per_worker, int):
        out.append((_("Reports counted per worker"),
                    ngettext("At most %(n)s; each worker counts once in each table.",
                             "At most %(n)s; each worker counts once in each table.",
                             per_worker) % {"n": formats.number(per_worker)}))
    for key, label, currency in (("wage_grid_usd", _("Wages considered (US dollars)"), "USD"),
                                 ("wage_grid_ppp", _("Wages considered (PPP dollars)"), "")):
        grid = params.get(key)
        if isinstance(grid, dict) and {"min", "max", "points"} <= grid.keys():
            low, high = (_number(grid["min"]), _number(grid["max"]))
            out.append((label, _("From %(low)s to %(high)s an hour, %(n)s steps on a "
                                 "logarithmic scale.") % {
                "low": formats.money(low, currency) if currency else formats.number(low, 2),
                "high": formats.money(high, currency) if currency else formats.number(high, 2),
                "n": formats.number(grid["points"])}))
    ratings = params.get("rating_columns")
    if isinstance(ratings, list):
        out.append((_("Ratings"), ngettext("%(n)s question, from 1 to 5.",
                                           "%(n)s questions, each from 1 to 5.", len(ratings))
                    % {"n": formats.number(len(ratings))}))
    weights = params.get("stat_weights")
    if isinstance(weights, dict):
        shown = [f"{statistic_name(str(k))}: {formats.number(_number(v), 1)}"
                 for k, v in weights.items() if _number(v) is not None]
        out.append((_("Weights of the statistics within each table"), "; ".join(shown)))
    totals = _number(params.get("totals_share"))
    if totals is not None:
        out.append((_("Share of ε for the overall totals"), formats.percent(totals)))
    if "small_cell_rate" in params:
        rate = _number(params.get("small_cell_rate"))
        out.append((_("Chance that a cell of fewer than k workers is published"),
                    _("At most %(rate)s over the whole release: a cell is published only "
                      "when its noisy count of workers clears a threshold of at least k, "
                      "raised by a margin for the noise.") % {"rate": formats.percent(rate, 1)}
                    if rate is not None else
                    _("A cell is published when its noisy count of workers is at least k.")))
    tolerance = _number(params.get("quantile_tolerance"))
    if tolerance is not None:
        out.append((_("When a wage figure is published"),
                    _("Only when enough workers in the cell reported a wage for the figure "
                      "to fall, with 95%% probability, within %(share)s of the workers of the "
                      "true one.") % {"share": formats.percent(tolerance)}))
    return out
