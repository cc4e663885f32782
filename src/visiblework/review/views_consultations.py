"""The editors' consultation screens: create a consultation (a draft), open it, close it (which
publishes its results once) and record the decision taken. No screen lists who voted or how;
before closing, editors see no count at all (voice/consultations.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from visiblework.accounts.decorators import editor_required
from visiblework.voice import consultations
from visiblework.voice.consultation_forms import ConsultationForm, DecisionForm
from visiblework.voice.models import Consultation

LIST_LIMIT = 100


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def consultations_page(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consultation = consultations.create(request.user, form.draft)
        messages.success(request, _("The consultation is saved as a draft. Open it when it is "
                                    "ready: its options cannot change after that."))
        return redirect("review:consultation", consultation.slug)
    today = consultations.today()
    items = [(c, consultations.state(c, today))
             for c in Consultation.objects.order_by("-closes_on", "-pk")[:LIST_LIMIT]]
    return render(request, "review/consultations.html", {"form": form, "items": items},
                  status=400 if request.method == "POST" else 200)


def _detail(request: HttpRequest, consultation: Consultation, *,
            decision_form: DecisionForm | None = None, status: int = 200) -> HttpResponse:
    return render(request, "review/consultations_detail.html", {
        "consultation": consultation,
        "state": consultations.state(consultation),
        "options": consultations.options_with_results(consultation),
        "decision_form": decision_form or DecisionForm(),
        "epsilon": settings.VISIBLEWORK_CONSULTATION_EPSILON,
        "k": settings.VISIBLEWORK_K,
    }, status=status)


@require_http_methods(["GET", "HEAD"])
@editor_required
def consultation(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail(request, get_object_or_404(Consultation, slug=slug))


def _act(request: HttpRequest, slug: str, action: Callable[[Consultation], object],
         done: str) -> HttpResponse:
    consultation = get_object_or_404(Consultation, slug=slug)
    try:
        action(consultation)
    except consultations.ConsultationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("review:consultation", slug)


@require_POST
@editor_required
def open_consultation(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(request, slug,
                lambda c: consultations.open_consultation(request.user, c),
                _("The consultation is open."))


@require_POST
@editor_required
def close_consultation(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(request, slug, lambda c: consultations.close(c, editor=request.user),
                _("Voting is closed and the results are published."))


@require_POST
@editor_required
def decide(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(Consultation, slug=slug)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            consultations.decide(request.user, consultation,
                                 form.cleaned_data["decision"], form.cleaned_data["reason"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except consultations.ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The decision is recorded in the method's change log."))
            return redirect("review:consultation", slug)
    return _detail(request, consultation, decision_form=form, status=400)
