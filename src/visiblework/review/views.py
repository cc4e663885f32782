"""The editors' queue: contributions to claim, compare, accept or reject; the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from visiblework.accounts.decorators import editor_required
from visiblework.cases import contributions
from visiblework.cases.contributions import QueueFilter
from visiblework.cases.diffs import diff_case_data
from visiblework.cases.forms import (
    ActorFormSet,
    ContributionForm,
    SourceFormSet,
    initial_from_case_data,
    proposal_from_forms,
)
from visiblework.cases.models import Contribution, ContributionKind, ContributionStatus
from visiblework.core.models import AuditAction, AuditEntry
from visiblework.reports import public
from visiblework.reports.models import Flag, Report, ReportStatus
from visiblework.voice.help import ORGANISATION_KINDS

from . import views_help

PAGE = 50


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@editor_required
def queue(request: HttpRequest) -> HttpResponse:
    params = request.GET
    filters = QueueFilter(
        status=params.get("status", ContributionStatus.PENDING)
        if params.get("status", ContributionStatus.PENDING) in ContributionStatus.values else "",
        kind=params.get("kind", "") if params.get("kind") in ContributionKind.values else "",
        case_id=_int(params.get("case")),
        claimed=params.get("claimed", "") if params.get("claimed") in ("me", "unclaimed",
                                                                        "others") else "",
        order="newest" if params.get("order") == "newest" else "oldest",
    )
    page = max(_int(params.get("page")) or 1, 1)
    total, items = contributions.queue(filters, request.user, limit=PAGE,
                                       offset=(page - 1) * PAGE)
    return render(request, "review/queue.html", {
        "items": items, "total": total, "filters": filters, "page": page,
        "has_next": page * PAGE < total, "statuses": ContributionStatus.choices,
        "kinds": ContributionKind.choices,
    })


def _edit_forms(contribution: Contribution, data=None):
    if data is not None:
        return (ContributionForm(data), SourceFormSet(data, prefix="sources"),
                ActorFormSet(data, prefix="actors"))
    initial, sources, actors = initial_from_case_data(contribution.payload)
    return (ContributionForm(initial=initial), SourceFormSet(prefix="sources", initial=sources),
            ActorFormSet(prefix="actors", initial=actors))


@editor_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(Contribution.objects.select_related(
        "case", "claimed_by", "decided_by", "organisation"), pk=pk)
    if contribution.kind in ORGANISATION_KINDS:
        return views_help.detail(request, contribution)
    form, sources, actors = _edit_forms(contribution)
    return _render_detail(request, contribution, form, sources, actors)


def _render_detail(request, contribution, form, sources, actors, status=200):
    current = contributions.current_data(contribution)
    return render(request, "review/detail.html", {
        "c": contribution,
        "diff": diff_case_data(current, contribution.payload),
        "duplicates": (contributions.possible_duplicates(contribution)
                       if contribution.kind == ContributionKind.NEW_CASE else []),
        "form": form, "sources": sources, "actors": actors,
        "pending": contribution.status == ContributionStatus.PENDING,
    }, status=status)


@require_POST
@editor_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(Contribution, pk=pk)
    try:
        contributions.claim(contribution, request.user)
        messages.success(request, _("You claimed this contribution."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("review:detail", pk)


@require_POST
@editor_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(Contribution.objects.select_related("organisation"), pk=pk)
    if contribution.kind in ORGANISATION_KINDS:
        return views_help.accept(request, contribution)
    form, sources, actors = _edit_forms(contribution, request.POST)
    if form.is_valid() and sources.is_valid() and actors.is_valid():
        proposal = proposal_from_forms(form, sources, actors)
        data = contributions.proposal_to_case_data(proposal)
        try:
            case = contributions.accept(contribution, request.user, data,
                                        reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Accepted. The case is published."))
            return redirect(case.get_absolute_url())
    return _render_detail(request, contribution, form, sources, actors, status=400)


@require_POST
@editor_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(Contribution, pk=pk)
    try:
        contributions.reject(contribution, request.user, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("review:detail", pk)
    messages.success(request, _("Rejected. The contributor can read your reason."))
    return redirect("review:queue")


@require_POST
@editor_required
def spam(request: HttpRequest) -> HttpResponse:
    ids = [i for i in (_int(v) for v in request.POST.getlist("selected")) if i]
    count = contributions.reject_as_spam(ids, request.user)
    messages.success(request, ngettext("%(n)d contribution rejected as spam.",
                                       "%(n)d contributions rejected as spam.", count) % {"n": count})
    return redirect("review:queue")


@editor_required
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("user")
    action = request.GET.get("action")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, PAGE).get_page(request.GET.get("page"))
    return render(request, "review/audit.html", {"page": page, "actions": AuditAction.choices,
                                                 "action": action})


# --- Worker reports and flags ------------------------------------------------------------------


@editor_required
def reports_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ReportStatus.PENDING)
    if status not in ReportStatus.values:
        status = ReportStatus.PENDING
    reports = (Report.objects.select_related("platform", "client").filter(status=status)
               .order_by("id"))
    burst_only = request.GET.get("burst") == "1"
    if burst_only:
        reports = reports.filter(burst=True)
    page = Paginator(reports, PAGE).get_page(request.GET.get("page"))
    return render(request, "review/reports.html", {"page": page, "status": status,
                                                   "statuses": ReportStatus.choices,
                                                   "burst_only": burst_only})


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """A `next` address only when it stays on this site; `fallback` (a URL name) otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(fallback)


@require_POST
@editor_required
def report_text(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    decision = request.POST.get("decision")
    if decision not in (ReportStatus.PUBLISHED, ReportStatus.HIDDEN):
        messages.error(request, _("Choose publish or hide."))
        return redirect(_safe_next(request, "review:reports"))
    try:
        public.set_text_status(report, request.user, decision,
                               burst_checked=request.POST.get("burst_checked") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if decision == ReportStatus.PUBLISHED:
            messages.success(request, _("Report %(n)d: its words are published.") % {"n": pk})
        else:
            messages.success(request, _("Report %(n)d: its words are hidden.") % {"n": pk})
    return redirect(_safe_next(request, "review:reports"))


@editor_required
def flags_queue(request: HttpRequest) -> HttpResponse:
    flags = Flag.objects.select_related("report", "report__platform").filter(resolved=False)
    page = Paginator(flags, PAGE).get_page(request.GET.get("page"))
    return render(request, "review/flags.html", {"page": page})


@require_POST
@editor_required
def resolve_flag(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(Flag, pk=pk, resolved=False)
    public.resolve_flag(flag, request.user, request.POST.get("resolution", ""),
                        hide=request.POST.get("hide") == "1")
    messages.success(request, _("Flag resolved."))
    return redirect("review:flags")
