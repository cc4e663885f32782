"""What workers at one platform or client earn and say, read from the latest published
release only (never from report rows): the true hourly wage (median with its middle half, in
US dollars and PPP), the unpaid share of time, late-payment and harmful-content shares, the
mean ratings on the Fairwork principles and the size band of the cohort.

Used by the actor page (a page section), /compare/, scorecards and the page a worker sees
after sending a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visiblework.cases.models import Actor, ActorKind
from visiblework.core.formats import number
from visiblework.refdata.regions import REGION_LABELS, REGIONS
from visiblework.reports.forms import RATING_LABELS
from visiblework.reports.models import RATING_FIELDS, TaskType

from . import releases
from .models import Release, ReleaseCell

TASK_LABELS = dict(TaskType.choices)
FAIRWORK_RATINGS = ("rating_fair_pay", "rating_fair_conditions", "rating_fair_contracts",
                    "rating_fair_management", "rating_fair_representation")
OTHER_RATINGS = tuple(name for name in RATING_FIELDS if name not in FAIRWORK_RATINGS)
# Lower edges of the size bands a cohort's noisy worker count is shown in (a band says as
# much as a reader needs and no more; the exact noisy count is in the release's downloads).
BANDS = (10, 25, 50, 100, 250, 500, 1000, 5000)
PLATFORM_KINDS = (ActorKind.PLATFORM, ActorKind.VENDOR)
ALL = "all"  # "every kind of work" / "every region" in the compare form


def size_band(workers: int | None) -> str:
    """The band a noisy count of workers falls in: "100 to 249 workers"."""
    if workers is None:
        return ""
    lower = [b for b in BANDS if b <= workers]
    if not lower:
        return _("fewer than %(n)s workers") % {"n": number(BANDS[0])}
    low = lower[-1]
    following = [b for b in BANDS if b > low]
    if not following:
        return _("%(n)s workers or more") % {"n": number(low)}
    return _("%(low)s to %(high)s workers") % {"low": number(low),
                                                "high": number(following[0] - 1)}


@dataclass
class Rating:
    name: str
    label: Any
    mean: float | None


@dataclass
class Figures:
    """One published cell of a release, as readers see it; ``published`` False: too few
    workers (the cell was suppressed or the release has no such cell)."""

    release: Release
    dims: dict[str, str]
    published: bool
    workers: int | None = None
    median_usd: float | None = None
    p25_usd: float | None = None
    p75_usd: float | None = None
    median_ppp: float | None = None
    unpaid_share: float | None = None
    late_share: float | None = None
    harmful_share: float | None = None
    ratings: list[Rating] = field(default_factory=list)
    other_ratings: list[Rating] = field(default_factory=list)

    @property
    def band(self) -> str:
        return size_band(self.workers) if self.published else ""

    @property
    def cell_url(self) -> str:
        """The address of this very cell in the release's public API (citable)."""
        query = {"dims": ",".join(sorted(self.dims)), **self.dims}
        return f"/api/v1/releases/{self.release.label}/cells?{urlencode(query)}"

    @property
    def has_ratings(self) -> bool:
        return any(r.mean is not None for r in self.ratings)


def figures_of(release: Release, cell: ReleaseCell | None, dims: dict[str, str]) -> Figures:
    if cell is None or cell.suppressed:
        return Figures(release=release, dims=dims, published=False)
    stats = cell.stats or {}

    def ratings(names: tuple[str, ...]) -> list[Rating]:
        return [Rating(name, RATING_LABELS.get(name, name), stats.get(f"mean_{name}"))
                for name in names]

    return Figures(
        release=release, dims=dims, published=True, workers=cell.workers,
        median_usd=stats.get("median_effective_hourly_usd"),
        p25_usd=stats.get("p25_effective_hourly_usd"),
        p75_usd=stats.get("p75_effective_hourly_usd"),
        median_ppp=stats.get("median_effective_hourly_ppp"),
        unpaid_share=stats.get("unpaid_share"),
        late_share=stats.get("late_or_missing_share"),
        harmful_share=stats.get("harmful_share"),
        ratings=ratings(FAIRWORK_RATINGS), other_ratings=ratings(OTHER_RATINGS))


def cell(release: Release, dims: dict[str, str]) -> Figures:
    """The cell with exactly these dimensions and values (one indexed query)."""
    lookup = {f"dims__{key}": value for key, value in dims.items()}
    found = (release.cells.filter(dims_key=",".join(sorted(dims)), **lookup)
             .order_by("id").first())
    return figures_of(release, found, dims)


def cells_by(release: Release, dims: dict[str, str], over: str,
             values: tuple[str, ...] | list[str]) -> list[tuple[str, Figures]]:
    """The cells of ``dims`` plus one more dimension ``over``, one per value, in order."""
    key = ",".join(sorted([*dims, over]))
    lookup = {f"dims__{k}": v for k, v in dims.items()}
    found = {c.dims.get(over): c for c in release.cells.filter(dims_key=key, **lookup)
             .filter(**{f"dims__{over}__in": list(values)})[:len(values)]}
    return [(value, figures_of(release, found.get(value), {**dims, over: value}))
            for value in values]


@dataclass
class ActorFigures:
    release: Release | None
    role: str  # "platform" or "client"
    overall: Figures | None
    by_region: list[tuple[Any, Figures]]

    @property
    def anything_published(self) -> bool:
        return bool((self.overall and self.overall.published)
                    or any(f.published for _label, f in self.by_region))


def role_of(release: Release | None, actor: Actor) -> str | None:
    """Whether the release counts the actor as a platform or a client (its public keys), or
    None: it is neither, so its page shows no worker figures."""
    if release is not None:
        for role in ("platform", "client"):
            if release.cells.filter(dims_key=f"{role},region",
                                    **{f"dims__{role}": actor.slug}).exists():
                return role
    if actor.kind in PLATFORM_KINDS:
        return "platform"
    if actor.kind == ActorKind.CLIENT:
        return "client"
    return None


def actor_figures(actor: Actor, release: Release | None = None) -> ActorFigures | None:
    """The figures for a platform's or a client's page from the latest published release
    (or ``release``); None for an actor that is neither."""
    release = release or releases.latest_release()
    role = role_of(release, actor)
    if role is None:
        return None
    if release is None:
        return ActorFigures(release=None, role=role, overall=None, by_region=[])
    overall = cell(release, {"platform": actor.slug}) if role == "platform" else None
    by_region = [(REGION_LABELS[region], figures) for region, figures in
                 cells_by(release, {role: actor.slug}, "region", REGIONS)]
    return ActorFigures(release=release, role=role, overall=overall, by_region=by_region)


def task_label(task: str) -> Any:
    return TASK_LABELS.get(task, task) if task != ALL else gettext_lazy("every kind of work")


def region_label(region: str) -> Any:
    return REGION_LABELS.get(region, region) if region != ALL else gettext_lazy("every region")
