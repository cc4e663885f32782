"""What the insights floor adds to a worker's own report, on the page after sending it and
on its own page (settings.VISIBLEWORK_PAGE_SECTIONS["own_report"]): what workers doing the same kind of
work earn in each region, from the latest published release only, beside the worker's own
true wage (which only they see)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from visiblework.core.sections import Section
from visiblework.refdata.regions import REGION_LABELS, REGIONS
from visiblework.reports.models import Report
from visiblework.reports.wages import Wage

from . import releases
from .platform_figures import cells_by, task_label


def same_work_figures(request: HttpRequest, report: Report, wage: Wage | None
                      ) -> Section | None:
    release = releases.latest_release()
    task = report.task_type
    context: dict[str, Any] = {"release": release, "task_label": task_label(task)}
    if release is None:
        return Section("insights/_same_work.html", context)
    own = wage.usd.effective_hourly if wage is not None and wage.usd is not None else None
    regions = []
    for region, figures in cells_by(release, {"task_type": task}, "region", REGIONS):
        median = figures.median_usd if figures.published else None
        compared = None
        if own is not None and median is not None:
            compared = "below" if Decimal(own) < Decimal(str(median)) else "at_or_above"
        regions.append({"label": REGION_LABELS[region], "figures": figures,
                        "compared": compared})
    context.update({"regions": regions, "own_usd": own,
                    "release_url": reverse("insights:release", args=[release.label])})
    return Section("insights/_same_work.html", context)
