"""Contributing a case or an update, and following it with a private tracking link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from visiblework.core.ratelimit import allow

from . import contributions
from .editing import find_actor, snapshot
from .forms import ActorFormSet, ContributionForm, SourceFormSet, initial_from_case_data
from .forms import proposal_from_forms as _proposal
from .models import Case, CaseStatus, ContributionKind

CONTRIBUTIONS_PER_HOUR = 20


def _target_case(request: HttpRequest) -> Case | None:
    raw = request.GET.get("case") or request.POST.get("case")
    if not raw:
        return None
    try:
        return Case.objects.filter(pk=int(raw), status=CaseStatus.PUBLISHED).first()
    except ValueError:
        return None


@never_cache
def contribute(request: HttpRequest) -> HttpResponse:
    case = _target_case(request)
    if request.GET.get("case") and case is None:
        raise Http404(_("No such case."))
    kind = ContributionKind.UPDATE if case else ContributionKind.NEW_CASE
    errors: list[str] = []
    if request.method == "POST":
        form = ContributionForm(request.POST)
        sources = SourceFormSet(request.POST, prefix="sources")
        actors = ActorFormSet(request.POST, prefix="actors")
        if not allow(request, "contribute", CONTRIBUTIONS_PER_HOUR):
            errors.append(_("Too many suggestions from here in the last hour. Please try again "
                            "later; nothing you typed is lost."))
        elif form.is_valid() and sources.is_valid() and actors.is_valid():
            try:
                submitted = contributions.submit(
                    _proposal(form, sources, actors), kind=kind,
                    case_id=case.pk if case else None,
                    note=form.cleaned_data.get("note", ""),
                    honeypot=form.cleaned_data.get("website", ""))
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    target = field if field in form.fields else None
                    for message in messages:
                        form.add_error(target, message)
            else:
                return submitted_page(request, submitted)
        status = 429 if errors else 400
    else:
        status = 200
        if case:
            initial, source_rows, actor_rows = initial_from_case_data(snapshot(case))
        else:
            initial, source_rows, actor_rows = {}, [], []
            actor = find_actor(request.GET.get("actor", "")[:200])
            if actor:  # "Suggest an update" from an actor page
                actor_rows = [{"name": actor.name, "role": ""}]
                initial = {"note": _("About the actor %(name)s: ") % {"name": actor.name}}
        form = ContributionForm(initial=initial)
        sources = SourceFormSet(prefix="sources", initial=source_rows)
        actors = ActorFormSet(prefix="actors", initial=actor_rows)
    return render(request, "cases/contribute.html", {
        "form": form, "sources": sources, "actors": actors, "case": case, "errors": errors,
    }, status=status)


def submitted_page(request: HttpRequest, submitted: contributions.Submitted) -> HttpResponse:
    """The page that gives a contributor their private tracking code, once."""
    return render(request, "cases/contribute_done.html", {
        "tracking_code": submitted.tracking_code,
        "tracking_url": request.build_absolute_uri(
            reverse("cases:track", args=[submitted.tracking_code])),
    }, status=201)


@never_cache
def track(request: HttpRequest, code: str) -> HttpResponse:
    contribution = contributions.by_tracking_code(code)
    if contribution is None:
        raise Http404(_("No contribution has this tracking code."))
    return render(request, "cases/track.html", {"contribution": contribution})
