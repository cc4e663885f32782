"""Scorecard indicators, labour-disclosure cards and the "what is your unpaid work worth"
calculator. Every number here comes from a published release, never from raw reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from visiblework.cases.models import Actor
from visiblework.core.audit import record
from visiblework.core.formats import join, money, number, percent
from visiblework.core.models import AuditAction
from visiblework.refdata.regions import REGION_LABELS
from visiblework.reports.models import TaskType

from . import releases
from .models import FAIRWORK_PRINCIPLES, DisclosureStatement, Release, Scorecard

TASK_LABELS = dict(TaskType.choices)


def _counted(label, key: str, workers: int | None) -> str:
    """A group and its noisy count of workers: "Content moderation (12 workers)"."""
    if workers is None:
        return str(label or key)
    return ngettext("%(group)s (%(n)s worker)", "%(group)s (%(n)s workers)",
                    int(workers)) % {
        "group": label or key, "n": number(workers)}


def _cells_for(release: Release, key: str, value: str) -> list[dict]:
    return [c for c in releases.cells(release, filters={key: value}, limit=500)]


def platform_summary(release: Release | None, actor: Actor) -> dict | None:
    """The actor's own cell (as platform, else as client) in a release, if published."""
    if release is None:
        return None
    for key in ("platform", "client"):
        for cell in releases.cells(release, dims=[key], filters={key: actor.slug}, limit=1):
            return {"as": key, **cell}
    return None


def indicators(release: Release | None, actor: Actor) -> list[dict]:
    """Suggestions for editors scoring an actor, from the latest release."""
    summary = platform_summary(release, actor)
    reference = Decimal(str(settings.VISIBLEWORK_REFERENCE_WAGE_USD))
    if not summary or summary["suppressed"]:
        return []
    out = []
    median = summary.get("median_effective_hourly_usd")
    if median is not None:
        below = Decimal(str(median)) < reference
        text = (_("Median true hourly wage %(median)s, below the reference wage of "
                  "%(reference)s.") if below else
                _("Median true hourly wage %(median)s, at or above the reference wage of "
                  "%(reference)s."))
        out.append({"principle": "pay", "text": text % {"median": money(median),
                                                         "reference": money(reference)}})
    for field, principle, text in (
        ("unpaid_share", "pay", _("Unpaid share of working time: %(share)s.")),
        ("late_or_missing_share", "pay", _("Workers with late or missing pay: %(share)s.")),
        ("harmful_share", "conditions", _("Workers exposed to harmful content: %(share)s.")),
    ):
        value = summary.get(field)
        if value is not None:
            out.append({"principle": principle, "text": text % {"share": percent(value)}})
    return out


def scorecards(actor: Actor) -> list[dict]:
    """Every year's ten points with their evidence, newest year first."""
    out = []
    for card in Scorecard.objects.filter(actor=actor).prefetch_related(
            "points__sources", "points__cases", "points__release_cells__release")[:20]:
        points = {(p.principle, p.level): p for p in card.points.all()}
        rows = []
        for key, name in FAIRWORK_PRINCIPLES:
            basic, advanced = points.get((key, 1)), points.get((key, 2))
            basic_awarded = bool(basic and basic.awarded)
            rows.append({
                "name": name, "basic": basic, "advanced": advanced,
                "basic_awarded": basic_awarded,
                # the advanced point counts only with the basic one
                "advanced_awarded": bool(basic_awarded and advanced and advanced.awarded),
            })
        score = sum(int(r["basic_awarded"]) + int(r["advanced_awarded"]) for r in rows)
        out.append({"card": card, "rows": rows, "score": score})
    return out


@dataclass
class DisclosureAnswer:
    question: str
    from_release: str
    from_company: str
    flag: str = ""


