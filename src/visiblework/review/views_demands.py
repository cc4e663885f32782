"""The editors' demands: approve or reject (with a reason) the demands workers propose, and
mark approved ones answered, met or closed. This screen never shows who supports a demand,
nor how many do before a count is published (the escrow holds for editors too)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from visiblework.accounts.decorators import editor_required
from visiblework.voice import demands
from visiblework.voice.models import Demand, DemandStatus

PAGE = 25


@require_safe
@editor_required
def demands_page(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", DemandStatus.PENDING)
    if status not in DemandStatus.values:
        status = DemandStatus.PENDING
    listed = Demand.objects.select_related("addressed").filter(status=status).order_by("id")
    page = Paginator(listed, PAGE).get_page(request.GET.get("page"))
    return render(request, "review/demands.html", {
        "page": page, "status": status, "statuses": DemandStatus.choices,
        "editor_statuses": [(s.value, s.label) for s in DemandStatus
                            if s.value in demands.EDITOR_STATUSES],
        "approved_statuses": demands.APPROVED,
    })


@require_POST
@editor_required
def decide(request: HttpRequest, public_id: str, decision: str) -> HttpResponse:
    """One editor's decision on a demand (`decision`, set by the URL: approve, reject or
    status); say what happened; back to the list of the demand's status."""
    demand = get_object_or_404(Demand, public_id=public_id)
    try:
        if decision == "approve":
            demand = demands.approve(demand, request.user)
            done = _("Approved: the demand is published and gathers support.")
        elif decision == "reject":
            demand = demands.reject(demand, request.user, request.POST.get("reason", ""))
            done = _("Rejected. The proposer can read your reason.")
        else:
            demand = demands.set_status(demand, request.user, request.POST.get("status", ""))
            done = _("Status changed to “%(status)s”.") % {"status": demand.get_status_display()}
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    response = redirect("review:demands")
    response["Location"] += f"?status={demand.status}"
    return response
