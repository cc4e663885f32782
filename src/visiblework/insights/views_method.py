"""The method's change log (/insights/method/): what changed in how statistics are made, when,
why, and a link to where it was decided (a consultation's page; insights does not import
voice, so the link is stored on the row)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import MethodChange

PAGE = 50


def _local(url: str) -> bool:
    """Only a path on this site is linked (no scheme, no other host)."""
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


@require_safe
def method_changes(request: HttpRequest) -> HttpResponse:
    page = Paginator(MethodChange.objects.order_by("-changed_on", "-pk"), PAGE).get_page(
        request.GET.get("page"))
    changes = [{"change": c, "link": c.decided_at_url if _local(c.decided_at_url) else ""}
               for c in page.object_list]
    return render(request, "insights/method_changes.html", {"page": page, "changes": changes})
