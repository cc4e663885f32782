"""Public pieces of the reports app: flagging a review, and a representative's reply."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from visiblework.cases.models import Actor
from visiblework.core.ratelimit import allow

from . import public
from .models import FlagReason, Report, ReportStatus


def flag(request: HttpRequest, public_id: str) -> HttpResponse:
    report = Report.objects.filter(public_id=public_id, status=ReportStatus.PUBLISHED).first()
    if report is None:
        raise Http404
    error = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        if reason not in FlagReason.values:
            error = _("Choose a reason.")
        elif not allow(request, "flag", 30):
            error = _("Too many flags from here in the last hour.")
        else:
            public.flag(report, reason, request.POST.get("note", ""))
            messages.success(request, _("Thank you. A moderator will look at it."))
            actor = report.platform or report.client
            return redirect(actor.get_absolute_url() if actor else "cases:home")
    return render(request, "reports/flag.html", {"reasons": FlagReason.choices, "error": error},
                  status=400 if error else 200)


def reply(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor, slug=slug)
    if not public.can_reply(request.user, actor):
        raise Http404
    existing = actor.replies.filter(author=request.user).first()
    if request.method == "POST":
        text = request.POST.get("text", "").strip()
        if not text:
            return render(request, "reports/reply.html", {
                "actor": actor, "text": text, "error": _("Write your reply.")}, status=400)
        public.post_reply(request.user, actor, text)
        messages.success(request, _("Your reply is published."))
        return redirect(actor.get_absolute_url())
    return render(request, "reports/reply.html", {"actor": actor,
                                                  "text": existing.text if existing else ""})
