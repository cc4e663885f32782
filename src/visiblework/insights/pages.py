"""What the insights pages show, assembled from a release's published cells: the overview
at /insights/ (five charts with their tables, the same-work gap, the running privacy loss)
and a release's own page. Views stay thin; every number comes from a release."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from visiblework.cases.models import Actor
from visiblework.core.charts import bar_chart
from visiblework.refdata.regions import NORTH, REGION_LABELS, SOUTH
from visiblework.reports.models import TaskType

from . import budget, release_method, releases
from .models import Release
from .release_method import DIMENSION_LABELS

TASK_LABELS = dict(TaskType.choices)
CHART_DIMS = {
    "task-region": ["region", "task_type"],
    "platform": ["platform"],
    "platform-region": ["platform", "region"],
    "task": ["task_type"],
}


def overview() -> dict[str, Any]:
    """The context of /insights/: from the latest published release, if there is one."""
    release = releases.latest_release()
    context: dict[str, Any] = {"release": release}
    if release is not None:
        rows, table = _task_region_chart(release)
        context["task_region_chart"] = bar_chart(
            rows, [_("Global North"), _("Global South")], unit="USD", chart_id="c-task-region",
            title=_("Median true hourly wage by kind of work and region (US dollars)"))
        context["task_region_table"] = table
        platforms = _single_dim(release, "platform", "median_effective_hourly_usd")
        context["platform_table"] = platforms
        context["platform_chart"] = bar_chart(
            [(p["label"], [p.get("median_effective_hourly_usd")]) for p in platforms],
            [_("Median true hourly wage")], unit="USD", chart_id="c-platform",
            title=_("Median true hourly wage by platform (US dollars)"))
        tasks = _single_dim(release, "task_type", "unpaid_share",
                            labels={k: str(v) for k, v in TASK_LABELS.items()})
        context["task_table"] = tasks
        context["unpaid_chart"] = bar_chart(
            [(t["label"], [_pct(t.get("unpaid_share"))]) for t in tasks],
            [_("Unpaid share of working time")], unit="%", chart_id="c-unpaid",
            title=_("Share of working time that was unpaid, by kind of work"))
        context["harm_chart"] = bar_chart(
            [(t["label"], [_pct(t.get("harmful_share"))]) for t in tasks],
            [_("Workers exposed to harmful content")], unit="%", chart_id="c-harm",
            title=_("Share of workers exposed to harmful content, by kind of work"))
        gap_rows = releases.gap(release)
        for row in gap_rows:
            row["label"] = (TASK_LABELS.get(row.get("task_type"), row.get("task_type"))
                            if row.get("task_type") else row.get("client"))
        context["gap_rows"] = gap_rows
        context["gap_chart"] = bar_chart(
            [(str(r["label"]), [r["ratio"] * 100]) for r in gap_rows],
            [_("South's median as a share of the North's")], unit="%", chart_id="c-gap",
            intervals=[(r["low"] * 100, r["high"] * 100)
                       if r.get("low") is not None and r.get("high") is not None else None
                       for r in gap_rows],
            title=_("The same-work gap: the Global South's median wage as a share of the "
                    "Global North's, for the same kind of work"))
    context["running_loss"] = releases.running_privacy_loss()
    context["lifetime_budget"] = budget.lifetime_budget()
    return context


def release_document(release: Release, *, show_left_out: bool) -> dict[str, Any]:
    """The context of a release's page: what was measured, how privacy was protected (the
    split of ε between the tables and the method's parameters, in words), the tables (the
    published cells, largest first, then the withheld ones named with the reason), and
    downloads."""
    groups = []
    for key, dims in CHART_DIMS.items():
        records = releases.cells(release, dims=dims, limit=300)
        _label_dimensions(records, dims)
        published = sorted((r for r in records if not r["suppressed"]),
                           key=lambda r: -(r.get("workers") or 0))
        groups.append({"key": key, "dims": dims, "records": published,
                       "withheld": [" · ".join(str(v) for v in r["shown"])
                                    for r in records if r["suppressed"]],
                       "name": release_method.table_name(dims), "total": len(records),
                       "headings": [DIMENSION_LABELS.get(d, d) for d in dims],
                       "published": len(published)})
    return {
        "release": release, "groups": groups, "split": release_method.split(release),
        "parameters": release_method.parameters(release),
        "running_loss": releases.running_privacy_loss(release),
        "lifetime_budget": (budget.Budget(release.worker_epsilon_budget,
                                          release.worker_delta_budget)
                            if release.budget_enforced else budget.lifetime_budget()),
        "show_left_out": show_left_out,
        "may_have_left_out": budget.may_have_left_out(release),
    }


def _pct(value):
    return None if value is None else value * 100


def _task_region_chart(release: Release):
    records = releases.cells(release, dims=["region", "task_type"])
    by_task: dict[str, dict] = {}
    for rec in records:
        by_task.setdefault(rec["dims"]["task_type"], {})[rec["dims"]["region"]] = rec
    rows, table = [], []
    for task in TaskType.values:
        north = by_task.get(task, {}).get(NORTH, {"suppressed": True})
        south = by_task.get(task, {}).get(SOUTH, {"suppressed": True})
        values = [None if north["suppressed"] else north.get("median_effective_hourly_usd"),
                  None if south["suppressed"] else south.get("median_effective_hourly_usd")]
        if any(v is not None for v in values):
            rows.append((str(TASK_LABELS[task]), values))
        table.append({"label": TASK_LABELS[task], "north": north, "south": south})
    return rows, table


def _single_dim(release: Release, dim: str, stat: str, labels=None, limit: int = 25):
    records = [r for r in releases.cells(release, dims=[dim]) if not r["suppressed"]]
    records.sort(key=lambda r: -(r.get(stat) or 0))
    records = records[:limit]
    names = dict(Actor.objects.filter(slug__in=[r["dims"][dim] for r in records])
                 .values_list("slug", "name")) if dim in ("platform", "client") else {}
    for r in records:
        key = r["dims"][dim]
        r["label"] = names.get(key) or (labels or {}).get(key, key)
    return records


def _label_dimensions(records: list[dict], dims: list[str]) -> None:
    """Give each record `shown`: the values of `dims`, in that order, as readers name them
    (kinds of work and regions in their language, platforms and clients by name)."""
    slugs = {r["dims"].get(d) for r in records for d in dims if d in ("platform", "client")}
    names = (dict(Actor.objects.filter(slug__in=slugs - {None}).values_list("slug", "name"))
             if slugs else {})
    labels = {"task_type": TASK_LABELS, "region": REGION_LABELS, "platform": names,
              "client": names}
    for r in records:
        values = [r["dims"].get(d, "") for d in dims]
        r["shown"] = [labels.get(d, {}).get(v, v) for d, v in zip(dims, values, strict=True)]
