"""Platforms side by side (/compare/?actor=a&actor=b): two to four platforms on the same
figures, for the same kind of work and region, from the latest published release only."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visiblework.cases.models import Actor, ActorAlias
from visiblework.core.formats import join, money, number, percent
from visiblework.refdata.regions import REGION_LABELS, REGIONS
from visiblework.reports.forms import RATING_LABELS
from visiblework.reports.models import TaskType

from . import releases
from .models import Release
from .platform_figures import (
    ALL,
    FAIRWORK_RATINGS,
    PLATFORM_KINDS,
    Figures,
    cell,
    region_label,
    task_label,
)

MIN_ACTORS, MAX_ACTORS = 2, 4
MAX_READ = 50  # values of ?actor= looked at; more than MAX_ACTORS is refused anyway
MAX_CHOICES = 200  # platforms offered in the form
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")


@dataclass
class Row:
    label: Any
    values: list[str]


@dataclass
class Comparison:
    release: Release | None
    actors: list[Actor] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    task: str = ALL
    region: str = ALL
    errors: list[str] = field(default_factory=list)
    message: str = ""
    columns: list[tuple[Actor, Figures]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    too_few: list[Actor] = field(default_factory=list)  # chosen, with no published figures
    broader_query: str = ""  # the same platforms over every kind of work, when no wage shows
    choices: list[tuple[str, str]] = field(default_factory=list)
    task_choices: list[tuple[str, Any]] = field(default_factory=list)
    region_choices: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> int:
        return 400 if self.errors else 200

    @property
    def task_label(self) -> Any:
        return task_label(self.task)

    @property
    def region_label(self) -> Any:
        return region_label(self.region)

    @property
    def selects(self) -> list[tuple[int, str]]:
        """The form's four platform pickers, each with the platform it shows."""
        chosen = [a.slug for a in self.actors]
        return [(i + 1, chosen[i] if i < len(chosen) else "") for i in range(MAX_ACTORS)]


def _slugs(query: QueryDict) -> list[str]:
    out: list[str] = []
    for raw in query.getlist("actor")[:MAX_READ]:
        value = raw.strip()
        if value and value not in out:
            out.append(value)
    return out


def _actors(slugs: list[str]) -> tuple[list[Actor], list[str]]:
    """The actors named by slug (or an alias's slug), in order, and the unknown names."""
    valid = [s for s in slugs if SLUG.fullmatch(s)]
    found = {a.slug: a for a in Actor.objects.filter(slug__in=valid)}
    missing = [s for s in valid if s not in found]
    if missing:
        for alias in ActorAlias.objects.filter(slug__in=missing).select_related("actor"):
            found[alias.slug] = alias.actor
    actors: list[Actor] = []
    unknown: list[str] = []
    for slug in slugs:
        actor = found.get(slug)
        if actor is None:
            unknown.append(slug)
        elif actor not in actors:
            actors.append(actor)
    return actors, unknown


def _defaults(release: Release, slugs: list[str], task: str, region: str) -> tuple[str, str]:
    """The kind of work and region left open, as the most common at these platforms: the
    published work × region cells with the most workers (so that the default has figures),
    else each on its own, else across the whole release; ALL when the release has none."""
    tasks, regions = tuple(TaskType.values), REGIONS
    pairs: Counter[tuple[str, str]] = Counter()
    for dims, workers in release.cells.filter(
            dims_key="platform,region,task_type", suppressed=False,
            dims__platform__in=slugs).values_list("dims", "workers")[:MAX_ACTORS * 40]:
        if (task in ("", dims.get("task_type")) and region in ("", dims.get("region"))
                and dims.get("task_type") in tasks and dims.get("region") in regions):
            pairs[(dims["task_type"], dims["region"])] += workers or 0
    if pairs:
        best_task, best_region = pairs.most_common(1)[0][0]
        return task or best_task, region or best_region
    return (task or _most_common(release, slugs, "task_type", tasks),
            region or _most_common(release, slugs, "region", regions))


def _most_common(release: Release, slugs: list[str], dim: str, values: tuple[str, ...]) -> str:
    counts: Counter[str] = Counter()
    for key, filters in ((",".join(sorted(["platform", dim])), {"dims__platform__in": slugs}),
                         (dim, {})):
        for dims, workers in release.cells.filter(dims_key=key, suppressed=False,
                                                  **filters).values_list("dims", "workers")[:50]:
            if dims.get(dim) in values:
                counts[dims[dim]] += workers or 0
        if counts:
            return counts.most_common(1)[0][0]
    return ALL


