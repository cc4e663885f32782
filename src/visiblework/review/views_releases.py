"""The editors' release screens: start a build (it runs as a job, outside the request, and
this page shows its progress), list the releases, publish a preview."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from visiblework.accounts.decorators import editor_required
from visiblework.insights import budget, builds, releases
from visiblework.insights.forms import ReleaseBuildForm
from visiblework.insights.models import Release

REFRESH_SECONDS = 5


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def releases_page(request: HttpRequest) -> HttpResponse:
    form = ReleaseBuildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            builds.start_build(form.cleaned_data["label"], epsilon=form.cleaned_data["epsilon"],
                               delta=form.cleaned_data["delta"], k=form.cleaned_data["k"],
                               user=request.user)
        except releases.ReleaseError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The build of release %(label)s has started. This page "
                                        "shows its progress.")
                             % {"label": form.cleaned_data["label"].strip()})
            return redirect(f"{reverse('review:releases')}?follow=1")
    jobs = builds.recent_builds()
    running = builds.running(jobs)
    # Refreshing a page moves a screen reader back to its top: only when the editor asked
    # to follow a build (starting one does), and only while it runs.
    follow = running and request.GET.get("follow") == "1"
    return render(request, "review/releases.html", {
        "form": form, "jobs": jobs, "running": running, "follow": follow,
        "refresh_seconds": REFRESH_SECONDS, "releases": Release.objects.all()[:100],
        "lifetime_budget": budget.lifetime_budget()},
        status=400 if request.method == "POST" else 200)


@require_POST
@editor_required
def publish(request: HttpRequest, label: str) -> HttpResponse:
    release = get_object_or_404(Release, label=label)
    try:
        releases.publish(release, request.user)
    except releases.ReleaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Release %(label)s is published. It can no longer change.")
                         % {"label": label})
    return redirect("insights:release", label)
