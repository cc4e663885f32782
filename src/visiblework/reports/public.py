"""What the public may see of reports: moderated words with coarse metadata, never numbers.

Metadata shown with a review: the quarter of the work, and its region, by the rule in
refdata/regions.py (never the country for lack of a region). The country is shown only when
the caller names it in `named_countries`: the site takes those from the latest published
release (insights/reviews.py), so nothing here depends on how many reports there are.
Reviews are ordered by period, then by their random public id: a fixed order that says
nothing about when each was sent.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from visiblework.cases.models import Actor
from visiblework.core.audit import record
from visiblework.core.countries import country_name
from visiblework.core.formats import quarter
from visiblework.core.models import AuditAction
from visiblework.refdata.regions import fallback_region, region_label

from .models import Flag, Report, ReportStatus
from .replies import can_reply as can_reply  # the names the floors above use
from .replies import post_reply as post_reply
from .replies import replies_for_actor

MAX_REVIEWS = 100


@dataclass(frozen=True)
class PublicReview:
    id: str  # the report's random public id, never its primary key
    text: str
    period: str  # "Q2 2023", in the reader's language
    place: str  # a region, or a country that the latest release named for this actor


def _about(actor: Actor):
    return Q(platform=actor) | Q(client=actor)


def public_reviews(actor: Actor, *, named_countries: Collection[str] = ()) -> list[PublicReview]:
    """Published review texts about an actor, newest period first, with coarse metadata."""
    reports = (Report.objects.filter(_about(actor), status=ReportStatus.PUBLISHED)
               .exclude(free_text="").order_by("-year", "-quarter", "public_id")
               .values("public_id", "free_text", "year", "quarter", "country", "region")
               [:MAX_REVIEWS])
    return [PublicReview(
        id=r["public_id"], text=r["free_text"], period=quarter(r["year"], r["quarter"]),
        place=country_name(r["country"]) if r["country"] in named_countries
        else region_label(r["region"] or fallback_region(r["country"])))
        for r in reports]


# The right of reply lives in reports/replies.py; these names are kept for the floors above.
replies = replies_for_actor


@transaction.atomic
def flag(report: Report, reason: str, note: str = "") -> Flag:
    return Flag.objects.create(report=report, reason=reason, note=note.strip()[:2000])


# --- Moderation --------------------------------------------------------------------------------


@transaction.atomic
def set_text_status(report: Report, editor, status: str, *, burst_checked: bool = False) -> Report:
    """Publish or hide a report's words. Its numbers stay private either way. The words of a
    report sent in a burst (reports/bursts.py) are published only once the editor says they
    looked at the burst."""
    if report.status == ReportStatus.WITHDRAWN:
        return report
    if status == ReportStatus.PUBLISHED and report.burst and not burst_checked:
        raise ValidationError(_("This report came in a burst of anonymous reports about the "
                                "same organisation and country. Read the others first, then "
                                "confirm that you did."))
    report.status = status
    report.save(update_fields=["status"])
    record(editor, AuditAction.EDIT, report, f"report text {status}"
           + (" (burst checked)" if report.burst else ""))
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
