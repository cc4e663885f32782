"""The editors' queue for organisations that help: a suggested organisation or a correction
(contributions of the kinds voice.help.ORGANISATION_KINDS) is compared with what the
directory says, edited, and accepted through voice.help; claiming and rejecting are the
queue's own (review/views.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from visiblework.cases.models import Contribution, ContributionStatus
from visiblework.voice import help as services
from visiblework.voice.forms_help import forms_for, initial_forms, proposal_from_forms
from visiblework.voice.models import HelpProfile


def _current(contribution: Contribution) -> dict | None:
    profile = (HelpProfile.objects.filter(actor=contribution.organisation).first()
               if contribution.organisation_id else None)
    return services.organisation_data(profile) if profile else None


def _render(request: HttpRequest, contribution: Contribution, forms: tuple,
            status: int = 200) -> HttpResponse:
    form, contacts, sources = forms
    return render(request, "review/organisation.html", {
        "c": contribution, "diff": services.diff_organisation(_current(contribution),
                                                              contribution.payload),
        "form": form, "contacts": contacts, "sources": sources,
        "pending": contribution.status == ContributionStatus.PENDING,
    }, status=status)


def detail(request: HttpRequest, contribution: Contribution) -> HttpResponse:
    return _render(request, contribution, initial_forms(contribution.payload))


def accept(request: HttpRequest, contribution: Contribution) -> HttpResponse:
    forms = forms_for(request.POST)
    form, contacts, sources = forms
    if form.is_valid() and contacts.is_valid() and sources.is_valid():
        # a source kept as suggested keeps the day the contributor read it
        accessed = {s.get("url"): s.get("accessed", "")
                    for s in contribution.payload.get("sources", []) if isinstance(s, dict)}
        try:
            profile = services.accept_suggestion(
                contribution, request.user, proposal_from_forms(form, contacts, sources, accessed),
                reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(request, _("Accepted. The organisation is in the directory."))
            return redirect(reverse("voice:help-organisation", args=[profile.actor.slug]))
    return _render(request, contribution, forms, status=400)