def _choices(release: Release | None, actors: list[Actor]) -> list[tuple[str, str]]:
    """The platforms the form offers: those the release publishes figures for (or, with no
    release, every platform and vendor), and the ones already chosen."""
    if release is not None:
        slugs = [dims.get("platform") for dims in release.cells.filter(
            dims_key="platform", suppressed=False).values_list("dims", flat=True)[:MAX_CHOICES]]
        platforms = Actor.objects.filter(slug__in=[s for s in slugs if s])
    else:
        platforms = Actor.objects.filter(kind__in=PLATFORM_KINDS)
    out = dict(platforms.order_by("name").values_list("slug", "name")[:MAX_CHOICES])
    for actor in actors:
        out.setdefault(actor.slug, actor.name)
    return sorted(out.items(), key=lambda item: item[1].casefold())


def _interval(f: Figures) -> str:
    if f.p25_usd is None or f.p75_usd is None:
        return "—"
    return _("%(low)s to %(high)s") % {"low": money(f.p25_usd), "high": money(f.p75_usd)}


def _rows(figures: list[Figures]) -> list[Row]:
    def row(label: Any, value: Callable[[Figures], str]) -> Row:
        return Row(label, [value(f) if f.published else _("too few workers")
                           for f in figures])

    rows = [
        row(_("Workers counted"), lambda f: f.band),
        row(_("True hourly wage (median)"), lambda f: money(f.median_usd)),
        row(_("Middle half of workers"), _interval),
        row(_("Adjusted for prices (PPP, international dollars)"),
            lambda f: number(f.median_ppp, 2)),
        row(_("Unpaid share of working time"), lambda f: percent(f.unpaid_share)),
        row(_("Workers paid late or not at all"), lambda f: percent(f.late_share)),
        row(_("Workers exposed to harmful content"), lambda f: percent(f.harmful_share)),
    ]
    for i, name in enumerate(FAIRWORK_RATINGS):
        rows.append(row(_("Rating: %(principle)s") % {"principle": RATING_LABELS[name]},
                        _rating(i)))
    return rows


def _rating(i: int) -> Callable[[Figures], str]:
    def value(f: Figures) -> str:
        mean = f.ratings[i].mean
        return number(mean, 1) if mean is not None else "—"

    return value


def compare(query: QueryDict) -> Comparison:
    """Parse ?actor=…&work=…&region=… and compare; every problem becomes a message."""
    release = releases.latest_release()
    result = Comparison(release=release)
    result.task_choices = [(ALL, task_label(ALL)), *TaskType.choices]
    result.region_choices = [(ALL, region_label(ALL)),
                             *[(r, REGION_LABELS[r]) for r in REGIONS]]
    slugs = _slugs(query)
    actors, unknown = _actors(slugs)
    result.actors, result.slugs = actors[:MAX_ACTORS], slugs
    result.choices = _choices(release, result.actors)
    if unknown:
        shown = [u[:60] for u in unknown[:5]]
        result.errors.append(ngettext(
            "We know no actor called %(names)s. Pick platforms from the list.",
            "We know no actors called %(names)s. Pick platforms from the list.",
            len(shown)) % {"names": join([f"“{u}”" for u in shown])})
    asked = len({v.strip() for v in query.getlist("actor") if v.strip()})
    if asked > MAX_ACTORS:
        result.errors.append(_("Compare at most %(n)s platforms at a time; you asked for "
                               "%(asked)s.") % {"n": number(MAX_ACTORS),
                                                "asked": number(asked)})
    task = query.get("work", "").strip()
    region = query.get("region", "").strip()
    if task and task != ALL and task not in TaskType.values:
        result.errors.append(_("Pick a kind of work from the list."))
    if region and region != ALL and region not in REGIONS:
        result.errors.append(_("Pick a region from the list."))
    if result.errors:
        return result
    if len(actors) < MIN_ACTORS:
        result.message = (_("Pick two to four platforms to see them side by side.")
                          if not actors else
                          _("Pick at least one more platform to compare with %(name)s.") % {
                              "name": actors[0].name})
    if release is None:
        result.message = _("No statistics are published yet: platforms can be compared once "
                           "the first release is published.")
        return result
    slugs_found = [a.slug for a in actors]
    result.task, result.region = _defaults(release, slugs_found, task, region)
    if len(actors) < MIN_ACTORS:
        return result
    dims_extra = {k: v for k, v in (("task_type", result.task), ("region", result.region))
                  if v != ALL}
    columns = [(actor, cell(release, {"platform": actor.slug, **dims_extra}))
               for actor in actors]
    # a platform without figures gets one sentence, not a column of "too few workers"
    result.columns = [(actor, f) for actor, f in columns if f.published]
    result.too_few = [actor for actor, f in columns if not f.published]
    if not result.columns:
        result.message = _("None of these platforms has published figures for this kind of "
                           "work and region: too few workers have reported yet. Try every "
                           "kind of work or every region.")
    result.rows = _rows([f for _a, f in result.columns])
    if (result.columns and result.task != ALL
            and all(f.median_usd is None for _a, f in result.columns)):
        result.broader_query = urlencode({"actor": [a.slug for a in actors], "work": ALL,
                                          "region": result.region}, doseq=True)
    return result
