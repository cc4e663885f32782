"""Fair-work scorecards from the evidence a release gives, and the public list of them.

A release is evidence for two points of the Fair pay principle (after Fairwork's cloudwork
principles: workers are paid on time and for all their work; they earn at least the minimum
wage after costs, here the reference wage after unpaid time). Each such point links to the
release cell it rests on. Every other point is the editors' to award, with sources."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from visiblework.cases.models import Actor
from visiblework.core.audit import record
from visiblework.core.formats import money, number, percent
from visiblework.core.models import AuditAction
from visiblework.reports.forms import RATING_LABELS

from .models import FAIRWORK_PRINCIPLES, Release, Scorecard, ScorecardPoint
from .platform_figures import FAIRWORK_RATINGS, Figures, actor_figures

if TYPE_CHECKING:
    from visiblework.accounts.models import User

# Largest share of workers paid late or not at all for "paid on time" (public, stated on the
# scorecard): one in ten.
LATE_LIMIT = 0.10
MAX_LISTED = 200
PRINCIPLE_OF_RATING = dict(zip(FAIRWORK_RATINGS, [k for k, _v in FAIRWORK_PRINCIPLES],
                               strict=True))


def reference_wage() -> Decimal:
    return Decimal(str(settings.VISIBLEWORK_REFERENCE_WAGE_USD))


@dataclass
class Evidence:
    principle: str
    text: str
    url: str
    level: int | None = None  # the point it decides, if any
    met: bool | None = None


def _main_figures(actor: Actor, release: Release | None) -> Figures | None:
    figures = actor_figures(actor, release)
    if figures is None or figures.release is None:
        return None
    if figures.overall is not None:
        return figures.overall if figures.overall.published else None
    return None


def release_evidence(actor: Actor, release: Release | None) -> list[Evidence]:
    """What the release says for each principle, each statement with its cell's address."""
    f = _main_figures(actor, release)
    if f is None:
        return []
    out = []
    reference = reference_wage()
    if f.late_share is not None:
        met = f.late_share <= LATE_LIMIT
        out.append(Evidence("pay", (_(
            "Paid on time: %(share)s of workers were paid late or not at all (at most "
            "%(limit)s for the point).") % {"share": percent(f.late_share),
                                             "limit": percent(LATE_LIMIT)}), f.cell_url, 1, met))
    if f.median_usd is not None:
        met = Decimal(str(f.median_usd)) >= reference
        out.append(Evidence("pay", (_(
            "The median true hourly wage, after unpaid time, fees and costs, is %(median)s; "
            "the reference wage is %(reference)s.") % {"median": money(f.median_usd),
                                                      "reference": money(reference)}),
            f.cell_url, 2, met))
    if f.unpaid_share is not None:
        out.append(Evidence("pay", _("Unpaid share of working time: %(share)s.") % {
            "share": percent(f.unpaid_share)}, f.cell_url))
    if f.harmful_share is not None:
        out.append(Evidence("conditions", _("Workers exposed to harmful content: %(share)s.") % {
            "share": percent(f.harmful_share)}, f.cell_url))
    for rating in f.ratings:
        if rating.mean is not None:
            out.append(Evidence(PRINCIPLE_OF_RATING[rating.name], _(
                "Workers' mean rating for “%(principle)s”: %(mean)s out of 5.") % {
                "principle": RATING_LABELS[rating.name], "mean": number(rating.mean, 1)},
                f.cell_url))
    return out


def evidence_by_principle(actor: Actor, release: Release | None) -> dict[str, list[Evidence]]:
    out: dict[str, list[Evidence]] = {key: [] for key, _name in FAIRWORK_PRINCIPLES}
    for item in release_evidence(actor, release):
        out[item.principle].append(item)
    return out


def fill_from_release(actor: Actor, release: Release, user: User | None = None
                      ) -> Scorecard | None:
    """Write into the actor's scorecard for the release's year the points the release
    decides, linked to their cell. Points an editor wrote (with sources, cases or other
    evidence) are left as they are. None when the release publishes no figures for the
    actor."""
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
        decided = [e for e in release_evidence(actor, release) if e.level is not None]
        summary = _("The Fair pay points come from release %(label)s; editors award the "
                    "others with sources.") % {"label": release.label}
    f = _main_figures(actor, release)
    if not decided or f is None:
        return None
    cell = (release.cells.filter(dims_key="platform", dims__platform=actor.slug)
            .order_by("id").first())
    with transaction.atomic():
        card, _created = Scorecard.objects.get_or_create(
            actor=actor, year=release.cutoff.year,
            defaults={"summary": summary})
        basic_met = False
        for item in sorted(decided, key=lambda e: e.level or 0):
            point, _new = ScorecardPoint.objects.get_or_create(
                scorecard=card, principle=item.principle, level=item.level)
            if point.sources.exists() or point.cases.exists() or point.evidence_url:
                basic_met = basic_met or (item.level == 1 and point.awarded)
                continue  # an editor's judgement stands
            awarded = bool(item.met) and (item.level == 1 or basic_met)
            if item.level == 1:
                basic_met = awarded
            point.awarded = awarded
            point.reasoning = item.text
            point.save()
            if cell is not None:
                point.release_cells.set([cell])
        record(user, AuditAction.EDIT, card,
               f"scorecard {actor.slug} {card.year}: points from release {release.label}",
               label="scorecard from release")
    return card


def index() -> list[dict[str, Any]]:
    """Every actor's newest scorecard with its score (at most MAX_LISTED)."""
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for card in (Scorecard.objects.select_related("actor").prefetch_related("points")
                 .order_by("actor__name", "-year")[:MAX_LISTED * 3]):
        if card.actor_id in seen:
            continue
        seen.add(card.actor_id)
        awarded = {(p.principle, p.level) for p in card.points.all() if p.awarded}
        score = sum(1 for principle, level in awarded
                    if level == 1 or (principle, 1) in awarded)
        out.append({"card": card, "score": score, "points": len(card.points.all())})
        if len(out) >= MAX_LISTED:
            break
    return out

