"""Insights pages: charts and tables from the latest release, release pages and downloads,
the same-work gap, scorecards, disclosure cards and the worth calculator. The editors' build
and publish screens are in the review app (review/views_releases.py)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from visiblework.cases.models import Actor
from visiblework.refdata.regions import NORTH, REGION_LABELS, SOUTH
from visiblework.reports.models import TaskType
from visiblework.reports.public import can_reply

from . import budget, cards, releases
from .charts import bar_chart
from .forms import DisclosureStatementForm
from .models import DisclosureStatement, Release, ReleaseStatus

TASK_LABELS = dict(TaskType.choices)
DIMENSION_LABELS = {"region": gettext_lazy("Region"), "task_type": gettext_lazy("Kind of work"),
                    "platform": gettext_lazy("Platform"), "client": gettext_lazy("Client")}
CHART_DIMS = {
    "task-region": ["region", "task_type"],
    "platform": ["platform"],
    "platform-region": ["platform", "region"],
    "task": ["task_type"],
}


def _visible_release(request: HttpRequest, label: str) -> Release:
    release = get_object_or_404(Release, label=label)
    if release.status != ReleaseStatus.PUBLISHED and not getattr(request.user, "is_editor",
                                                                 False):
        raise Http404
    return release


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


@require_safe
def insights(request: HttpRequest) -> HttpResponse:
    release = releases.latest_release()
    context: dict = {"release": release}
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
            title=_("The same-work gap: the Global South's median wage as a share of the "
                    "Global North's, for the same kind of work"))
    context["running_loss"] = releases.running_privacy_loss()
    context["lifetime_budget"] = budget.lifetime_budget()
    return render(request, "insights/insights.html", context)


@require_safe
def release_page(request: HttpRequest, label: str) -> HttpResponse:
    release = _visible_release(request, label)
    groups = []
    for key, dims in CHART_DIMS.items():
        records = releases.cells(release, dims=dims, limit=300)
        groups.append({"key": key, "dims": dims, "records": records,
                       "headings": [DIMENSION_LABELS.get(d, d) for d in dims],
                       "published": sum(1 for r in records if not r["suppressed"])})
        _label_dimensions(records, dims)
    return render(request, "insights/release.html", {
        "release": release, "groups": groups,
        "running_loss": releases.running_privacy_loss(release),
        "lifetime_budget": (budget.Budget(release.worker_epsilon_budget,
                                          release.worker_delta_budget)
                            if release.budget_enforced else budget.lifetime_budget()),
        # the exact number of workers left out is for editors only (docs/privacy-method.md)
        "show_left_out": getattr(request.user, "is_editor", False),
        "may_have_left_out": budget.may_have_left_out(release),
        "budget": sorted(release.budget.items()) if isinstance(release.budget, dict) else [],
    })


def _dims_param(request: HttpRequest) -> list[str]:
    raw = request.GET.get("dims", "region,task_type")
    dims = [d for d in raw.split(",") if d in releases.public_dimensions()][:3]
    return dims or ["region", "task_type"]


@require_safe
def release_cells_download(request: HttpRequest, label: str, fmt: str) -> HttpResponse:
    release = _visible_release(request, label)
    dims = _dims_param(request)
    records = releases.cells(release, dims=dims)
    if fmt == "csv":
        response = HttpResponse(releases.cells_csv(records, dims),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (f'attachment; filename="{release.label}-'
                                           f'{"-".join(dims)}.csv"')
        return response
    return HttpResponse(releases.cells_json(release, records),
                        content_type="application/json; charset=utf-8")


@require_safe
def scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor, slug=slug)
    release = releases.latest_release()
    return render(request, "insights/scorecard.html", {
        "actor": actor, "cards": cards.scorecards(actor), "release": release,
        "indicators": cards.indicators(release, actor),
    })


@require_safe
def disclosure(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    actor = get_object_or_404(Actor, slug=slug)
    card = cards.disclosure(actor)
    base = request.build_absolute_uri("/").rstrip("/")
    if fmt == "md":
        return HttpResponse(cards.disclosure_markdown(card, base),
                            content_type="text/markdown; charset=utf-8")
    if fmt == "json":
        return JsonResponse(cards.disclosure_json(card), json_dumps_params={"ensure_ascii": False})
    return render(request, "insights/disclosure.html", {
        "card": card, "markdown": cards.disclosure_markdown(card, base),
        "can_edit": can_reply(request.user, actor)})


@require_safe
def worth(request: HttpRequest) -> HttpResponse:
    counts = {}
    errors = []
    for name, _task, _seconds in cards.ACTIVITIES:
        raw = request.GET.get(name, "").strip()
        if raw:
            try:
                counts[name] = int(raw)
                if counts[name] < 0:
                    raise ValueError
            except ValueError:
                errors.append(name)
    result = cards.worth(counts) if request.GET and not errors else None
    return render(request, "insights/worth.html", {"result": result, "errors": errors,
                                                   "counts": counts,
                                                   "activities": cards.ACTIVITIES},
                  status=400 if errors else 200)


def release_json_ld(release: Release, url: str) -> str:
    return json.dumps({"@context": "https://schema.org", "@type": "Dataset",
                       "name": f"Visible Work release {release.label}", "url": url,
                       "datePublished": str(release.published_on or ""),
                       "temporalCoverage": f"../{release.cutoff}"}).replace("<", "\\u003c")


@require_http_methods(["GET", "HEAD", "POST"])
def disclosure_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """A verified representative adds or changes the company's own answers."""
    actor = get_object_or_404(Actor, slug=slug)
    if not can_reply(request.user, actor):
        raise Http404
    statement = DisclosureStatement.objects.filter(actor=actor).first()
    form = DisclosureStatementForm(request.POST or None, instance=statement)
    if request.method == "POST" and form.is_valid():
        cards.publish_statement(form.save(commit=False), actor=actor, author=request.user,
                                changed=form.changed_data)
        messages.success(request, _("Your answers are published beside the workers' figures."))
        return redirect("insights:disclosure", actor.slug)
    return render(request, "insights/disclosure_edit.html", {"actor": actor, "form": form},
                  status=400 if form.errors else 200)
