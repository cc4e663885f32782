"""Pages about the whole site (/about/)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def data_use(request: HttpRequest) -> HttpResponse:
    """The Data Use Policy: what the data may and may not be used for."""
    return render(request, "site/data_use.html", {"k": settings.VISIBLEWORK_K})
