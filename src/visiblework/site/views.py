"""Pages about the whole site (/about/)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from visiblework.refdata import packaged

from . import api_reference as api_reference_service


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


@require_safe
def api_reference(request: HttpRequest) -> HttpResponse:
    """The API reference, from the OpenAPI document (the document itself stays at
    /api/v1/openapi.json)."""
    base_url = request.build_absolute_uri("/api/v1/").rstrip("/")
    return render(request, "site/api_reference.html", {
        "reference": api_reference_service.reference(),
        # The API's own texts are English: marked as such on pages in other languages.
        "en": "" if get_language() == "en" else mark_safe(' lang="en"'),  # noqa: S308
        "base_url": base_url, "example": f'curl "{base_url}/cases?q=moderation&limit=5"'})


FAVICON = Path(__file__).resolve().parents[1] / "static" / "vw" / "favicon.ico"


@cache
def _favicon() -> bytes:
    return FAVICON.read_bytes()


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, where browsers and feed readers look for the site's icon (pages also
    link the SVG one)."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