def disclosure(actor: Actor) -> dict:
    """The questions CrowdWorkSheets and Datasheets for Datasets ask about annotators,
    answered from the latest release, the cases and the scorecard, with the company's own
    answers beside them."""
    release = releases.latest_release()
    summary = platform_summary(release, actor)
    statement = getattr(actor, "disclosure", None)
    published = bool(summary and not summary["suppressed"])
    na = _("Not published: too few workers reported, or no release yet.")

    def share(name: str, text: str) -> str:
        value = summary.get(name) if published else None
        return text % {"share": percent(value)} if value is not None else na

    tasks = []
    regions = []
    if release is not None:
        for cell in releases.cells(release, dims=["platform", "task_type"],
                                   filters={"platform": actor.slug}):
            if not cell["suppressed"]:
                tasks.append(_counted(TASK_LABELS.get(cell["dims"]["task_type"]),
                                      cell["dims"]["task_type"], cell["workers"]))
        for cell in releases.cells(release, dims=["platform", "region"],
                                   filters={"platform": actor.slug}):
            if not cell["suppressed"]:
                regions.append(_counted(REGION_LABELS.get(cell["dims"]["region"]),
                                        cell["dims"]["region"], cell["workers"]))
    median = summary.get("median_effective_hourly_usd") if published else None
    stated = statement.stated_hourly_usd if statement else None
    pay_flag = ""
    if median is not None and stated is not None and Decimal(str(stated)) > Decimal(str(median)):
        pay_flag = _("The company states %(stated)s an hour; workers' true hourly wage in "
                     "the release has a median of %(median)s.") % {
            "stated": money(stated), "median": money(median)}
    answers = [
        DisclosureAnswer(_("Who did the work?"), (
            _("Workers by kind of work (noisy counts): %(tasks)s") % {"tasks": join(tasks)}
            if tasks else na), statement.who if statement else ""),
        DisclosureAnswer(_("Where did they work?"), (
            join(regions) if regions else na), statement.where if statement else ""),
        DisclosureAnswer(_("How were they paid?"), (
            _("Median true hourly wage %(median)s (middle half %(low)s–%(high)s).") % {
                "median": money(median),
                "low": money(summary.get("p25_effective_hourly_usd")),
                "high": money(summary.get("p75_effective_hourly_usd"))}
            if median is not None else na),
            statement.pay if statement else "", pay_flag),
        DisclosureAnswer(_("How much of their time was unpaid?"),
                         share("unpaid_share", _("%(share)s of working time was unpaid.")), ""),
        DisclosureAnswer(_("Were they exposed to harmful content?"),
                         share("harmful_share", _("%(share)s of workers reported harmful content.")),
                         ""),
        DisclosureAnswer(_("What support was offered?"), na, statement.support if statement else ""),
        DisclosureAnswer(_("Did they know what the data was for?"), na,
                         statement.purpose if statement else ""),
        DisclosureAnswer(_("Can they withdraw their work or data?"), na,
                         statement.withdrawal if statement else ""),
    ]
    cards = scorecards(actor)
    return {
        "actor": actor, "release": release, "answers": answers,
        "scorecard": cards[0] if cards else None,
        "cases": list(actor.cases.filter(status="published").distinct()[:20]),
    }


def publish_statement(statement: DisclosureStatement, *, actor: Actor, author,
                      changed: Sequence[str] = ()) -> DisclosureStatement:
    """Publish a representative's answers on the company's card, with the audit entry in the
    same transaction. Who may answer for the company (reports.public.can_reply) is checked by
    the caller before it shows the form."""
    created = statement.pk is None
    with transaction.atomic():
        statement.actor = actor
        statement.author = author
        statement.save()
        record(author, AuditAction.CREATE if created else AuditAction.EDIT, statement,
               f"disclosure answers of {actor.slug} published", {"fields": list(changed)})
    return statement


