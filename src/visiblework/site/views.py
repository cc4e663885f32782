"""Pages about the whole site (/about/)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from visiblework.refdata import packaged


@require_safe
def data_use(request: HttpRequest) -> HttpResponse:
    """The Data Use Policy: what the data may and may not be used for."""
    return render(request, "site/data_use.html", {"k": settings.VISIBLEWORK_K})


@require_safe
def reference_data(request: HttpRequest) -> HttpResponse:
    """The reference data behind the wage conversions: sources, licences, version, date."""
    try:
        snapshot: packaged.PackagedSnapshot | None = packaged.metadata()
    except packaged.SnapshotError:
        snapshot = None
    in_use = packaged.in_use()
    return render(request, "site/reference_data.html", {
        "snapshot": snapshot, "in_use": in_use,
        "packaged_in_use": snapshot is not None and in_use is not None
        and in_use.digest == snapshot.digest})
