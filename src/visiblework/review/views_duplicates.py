"""The editors' list of possible duplicate cases: merge a pair in one click (keeping either
case), or dismiss it for good; start a new search."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from visiblework.accounts.decorators import editor_required
from visiblework.cases import duplicates
from visiblework.cases.external_ids import links
from visiblework.cases.models import DuplicateSuggestion
from visiblework.core.jobs import JobBusy

PAGE = 25


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_safe
@editor_required
def duplicates_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(duplicates.open_suggestions(), PAGE).get_page(request.GET.get("page"))
    for suggestion in page:
        suggestion.pair = [(case, links([case.external_id]))
                           for case in (suggestion.first, suggestion.second)]
    searches = duplicates.recent_searches()
    return render(request, "review/duplicates.html", {
        "page": page, "searches": searches,
        "searching": any(job.active and not job.lost for job in searches),
    })


@require_POST
@editor_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(DuplicateSuggestion.objects.select_related("first", "second"),
                                   pk=pk)
    try:
        kept = duplicates.merge_suggestion(suggestion, _int(request.POST.get("keep")) or 0,
                                           request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Merged. Case %(kept)d keeps what both had; the other now "
                                    "leads to it.") % {"kept": kept.pk})
    return redirect("review:duplicates")


@require_POST
@editor_required
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(DuplicateSuggestion, pk=pk)
    try:
        duplicates.dismiss(suggestion, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Dismissed: these two cases will not be suggested again."))
    return redirect("review:duplicates")


@require_POST
@editor_required
def search(request: HttpRequest) -> HttpResponse:
    try:
        duplicates.start_search(request.user)
    except JobBusy:
        messages.error(request, _("A search is already running."))
    else:
        messages.success(request, _("The search has started. Reload this page to see what it "
                                    "finds."))
    return redirect("review:duplicates")
