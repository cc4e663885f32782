"""What "who can help" adds to pages lower apps own (settings.VISIBLEWORK_PAGE_SECTIONS):
the organisations matching a worker's report (the page after sending it and its own page),
an actor's page (the organisations serving its countries; for an organisation in the
directory, a box linking its help page) and a country's page of cases."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from visiblework.cases.models import Actor, ActorKind, CaseCountry, CaseStatus
from visiblework.core.countries import country_name, is_country_code
from visiblework.core.sections import Section
from visiblework.reports.models import Report, TaskType
from visiblework.reports.wages import Wage

from .help import MATCHES, describe, organisations_for
from .models import HelpProfile

TEMPLATE = "voice/_help_matches.html"
# Actors whose workers may look for help: not the organisations that give it.
WORKPLACE_KINDS = (ActorKind.COMPANY, ActorKind.PLATFORM, ActorKind.VENDOR, ActorKind.CLIENT)
ACTOR_COUNTRIES = 3


def _section(profiles: list[HelpProfile], **context: object) -> Section | None:
    if not profiles:
        return None
    return Section(TEMPLATE, {"organisations": [describe(p, full=False) for p in profiles],
                              "help_url": reverse("voice:help"), **context})


def organisations_for_report(request: HttpRequest, report: Report,
                             wage: Wage | None = None) -> Section | None:
    """Beside a worker's own report: who helps in the country of work with that kind of work."""
    profiles = organisations_for(report.country, report.task_type)
    query = f"?country={report.country}&task_type={report.task_type}"
    return _section(profiles, kind="report", place=country_name(report.country),
                    work=dict(TaskType.choices).get(report.task_type, ""),
                    more_url=reverse("voice:help") + query)


def _actor_countries(actor: Actor) -> list[str]:
    """The actor's own country, then those of the published cases that name it, most first."""
    codes = [actor.country] if actor.country else []
    rows = (CaseCountry.objects.filter(case__case_actors__actor=actor,
                                       case__status=CaseStatus.PUBLISHED)
            .values_list("code", flat=True).distinct()[:20])
    codes += [c for c in rows if c not in codes]
    return [c for c in codes if is_country_code(c)][:ACTOR_COUNTRIES]


def organisations_for_actor(request: HttpRequest, actor: Actor) -> Section | None:
    """On a platform's, vendor's, client's or company's page: who helps in its countries."""
    if actor.kind not in WORKPLACE_KINDS:
        return None
    seen: dict[int, HelpProfile] = {}
    countries = _actor_countries(actor)
    for code in countries:
        for profile in organisations_for(code, exclude=actor):
            seen.setdefault(profile.pk, profile)
    profiles = list(seen.values())[:MATCHES]
    return _section(profiles, kind="actor", actor=actor,
                    place=", ".join(country_name(c) for c in countries))


def organisation_box(request: HttpRequest, actor: Actor) -> Section | None:
    """On the page of an organisation in the directory: what it does, and its help page."""
    profile = HelpProfile.objects.filter(actor=actor, published=True).first()
    if profile is None:
        return None
    return Section("voice/_help_box.html", {"organisation": describe(profile, full=False),
                                            "url": reverse("voice:help-organisation",
                                                           args=[actor.slug])})


def organisations_in_country(request: HttpRequest, code: str) -> Section | None:
    """On the cases of one country: who helps there."""
    profiles = organisations_for(code)
    return _section(profiles, kind="country", place=country_name(code),
                    more_url=reverse("voice:help") + f"?country={code}")
