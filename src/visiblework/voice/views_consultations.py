"""Consultations (voice/consultations.py): the list, a consultation's page with its vote form
(a plain POST that works without JavaScript) and, once closed, its published results."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import consultations
from .models import Consultation, ConsultationStatus

LIST_LIMIT = 50


def _public(slug: str) -> Consultation:
    consultation = get_object_or_404(Consultation, slug=slug)
    if not consultations.is_public(consultation):
        raise Http404
    return consultation


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    today = consultations.today()
    shown = list(Consultation.objects.exclude(status=ConsultationStatus.DRAFT).order_by(
        "-closes_on", "-pk")[:LIST_LIMIT + 1])
    items = [(c, consultations.state(c, today)) for c in shown[:LIST_LIMIT]]
    return render(request, "voice/consultations.html", {
        "open": [c for c, s in items if s in ("open", "upcoming")],
        "closed": [c for c, s in items if s == "closed"],
        "limit": LIST_LIMIT,
        "truncated": len(shown) > LIST_LIMIT,
    })


def _page(request: HttpRequest, consultation: Consultation, *, error: str = "",
          status: int = 200) -> HttpResponse:
    mine = consultations.own_vote(request.user, consultation)
    return render(request, "voice/consultation.html", {
        "consultation": consultation,
        "state": consultations.state(consultation),
        "may_vote": consultations.may_vote(request.user),
        "own_vote": mine,
        "own_vote_label": consultations.label_of(consultation, mine),
        "options": consultations.options_with_results(consultation),
        "results": consultation.results,
        "epsilon": settings.VISIBLEWORK_CONSULTATION_EPSILON,
        "k": settings.VISIBLEWORK_K,
        "error": error,
    }, status=status)


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, _public(slug))


@require_POST
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _public(slug)
    try:
        consultations.vote(request.user, consultation, request.POST.get("option", ""))
    except consultations.NotEligible as exc:
        return _page(request, consultation, error=str(exc), status=403)
    except consultations.ConsultationError as exc:
        return _page(request, consultation, error=str(exc), status=400)
    messages.success(request, _("Your vote is saved. You can change it until voting closes."))
    return redirect("voice:consultation", consultation.slug)
