"""What the public may see of reports: moderated words with coarse metadata, never numbers.

Metadata shown with a review: the quarter, and the region, or the country only when at least
k workers reported that actor in that country (k = VISIBLEWORK_K, default 5). Reports made
without an account each count as one worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visiblework.cases.models import Actor
from visiblework.core.countries import country_name
from visiblework.core.formats import quarter
from visiblework.review.audit import record
from visiblework.review.models import AuditAction

from .models import Flag, Reply, Report, ReportStatus, Representation

MAX_REVIEWS = 100
REGION_LABELS = {"global-north": gettext_lazy("Global North"),
                 "global-south": gettext_lazy("Global South")}


@dataclass(frozen=True)
class PublicReview:
    id: int
    text: str
    period: str  # "Q2 2023", in the reader's language
    place: str  # a region, or a country with enough workers


def _about(actor: Actor):
    return Q(platform=actor) | Q(client=actor)


def _countries_with_enough_workers(actor: Actor) -> set[str]:
    k = settings.VISIBLEWORK_K
    rows = (Report.objects.filter(_about(actor)).exclude(status=ReportStatus.WITHDRAWN)
            .values("country")
            .annotate(workers=Count("worker", distinct=True),
                      anonymous=Count("id", filter=Q(worker__isnull=True))))
    return {r["country"] for r in rows if r["workers"] + r["anonymous"] >= k}


def public_reviews(actor: Actor) -> list[PublicReview]:
    """Published review texts about an actor, newest period first (a fixed order nobody can
    change), with coarse metadata only."""
    enough = _countries_with_enough_workers(actor)
    reports = (Report.objects.filter(_about(actor), status=ReportStatus.PUBLISHED)
               .exclude(free_text="").order_by("-year", "-quarter", "-id")
               .values("id", "free_text", "year", "quarter", "country", "region")
               [:MAX_REVIEWS])
    return [PublicReview(
        id=r["id"], text=r["free_text"], period=quarter(r["year"], r["quarter"]),
        place=country_name(r["country"]) if r["country"] in enough
        else str(REGION_LABELS.get(r["region"]) or _("Region unknown")))
        for r in reports]


def replies(actor: Actor) -> list[Reply]:
    return list(actor.replies.select_related("author").order_by("id")[:20])


def can_reply(user, actor: Actor) -> bool:
    return bool(user.is_authenticated and Representation.objects.filter(
        user=user, actor=actor, verified=True).exists())


@transaction.atomic
def post_reply(user, actor: Actor, text: str) -> Reply:
    """A verified representative's one reply to the reports about their organisation."""
    reply, _created = Reply.objects.update_or_create(actor=actor, author=user,
                                                     defaults={"text": text.strip()[:5000]})
    return reply


@transaction.atomic
def flag(report: Report, reason: str, note: str = "") -> Flag:
    return Flag.objects.create(report=report, reason=reason, note=note.strip()[:2000])


# --- Moderation --------------------------------------------------------------------------------


@transaction.atomic
def set_text_status(report: Report, editor, status: str) -> Report:
    """Publish or hide a report's words. Its numbers stay private either way."""
    if report.status == ReportStatus.WITHDRAWN:
        return report
    report.status = status
    report.save(update_fields=["status"])
    action = AuditAction.EDIT
    record(editor, action, report, f"report text {status}")
    return report


@transaction.atomic
def resolve_flag(flag_obj: Flag, editor, resolution: str, *, hide: bool) -> Flag:
    flag_obj.resolved = True
    flag_obj.resolution = resolution.strip()[:2000]
    flag_obj.resolved_by = editor
    flag_obj.save()
    if hide:
        set_text_status(flag_obj.report, editor, ReportStatus.HIDDEN)
    record(editor, AuditAction.EDIT, flag_obj, f"flag resolved ({'hidden' if hide else 'kept'})")
    return flag_obj
