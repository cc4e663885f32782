"""Insights pages: charts and tables from the latest release, release pages and downloads,
the same-work gap, scorecards, disclosure cards and the worth calculator. The editors' build
and publish screens are in the review app (review/views_releases.py)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from visiblework.cases.models import Actor
from visiblework.reports.public import can_reply

from . import cards, compare, pages, releases, scorecards
from .forms import DisclosureStatementForm
from .models import FAIRWORK_PRINCIPLES, DisclosureStatement, Release, ReleaseStatus


def _visible_release(request: HttpRequest, label: str) -> Release:
    release = get_object_or_404(Release, label=label)
    if release.status != ReleaseStatus.PUBLISHED and not getattr(request.user, "is_editor",
                                                                 False):
        raise Http404
    return release


@require_safe
def insights(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/insights.html", pages.overview())


@require_safe
def release_page(request: HttpRequest, label: str) -> HttpResponse:
    release = _visible_release(request, label)
    # the exact number of workers left out is for editors only (docs/privacy-method.md)
    context = pages.release_document(release,
                                     show_left_out=getattr(request.user, "is_editor", False))
    context["url"] = request.build_absolute_uri(request.path)
    return render(request, "insights/release.html", context)


@require_safe
def release_privacy_download(request: HttpRequest, label: str) -> HttpResponse:
    """The release's privacy accounting as stored: every part's and statistic's ε or ρ,
    mechanism and noise scale, and the method's parameters."""
    release = _visible_release(request, label)
    return JsonResponse({"release": release.label, "budget": release.budget},
                        json_dumps_params={"ensure_ascii": False, "indent": 1})


def _dims_param(request: HttpRequest) -> list[str]:
    raw = request.GET.get("dims", "region,task_type")
    dims = [d for d in raw.split(",") if d in releases.public_dimensions()][:3]
    return dims or ["region", "task_type"]


@require_safe
def release_cells_download(request: HttpRequest, label: str, fmt: str) -> HttpResponse:
    release = _visible_release(request, label)
    dims = _dims_param(request)
    records = releases.cells(release, dims=dims)
    if fmt == "csv":
        response = HttpResponse(releases.cells_csv(records, dims),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (f'attachment; filename="{release.label}-'
                                           f'{"-".join(dims)}.csv"')
        return response
    return HttpResponse(releases.cells_json(release, records),
                        content_type="application/json; charset=utf-8")


@require_safe
def compare_page(request: HttpRequest) -> HttpResponse:
    result = compare.compare(request.GET)
    release_url = reverse("insights:release", args=[result.release.label]) if result.release else ""
    return render(request, "insights/compare.html", {"c": result, "release_url": release_url},
                  status=result.status)


@require_safe
def scorecard_index(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/scorecards.html", {"cards": scorecards.index()})


@require_safe
def scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor, slug=slug)
    release = releases.latest_release()
    evidence = scorecards.evidence_by_principle(actor, release)
    found = cards.scorecards(actor)
    for sc in found:
        for key_row, (key, _name) in zip(sc["rows"], FAIRWORK_PRINCIPLES, strict=True):
            key_row["points"] = [p for p in (key_row["basic"], key_row["advanced"]) if p]
            stated = {p.level for p in key_row["points"] if p.release_cells.all()}
            # the newest card shows what the latest release says, less the points that
            # already rest on a release cell
            key_row["evidence"] = ([e for e in evidence[key] if e.level not in stated]
                                   if sc is found[0] else [])
    return render(request, "insights/scorecard.html", {
        "actor": actor, "cards": found, "release": release,
        "has_evidence": any(evidence.values()),
        "evidence_list": [] if found else [e for items in evidence.values() for e in items],
    })


@require_safe
def disclosure(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    actor = get_object_or_404(Actor, slug=slug)
    card = cards.disclosure(actor)
    base = request.build_absolute_uri("/").rstrip("/")
    if fmt == "md":
        return HttpResponse(cards.disclosure_markdown(card, base),
                            content_type="text/markdown; charset=utf-8")
    if fmt == "json":
        return JsonResponse(cards.disclosure_json(card), json_dumps_params={"ensure_ascii": False})
    return render(request, "insights/disclosure.html", {
        "card": card, "markdown": cards.disclosure_markdown(card, base),
        "can_edit": can_reply(request.user, actor)})


@require_safe
def worth(request: HttpRequest) -> HttpResponse:
    counts = {}
    errors = []
    for name, _task, _seconds in cards.ACTIVITIES:
        raw = request.GET.get(name, "").strip()
        if raw:
            try:
                counts[name] = int(raw)
                if counts[name] < 0:
                    raise ValueError
            except ValueError:
                errors.append(name)
    result = cards.worth(counts) if request.GET and not errors else None
    return render(request, "insights/worth.html", {"result": result, "errors": errors,
                                                   "counts": counts,
                                                   "activities": cards.ACTIVITIES},
                  status=400 if errors else 200)


def release_json_ld(release: Release, url: str) -> str:
    return json.dumps({"@context": "https://schema.org", "@type": "Dataset",
                       "name": f"Visible Work release {release.label}", "url": url,
                       "datePublished": str(release.published_on or ""),
                       "temporalCoverage": f"../{release.cutoff}"}).replace("<", "\\u003c")


@require_http_methods(["GET", "HEAD", "POST"])
def disclosure_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """A verified representative adds or changes the company's own answers."""
    actor = get_object_or_404(Actor, slug=slug)
    if not can_reply(request.user, actor):
        raise Http404
    statement = DisclosureStatement.objects.filter(actor=actor).first()
    form = DisclosureStatementForm(request.POST or None, instance=statement)
    if request.method == "POST" and form.is_valid():
        cards.publish_statement(form.save(commit=False), actor=actor, author=request.user,
                                changed=form.changed_data)
        messages.success(request, _("Your answers are published beside the workers' figures."))
        return redirect("insights:disclosure", actor.slug)
    return render(request, "insights/disclosure_edit.html", {"actor": actor, "form": form},
                  status=400 if form.errors else 200)
