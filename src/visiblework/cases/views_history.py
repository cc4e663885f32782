"""A case's public history: every revision, and the difference between any two."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .diffs import diff_case_data
from .models import Case, CaseStatus

MAX_REVISIONS_LISTED = 200


def _public_case(case_id: int) -> Case:
    case = Case.objects.filter(pk=case_id, status__in=[CaseStatus.PUBLISHED,
                                                       CaseStatus.RETRACTED]).first()
    if case is None:
        raise Http404(_("No such case."))
    return case


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_safe
def history(request: HttpRequest, case_id: int, slug: str) -> HttpResponse:
    case = _public_case(case_id)
    revisions = list(case.revisions.select_related("author").order_by("-number")
                     [:MAX_REVISIONS_LISTED])
    by_number = {r.number: r for r in revisions}
    newest = revisions[0].number if revisions else None
    to_n = _number(request.GET.get("to")) or newest
    from_n = _number(request.GET.get("from"))
    if from_n is None and to_n is not None:
        from_n = to_n - 1
    diff = None
    if to_n in by_number:
        before = by_number.get(from_n)
        diff = {"from": before, "to": by_number[to_n],
                "fields": [d for d in diff_case_data(before.data if before else None,
                                                     by_number[to_n].data) if d.changed]}
    return render(request, "cases/history.html", {
        "case": case, "revisions": revisions, "diff": diff,
        "can_edit": getattr(request.user, "is_editor", False),
    })