def disclosure_markdown(card: dict, base_url: str) -> str:
    """The card as Markdown to paste into a dataset or model card, in the reader's language."""
    actor = card["actor"]
    heading = _("Labour disclosure: %(name)s") % {"name": actor.name}
    workers_say, company_says = _("Workers' reports:"), _("The company says:")
    lines = [f"## {heading}", ""]
    if card["release"]:
        release = card["release"]
        lines.append(_("Statistics from Visible Work release %(label)s (ε = %(epsilon)s, "
                       "k = %(k)s), %(url)s") % {
            "label": release.label, "epsilon": number(release.epsilon, None), "k": release.k,
            "url": f"{base_url}/releases/{release.label}/"})
        lines.append("")
    for answer in card["answers"]:
        lines.append(f"**{answer.question}**")
        lines.append(f"- {workers_say} {answer.from_release}")
        if answer.from_company:
            lines.append(f"- {company_says} {answer.from_company}")
        if answer.flag:
            lines.append(f"- ⚠ {answer.flag}")
        lines.append("")
    if card["scorecard"]:
        sc = card["scorecard"]
        scored = _("Fair-work scorecard %(year)s: %(score)s/10") % {
            "year": sc["card"].year, "score": sc["score"]}
        lines.append(f"{scored} ({base_url}{actor.get_absolute_url()}scorecard/)")
    if card["cases"]:
        lines.append("")
        lines.append(_("Cases:"))
        lines.extend(f"- {c.title} ({base_url}{c.get_absolute_url()})" for c in card["cases"])
    return "\n".join(lines) + "\n"


def disclosure_json(card: dict) -> dict:
    return {
        "actor": {"name": card["actor"].name, "slug": card["actor"].slug},
        "release": card["release"].label if card["release"] else None,
        "answers": [{"question": a.question, "from_workers": a.from_release,
                     "from_company": a.from_company, "flag": a.flag} for a in card["answers"]],
        "scorecard": ({"year": card["scorecard"]["card"].year,
                       "score": card["scorecard"]["score"]} if card["scorecard"] else None),
        "cases": [c.pk for c in card["cases"]],
    }


# --- The worth calculator ----------------------------------------------------------------------

# Each unpaid activity, the paid task it resembles, and the seconds one item takes
# (assumptions shown on the page).
ACTIVITIES = [
    ("captchas", "image_video_annotation", 10),
    ("ratings", "search_ads_rating", 5),
    ("thumbs", "response_ranking", 3),
    ("content_reports", "content_moderation", 30),
]
ACTIVITY_LABELS = {
    "captchas": gettext_lazy("CAPTCHAs"),
    "ratings": gettext_lazy("Ratings and reviews"),
    "thumbs": gettext_lazy("Thumbs up or down"),
    "content_reports": gettext_lazy("Posts reported as harmful"),
}
MAX_PER_WEEK = 100_000


def worth(counts: dict[str, int]) -> dict:
    release = releases.latest_release()
    reference = float(settings.VISIBLEWORK_REFERENCE_WAGE_USD)
    by_task: dict[str, float] = {}
    if release is not None:
        for cell in releases.cells(release, dims=["task_type"]):
            median = cell.get("median_effective_hourly_usd")
            if not cell["suppressed"] and median is not None:
                by_task[cell["dims"]["task_type"]] = float(median)
    rows, total = [], 0.0
    for name, task, seconds in ACTIVITIES:
        n = max(0, min(int(counts.get(name, 0) or 0), MAX_PER_WEEK))
        hourly = by_task.get(task)
        source = "release" if hourly is not None else "reference"
        hourly = hourly if hourly is not None else reference
        per_item = hourly * seconds / 3600
        value = per_item * n
        total += value
        rows.append({"name": name, "label": ACTIVITY_LABELS[name], "task": task,
                     "task_label": TASK_LABELS.get(task, task), "seconds": seconds, "count": n,
                     "hourly": hourly, "per_item": per_item, "week": value,
                     "year": value * 52, "source": source})
    return {"rows": rows, "week": total, "year": total * 52, "release": release,
            "reference": reference}
