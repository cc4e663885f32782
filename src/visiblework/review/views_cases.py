"""Editors' actions on a published case: revert it to an earlier revision, retract it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visiblework.accounts.decorators import editor_required
from visiblework.cases.editing import retract_case, revert_case
from visiblework.cases.models import Case, CaseStatus, Revision


@require_POST
@editor_required
def revert(request: HttpRequest, case_id: int, number: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=case_id)
    revision = get_object_or_404(Revision, case=case, number=number)
    revert_case(case, revision, request.user)
    messages.success(request, _("The case was reverted to revision %(n)d.") % {"n": number})
    return redirect("cases:history", case.pk, case.slug)


@require_POST
@editor_required
def retract(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=case_id, status=CaseStatus.PUBLISHED)
    try:
        retract_case(case, request.user, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(case.get_absolute_url())
