"""Editors' screen of suggested duplicate actors, with a one-click merge of each group, or
its dismissal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from visiblework.accounts.decorators import editor_required
from visiblework.cases import actor_duplicates

from .views import _int


@require_safe
@editor_required
def duplicates(request: HttpRequest) -> HttpResponse:
    page = actor_duplicates.suggested_duplicates(_int(request.GET.get("page")) or 1)
    return render(request, "review/actor_duplicates.html", {"result": page})


@require_POST
@editor_required
def merge(request: HttpRequest) -> HttpResponse:
    keep = _int(request.POST.get("keep"))
    merged = [i for i in (_int(v) for v in request.POST.getlist("merge")[:100]) if i]
    back = reverse("review:actor-duplicates")
    page = _int(request.POST.get("page"))
    if page and page > 1:
        back += f"?page={page}"
    if keep is None:
        messages.error(request, _("Choose the actor to keep."))
        return redirect(back)
    try:
        survivor, names = actor_duplicates.merge_into(keep, merged, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("Merged %(names)s into %(name)s.") % {
        "names": ", ".join(names), "name": survivor.name})
    return redirect(back)


@require_POST
@editor_required
def dismiss(request: HttpRequest) -> HttpResponse:
    actors = [i for i in (_int(v) for v in request.POST.getlist("actor")[:100]) if i]
    back = reverse("review:actor-duplicates")
    page = _int(request.POST.get("page"))
    if page and page > 1:
        back += f"?page={page}"
    try:
        names = actor_duplicates.dismiss_group(actors, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("Dismissed: %(names)s will not be suggested as one actor "
                                "again.") % {"names": ", ".join(names)})
    return redirect(back)
