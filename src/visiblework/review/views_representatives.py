"""Editors' screen of the right of reply: requests from company accounts to represent an
actor, to approve or refuse with a reason the requester reads, and verified representatives
to withdraw. The rules (and the audit entries) are in reports/replies.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from visiblework.accounts.decorators import editor_required
from visiblework.reports import replies
from visiblework.reports.models import Representation, RepresentationStatus

from .views import PAGE


def _page(request: HttpRequest, status: str, *, error: str = "", http_status: int = 200,
          failed: int | None = None, reason: str = "") -> HttpResponse:
    listing = replies.for_review(status)
    page = Paginator(listing.representations, PAGE).get_page(request.GET.get("page"))
    return render(request, "review/representatives.html", {
        "page": page, "status": listing.status, "statuses": RepresentationStatus.choices,
        "error": error, "failed": failed, "reason": reason}, status=http_status)


@require_safe
@editor_required
def representatives(request: HttpRequest) -> HttpResponse:
    return _page(request, request.GET.get("status", RepresentationStatus.PENDING))


@require_POST
@editor_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    representation = get_object_or_404(Representation.objects.select_related("actor", "user"),
                                       pk=pk)
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")[:2000]
    back = request.POST.get("status", "")
    back = back if back in RepresentationStatus.values else RepresentationStatus.PENDING
    try:
        replies.decide(representation, request.user, decision, reason)
    except ValidationError as exc:
        return _page(request, back, error=" ".join(exc.messages), http_status=400, failed=pk,
                     reason=reason)
    done = {"approve": _("%(user)s may now reply for %(actor)s."),
            "refuse": _("The request of %(user)s for %(actor)s is refused."),
            "revoke": _("%(user)s may no longer reply for %(actor)s; their reply is taken "
                        "down.")}[decision]
    messages.success(request, done % {"user": representation.user.get_username(),
                                      "actor": representation.actor.name})
    return redirect(f"{reverse('review:representatives')}?status={back}")
