"""GET /api/v1/releases, /releases/{label}/cells, /releases/{label}/gap: published only."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from visiblework.cases.schemas import ErrorOut

from . import budget, releases
from .models import Release, ReleaseStatus

router = Router(tags=["releases"])


class ReleaseOut(Schema):
    label: str
    published_at: str | None
    cutoff: str
    epsilon: float
    delta: float
    k: int
    method_version: str
    budget: dict
    workers_noisy: int
    reports_noisy: int


class ReleaseListOut(Schema):
    items: list[ReleaseOut]
    running_privacy_loss: float = Field(description="the most ε any one worker can have lost "
                                        "over every build, previews included")
    running_privacy_loss_delta: float = Field(description="the same for δ")
    worker_budget_epsilon: float = Field(description="the lifetime ε of each worker")
    worker_budget_delta: float = Field(description="the lifetime δ of each worker")


class CellsOut(Schema):
    items: list[dict]
    dims: list[str]


class GapOut(Schema):
    items: list[dict]


def _release_out(r: Release) -> dict:
    return {"label": r.label, "published_at": str(r.published_on) if r.published_on else None,
            "cutoff": str(r.cutoff), "epsilon": r.epsilon, "delta": r.delta, "k": r.k,
            "method_version": r.method_version, "budget": r.budget,
            "workers_noisy": r.workers_noisy, "reports_noisy": r.reports_noisy}


@router.get("/releases", response=ReleaseListOut)
def list_releases(request: HttpRequest):
    """Published releases, newest first (bounded to 100)."""
    loss = releases.running_privacy_loss()
    lifetime = budget.lifetime_budget()
    return {"items": [_release_out(r) for r in releases.published_releases()[:100]],
            "running_privacy_loss": loss.epsilon, "running_privacy_loss_delta": loss.delta,
            "worker_budget_epsilon": lifetime.epsilon, "worker_budget_delta": lifetime.delta}


def _published(label: str) -> Release | None:
    return Release.objects.filter(label=label, status=ReleaseStatus.PUBLISHED).first()


@router.get("/releases/{label}/cells", response={200: CellsOut, 404: ErrorOut, 422: ErrorOut})
def release_cells(request: HttpRequest, label: str,
                  dims: str = Query("region,task_type", description="comma-separated: "
                                    "task_type, region, platform, client, country, period"),
                  task_type: str | None = None, region: str | None = None,
                  platform: str | None = None, client: str | None = None,
                  country: str | None = None, period: str | None = None):
    """The cells of one set of dimensions. A suppressed cell carries `"suppressed": true`
    and no statistic."""
    release = _published(label)
    if release is None:
        return Status(404, {"detail": _("No published release has this label.")})
    wanted = [d.strip() for d in dims.split(",") if d.strip()]
    if not wanted or any(d not in releases.public_dimensions() for d in wanted):
        return Status(422, {"detail": _("Unknown dimension in dims.")})
    filters = {k: v for k, v in {"task_type": task_type, "region": region, "platform": platform,
                                 "client": client, "country": country,
                                 "period": period}.items() if v}
    return {"items": releases.cells(release, dims=wanted, filters=filters), "dims": sorted(wanted)}


@router.get("/releases/{label}/gap", response={200: GapOut, 404: ErrorOut})
def release_gap(request: HttpRequest, label: str):
    """The same-work gap: per task type (and client), the Global South's median true hourly
    wage as a share of the Global North's, with an interval."""
    release = _published(label)
    if release is None:
        return Status(404, {"detail": _("No published release has this label.")})
    return {"items": releases.gap(release)}
