"""The lifetime privacy budget of each worker (docs/privacy-method.md, "The lifetime budget").

A worker is the engine's privacy unit: an account (key: the account id) or a report filed
without one (key: minus the report id), see :func:`worker_key`. Every build an editor can see, preview or
published, charges each worker it includes its ε and δ (basic composition: the losses add up), in the private
:class:`~visiblework.insights.models.PrivacyLedger`. A build leaves out every worker it
would take past the lifetime budget, before any of their data is read by the engine.

What is public is derived from the list of releases only (their ε, δ and the budget each
was built under), never from the ledger or the reports: see :func:`running_loss`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Max, Q, Sum, Value

from .models import PrivacyLedger, Release

if TYPE_CHECKING:
    import polars as pl

# Sums of floats drift by an ulp or so: a build that brings a worker to exactly their budget
# (ten builds of ε = 1 against a budget of 10) fits.
SLACK = 1e-9
# Workers charged by one INSERT statement: their ids travel as one parameter (a JSON list on
# SQLite, an array on PostgreSQL), so a statement is not bound by the databases' limits on
# parameters.
CHUNK = 50_000


class BudgetConflict(Exception):
    """Another build charged some of the same workers between this build's check and its
    charge: charging this one too would take them past their budget."""


@dataclass(frozen=True)
class Budget:
    """A lifetime budget per worker."""

    epsilon: float
    delta: float

    def limits(self) -> tuple[float, float]:
        return self.epsilon * (1 + SLACK), self.delta * (1 + SLACK)

    def admits(self, epsilon: float, delta: float) -> bool:
        """Whether a build of this ε and δ fits a worker who has spent nothing yet."""
        eps_limit, delta_limit = self.limits()
        return epsilon <= eps_limit and delta <= delta_limit


def lifetime_budget() -> Budget:
    """The configured budget (VISIBLEWORK_WORKER_EPSILON_BUDGET, ..._DELTA_BUDGET)."""
    return Budget(float(settings.VISIBLEWORK_WORKER_EPSILON_BUDGET),
                  float(settings.VISIBLEWORK_WORKER_DELTA_BUDGET))


def worker_key(worker_id: int | None, report_id: int | None) -> int:
    """The integer key of a worker in a report frame: the account id (above 0), or minus the
    id of a report filed without an account. Integers group and compare much faster than the
    strings they replace, at millions of reports."""
    if worker_id is not None:
        return int(worker_id)
    assert report_id is not None
    return -int(report_id)


def spent_workers(epsilon: float, delta: float, budget: Budget) -> list[int]:
    """The keys of the workers whom a build of this ε and δ would take past the budget."""
    eps_limit, delta_limit = budget.limits()
    rows = (PrivacyLedger.objects
            .alias(eps_after=F("epsilon") + Value(epsilon), delta_after=F("delta") + Value(delta))
            .filter(Q(eps_after__gt=eps_limit) | Q(delta_after__gt=delta_limit))
            .values_list("worker_id", "report_id"))
    return [worker_key(worker_id, report_id) for worker_id, report_id in rows.iterator(chunk_size=5000)]


def leave_out_spent(frame: pl.DataFrame, epsilon: float, delta: float,
                    budget: Budget) -> tuple[pl.DataFrame, int]:
    """The report frame without the reports of the workers this build would take past the
    budget, and how many workers that leaves out."""
    import polars as pl

    spent = spent_workers(epsilon, delta, budget)
    if not spent:
        return frame, 0
    is_spent = pl.col("worker").is_in(spent)
    left_out = frame.filter(is_spent).get_column("worker").n_unique()
    return frame.filter(~is_spent), left_out


def workers_of(frame: pl.DataFrame) -> tuple[list[int], list[int]]:
    """The account ids and the ids of reports without an account in a report frame (each
    worker once), in ascending order."""
    import polars as pl

    keys = frame.get_column("worker").unique().cast(pl.Int64)
    return (keys.filter(keys > 0).sort().to_list(),
            (-keys.filter(keys < 0)).sort().to_list())


def charge(accounts: list[int], reports: list[int], epsilon: float, delta: float,
           budget: Budget) -> None:
    """Add ε and δ to the ledger of every worker listed, in bulk (one INSERT ... ON CONFLICT
    per CHUNK workers, their ids in one parameter). Call it inside the transaction that
    stores the release. A row is updated only while it stays within the budget; if one is
    not (another build charged the same worker since :func:`spent_workers` looked), raises
    :class:`BudgetConflict` so that the transaction rolls back."""
    quote = connection.ops.quote_name
    table = quote(PrivacyLedger._meta.db_table)
    eps_limit, delta_limit = budget.limits()
    if connection.vendor == "postgresql":
        source = "unnest(%s::bigint[]) AS ids(value)"
    else:
        source = "json_each(%s) AS ids"  # "WHERE true": SQLite's upsert after a SELECT
    with connection.cursor() as cursor:
        for column, ids in ((quote("worker_id"), accounts), (quote("report_id"), reports)):
            for start in range(0, len(ids), CHUNK):
                chunk = [int(pk) for pk in ids[start:start + CHUNK]]
                cursor.execute(
                    f"INSERT INTO {table} ({column}, epsilon, delta) "  # noqa: S608
                    f"SELECT ids.value, %s, %s FROM {source} WHERE true "
                    f"ON CONFLICT ({column}) DO UPDATE SET "
                    f"epsilon = {table}.epsilon + excluded.epsilon, "
                    f"delta = {table}.delta + excluded.delta "
                    f"WHERE {table}.epsilon + excluded.epsilon <= %s "
                    f"AND {table}.delta + excluded.delta <= %s",
                    [epsilon, delta,
                     chunk if connection.vendor == "postgresql" else json.dumps(chunk),
                     eps_limit, delta_limit])
                if cursor.rowcount != len(chunk):
                    raise BudgetConflict


@dataclass(frozen=True)
class RunningLoss:
    """Public figures from the list of releases only.

    ``epsilon``/``delta``: the most privacy any one worker can have lost over the builds
    counted (an upper bound); ``total_epsilon``/``total_delta``: the plain sums of those
    builds; ``builds``: how many there were."""

    epsilon: float
    delta: float
    total_epsilon: float
    total_delta: float
    builds: int


def running_loss(up_to: Release | None = None) -> RunningLoss:
    """The most privacy any one worker can have lost over every build (previews too), up to
    and including ``up_to``.

    A worker loses at most the sum of every build's ε (and δ). Builds under an enforced
    budget never take a worker past that budget, and the migration that introduced the
    ledger charged the builds before it; so nobody has lost more than the largest budget
    in force, or than the builds before enforcement, whichever is larger. Depends on the
    list of releases only: never on the ledger or on any report."""
    builds = Release.objects.all()
    if up_to is not None:
        builds = builds.filter(id__lte=up_to.id)
    before = Q(worker_epsilon_budget__isnull=True)
    sums = builds.aggregate(
        n=Count("id"), eps_all=Sum("epsilon"), delta_all=Sum("delta"),
        eps_before=Sum("epsilon", filter=before), delta_before=Sum("delta", filter=before),
        eps_cap=Max("worker_epsilon_budget"), delta_cap=Max("worker_delta_budget"))
    total_epsilon = float(sums["eps_all"] or 0.0)
    total_delta = float(sums["delta_all"] or 0.0)
    return RunningLoss(
        epsilon=min(total_epsilon, max(float(sums["eps_before"] or 0.0),
                                       float(sums["eps_cap"] or 0.0))),
        delta=min(total_delta, max(float(sums["delta_before"] or 0.0),
                                   float(sums["delta_cap"] or 0.0))),
        total_epsilon=total_epsilon, total_delta=total_delta, builds=sums["n"])


def may_have_left_out(release: Release) -> bool | None:
    """Whether the budget can have left anybody out of this release, from public facts only:
    if every build up to this one adds up to no more than the budget it was built under,
    nobody can have been left out. None for a release built before budgets were enforced."""
    if not release.budget_enforced:
        return None
    loss = running_loss(release)
    budget = Budget(release.worker_epsilon_budget or 0.0, release.worker_delta_budget or 0.0)
    return not budget.admits(loss.total_epsilon, loss.total_delta)
