"""Reporting work safely: the form, the wage, the receipt, editing and withdrawing."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from visiblework.core.ratelimit import allow
from visiblework.core.sections import sections

from . import services
from .forms import ReportForm, attach_errors
from .models import Report, ReportStatus

REPORTS_PER_HOUR = 30
SESSION_KEY = "report_access"  # public ids of reports this browser proved it may open


def _grant(request: HttpRequest, report: Report) -> None:
    """Let this browser open the report until it is closed. Without an account the session
    ends with the browser, so a shared phone does not keep showing the report for weeks."""
    allowed = [i for i in request.session.get(SESSION_KEY, []) if i != report.public_id]
    request.session[SESSION_KEY] = [*allowed, report.public_id][-50:]
    if not request.user.is_authenticated:
        request.session.set_expiry(0)


def _own_report(request: HttpRequest, public_id: str) -> Report:
    report = services.find_by_public_id(public_id)
    if report is None:
        raise Http404
    owner = request.user.is_authenticated and report.worker_id == request.user.pk
    if not owner and public_id not in request.session.get(SESSION_KEY, []):
        raise Http404
    return report


def _form_with_new_key(data) -> ReportForm:
    """The form as it was sent, with a fresh idempotency key for the next try."""
    data = data.copy()
    data["idempotency_key"] = uuid.uuid4().hex
    return ReportForm(data)


@never_cache
def new_report(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReportForm(request.POST)
        if not allow(request, "report", REPORTS_PER_HOUR):
            form.add_error(None, _("Too many reports from here in the last hour. Nothing you "
                                   "typed is lost: please send it again later."))
            return render(request, "reports/new.html", {"form": form}, status=429)
        try:
            submission = services.submit_report(
                form.raw_report(), worker=request.user,
                idempotency_key=request.POST.get("idempotency_key"))
        except services.IdempotencyConflict:
            form = _form_with_new_key(request.POST)
            form.is_valid()
            form.add_error(None, _("This form was already sent with other answers. Nothing you "
                                   "typed is lost: check it and send it again."))
            return render(request, "reports/new.html", {"form": form}, status=409)
        except ValidationError as exc:
            attach_errors(form, exc.message_dict)
            return render(request, "reports/new.html", {"form": form}, status=400)
        _grant(request, submission.report)
        return render(request, "reports/done.html", {
            "receipt": submission.receipt, "wage": submission.wage,
            "report": submission.report, "repeat": not submission.created,
            "sections": sections("own_report", request, submission.report, submission.wage),
        }, status=201 if submission.created else 200)
    form = ReportForm(initial={"idempotency_key": uuid.uuid4().hex})
    return render(request, "reports/new.html", {"form": form})


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    """Open a report with its receipt code (sent in a form, never in the address)."""
    error = ""
    if request.method == "POST":
        if not allow(request, "receipt", 30):
            error = _("Too many tries from here. Please wait an hour.")
        else:
            report = services.find_by_receipt(request.POST.get("receipt", ""))
            if report is not None:
                _grant(request, report)
                return redirect("reports:mine", report.public_id)
            error = _("No report has this receipt code. Check it and try again.")
    return render(request, "reports/receipt.html", {"error": error},
                  status=400 if error else 200)


@never_cache
def mine(request: HttpRequest, public_id: str) -> HttpResponse:
    report = _own_report(request, public_id)
    wage = services.wage_of(report) if report.status != ReportStatus.WITHDRAWN else None
    return render(request, "reports/mine.html", {
        "report": report, "wage": wage,
        "sections": sections("own_report", request, report, wage) if wage else []})


@never_cache
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    report = _own_report(request, public_id)
    if report.status == ReportStatus.WITHDRAWN:
        raise Http404
    if request.method == "POST":
        form = ReportForm(request.POST)
        try:
            services.update_report(report, form.raw_report())
        except ValidationError as exc:
            attach_errors(form, exc.message_dict)
            return render(request, "reports/new.html", {"form": form, "editing": report},
                          status=400)
        messages.success(request, _("Your report was updated."))
        return redirect("reports:mine", report.public_id)
    form = ReportForm(initial=ReportForm.initial_from(services.as_form_data(report)))
    return render(request, "reports/new.html", {"form": form, "editing": report})


@require_POST
def withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    """Withdraw a report once the worker ticked the box that says they mean it."""
    report = _own_report(request, public_id)
    if request.POST.get("confirm") != "yes":
        wage = services.wage_of(report) if report.status != ReportStatus.WITHDRAWN else None
        return render(request, "reports/mine.html", {
            "report": report, "wage": wage,
            "withdraw_error": _("Nothing was withdrawn: tick the box to confirm first."),
        }, status=400)
    services.withdraw(report)
    messages.success(request, _("Your report was withdrawn. Its words are gone from every page, "
                                "and future statistics will not count it."))
    return redirect("reports:mine", report.public_id)


@require_POST
def forget(request: HttpRequest, public_id: str) -> HttpResponse:
    """Forget a report on this device: the browser can no longer open it without the receipt.
    The report itself is kept."""
    allowed = request.session.get(SESSION_KEY, [])
    if public_id in allowed:
        request.session[SESSION_KEY] = [i for i in allowed if i != public_id]
    messages.success(request, _("This device no longer opens that report. Your receipt code "
                                "still does."))
    return redirect("reports:receipt")
