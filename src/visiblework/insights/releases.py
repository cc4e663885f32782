"""Building, previewing and publishing releases from the worker reports.

The category keys of every dimension are public and fixed before the data is read: the
fixed task types and regions, recent quarters, every country, and for platforms and clients
the actors the public case database names in those roles (never "the actors somebody
reported about", which would itself leak).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from visiblework.cases.models import Actor, ActorKind, CaseStatus
from visiblework.cases.models import Role as CaseRole
from visiblework.core.audit import record
from visiblework.core.models import AuditAction
from visiblework.refdata.regions import REGIONS
from visiblework.refdata.services import get_rates
from visiblework.reports.models import RATING_FIELDS, Report, TaskType

from . import budget
from .dp_gap import gap_rows
from .models import Release, ReleaseCell, ReleaseStatus
from .release_rows import report_frame

if TYPE_CHECKING:

    from visiblework.accounts.models import User

QUARTERS_BACK = 12
MAX_CELLS_LISTED = 2000
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # release pages are at /releases/<slug:label>/


class ReleaseError(ValueError):
    pass


@dataclass(frozen=True)
class ExtraCells:
    """Cells that an app on a higher floor adds to a release (settings.VISIBLEWORK_RELEASE_EXTRAS,
    dotted paths of functions ``(cutoff: date, k: int) -> ExtraCells``), computed with OpenDP by
    that app under its own stated ε, which the release records beside its own (``budget["extras"]``)
    and its page shows. Each cell is ``{"dims": {...}, "suppressed": bool, "workers": int | None,
    "stats": {...}}``."""

    name: str
    title: str
    epsilon: float
    dims: tuple[str, ...]
    method: str
    cells: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "epsilon": self.epsilon,
                "dims": list(self.dims), "method": self.method, "cells": len(self.cells),
                **self.details}


def release_extras(cutoff: date, k: int) -> list[ExtraCells]:
    """Every configured extra part of a release, computed for this cut-off and k."""
    return [import_string(path)(cutoff=cutoff, k=k)
            for path in getattr(settings, "VISIBLEWORK_RELEASE_EXTRAS", ())]


def _quarters(cutoff: date, n: int = QUARTERS_BACK) -> list[str]:
    year, quarter = cutoff.year, (cutoff.month - 1) // 3 + 1
    out = []
    for _i in range(n):
        out.append(f"{year}-Q{quarter}")
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return out[::-1]


def public_keys(cutoff: date) -> dict[str, list[str]]:
    import pycountry

    published = Q(case_roles__case__status=CaseStatus.PUBLISHED)
    platforms = (Actor.objects.filter(
        Q(kind__in=[ActorKind.PLATFORM, ActorKind.VENDOR])
        | (published & Q(case_roles__role__in=[CaseRole.PLATFORM, CaseRole.VENDOR])))
        .values_list("slug", flat=True).distinct())
    clients = (Actor.objects.filter(
        Q(kind=ActorKind.CLIENT) | (published & Q(case_roles__role=CaseRole.CLIENT)))
        .values_list("slug", flat=True).distinct())
    return {
        "task_type": list(TaskType.values),
        "region": list(REGIONS),
        "platform": sorted(set(platforms))[:500],
        "client": sorted(set(clients))[:500],
        "country": sorted(c.alpha_2 for c in pycountry.countries),
        "period": _quarters(cutoff),
    }


def check_build(label: str, *, epsilon: float, delta: float, k: int) -> str:
    """The label to build under, once the parameters are known to be acceptable; ReleaseError
    otherwise. Checked again by the build itself: a page checks first so that a job is only
    started for a build that can run."""
    label = label.strip()
    if len(label) > 50 or not SLUG.fullmatch(label):
        raise ReleaseError(_("A label is made of letters, digits, - and _ only (at most 50)."))
    if Release.objects.filter(label=label).exists():
        raise ReleaseError(_("Choose a new label: %(label)s is taken.") % {"label": label})
    if not 0 < epsilon <= 10:
        raise ReleaseError(_("ε must be above 0 and at most 10."))
    if k < 2:
        raise ReleaseError(_("k must be at least 2."))
    if not 0 <= delta < 1:
        raise ReleaseError(_("δ must be at least 0 and below 1."))
    lifetime = budget.lifetime_budget()
    if not lifetime.admits(epsilon, delta):
        raise ReleaseError(_(
            "ε = %(epsilon)s and δ = %(delta)s are more than the lifetime privacy budget of a "
            "worker (ε = %(budget_epsilon)s, δ = %(budget_delta)s): the release could include "
            "nobody.") % {"epsilon": epsilon, "delta": delta, "budget_epsilon": lifetime.epsilon,
                          "budget_delta": lifetime.delta})
    return label


def build_release(label: str, *, epsilon: float, delta: float, k: int, user: User | None = None,
                  cutoff: date | None = None,
                  progress: Callable[[int, int], None] | None = None) -> Release:
    """Compute a release as a private preview. Publishing is a separate step.

    Editors see a preview's numbers, so the build itself counts against every included
    worker's lifetime budget (see :mod:`.budget`): workers it would take past their budget
    are left out before the engine reads anything, and the others are charged this release's
    ε and δ in the same transaction that stores it."""
    label = check_build(label, epsilon=epsilon, delta=delta, k=k)
    lifetime = budget.lifetime_budget()
    from . import engine  # OpenDP loads only when a release is built, not in every page's process

    cutoff = cutoff or timezone.now().date()
    keys = public_keys(cutoff)
    params = engine.default_params(epsilon=epsilon, delta=delta, k=k, keys=keys,
                                   rating_columns=list(RATING_FIELDS),
                                   max_length=int(settings.VISIBLEWORK_RELEASE_MAX_LENGTH))
    # Only the reports in the release window reach the engine: their workers are charged.
    frame = report_frame(cutoff, periods=keys["period"])
    frame, left_out = budget.leave_out_spent(frame, epsilon, delta, lifetime)
    accounts, anonymous = budget.workers_of(frame)
    if (len(accounts) + len(anonymous)) * params.max_contributions > params.max_length:
        raise ReleaseError(_(
            "This release would include more workers than its public bound of %(bound)s "
            "rows allows: raise the setting VISIBLEWORK_RELEASE_MAX_LENGTH.") % {
                "bound": params.max_length})
    prepared = engine.prepare_release(frame, params)
    del frame  # the per-worker sums are all the engine reads from here on
    result = engine.compute_release(prepared, params, progress=progress)
    del prepared
    extras = [extra for extra in release_extras(cutoff, k) if extra.cells]
    release_budget = ({**result.budget, "extras": [extra.describe() for extra in extras]}
                      if extras else result.budget)
    try:
        with transaction.atomic():
            budget.charge(accounts, anonymous, epsilon, delta, lifetime)
            release = Release.objects.create(
                label=label, cutoff=cutoff, epsilon=result.epsilon, delta=result.delta,
                k=result.k, method_version=result.method_version, budget=release_budget,
                workers_noisy=max(int(result.workers_noisy), 0),
                reports_noisy=max(int(result.reports_noisy), 0),
                refdata=get_rates().describe()[:200], built_by=user,
                synthetic_reports=Report.objects.filter(synthetic=True).count(),
                worker_epsilon_budget=lifetime.epsilon, worker_delta_budget=lifetime.delta,
                workers_excluded_budget=left_out)
            ReleaseCell.objects.bulk_create([
                ReleaseCell(release=release, dims_key=",".join(sorted(cell["dims"])),
                            dims=cell["dims"], suppressed=cell["suppressed"],
                            workers=None if cell["suppressed"] else cell["workers"],
                            stats={} if cell["suppressed"] else {
                                k2: v for k2, v in cell.items()
                                if k2 not in ("dims", "suppressed", "workers")})
                for cell in result.cells], batch_size=2000)
            ReleaseCell.objects.bulk_create([
                ReleaseCell(release=release, dims_key=",".join(sorted(cell["dims"])),
                            dims=cell["dims"], suppressed=cell["suppressed"],
                            workers=None if cell["suppressed"] else cell["workers"],
                            stats={} if cell["suppressed"] else cell["stats"])
                for extra in extras for cell in extra.cells], batch_size=2000)
            record(user, AuditAction.CREATE, release, f"release {label} built (preview)",
                   {"epsilon": epsilon, "delta": delta, "k": k,
                    "workers_excluded_budget": left_out}, label="release build")
    except budget.BudgetConflict:
        raise ReleaseError(_("Another release was built at the same time and charged some of "
                             "the same workers. Build this one again.")) from None
    return release


@transaction.atomic
def publish(release: Release, user: User | None = None) -> Release:
    if release.status == ReleaseStatus.PUBLISHED:
        raise ReleaseError(_("This release is already published."))
    release.status = ReleaseStatus.PUBLISHED
    release.published_on = timezone.now().date()
    Release.objects.filter(pk=release.pk).update(status=release.status,
                                                 published_on=release.published_on)
    record(user, AuditAction.EDIT, release, f"release {release.label} published",
           label="release publish")
    return release


def published_releases() -> QuerySet[Release]:
    return Release.objects.filter(status=ReleaseStatus.PUBLISHED).order_by("-published_on", "-id")


def latest_release() -> Release | None:
    return published_releases().first()


def running_privacy_loss(up_to: Release | None = None) -> budget.RunningLoss:
    """The most privacy (ε and δ) any one worker can have lost across every build, previews
    included, up to ``up_to``: from the list of releases only (see budget.running_loss)."""
    return budget.running_loss(up_to)


# --- Reading cells -----------------------------------------------------------------------------

STAT_COLUMNS = [
    "median_effective_hourly_usd", "p25_effective_hourly_usd", "p75_effective_hourly_usd",
    "median_effective_hourly_ppp", "unpaid_share", "late_or_missing_share", "harmful_share",
    *[f"mean_{name}" for name in RATING_FIELDS],
]


def cells(release: Release, dims: list[str] | None = None,
          filters: dict[str, str] | None = None, limit: int = MAX_CELLS_LISTED
          ) -> list[dict[str, Any]]:
    """Cells as public records: suppressed cells carry no statistic at all."""
    rows = release.cells.all().order_by("id")
    if dims:
        rows = rows.filter(dims_key=",".join(sorted(dims)))
    out = []
    for cell in rows.iterator(chunk_size=2000):
        if filters and any(cell.dims.get(key) != value for key, value in filters.items()):
            continue
        record_ = {"dims": cell.dims, "suppressed": cell.suppressed}
        if not cell.suppressed:
            record_["workers"] = cell.workers
            record_.update({name: cell.stats.get(name) for name in STAT_COLUMNS})
        out.append(record_)
        if len(out) >= limit:
            break
    return out


def cells_csv(records: list[dict[str, Any]], dims: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*dims, "suppressed", "workers", *STAT_COLUMNS])
    for rec in records:
        writer.writerow([*(rec["dims"].get(d, "") for d in dims), rec["suppressed"],
                         rec.get("workers", ""), *(rec.get(c, "") for c in STAT_COLUMNS)])
    return buffer.getvalue()


def cells_json(release: Release, records: list[dict[str, Any]]) -> str:
    return json.dumps({"release": release.label, "epsilon": release.epsilon,
                       "delta": release.delta, "k": release.k, "items": records},
                      ensure_ascii=False)


def gap(release: Release) -> list[dict[str, Any]]:
    """The same-work gap rows, computed from the release's own published cells (without
    loading the release engine and OpenDP: the gap is post-processing of published numbers)."""
    cells = [{"dims": c.dims, "suppressed": c.suppressed, "workers": c.workers, **c.stats}
             for c in release.cells.filter(dims_key__in=["region,task_type", "client,region"])]
    return gap_rows(cells, release.budget, release.k)


def public_dimensions() -> tuple[str, ...]:
    return ("task_type", "region", "platform", "client", "country", "period")
