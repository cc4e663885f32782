"""What the demands add to a worker's own page, /accounts/me/ (settings.
VISIBLEWORK_PAGE_SECTIONS): the demands they proposed, with the editors' decision. Shown to
that worker only; never which demands they support."""

from __future__ import annotations

from django.http import HttpRequest

from visiblework.core.sections import Section

from .models import Demand

MAX_LISTED = 50


def my_demands(request: HttpRequest) -> Section | None:
    if not request.user.is_authenticated:
        return None
    proposed = list(Demand.objects.filter(proposer_id=request.user.pk)
                    .select_related("addressed").order_by("-id")[:MAX_LISTED])
    if not proposed:
        return None
    return Section("voice/_my_demands.html", {"proposed": proposed})
