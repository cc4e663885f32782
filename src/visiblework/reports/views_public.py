"""Public pieces of the reports app: flagging a review, and a representative's reply."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from visiblework.cases.models import Actor
from visiblework.core.ratelimit import allow

from . import public, replies
from .models import FlagReason, Report, ReportStatus, RepresentationStatus


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
    """The right of reply for one actor. A verified representative writes or changes the
    reply; a company account asks to be verified, and sees where its request stands and the
    editor's reason; anyone else is told how to get a company account."""
    actor = get_object_or_404(Actor, slug=slug)
    user = request.user
    page = {"actor": actor}
    if not replies.is_company_account(user):
        # Not signed in, a worker's anonymous account, or an editor: nothing can be sent.
        return render(request, "reports/reply_account.html", page,
                      status=403 if request.method == "POST" else 200)
    representation = replies.representation_of(user, actor)
    page["representation"] = representation
    if representation is not None and representation.verified:
        existing = actor.replies.filter(author=user).first()
        form = replies.ReplyForm(request.POST if request.method == "POST" else None,
                                 initial={"text": existing.text if existing else ""})
        if request.method == "POST" and form.is_valid():
            try:
                replies.post_reply(user, actor, form.cleaned_data["text"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your reply is published."))
                return redirect(actor.get_absolute_url())
        return render(request, "reports/reply.html", {**page, "form": form, "existing": existing},
                      status=400 if form.errors else 200)
    if representation is not None and representation.status == RepresentationStatus.REVOKED:
        return render(request, "reports/reply.html", page,
                      status=403 if request.method == "POST" else 200)
    ask = replies.RepresentationRequestForm(
        request.POST if request.method == "POST" else None,
        initial=model_to_dict(representation, fields=replies.RepresentationRequestForm.Meta.fields)
        if representation is not None else None)
    if request.method == "POST":
        if not allow(request, "representation", 20):
            ask.add_error(None, _("Too many requests from here in the last hour."))
        elif ask.is_valid():
            try:
                replies.request_representation(user, actor, ask)
            except ValidationError as exc:
                ask.add_error(None, exc)
            else:
                messages.success(request, _("Thank you. An editor will check who you are and "
                                            "answer here."))
                return redirect("reports:reply", slug=actor.slug)
    return render(request, "reports/reply.html", {**page, "ask": ask},
                  status=400 if ask.errors else 200)
